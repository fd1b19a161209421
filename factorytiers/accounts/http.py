"""The view side of a refused write, written once: a POST handler whose service refuses
(``writes.Refused``) answers 400 (409 for a stale page) with the page it came from, the reason
on it; nothing was saved."""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.shortcuts import render
from django.urls import resolve
from django.utils.translation import gettext as _

from .fields import parse_id
from .writes import EditConflict, Refused


def refusal_message(exc: Refused) -> str:
    if isinstance(exc, EditConflict):
        return _("该记录已被他人修改，您的操作未保存。请查看最新内容后重试。")
    return str(exc)


def form_errors(form) -> str:
    """Every error of a form as one line: “字段：问题”."""
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''}：{' '.join(errors)}".lstrip("：")
        for name, errors in form.errors.items()
    )


def posted_version(request) -> int | None:
    """The version a page was opened at (None when missing or not a number: refused)."""
    return parse_id(request.POST.get("version", ""))


def refusal_status(exc: Refused) -> int:
    return 409 if isinstance(exc, EditConflict) else 400


def page_again(request, url: str, status: int):
    """The page at ``url`` as it stands now (its view called as a GET, so it writes nothing),
    answered with ``status``: the refusal's message is on it and the address stays the one the
    form was posted to."""
    match = resolve(urlsplit(url).path)
    request.method = "GET"
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code == 200:
        response.status_code = status
    return response


def refusals_go_back(fallback):
    """Wrap a POST handler: a refusal answers 400 (409 for a stale page) with the page at
    ``fallback(request, *args, **kwargs)`` (a URL), the reason on it."""

    def decorator(handler):
        @wraps(handler)
        def wrapped(request, *args, **kwargs):
            try:
                return handler(request, *args, **kwargs)
            except Refused as exc:
                messages.error(request, refusal_message(exc))
                url = fallback(request, *args, **kwargs)
                return page_again(request, url, refusal_status(exc))

        return wrapped

    return decorator


def valid(form):
    """The form's cleaned data, or a refusal naming every field that is wrong."""
    if not form.is_valid():
        raise Refused(form_errors(form))
    return form.cleaned_data


def edit_page(request, template: str, context: dict, save):
    """An edit form's round: on a valid POST call ``save()``; a refusal shows the form again
    with the reason on it (a conflict keeps the user's input beside the stored record).
    Returns None when saved (the caller redirects), else the page. ``context["forms"]`` are
    the forms to validate, ``context["form"]`` the one that shows the refusal."""
    conflict = None
    status = 200
    if request.method == "POST":
        status = 400
        if all(form.is_valid() for form in context["forms"]):
            try:
                save()
            except EditConflict as exc:
                conflict = exc.current
                status = 409
                messages.error(request, refusal_message(exc))
            except Refused as exc:
                for field, problem in getattr(exc, "problems", [("", str(exc))]):
                    context["form"].add_error(None, f"{field}：{problem}" if field else problem)
            else:
                return None
    return render(request, template, {**context, "conflict": conflict}, status=status)
