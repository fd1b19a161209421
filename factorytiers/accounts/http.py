"""The view side of a refused write, written once: a POST handler whose service refuses
(``writes.Refused``) puts the reason on the page and goes back; nothing was saved."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def refusals_go_back(fallback):
    """Wrap a POST handler: a refusal becomes an error message and a redirect to
    ``fallback(request, *args, **kwargs)`` (a URL)."""

    def decorator(handler):
        @wraps(handler)
        def wrapped(request, *args, **kwargs):
            try:
                return handler(request, *args, **kwargs)
            except Refused as exc:
                messages.error(request, refusal_message(exc))
                return redirect(fallback(request, *args, **kwargs))

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
    if request.method == "POST" and all(form.is_valid() for form in context["forms"]):
        try:
            save()
        except EditConflict as exc:
            conflict = exc.current
            messages.error(request, refusal_message(exc))
        except Refused as exc:
            for field, problem in getattr(exc, "problems", [("", str(exc))]):
                context["form"].add_error(None, f"{field}：{problem}" if field else problem)
        else:
            return None
    return render(request, template, {**context, "conflict": conflict})
