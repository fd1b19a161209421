"""Who holds a role where: the people a notification or a reminder goes to, and the experts the
province can assign. Part of the permission layer, like the scope: only here is a role read."""

from .fields import parse_id
from .models import User
from .roles import Role


def _active():
    return User.objects.filter(is_active=True)


def enterprise_users(enterprise_id):
    return _active().filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id)


def enterprise_users_of_credit_code(credit_code):
    """The active accounts acting for the enterprise of ``credit_code`` (a value or an
    ``OuterRef``)."""
    return _active().filter(role=Role.ENTERPRISE, enterprise__credit_code=credit_code)


def enterprise_users_of(enterprises):
    """The active accounts acting for any of ``enterprises`` (ids or a queryset)."""
    return _active().filter(role=Role.ENTERPRISE, enterprise__in=enterprises)


def unit_officers(unit_id):
    return _active().filter(role=Role.CITY, unit_id=unit_id)


def unit_officers_of(units):
    """The active city officers of any of ``units`` (ids or a queryset)."""
    return _active().filter(role=Role.CITY, unit__in=units)


def province_officers():
    return _active().filter(role=Role.PROVINCE)


def experts():
    return _active().filter(role=Role.EXPERT).order_by("full_name", "username")


def expert(pk) -> User | None:
    """The active expert with this id (a posted choice), or None."""
    number = parse_id(pk)
    return None if number is None else experts().filter(pk=number).first()
