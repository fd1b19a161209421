"""Every URL × every role (and two units): allowed, forbidden (403), not found (404) or log-in.

Objects in the URLs belong to unit A (太原). A user of unit B must get 404 for them — never the
data, never a 500. A URL missing from MATRIX fails ``test_every_url_is_in_the_matrix``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from factorytiers.accounts.models import Registration
from factorytiers.domain.credit_code import make_credit_code

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


def everyone(code, **overrides):
    return {role: overrides.get(role, code) for role in ROLES}


OFFICERS_ONLY = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK, admin=OK)
ENTERPRISE_A_PAGE = everyone(
    NOT_FOUND, anonymous=LOGIN, expert=FORBIDDEN, enterprise_a=OK, city_a=OK, province=OK, admin=OK
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
def test_access(client, users, enterprise_a, factory_a, url_name, role):
    method, kwarg_sources, expected = MATRIX[url_name]
    objects = {"enterprise_a": enterprise_a, "factory_a": factory_a}
    if "registration" in kwarg_sources.values():
        objects["registration"] = _registration(objects)
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
