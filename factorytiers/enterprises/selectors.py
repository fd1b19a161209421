"""Reads of enterprises; every one starts from ``Enterprise.objects.visible_to(user)``."""

from collections.abc import Callable
from datetime import date

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from factorytiers.accounts import audit
from factorytiers.domain.maturity import level_name
from factorytiers.domain.tiers import TIERS, tier_rank
from factorytiers.reference.models import Region

from .models import Enterprise, Factory, TierRecognition


def enterprises_for(user, *, filters: dict | None = None) -> QuerySet[Enterprise]:
    filters = filters or {}
    qs = Enterprise.objects.visible_to(user).select_related("unit", "industry__parent")
    if q := (filters.get("q") or "").strip():
        # Credit codes are stored upper-case: a prefix of the normalised input, which the
        # code's pattern index serves on PostgreSQL (Django's ``*_like`` index of the column).
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
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


def enterprise_list(user, *, filters: dict, on: date) -> QuerySet[Enterprise]:
    """The enterprise list and its export: ``enterprises_for`` with each enterprise's tier in
    force on ``on`` and its counted maturity level of ``on``'s year, both filterable (``tier``:
    a tier or ``none``; ``level``: 0–5 or ``none``), in the same single query."""
    qs = with_tier_in_force(enterprises_for(user, filters=filters), on)
    if _level_of_year is not None:
        qs = _level_of_year(qs, on.year)
    if tier := filters.get("tier"):
        qs = (
            qs.filter(tier_in_force__isnull=True) if tier == NONE else qs.filter(tier_in_force=tier)
        )
    level = filters.get("level")
    if level == NONE:
        qs = qs.filter(counted_level__isnull=True)
    elif level not in (None, ""):
        qs = qs.filter(counted_level=int(level))
    return qs


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
