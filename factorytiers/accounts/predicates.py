"""Permission predicates (django-rules): who a user is, and where an object belongs.

Every view, export and download asks ``require(user, "<app>.<perm>", obj)`` or filters with the
model's ``visible_to(user)``; both are defined from these predicates and the scopes below.
"""

import rules
from django.core.exceptions import PermissionDenied

from .models import Role


@rules.predicate
def is_enterprise_user(user) -> bool:
    return user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id is not None


@rules.predicate
def is_city_officer(user) -> bool:
    return user.is_authenticated and user.role == Role.CITY and user.unit_id is not None


@rules.predicate
def is_province_officer(user) -> bool:
    return user.is_authenticated and user.role == Role.PROVINCE


@rules.predicate
def is_expert(user) -> bool:
    return user.is_authenticated and user.role == Role.EXPERT


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)


@rules.predicate
def in_same_unit(user, obj) -> bool:
    """The object's reporting unit is the officer's unit (objects expose ``unit_id``)."""
    return obj is not None and user.unit_id is not None and obj.unit_id == user.unit_id


@rules.predicate
def is_own_enterprise(user, obj) -> bool:
    """The object is, or belongs to, the user's enterprise (objects expose ``enterprise_id``)."""
    if obj is None or user.enterprise_id is None:
        return False
    return getattr(obj, "enterprise_id", None) == user.enterprise_id


is_officer = is_city_officer | is_province_officer
is_staff_like = is_province_officer | is_admin


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless ``user`` has ``perm`` (on ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
