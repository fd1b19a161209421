"""The one scope: which rows a user may read, by role, from the paths each model declares.

The ladder is written here once:

- anonymous or inactive → nothing;
- a row that belongs to one user (``owner``) → only that user's rows, whatever the role;
- published rows (``everyone``) → every signed-in user;
- 省级管理员 → every row;
- 系统管理员 (the operator) → only the operator's records (``operator``: accounts, the audit
  log), never the business data;
- 市级管理员 → the rows of the officer's reporting unit (``unit`` path);
- 企业用户 → the rows of the user's enterprise (``enterprise`` path);
- 评审专家 → the rows of the applications assigned to the expert, while no conflict of interest
  is declared (``assignment`` path to the ExpertAssignment rows).

A model declares its paths as ``scope = ScopePaths(...)`` and uses ``ScopedQuerySet`` as its
manager, so ``Model.objects.visible_to(user)`` filters lists, counts, exports and searches, and
``in_scope(user, obj)`` (the rules predicate built on :func:`object_in_scope`) decides for one
object with the very same paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from factorytiers.reference.models import Region

from .roles import Role


@dataclass(frozen=True)
class ScopePaths:
    unit: str | None = None  # path to the reporting unit (Region) of the row
    enterprise: str | None = None  # path to the enterprise of the row
    assignment: str | None = None  # path to the expert assignments ("" on an assignment)
    owner: str | None = None  # path to the one user the row belongs to
    everyone: bool = False  # published: every signed-in user reads it
    operator: bool = False  # the operator's own records (accounts, audit log)


ALL = "all"
NONE = "none"


@dataclass(frozen=True)
class Grant:
    """What the ladder gives a user on a model: every row, no row, or rows where the field
    values at ``path`` equal ``values`` (several keyword pairs on one relation)."""

    kind: str  # ALL, NONE or "match"
    match: tuple[tuple[str, object], ...] = ()


def grant(user, paths: ScopePaths) -> Grant:
    if user is None or not user.is_authenticated or not user.is_active:
        return Grant(NONE)
    if paths.owner is not None:
        return Grant("match", ((paths.owner, user.pk),))
    if paths.everyone:
        return Grant(ALL)
    role = user.role
    if role == Role.PROVINCE:
        return Grant(ALL)
    if role == Role.ADMIN:
        return Grant(ALL if paths.operator else NONE)
    if role == Role.CITY and user.unit_id and paths.unit is not None:
        return Grant("match", ((paths.unit, user.unit_id),))
    if role == Role.ENTERPRISE and user.enterprise_id and paths.enterprise is not None:
        return Grant("match", ((paths.enterprise, user.enterprise_id),))
    if role == Role.EXPERT and paths.assignment is not None:
        prefix = f"{paths.assignment}__" if paths.assignment else ""
        return Grant("match", ((f"{prefix}expert", user.pk), (f"{prefix}has_conflict", False)))
    return Grant(NONE)


def scope_q(user, paths: ScopePaths) -> Q | None:
    """The filter of the user's rows; None when there are none."""
    given = grant(user, paths)
    if given.kind == NONE:
        return None
    return Q(**dict(given.match))


class ScopedQuerySet(models.QuerySet):
    """The manager of every business model: ``visible_to(user)`` is the start of every read."""

    def visible_to(self, user):
        q = scope_q(user, self.model.scope)
        return self.none() if q is None else self.filter(q)


def _value_at(obj, path: str):
    """The value a filter on ``path`` compares, read from a loaded object (``unit`` → the
    object's ``unit_id``, ``factory__enterprise__unit`` → ``factory.enterprise.unit_id``)."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    field = obj._meta.get_field(last)
    return getattr(obj, field.attname)


def object_in_scope(user, obj) -> bool:
    """Whether ``obj`` is one of the rows ``visible_to(user)`` would give (the same ladder).

    Paths along a foreign key are read from the object; a path through a reverse relation
    (an expert's assignments) asks the database."""
    if obj is None:
        return False
    given = grant(user, type(obj).scope)
    if given.kind != "match":
        return given.kind == ALL
    if obj.pk is not None and any(_is_reverse(type(obj), path) for path, _v in given.match):
        return type(obj).objects.filter(pk=obj.pk).filter(**dict(given.match)).exists()
    return all(_value_at(obj, path) == value for path, value in given.match)


def _is_reverse(model, path: str) -> bool:
    for hop in path.split("__")[:-1]:
        field = model._meta.get_field(hop)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


# Reporting units (reference data) as a user's work scope: a city officer's own, or all.
REPORTING_UNITS = ScopePaths(unit="pk")


def reporting_units_for(user):
    units = Region.objects.filter(is_reporting_unit=True).order_by("code")
    q = scope_q(user, REPORTING_UNITS)
    return units.none() if q is None else units.filter(q)
