"""Every URL × every role (and two units): allowed, forbidden (403), not found (404) or log-in.

Objects in the URLs belong to unit A (太原). A user of unit B must get 404 for them — never the
data, never a 500. A GET writes no row, whoever asks. A POST carries valid data: the roles
allowed to make the change make it (the case's ``effect`` is read back from the database), and
every other role changes nothing at all. The matrix is this file's entries plus every
``tests/<app>/access.py``; a URL missing from it fails ``test_every_url_is_in_the_matrix``.
"""

import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factorytiers.accounts.models import ExportJob, Registration
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise, Factory
from tests.access import (
    ENTERPRISE_A_PAGE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICERS_ONLY,
    OK,
    REDIRECT,
    ROLES,
    Case,
    Objects,
    database_rows,
    everyone,
    export_post,
    get,
    page_form,
    post,
    row_counts,
)


def _registration(objects):
    code = make_credit_code(division="140100", org_body="MA0C0003")
    return Registration.objects.create(
        credit_code=code,
        enterprise_name="待审核企业有限公司",
        unit=objects["enterprise_a"].unit,
        contact_name="李强",
        contact_phone="13812345678",
        password_hash="x",
        profile={
            "name": "待审核企业有限公司",
            "credit_code": code,
            "nature": "民营企业",
            "industry": "3511",
            "sector": "装备制造",
            "employees": "50",
            "revenue_wan": "800.00",
            "contact_name": "李强",
            "contact_phone": "13812345678",
        },
    )


class _UrlPart:
    """A URL argument that is not an object (the matrix passes ``.pk``)."""

    def __init__(self, value: str):
        self.pk = value


def _export_job(objects):
    job = ExportJob(
        kind="enterprises",
        requested_by=objects["users"]["city_a"],
        status=ExportJob.Status.DONE,
        progress=100,
        total=1,
        file_name="企业名录-20260510.xlsx",
    )
    job.file.save("export.xlsx", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    job.save()
    return job


OWNER_ONLY = everyone(NOT_FOUND, anonymous=LOGIN, city_a=OK)


OBJECTS = {
    "export_job_a": _export_job,
    "registration": _registration,
    # A reset link with a token that is not valid: the page says so, whoever opens it.
    "reset_uid": lambda objects: _UrlPart("MQ"),
    "reset_token": lambda objects: _UrlPart("d0-0a1b2c3d4e5f6a7b8c9d"),
    "guide_chapter": lambda objects: _UrlPart("city"),
    "no_chapter": lambda objects: _UrlPart("nothing"),
}
LOGGED_IN = [role for role in ROLES if role != "anonymous"]
NEW_PASSWORD = "Changed#2027x"


def _password_changed(objects, role):
    user = objects["users"][role]
    return type(user).objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def _registration_form(objects, role):
    return {
        "name": "太原汾河食品有限公司",
        "credit_code": make_credit_code(division="140100", org_body="MA0E0005"),
        "unit": objects["enterprise_a"].unit_id,
        "nature": "民营企业",
        "industry": "1351 牲畜屠宰",
        "sector": "消费品",
        "employees": "80",
        "revenue_wan": "2600",
        "contact_name": "孙丽",
        "contact_phone": "13900001111",
        "password": "Fenhe#2026x",
        "password_again": "Fenhe#2026x",
    }


NEW_ENTERPRISE_CODE = make_credit_code(division="140100", org_body="MA0N0009")


def _new_enterprise(objects, role):
    data = page_form(
        objects,
        role,
        {"city_a", "city_b", "province"},
        reverse("enterprises:create"),
        form_id="enterprise-form",
    )
    return {
        **data,
        "name": "太原新登记企业有限公司",
        "credit_code": NEW_ENTERPRISE_CODE,
        "nature": "民营企业",
        "industry": "3511 矿山机械制造",
        "sector": "装备制造",
        "employees": "120",
        "revenue_wan": "5000",
        "contact_name": "周勇",
        "contact_phone": "13700001111",
        **({"unit": str(objects["enterprise_b"].unit_id)} if role == "province" else {}),
    }


ENTERPRISE_EDITORS = {"enterprise_a", "city_a", "province"}
FACTORY_EDITORS = {"enterprise_a", "city_a"}
# Pages that change an enterprise's data: the province may edit the profile but not factories.
FACTORY_EDIT = dict(ENTERPRISE_A_PAGE, province=FORBIDDEN)
ENTERPRISE_A_POST = dict(ENTERPRISE_A_PAGE, enterprise_a=REDIRECT, city_a=REDIRECT)
REVIEW = everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND)


