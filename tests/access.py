"""Vocabulary of the authorization matrix, shared by every app's ``tests/<app>/access.py``.

Each app's access module defines:
- ``MATRIX``: {url name: (method, {url kwarg: object key}, {role: expected})}
- optionally ``make_objects(objects: dict) -> None``: adds the objects its URLs name (keys must be
  unique across apps), created in unit A (太原) unless the key says otherwise.
Base objects always present: ``enterprise_a``, ``enterprise_b``, ``factory_a``, ``factory_b``,
and the users of every role under ``users``.
"""

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
# Refused methods answer 405 for every logged-in role.
NOT_ALLOWED = 405


def everyone(code, **overrides):
    return {role: overrides.get(role, code) for role in ROLES}


OFFICERS_ONLY = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK, admin=OK)
# A page about something of enterprise A (unit A): its own users, its city, the province.
ENTERPRISE_A_PAGE = everyone(
    NOT_FOUND, anonymous=LOGIN, expert=FORBIDDEN, enterprise_a=OK, city_a=OK, province=OK, admin=OK
)
