"""Permission predicates (django-rules): who a user is, and whether an object is theirs.

Every view, export and download asks ``require(user, "<app>.<perm>", obj)`` or reads through
the model's ``visible_to(user)``. Object rules combine a role with ``in_scope``, which applies
the one ladder of :mod:`factorytiers.accounts.scope` to the object, so a rule and a list never
disagree about which rows are a user's. The operator (系统管理员) passes a rule only where the
rule names ``is_admin``: being a Django superuser grants nothing here.
"""

import rules
from django.core.exceptions import PermissionDenied

from .roles import Role
from .scope import object_in_scope


def _role(role: str):
    @rules.predicate(name=f"is_{role}")
    def has_role(user) -> bool:
        return user.is_authenticated and user.is_active and user.role == role

    return has_role


is_enterprise_user = _role(Role.ENTERPRISE) & rules.predicate(
    lambda user: user.enterprise_id is not None
)
is_city_officer = _role(Role.CITY) & rules.predicate(lambda user: user.unit_id is not None)
is_province_officer = _role(Role.PROVINCE)
is_expert = _role(Role.EXPERT)
is_admin = _role(Role.ADMIN)


@rules.predicate
def in_scope(user, obj) -> bool:
    """The object is one of the rows ``visible_to(user)`` gives for its model."""
    return object_in_scope(user, obj)


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless ``user`` has ``perm`` (on ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
