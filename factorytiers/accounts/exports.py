"""Exports of lists and documents: in the request when small, as a background job when big.

An app declares an export once (``register``): the permission it needs and ``prepare(user,
query)``, which reads the user's scoped rows for the query string and gives an
:class:`Export` — how many rows, the download name, and ``write(target, progress)`` writing the
file (a list's XLSX streamed by xlsxwriter ``constant_memory``; a report's DOCX or PDF). The
export's view hands that to :func:`answer`:

- up to the export's ``inline_max`` rows (``EXPORT_INLINE_MAX_ROWS`` unless it says), the GET
  answers the file as before;
- over it, the GET answers a page saying so with a button (a GET writes nothing); its POST
  (:func:`start_export`) records an :class:`~factorytiers.accounts.models.ExportJob` and queues
  it, and the job page (``views.EXPORTS``, a :class:`~.job_pages.JobPages`) shows its progress
  until the file is ready. The file is read through the same scope
  (``ExportJob.objects.visible_to``): only the user who asked finds it.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.domain.uploads import content_type

from . import audit, jobs
from .models import AuditAction, ExportJob
from .predicates import require
from .tasks import run_export_task
from .writes import Refused

XLSX = content_type(".xlsx")
Progress = Callable[[int], None]  # rows written so far


@dataclass(frozen=True)
class Export:
    """One export of one user's rows."""

    count: Callable[[], int]
    file_name: str  # the download's name (Chinese)
    ascii_name: str  # its plain-ASCII fallback
    write: Callable[[Any, Progress], None]  # (a path or a binary file, progress) → the file
    extension: str = "xlsx"  # the file's kind: xlsx, docx or pdf
    inline_max: int | None = None  # the most rows written in the request; None: the setting


@dataclass(frozen=True)
class Exporter:
    kind: str
    label: str  # what the job page calls it (Chinese)
    permission: str
    prepare: Callable[[Any, QueryDict], Export]


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> None:
    EXPORTERS[exporter.kind] = exporter


def _exporter(kind: str) -> Exporter:
    try:
        return EXPORTERS[kind]
    except KeyError:
        raise Refused(_("未知的导出内容。")) from None


# -- the request ------------------------------------------------------------------------------


def download(content: bytes, export: Export) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type(f".{export.extension}"))
    response["Content-Disposition"] = (
        f"attachment; filename=\"{export.ascii_name}\"; filename*=UTF-8''{quote(export.file_name)}"
    )
    return response


def answer(request, kind: str, query: QueryDict | None = None) -> HttpResponse:
    """The export view's answer for ``query`` (default: the list's filter, ``request.GET``)."""
    exporter = _exporter(kind)
    query = request.GET if query is None else query
    if request.method == "POST":
        job = start_export(actor=request.user, kind=kind, query=query.urlencode())
        return redirect("accounts:export", pk=job.pk)
    export = exporter.prepare(request.user, query)
    count = export.count()
    inline_max = settings.EXPORT_INLINE_MAX_ROWS if export.inline_max is None else export.inline_max
    if count > inline_max:
        return offer(request, kind, export, count)
    buffer = io.BytesIO()
    export.write(buffer, lambda done: None)
    return download(buffer.getvalue(), export)


def offer(request, kind: str, export: Export, count: int, *, action: str = "", note: str = ""):
    """The page that says the file is big and offers to write it in the background: its
    button POSTs to ``action`` (default: this page's URL), which answers with :func:`answer`."""
    context = {"exporter": _exporter(kind), "count": count, "file_name": export.file_name}
    return render(
        request, "accounts/export_start.html", {**context, "action": action, "note": note}
    )


# -- the job ----------------------------------------------------------------------------------


def start_export(*, actor, kind: str, query: str) -> ExportJob:
    """Record an export of the list ``kind`` filtered by ``query``; queued on commit."""
    exporter = _exporter(kind)
    require(actor, exporter.permission)
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, query=query, requested_by=actor, queued_at=timezone.now()
        )
        audit.record(
            actor=actor,
            action=AuditAction.EXPORT_REQUEST,
            target=job,
            facts={"kind": kind},
            unit=getattr(actor, "unit", None),
        )
        jobs.enqueue_on_commit(job, run_export_task)
    return job


def run_export(job_id: int, attempt: int | None = None) -> ExportJob | None:
    return jobs.run(ExportJob, job_id, attempt, _write)


def _write(job: ExportJob, heartbeat: jobs.Heartbeat) -> dict[str, Any]:
    job = ExportJob.objects.select_related("requested_by").get(pk=job.pk)
    exporter = _exporter(job.kind)
    user = job.requested_by
    require(user, exporter.permission)  # as the user who asked, with the scope it has now
    export = exporter.prepare(user, QueryDict(job.query))
    total = export.count()
    heartbeat(progress=0, total=total)

    def progress(done: int) -> None:
        heartbeat(progress=min(99, done * 100 // max(total, 1)))

    stored_name = f"export.{export.extension}"
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / stored_name
        export.write(str(target), progress)
        with target.open("rb") as handle:
            job.file.save(stored_name, File(handle), save=False)
    return {"file": job.file.name, "file_name": export.file_name, "progress": 100}


def label(job: ExportJob) -> str:
    exporter = EXPORTERS.get(job.kind)
    return exporter.label if exporter else job.kind
