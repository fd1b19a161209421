"""The pages of a background job (:mod:`.jobs`): its page, the progress it polls, its file.

The app that owns a job model declares its pages once (:class:`JobPages`) and its URLs point at
the three views the declaration makes:

- ``page``: the job page, which includes the progress fragment;
- ``progress``: that fragment alone, polled every second (htmx) while the job runs;
- ``download``: the job's file, once there is one to give.

Each view is wrapped in ``permission_required`` (the role may open such pages at all) and finds
the row only through ``Model.objects.visible_to(user)`` (:meth:`JobPages.find`): a job outside
the user's scope is a 404, as is a file not ready yet. A page reads the row as it stands
(``Job.as_read``: a stale job reads as failed, though a read writes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .decorators import permission_required
from .jobs import Job

J = TypeVar("J", bound=Job)


def _file_name(job) -> str:
    return job.file_name


def _done(job) -> bool:
    return job.status == Job.Status.DONE


class JobPages(Generic[J]):
    """The page, progress fragment and download of one job model.

    ``name`` is what the templates call the row (``job``, ``build``); ``related`` is
    ``select_related`` for what the page shows; ``context(job)`` adds to the page's context.
    The download serves ``file_field`` when ``ready(job)`` (default: the job is 已完成) under
    ``file_name(job)`` (default: the row's ``file_name``).
    """

    def __init__(
        self,
        model: type[J],
        *,
        permission: str,
        template: str,
        progress_template: str,
        name: str = "job",
        related: tuple[str, ...] = (),
        context: Callable[[J], dict[str, Any]] | None = None,
        file_field: str = "file",
        file_name: Callable[[J], str] = _file_name,
        content_type: str | None = None,
        ready: Callable[[J], bool] = _done,
    ):
        self.model = model
        self.permission = permission
        self.template = template
        self.progress_template = progress_template
        self.name = name
        self.related = related
        self.context = context
        self.file_field = file_field
        self.file_name = file_name
        self.content_type = content_type
        self.ready = ready
        self.page = self._view(self._page, "The job page.")
        self.progress = self._view(
            self._progress, "The progress fragment (polled every second while the job runs)."
        )
        self.download = self._view(self._download, "The job's file.")

    def find(self, user, pk) -> J:
        """The row the user may see (anything else is a 404), as a page reads it."""
        try:
            job = self.model.objects.visible_to(user).select_related(*self.related).get(pk=int(pk))
        except (TypeError, ValueError, self.model.DoesNotExist) as error:
            raise Http404(self.model.__name__) from error
        return job.as_read()

    # -- the views ------------------------------------------------------------------------------

    def _view(self, answer: Callable[[Any, J], HttpResponse], doc: str):
        def view(request, pk: int) -> HttpResponse:
            return answer(request, self.find(request.user, pk))

        view.__name__ = view.__qualname__ = f"{self.model.__name__.lower()}{answer.__name__}"
        view.__doc__ = doc
        return require_GET(permission_required(self.permission)(view))

    def _page(self, request, job: J) -> HttpResponse:
        extra = self.context(job) if self.context else {}
        return render(request, self.template, {self.name: job, **extra})

    def _progress(self, request, job: J) -> HttpResponse:
        return render(request, self.progress_template, {self.name: job})

    def _download(self, request, job: J) -> HttpResponse:
        stored = getattr(job, self.file_field)
        if not stored or not self.ready(job):
            raise Http404(self.file_field)
        extra = {"content_type": self.content_type} if self.content_type else {}
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=self.file_name(job), **extra
        )