def _status(objects):
    return Registration.objects.get(pk=objects["registration"].pk).status


MATRIX = {
    "home": [get({}, everyone(OK, anonymous=LOGIN))],
    "my_enterprise": [
        get({}, everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=REDIRECT, enterprise_b=REDIRECT))
    ],
    # The user guide: every logged-in role reads every chapter; a chapter that is none is 404.
    "guide": [get({}, everyone(OK, anonymous=LOGIN))],
    "guide_chapter": [
        get({"chapter": "guide_chapter"}, everyone(OK, anonymous=LOGIN)),
        get({"chapter": "no_chapter"}, everyone(NOT_FOUND, anonymous=LOGIN)),
    ],
    "accounts:login": [get({}, everyone(OK, **{r: REDIRECT for r in ROLES[1:]}))],
    "accounts:logout": [Case("post", {}, everyone(REDIRECT), writes=False)],
    "accounts:password_change": [
        get({}, everyone(OK, anonymous=LOGIN)),
        post(
            {},
            everyone(REDIRECT, anonymous=LOGIN),
            data=lambda o, role: {
                "old_password": "Secret#2026",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            allowed=LOGGED_IN,
            effect=_password_changed,
        ),
    ],
    "accounts:password_change_done": [get({}, everyone(OK, anonymous=LOGIN))],
    "accounts:password_reset": [
        get({}, everyone(OK)),
        Case(
            "post",
            {},
            everyone(REDIRECT),
            data=lambda o, role: {"email": "x@example.com"},
            writes=False,
        ),
    ],
    "accounts:password_reset_done": [get({}, everyone(OK))],
    "accounts:password_reset_confirm": [
        get({"uidb64": "reset_uid", "token": "reset_token"}, everyone(OK))
    ],
    "accounts:password_reset_complete": [get({}, everyone(OK))],
    "accounts:audit_log": [get({}, everyone(FORBIDDEN, anonymous=LOGIN, province=OK, admin=OK))],
    # A background export is its requester's alone: any other user, of any unit, finds nothing.
    "accounts:export": [get({"pk": "export_job_a"}, OWNER_ONLY)],
    "accounts:export_progress": [get({"pk": "export_job_a"}, OWNER_ONLY)],
    "accounts:export_download": [get({"pk": "export_job_a"}, OWNER_ONLY)],
    "registrations:register": [
        get({}, everyone(OK)),
        post(
            {},
            everyone(OK),
            data=_registration_form,
            allowed=ROLES,
            effect=lambda o, role: Registration.objects.filter(
                credit_code=make_credit_code(division="140100", org_body="MA0E0005")
            ).exists(),
        ),
    ],
    "registrations:list": [
        get({}, everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK, admin=OK))
    ],
    "registrations:detail": [
        get(
            {"pk": "registration"},
            everyone(
                FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=NOT_FOUND, province=OK, admin=OK
            ),
        )
    ],
    "registrations:approve": [
        post(
            {"pk": "registration"},
            REVIEW,
            data=lambda o, role: {},
            allowed={"city_a"},
            effect=lambda o, role: _status(o) == Registration.Status.APPROVED,
        )
    ],
    "registrations:reject": [
        post(
            {"pk": "registration"},
            REVIEW,
            data=lambda o, role: {"reason": "材料不全"},
            allowed={"city_a"},
            effect=lambda o, role: _status(o) == Registration.Status.REJECTED,
        )
    ],
    "enterprises:list": [get({}, OFFICERS_ONLY)],
    "enterprises:export": [get({}, OFFICERS_ONLY), export_post("enterprises")],
    "enterprises:create": [
        get({}, OFFICERS_ONLY),
        post(
            {},
            everyone(
                FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=REDIRECT, province=REDIRECT
            ),
            data=_new_enterprise,
            allowed={"city_a", "city_b", "province"},
            effect=lambda o, role: Enterprise.objects.filter(
                credit_code=NEW_ENTERPRISE_CODE
            ).exists(),
        ),
    ],
    "enterprises:detail": [get({"pk": "enterprise_a"}, ENTERPRISE_A_PAGE)],
    "enterprises:edit": [
        get({"pk": "enterprise_a"}, ENTERPRISE_A_PAGE),
        post(
            {"pk": "enterprise_a"},
            dict(ENTERPRISE_A_POST, province=REDIRECT),
            data=lambda o, role: page_form(
                o,
                role,
                ENTERPRISE_EDITORS,
                reverse("enterprises:edit", args=[o["enterprise_a"].pk]),
                form_id="enterprise-form",
                contact_name="王芳",
            ),
            allowed=ENTERPRISE_EDITORS,
            effect=lambda o, role: (
                Enterprise.objects.get(pk=o["enterprise_a"].pk).contact_name == "王芳"
            ),
        ),
    ],
    "enterprises:history": [get({"pk": "enterprise_a"}, ENTERPRISE_A_PAGE)],
    "enterprises:factory_create": [
        get({"pk": "enterprise_a"}, FACTORY_EDIT),
        post(
            {"pk": "enterprise_a"},
            dict(ENTERPRISE_A_POST, province=FORBIDDEN),
            data=lambda o, role: {"name": "晋华三厂", "location": "太原市万柏林区"},
            allowed=FACTORY_EDITORS,
            effect=lambda o, role: Factory.objects.filter(name="晋华三厂").exists(),
        ),
    ],
    "enterprises:factory_edit": [
        get({"pk": "factory_a"}, FACTORY_EDIT),
        post(
            {"pk": "factory_a"},
            dict(ENTERPRISE_A_POST, province=FORBIDDEN),
            data=lambda o, role: page_form(
                o,
                role,
                FACTORY_EDITORS,
                reverse("enterprises:factory_edit", args=[o["factory_a"].pk]),
                form_id="factory-form",
                location="太原市小店区",
            ),
            allowed=FACTORY_EDITORS,
            effect=lambda o, role: (
                Factory.objects.get(pk=o["factory_a"].pk).location == "太原市小店区"
            ),
        ),
    ],
    "set_language": [Case("post", {}, everyone(REDIRECT), writes=False)],
    "admin:index": [get({}, everyone(REDIRECT, admin=OK))],
}


