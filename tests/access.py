"""Vocabulary of the authorization matrix, shared by every app's ``tests/<app>/access.py``.

Each app's access module defines:
- ``MATRIX``: {url name: [Case, ...]} — one case per method the URL answers;
- ``OBJECTS``: {key: maker(objects) -> object}, the objects its URLs and data name, made on
  first use (so a case holds only what it needs), in unit A (太原) unless the key says otherwise.
Base objects always present: ``enterprise_a``, ``enterprise_b``, ``factory_a``, ``factory_b``,
and the users of every role under ``users``.

A POST case carries valid data (``data(objects, role)``): the roles in ``allowed`` must change the
database as ``effect(objects, role)`` says; every other role must change nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps

ROLES = [
    "anonymous",
    "enterprise_a",
    "enterprise_b",
    "city_a",
    "city_b",
    "province",
    "expert",
    "admin",
]
OK, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 403, 404, "login"
BAD_REQUEST, CONFLICT = 400, 409


def everyone(code, **overrides):
    return {role: overrides.get(role, code) for role in ROLES}


OFFICERS_ONLY = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK)
# A page about something of enterprise A (unit A): its own users, its city, the province.
ENTERPRISE_A_PAGE = everyone(
    NOT_FOUND,
    anonymous=LOGIN,
    expert=FORBIDDEN,
    admin=FORBIDDEN,
    enterprise_a=OK,
    city_a=OK,
    province=OK,
)


def export_post(kind: str) -> Case:
    """The POST of an export view: an officer starts a background export of its own rows (the
    file is written after the commit)."""
    from factorytiers.accounts.models import ExportJob

    return post(
        {},
        dict(OFFICERS_ONLY, city_a=REDIRECT, city_b=REDIRECT, province=REDIRECT),
        data=lambda o, role: {},
        allowed={"city_a", "city_b", "province"},
        effect=lambda o, role: ExportJob.objects.filter(
            kind=kind, requested_by=o["users"][role]
        ).exists(),
    )


@dataclass(frozen=True)
class Case:
    method: str
    kwargs: dict = field(default_factory=dict)  # url kwarg -> object key
    expected: dict = field(default_factory=dict)  # role -> status code (or LOGIN)
    data: Callable | None = None  # (objects, role) -> POST data
    allowed: frozenset = frozenset()  # roles whose POST changes the database
    effect: Callable | None = None  # (objects, role) -> bool, read from the database
    writes: bool = True  # False: a POST that never writes (log-out, language)
    echoes_input: bool = False  # a refusal may show back what was posted (an import's rows)


def get(kwargs=None, expected=None):
    return Case("get", kwargs or {}, expected or {})


def post(kwargs, expected, *, data, allowed, effect, echoes_input=False):
    return Case(
        "post", kwargs, expected, data, frozenset(allowed), effect, echoes_input=echoes_input
    )


class Objects(dict):
    """The objects of one case, each made by its maker the first time it is named."""

    def __init__(self, makers: dict, base: dict):
        super().__init__(base)
        self.makers = makers

    def __missing__(self, key):
        value = self[key] = self.makers[key](self)
        return value


# -- the database, as the matrix compares it --------------------------------------------------

# Reference data and framework bookkeeping: never written by a business request.
UNCOMPARED = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "reference.region",
    "reference.industrycode",
    "reference.country",
    "assessments.maturitymodeledition",
    "campaigns.scenarioedition",
    "campaigns.scenario",
    "campaigns.constructionlink",
    # Counted up by the database's triggers, left out of backups (never counted back).
    "documents.figuresversion",
}


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every business table (the history tables included)."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.label_lower not in UNCOMPARED and model._meta.managed
    }


def row_counts() -> dict[str, int]:
    """How many rows each table holds, every table included."""
    return {model._meta.label_lower: model._base_manager.count() for model in apps.get_models()}


# -- forms as a page shows them -----------------------------------------------------------------


class _FormParser(HTMLParser):
    def __init__(self, action: str | None, form_id: str | None):
        super().__init__()
        self.action, self.form_id = action, form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (self.form_id is None or attrs.get("id") == self.form_id) and (
                self.action is None or attrs.get("action") == self.action
            )
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                checkable = kind in ("checkbox", "radio")
                self.fields.append((attrs["name"], attrs.get("value", "on" if checkable else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_on_page(html: str, *, action: str | None = None, form_id: str | None = None) -> dict:
    """The data a browser would post from the page's form (its current values), as a dict of
    lists, ready for the test client. ``csrfmiddlewaretoken`` is left out."""
    parser = _FormParser(action, form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    return data


def page_form(objects, role, allowed, url: str, *, form_id=None, action=None, **changes) -> dict:
    """The form as the page shows it to ``role`` (or, for a role that may not open it, to the
    first allowed role), with ``changes`` made: what a user would post."""
    reader = role if role in allowed else sorted(allowed)[0]
    html = objects["page"](url, reader)
    data = form_on_page(html, form_id=form_id, action=action)
    assert data, f"no form on {url} for {reader}"
    return {
        **data,
        **{name: [value] if isinstance(value, str) else value for name, value in changes.items()},
    }


def without(data: dict, *names: str) -> dict:
    return {key: value for key, value in data.items() if key not in names}
