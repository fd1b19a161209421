"""Every URL × every role (and two units): allowed, forbidden (403), not found (404) or log-in.

Objects in the URLs belong to unit A (太原). A user of unit B must get 404 for them — never the
data, never a 500. The matrix is this file's entries plus every ``tests/<app>/access.py``; a URL
missing from it fails ``test_every_url_is_in_the_matrix``.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factorytiers.accounts.models import Registration
from factorytiers.domain.credit_code import make_credit_code
from tests.access import (
    ENTERPRISE_A_PAGE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICERS_ONLY,
    OK,
    REDIRECT,
    ROLES,
    everyone,
)


def make_objects(objects):
    objects["registration"] = _registration(objects)


def _registration(objects):
    code = make_credit_code(division="140100", org_body="MA0C0003")
    return Registration.objects.create(
        credit_code=code,
        enterprise_name="待审核企业有限公司",
        unit=objects["enterprise_a"].unit,
        contact_name="李强",
        contact_phone="13812345678",
        username="pending_user",
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


# Pages that change an enterprise's data: the province may edit the profile but not factories.
FACTORY_EDIT = dict(ENTERPRISE_A_PAGE, province=FORBIDDEN)

# url name: (method, kwargs from the objects, expected per role)
MATRIX = {
    "home": ("get", {}, everyone(OK, anonymous=LOGIN)),
    "my_enterprise": (
        "get",
        {},
        everyone(
            FORBIDDEN,
            anonymous=LOGIN,
            enterprise_a=REDIRECT,
            enterprise_b=REDIRECT,
            admin=NOT_FOUND,
        ),
    ),
    "accounts:login": ("get", {}, everyone(OK, **{r: REDIRECT for r in ROLES[1:]})),
    "accounts:logout": ("post", {}, everyone(REDIRECT)),
    "accounts:register": ("get", {}, everyone(OK)),
    "accounts:registrations": ("get", {}, OFFICERS_ONLY),
    "accounts:approve": (
        "post",
        {"pk": "registration"},
        everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND, admin=REDIRECT),
    ),
    "accounts:reject": (
        "post",
        {"pk": "registration"},
        everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND, admin=REDIRECT),
    ),
    "accounts:audit_log": ("get", {}, everyone(FORBIDDEN, anonymous=LOGIN, province=OK, admin=OK)),
    "enterprises:list": ("get", {}, OFFICERS_ONLY),
    "enterprises:export": ("get", {}, OFFICERS_ONLY),
    "enterprises:create": ("get", {}, OFFICERS_ONLY),
    "enterprises:detail": ("get", {"pk": "enterprise_a"}, ENTERPRISE_A_PAGE),
    "enterprises:edit": ("get", {"pk": "enterprise_a"}, ENTERPRISE_A_PAGE),
    "enterprises:history": ("get", {"pk": "enterprise_a"}, ENTERPRISE_A_PAGE),
    "enterprises:factory_create": ("get", {"pk": "enterprise_a"}, FACTORY_EDIT),
    "enterprises:factory_edit": ("get", {"pk": "factory_a"}, FACTORY_EDIT),
    "set_language": ("post", {}, everyone(REDIRECT)),
    "admin:index": ("get", {}, everyone(REDIRECT, admin=OK)),
}


APP_MODULES = [
    importlib.import_module(f"tests.{path.parent.name}.access")
    for path in sorted(Path(__file__).parent.glob("*/access.py"))
]
OBJECT_MAKERS = [make_objects] + [m.make_objects for m in APP_MODULES if hasattr(m, "make_objects")]
for module in APP_MODULES:
    assert not set(module.MATRIX) & set(MATRIX), f"{module.__name__} repeats a URL name"
    MATRIX.update(module.MATRIX)


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


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_access(client, users, enterprise_a, enterprise_b, factory_a, factory_b, url_name, role):
    method, kwarg_sources, expected = MATRIX[url_name]
    objects = {
        "enterprise_a": enterprise_a,
        "enterprise_b": enterprise_b,
        "factory_a": factory_a,
        "factory_b": factory_b,
        "users": users,
    }
    for maker in OBJECT_MAKERS:
        maker(objects)
    kwargs = {key: objects[source].pk for key, source in kwarg_sources.items()}
    url = reverse(url_name, kwargs=kwargs)
    if role != "anonymous":
        client.force_login(users[role])
    data = {"reason": "材料不全"} if url_name == "accounts:reject" else {}
    response = getattr(client, method)(url, data)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == want, (url, role, response.status_code)
    if role.endswith("_b") or role == "expert":
        # Nothing of unit A's enterprise reaches another unit or an expert, whatever the answer.
        assert enterprise_a.name.encode() not in response.content
        assert enterprise_a.credit_code.encode() not in response.content
