"""Reads of enterprises; every one starts from ``Enterprise.objects.visible_to(user)``."""

import re
from collections.abc import Callable
from datetime import date

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from factorytiers.accounts import audit
from factorytiers.accounts.scope import grant
from factorytiers.domain.maturity import level_name
from factorytiers.domain.tiers import TIERS, tier_rank
from factorytiers.reference.models import Region

from .models import Enterprise, Factory, TierRecognition


class NameHasPair(Func):
    """PostgreSQL: whether the enterprise's name holds ``pair`` (two characters, any case),
    asked as “its upper-cased two-character pieces hold the upper-cased pair” so that the GIN
    index of migration 0006 serves it; the same rows as ``name__icontains=pair``."""

    output_field = BooleanField()

    def __init__(self, pair: str):
        super().__init__(F("name"))
        self.pair = pair

    def as_sql(self, compiler, connection, **extra_context):
        name, params = compiler.compile(self.source_expressions[0])
        sql = f"enterprise_name_bigrams(UPPER({name}::text)) @> ARRAY[UPPER(%s)]"
        return sql, (*params, self.pair)


# A credit code is 18 digits and upper-case letters (stored upper-case): a search holding any
# other character, or longer, is no prefix of one.
_CODE_PREFIX = re.compile(r"[0-9A-Z]{1,18}")


def _search(q: str) -> Q:
    """The enterprises whose name holds ``q`` (any case) or whose credit code starts with it.

    On PostgreSQL each half has its index: the credit code's pattern index (Django's
    ``*_like`` index of the column) serves the prefix; the name's ``icontains`` is served by
    the trigram index on UPPER(name) (migration 0005) from three characters on, and two
    characters by the index of the name's pairs (0006). A search that cannot be the start of a
    code (Chinese characters, say) asks the name only: the same rows, and no OR for the
    database to recheck row by row."""
    code = q.upper()
    if len(q) == 2 and connection.vendor == "postgresql":
        in_name = Q(NameHasPair(q))
    else:
        in_name = Q(name__icontains=q)
    if _CODE_PREFIX.fullmatch(code):
        return Q(credit_code__startswith=code) | in_name
    return in_name


def enterprises_for(user, *, filters: dict | None = None) -> QuerySet[Enterprise]:
    filters = filters or {}
    qs = Enterprise.objects.visible_to(user).select_related("unit", "industry__parent")
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(_search(q))
    if unit := filters.get("unit"):
        qs = qs.filter(unit=unit)
    for field in ("sector", "size_class", "nature"):
        if value := filters.get(field):
            qs = qs.filter(**{field: value})
    if (above := filters.get("above_scale")) in ("0", "1"):
        qs = qs.filter(is_above_scale=above == "1")
    return qs


# ---------------------------------------------------------------- the list's tier and level
NONE = "none"  # the filter value of “no tier in force” / “not assessed”

# This year's maturity level comes from the assessments app, which sits above this one: it hands
# over its annotation when Django starts (``AssessmentsConfig.ready``), so nothing here imports
# it. ``annotate(enterprises, year)`` adds ``counted_level`` (0–5; None when not assessed).
_level_of_year: Callable[[QuerySet, int], QuerySet] | None = None


def provide_level_of_year(annotate: Callable[[QuerySet, int], QuerySet]) -> None:
    global _level_of_year
    _level_of_year = annotate


def with_tier_in_force(enterprises: QuerySet[Enterprise], on: date) -> QuerySet[Enterprise]:
    """``tier_in_force``: the highest tier in force on ``on`` among the enterprise's
    factories (from their tier history), or None; one correlated subquery."""
    rank = Case(
        *(When(tier=tier.value, then=Value(n)) for n, tier in enumerate(TIERS)),
        output_field=IntegerField(),
    )
    held = (
        TierRecognition.objects.in_force(on)
        .filter(factory__enterprise=OuterRef("pk"), tier__in=TIERS)
        .annotate(rank=rank)
        .order_by("-rank")
        .values("tier")[:1]
    )
    return enterprises.annotate(tier_in_force=Subquery(held))


def enterprise_list(
    user, *, filters: dict, on: date, annotate: bool = True
) -> QuerySet[Enterprise]:
    """The enterprise list and its export: ``enterprises_for`` with each enterprise's tier in
    force on ``on`` and its counted maturity level of ``on``'s year, both filterable (``tier``:
    a tier or ``none``; ``level``: 0–5 or ``none``), in the same single query. With
    ``annotate=False`` only the filters that ask for them join the tier or the level."""
    qs = enterprises_for(user, filters=filters)
    tier, level = filters.get("tier"), filters.get("level")
    if annotate or tier:
        qs = with_tier_in_force(qs, on)
    if _level_of_year is not None and (annotate or level not in (None, "")):
        qs = _level_of_year(qs, on.year)
    if tier:
        qs = (
            qs.filter(tier_in_force__isnull=True) if tier == NONE else qs.filter(tier_in_force=tier)
        )
    if level == NONE:
        qs = qs.filter(counted_level__isnull=True)
    elif level not in (None, ""):
        qs = qs.filter(counted_level=int(level))
    return qs