APP_MODULES = [
    importlib.import_module(f"tests.{path.parent.name}.access")
    for path in sorted(Path(__file__).parent.glob("*/access.py"))
]
for module in APP_MODULES:
    assert not set(module.MATRIX) & set(MATRIX), f"{module.__name__} repeats a URL name"
    assert not set(module.OBJECTS) & set(OBJECTS), f"{module.__name__} repeats an object key"
    MATRIX.update(module.MATRIX)
    OBJECTS.update(module.OBJECTS)


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "admin":
                yield "admin:index"  # the admin site has its own staff check; one entry stands for it
                continue
            yield from _url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_is_in_the_matrix():
    assert set(_url_names()) == set(MATRIX)


def test_every_post_case_that_writes_says_who_may_and_what_changes():
    for name, cases in MATRIX.items():
        for case in cases:
            if case.method == "post" and case.writes:
                assert case.data and case.effect and case.allowed, name
                for role in case.allowed:
                    assert case.expected[role] in (OK, REDIRECT, 400), (name, role)


CASES = [
    (name, index, role)
    for name, cases in MATRIX.items()
    for index in range(len(cases))
    for role in ROLES
]


def _objects(users, enterprise_a, enterprise_b, factory_a, factory_b):
    def page(url, role):
        reader = Client()
        reader.force_login(users[role])
        return reader.get(url).content.decode()

    base = {
        "enterprise_a": enterprise_a,
        "enterprise_b": enterprise_b,
        "factory_a": factory_a,
        "factory_b": factory_b,
        "users": users,
        "page": page,
    }
    return Objects(OBJECTS, base)


@pytest.mark.parametrize(
    ("url_name", "index", "role"),
    CASES,
    ids=[f"{name}-{MATRIX[name][index].method}-{role}" for name, index, role in CASES],
)
def test_access(
    client, users, enterprise_a, enterprise_b, factory_a, factory_b, url_name, index, role
):
    case = MATRIX[url_name][index]
    objects = _objects(users, enterprise_a, enterprise_b, factory_a, factory_b)
    kwargs = {key: objects[source].pk for key, source in case.kwargs.items()}
    url = reverse(url_name, kwargs=kwargs)
    data = case.data(objects, role) if case.data else {}
    if role != "anonymous":
        client.force_login(users[role])
    counts, rows = row_counts(), database_rows()
    response = getattr(client, case.method)(url, data)
    want = case.expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == want, (url, role, response.status_code)
    if case.method == "get":
        assert row_counts() == counts, f"GET {url} as {role} wrote rows"
    elif case.writes and role in case.allowed:
        assert case.effect(objects, role), f"POST {url} as {role} did not make its change"
    elif case.writes:
        assert database_rows() == rows, f"POST {url} as {role} changed the database"
    if (role.endswith("_b") or role in ("expert", "admin")) and not case.echoes_input:
        # Nothing of unit A's enterprise reaches another unit, an expert or the operator.
        assert enterprise_a.name.encode() not in response.content
        assert enterprise_a.credit_code.encode() not in response.content