# The list's order: by unit (its code), then name; the primary key breaks ties between equal
# names so that a row never shows on two pages. Within one unit the unit's code is the same on
# every row, so the order is the name's, which the (unit, name, id) index gives as it is.
LIST_ORDER = ("unit__code", "name", "pk")
ONE_UNIT_ORDER = ("name", "pk")


def one_unit(user, filters: dict) -> bool:
    """Whether every row the user's list can hold is of one reporting unit (a city officer,
    or any officer filtering by a unit)."""
    if filters.get("unit"):
        return True
    given = grant(user, Enterprise.scope)
    return given.kind == "match" and any(path == "unit" for path, _value in given.match)


def page_keys(user, *, filters: dict, on: date) -> QuerySet:
    """The keys of the enterprise list, filtered and in the list's order, with nothing joined
    that no filter needs: what the pager counts and cuts its page from."""
    order = ONE_UNIT_ORDER if one_unit(user, filters) else LIST_ORDER
    return (
        enterprise_list(user, filters=filters, on=on, annotate=False).order_by(*order).values("pk")
    )


def enterprise_page(user, *, filters: dict, on: date, number, per_page: int = 50) -> Page:
    """One page of the enterprise list, in two statements whatever the size of the list.

    The count and the choice of the page read ``page_keys`` (the filtered enterprises alone),
    so PostgreSQL counts on an index and takes a unit's page from the (unit, name, id) index;
    then only the page's rows are read with their unit, industry, tier in force and counted
    level, the choice being their subquery (``pk IN (… LIMIT 50)``). The same rows in the same
    order as ``enterprise_list`` in ``LIST_ORDER`` cut into pages."""
    page = Paginator(page_keys(user, filters=filters, on=on), per_page).get_page(number)
    rows = Enterprise.objects.filter(pk__in=page.object_list).select_related(
        "unit", "industry__parent"
    )
    page.object_list = list(_with_tier_and_level(rows, on).order_by(*LIST_ORDER))
    return page


def _with_tier_and_level(enterprises: QuerySet[Enterprise], on: date) -> QuerySet[Enterprise]:
    enterprises = with_tier_in_force(enterprises, on)
    return enterprises if _level_of_year is None else _level_of_year(enterprises, on.year)


def level_label(level: int | None) -> str:
    return level_name(level) if level is not None else "未评估"


def enterprise_for(user, pk: int) -> Enterprise:
    """One enterprise in the user's scope; Http404 otherwise (never a hint that it exists)."""
    return get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("unit", "industry__parent__parent"),
        pk=pk,
    )


def factory_for(user, pk: int) -> Factory:
    return get_object_or_404(
        Factory.objects.visible_to(user).select_related("enterprise__unit", "country"), pk=pk
    )


def unit_summary(user) -> list[dict]:
    """Enterprise counts per reporting unit in the user's scope (home pages)."""
    rows = (
        Enterprise.objects.visible_to(user)
        .values("unit_id")
        .annotate(total=Count("id"), above_scale=Count("id", filter=Q(is_above_scale=True)))
    )
    by_unit = {row["unit_id"]: row for row in rows}
    units = Region.objects.filter(pk__in=by_unit).order_by("code")
    return [
        {
            "unit": unit,
            "total": by_unit[unit.pk]["total"],
            "above_scale": by_unit[unit.pk]["above_scale"],
        }
        for unit in units
    ]


def history_rows(enterprise: Enterprise, limit: int = 200) -> list[dict]:
    """The enterprise's saved versions, newest first, each with what changed from the one
    before, in the reader's words. One extra record is read so the oldest shown can be diffed
    too; diffs come from neighbours in this list, not from a query per row."""
    records = list(
        enterprise.history.select_related("history_user").order_by("-history_date", "-pk")[
            : limit + 1
        ]
    )
    rows = []
    for record, previous in zip(records[:limit], [*records[1:], None], strict=False):
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field == "version":
                    continue
                field = Enterprise._meta.get_field(change.field)
                changes.append(
                    (
                        field.verbose_name,
                        audit.words(change.old, field),
                        audit.words(change.new, field),
                    )
                )
        rows.append({"record": record, "changes": changes})
    return rows


def tier_in_force(factory_id: int, on) -> str | None:
    """The factory's one tier in force on the day ``on`` (the highest, should the history hold
    more than one), or None."""
    tiers = set(
        TierRecognition.objects.in_force(on)
        .filter(factory_id=factory_id, tier__in=TIERS)
        .values_list("tier", flat=True)
    )
    return max(tiers, key=tier_rank) if tiers else None


def registry_imports(user, limit: int = 10):
    from .models import RegistryImport

    return RegistryImport.objects.visible_to(user).select_related("requested_by")[:limit]
