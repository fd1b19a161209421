"""Reads of the maturity self-assessment; every one starts from a ``visible_to(user)`` scope.

The counted result
------------------
"One assessment per enterprise per year counts (the latest submitted)": for a year, an
enterprise's counted result is the latest of its submitted in-product assessments of that year and
its national-platform results of that year, by date (submission date, or the platform's assessment
date); on the same date the later recorded one wins. ``with_counted_result`` annotates any
enterprise queryset with it, in the same single SQL query: one LEFT JOIN on ``CountedResult``
(kept current by every write, see ``counted.py``); with ``as_of`` it is computed from the
results themselves (``counted.live_counted``, served by the indexes ``assessment_counted_idx``
and ``unique_platform_result``):

==============================  =====================================================
``counted_source``              "assessment", "platform", or None (nothing counted)
``counted_score``               Decimal, two places
``counted_level``               0 (未达一级) … 5
``counted_on``                  date of the counted result
``counted_assessment_id``       the Assessment, when the source is "assessment"
``counted_platform_result_id``  the PlatformResult, when the source is "platform"
==============================  =====================================================

``counted_assessments(user, year)`` is that queryset over the user's enterprises, narrowed to
those with a counted result: the statistics read it (one row per enterprise, its attributes
selected along), so every figure and its list of enterprises come from the same scope.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from factorytiers.accounts.scope import ALL, grant
from factorytiers.domain.statistics import MAX_LEVEL, PENETRATION_MIN_LEVEL, score_at
from factorytiers.enterprises.models import Enterprise
from factorytiers.enterprises.selectors import (
    LIST_ORDER,
    ONE_UNIT_ORDER,
    enterprises_for,
    one_unit,
)
from factorytiers.reference.models import Region

from .counted import SOURCE_ASSESSMENT, SOURCE_PLATFORM, ScoreField, live_counted
from .models import (
    Assessment,
    CountedResult,
    GroupTally,
    LevelTally,
    MaturityModelEdition,
    PlatformResult,
    ScoreTally,
)

SOURCE_LABELS = {SOURCE_ASSESSMENT: _("系统内自评估"), SOURCE_PLATFORM: _("国家平台结果")}
MIN_PEERS = 5  # comparisons are shown only over at least this many enterprises


def assessment_for(user, pk: int) -> Assessment:
    """One assessment in the user's scope; Http404 otherwise."""
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related(
            "enterprise__unit", "enterprise__industry__parent__parent", "edition", "submitted_by"
        ),
        pk=pk,
    )


def platform_result_for(user, pk: int) -> PlatformResult:
    return get_object_or_404(
        PlatformResult.objects.visible_to(user).select_related("enterprise__unit"), pk=pk
    )


def edition_for(pk: int) -> MaturityModelEdition:
    return get_object_or_404(MaturityModelEdition, pk=pk)


def assessments_of(user, enterprise_id: int) -> QuerySet[Assessment]:
    return (
        Assessment.objects.visible_to(user)
        .filter(enterprise_id=enterprise_id)
        .select_related("edition")
        .order_by("-year", "-created_at", "-pk")
    )


def platform_results_of(user, enterprise_id: int) -> QuerySet[PlatformResult]:
    return (
        PlatformResult.objects.visible_to(user)
        .filter(enterprise_id=enterprise_id)
        .select_related("entered_by")
        .order_by("-year", "-assessed_on", "-pk")
    )


# --------------------------------------------------------------------------------------------
# The counted result
# --------------------------------------------------------------------------------------------


def with_counted_result(
    enterprises: QuerySet[Enterprise], year: int, *, as_of: date | None = None
) -> QuerySet[Enterprise]:
    """``enterprises`` annotated with the counted result of ``year`` (see the module docstring);
    with ``as_of``, the counted result as it stood on that day (results dated up to it)."""
    if as_of is not None:
        return live_counted(enterprises, year, as_of=as_of)
    return enterprises.annotate(
        counted_row=FilteredRelation("counted_results", condition=Q(counted_results__year=year)),
        counted_source=F("counted_row__source"),
        counted_score=ExpressionWrapper(
            F("counted_row__score"), output_field=ScoreField(max_digits=4, decimal_places=2)
        ),
        counted_level=F("counted_row__level"),
        counted_on=F("counted_row__counted_on"),
        counted_assessment_id=F("counted_row__assessment_id"),
        counted_platform_result_id=F("counted_row__platform_result_id"),
    )


COUNTED_VALUES = ("counted_source", "counted_score", "counted_level", "counted_on")


def counted_values_as_of(
    enterprises: QuerySet[Enterprise], year: int, as_of: date, *fields: str
) -> Iterator[dict]:
    """The ``fields`` of each of ``enterprises`` with its counted result of ``year`` as it stood
    on ``as_of`` (``COUNTED_VALUES``), as ``with_counted_result(…, as_of=…)`` gives it, in no
    order. A kept result dated by ``as_of`` is that day's result too: it is the year's latest
    (each kind's latest loses only to a later result of the other kind), so no result of the
    year is dated after it. Only the enterprises whose kept result is later are recomputed from
    the results dated by then: a report's 截至 date is seldom before most results."""
    names = (*fields, *COUNTED_VALUES)
    kept = with_counted_result(enterprises.order_by(), year).filter(
        Q(counted_on__isnull=True) | Q(counted_on__lte=as_of)
    )
    later = enterprises.order_by().filter(
        pk__in=CountedResult.objects.filter(year=year, counted_on__gt=as_of).values("enterprise")
    )
    # One statement (one snapshot): a result written meanwhile cannot put an enterprise in
    # both halves or in neither.
    both = kept.values(*names).union(
        with_counted_result(later, year, as_of=as_of).values(*names), all=True
    )
    return both.iterator(chunk_size=5000)


def counted_assessments(user, year: int) -> QuerySet[Enterprise]:
    """Per enterprise in the user's scope, its counted result of ``year`` (one row each; only
    enterprises that have one). Unit, industry (小类 → 中类 → 大类) are selected along."""
    enterprises = Enterprise.objects.visible_to(user).select_related(
        "unit", "industry__parent__parent"
    )
    return with_counted_result(enterprises, year).filter(counted_source__isnull=False)


# --------------------------------------------------------------------------------------------
# Comparison with peers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerGroup:
    key: str  # unit / sector / division
    label: str  # 所在地市 / 所属行业 / 行业大类
    name: str  # 太原市 / 装备制造 / 35 专用设备制造业
    shown: bool  # at least MIN_PEERS enterprises with a counted result
    count: int
    mean: Decimal | None
    median: Decimal | None
    low: Decimal | None  # lower quartile: the spread without exposing any one peer's score
    high: Decimal | None  # upper quartile


def peer_comparison(enterprise: Enterprise, year: int, *, kept: bool = True) -> list[PeerGroup]:
    """Mean, median and interquartile range of the counted scores of ``year`` among the enterprises of the
    same unit, sector and industry 大类, each only where ``MIN_PEERS`` or more have one.

    Peers are all enterprises of the group, whoever asks (only the figures leave this function,
    never a peer), the enterprise itself included. The scores are read as counts per score from
    the kept ``ScoreTally`` (``kept=False``: listed from the counted results, the reference the
    tests compare), and the figures taken off the counts as off the sorted list.
    """
    division = enterprise.industry.parent.parent
    groups = [
        ("unit", _("所在地市"), enterprise.unit.name, Q(unit_id=enterprise.unit_id)),
        ("sector", _("所属行业"), enterprise.sector, Q(sector=enterprise.sector)),
        (
            "division",
            _("行业大类"),
            f"{division.code} {division.name}",
            Q(industry__parent__parent_id=division.pk),
        ),
    ]
    counted = with_counted_result(Enterprise.objects.order_by(), year).filter(
        counted_source__isnull=False
    )
    kept_where = {
        "unit": Q(unit_id=enterprise.unit_id),
        "sector": Q(sector=enterprise.sector),
        "division": Q(division_id=division.pk),
    }
    result = []
    for key, label, name, condition in groups:
        if kept:
            rows = (
                ScoreTally.objects.filter(kept_where[key], year=year)
                .values("score_hundredths")
                .annotate(n=Sum("enterprises"))
                .filter(n__gt=0)
                .order_by("score_hundredths")
            )
            scores = _Sorted([(Decimal(r["score_hundredths"]).scaleb(-2), r["n"]) for r in rows])
        else:
            scores = sorted(counted.filter(condition).values_list("counted_score", flat=True))
        shown = len(scores) >= MIN_PEERS
        quartiles = _quartiles(scores) if shown else None
        result.append(
            PeerGroup(
                key=key,
                label=label,
                name=name,
                shown=shown,
                count=len(scores) if shown else 0,
                mean=_two(_total(scores) / len(scores)) if shown else None,
                median=_two(_median(scores)) if shown else None,
                low=_two(quartiles[0]) if shown else None,
                high=_two(quartiles[2]) if shown else None,
            )
        )
    return result


class _Sorted(Sequence):
    """Sorted scores held as (score, how many) pairs, read as the sorted list they stand for."""

    def __init__(self, counts: list[tuple[Decimal, int]]):
        self._counts = counts
        self._length = sum(n for _score, n in counts)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice) or not 0 <= index < self._length:
            raise IndexError(index)
        return score_at(self._counts, index)

    def __iter__(self):
        for score, n in self._counts:
            for _copy in range(n):
                yield score


def _quartiles(scores: Sequence[Decimal]) -> list[Decimal]:
    """``statistics.quantiles(scores, n=4, method="inclusive")`` of sorted ``scores``, reading
    only the items it needs (its formula, written out)."""
    m = len(scores) - 1
    result = []
    for i in range(1, 4):
        j, delta = divmod(i * m, 4)
        following = scores[j + 1] if delta else scores[j]
        result.append((scores[j] * (4 - delta) + following * delta) / 4)
    return result


def _median(scores: Sequence[Decimal]) -> Decimal:
    middle = len(scores) // 2
    if len(scores) % 2:
        return scores[middle]
    return (scores[middle - 1] + scores[middle]) / 2


def _total(scores: Sequence[Decimal]) -> Decimal:
    if isinstance(scores, _Sorted):
        return sum((score * n for score, n in scores._counts), Decimal(0))
    return sum(scores, Decimal(0))


def _two(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def earlier_results(user, enterprise_id: int, year: int) -> list[dict]:
    """The counted result of every year before ``year`` (newest first), from one query each
    for assessments and platform results."""
    years = set(
        Assessment.objects.visible_to(user)
        .filter(enterprise_id=enterprise_id, year__lt=year, status=Assessment.Status.SUBMITTED)
        .values_list("year", flat=True)
    ) | set(
        PlatformResult.objects.visible_to(user)
        .filter(enterprise_id=enterprise_id, year__lt=year)
        .values_list("year", flat=True)
    )
    rows = []
    for past in sorted(years, reverse=True):
        row = (
            with_counted_result(Enterprise.objects.visible_to(user), past)
            .filter(pk=enterprise_id)
            .values(
                "counted_source",
                "counted_score",
                "counted_level",
                "counted_on",
                "counted_assessment_id",
            )
            .first()
        )
        if row and row["counted_source"]:
            rows.append({"year": past, **row, "source_label": SOURCE_LABELS[row["counted_source"]]})
    return rows


# --------------------------------------------------------------------------------------------
# Who has assessed, who has not (city and province)
# --------------------------------------------------------------------------------------------

STATUS_ASSESSED = "assessed"
STATUS_NOT_ASSESSED = "not_assessed"
STATUS_IN_PROGRESS = "in_progress"


def overview_rows(user, year: int, filters: dict) -> QuerySet[Enterprise]:
    """Enterprises of the user's scope (filtered by unit, sector, size, 规上) with their counted
    result and whether a draft of the year is open; ``status`` and ``level`` filter further."""
    drafts = Assessment.objects.filter(
        enterprise=OuterRef("pk"), year=year, status=Assessment.Status.DRAFT
    )
    qs = with_counted_result(enterprises_for(user, filters=filters), year).annotate(
        has_draft=Exists(drafts)
    )
    status = filters.get("status")
    if status == STATUS_ASSESSED:
        qs = qs.filter(counted_source__isnull=False)
    elif status == STATUS_NOT_ASSESSED:
        qs = qs.filter(counted_source__isnull=True)
    elif status == STATUS_IN_PROGRESS:
        qs = qs.filter(counted_source__isnull=True, has_draft=True)
    level = filters.get("level")
    if level not in (None, ""):
        qs = qs.filter(counted_level=int(level))
    return qs


def overview_page(user, year: int, filters: dict, number, per_page: int = 50) -> Page:
    """One page of ``overview_rows`` in the list's order (unit, name, id), in two statements
    whatever the number of enterprises: the pager counts and cuts its page from the filtered
    enterprises alone (the counted result joined only when the status or level filter asks for
    it), as the enterprise list does (``enterprises.selectors.enterprise_page``); then only the
    page's rows are read with their counted result and open draft."""
    keys = enterprises_for(user, filters=filters)
    if filters.get("status") or filters.get("level") not in (None, ""):
        keys = overview_rows(user, year, filters)
    order = ONE_UNIT_ORDER if one_unit(user, filters) else LIST_ORDER
    page = Paginator(keys.order_by(*order).values("pk"), per_page).get_page(number)
    rows = overview_rows(user, year, {}).filter(pk__in=page.object_list).select_related("unit")
    page.object_list = list(rows.order_by(*LIST_ORDER))
    return page


# The overview's filters the kept counts can answer (unit, sector, 规上); any other one (a search,
# size, nature) is counted over the enterprises themselves.
KEPT_FILTERS = frozenset({"unit", "sector", "above_scale", "status", "level"})


def overview_summary(
    user, year: int, filters: dict, *, max_level: int = 5, kept: bool = True
) -> dict:
    """Counts for the overview (before the status and level filters): enterprises, assessed,
    not assessed, in progress, 规上 and 规上 assessed, per level; and per unit. Summed from the
    kept counts (``tallies``) when the user reads whole units and the filters allow it
    (``kept=False``: always counted over the enterprises, the reference the tests compare)."""
    if kept:
        summary = _summary_from_tallies(user, year, filters, max_level)
        if summary is not None:
            return summary
    base = overview_rows(
        user, year, {k: v for k, v in filters.items() if k not in ("status", "level")}
    )
    assessed = Q(counted_source__isnull=False)
    above = Q(is_above_scale=True)
    measures = {
        "total": Count("pk"),
        "assessed": Count("pk", filter=assessed),
        "not_assessed": Count("pk", filter=~assessed),
        "in_progress": Count("pk", filter=~assessed & Q(has_draft=True)),
        "above_scale": Count("pk", filter=above),
        "above_scale_assessed": Count("pk", filter=above & assessed),
        **{f"level_{n}": Count("pk", filter=Q(counted_level=n)) for n in range(max_level + 1)},
    }
    totals = base.order_by().aggregate(**measures)
    per_unit = list(
        base.order_by()
        .values("unit_id", "unit__name", "unit__code")
        .annotate(**measures)
        .order_by("unit__code")
    )
    return _finish(totals, per_unit, max_level)


def _finish(totals: dict, per_unit: list[dict], max_level: int) -> dict:
    for row in [totals, *per_unit]:
        row["levels"] = [row.pop(f"level_{n}") for n in range(max_level + 1)]
        row["coverage"] = (
            (Decimal(row["above_scale_assessed"] * 100) / row["above_scale"]).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            if row["above_scale"]
            else None
        )
    return {"totals": totals, "per_unit": per_unit}


def kept_unit_ids(user) -> list[int] | None:
    """The units whose every enterprise the user reads — all of them, or a city's own — so
    that the kept counts (``tallies``) of those units are the user's figures; None when the
    user reads enterprises some other way (one enterprise, none)."""
    given = grant(user, Enterprise.scope)
    units = Region.objects.filter(is_reporting_unit=True)
    if given.kind == "match" and len(given.match) == 1 and given.match[0][0] == "unit":
        units = units.filter(pk=given.match[0][1])
    elif given.kind != ALL:
        return None
    return list(units.values_list("pk", flat=True))


def kept_per_unit(
    unit_ids: list[int] | None, year: int | None, where: Q | None = None
) -> dict[int, dict]:
    """Per unit of ``unit_ids`` (None: every unit) with enterprises, from the kept counts
    (``where``: a condition on unit, sector or 规上): ``total``, ``above_scale`` and, for
    ``year``, ``assessed``, ``above_scale_assessed``, ``above_level_2`` (规上 at 二级 or higher)
    and ``level_0`` … ``level_5``. Two reads of a few thousand rows."""
    where = where or Q()
    groups = GroupTally.objects.filter(where, enterprises__gt=0)
    levels = LevelTally.objects.filter(where, year=year, enterprises__gt=0)
    if unit_ids is not None:
        groups, levels = groups.filter(unit_id__in=unit_ids), levels.filter(unit_id__in=unit_ids)
    measures = ("total", "above_scale", "assessed", "above_scale_assessed", "above_level_2")
    rows: dict[int, dict] = {}

    def row_of(unit_id: int) -> dict:
        empty = {**dict.fromkeys(measures, 0), **{f"level_{n}": 0 for n in range(MAX_LEVEL + 1)}}
        return rows.setdefault(unit_id, empty)

    for group in groups.values("unit_id", "is_above_scale", "enterprises"):
        row = row_of(group["unit_id"])
        row["total"] += group["enterprises"]
        if group["is_above_scale"]:
            row["above_scale"] += group["enterprises"]
    for level in levels.values("unit_id", "is_above_scale", "level", "enterprises") if year else ():
        row = row_of(level["unit_id"])
        row["assessed"] += level["enterprises"]
        row[f"level_{level['level']}"] += level["enterprises"]
        if level["is_above_scale"]:
            row["above_scale_assessed"] += level["enterprises"]
            if level["level"] >= PENETRATION_MIN_LEVEL:
                row["above_level_2"] += level["enterprises"]
    return rows


def kept_unit_summary(user) -> list[dict] | None:
    """``enterprises.selectors.unit_summary`` (enterprises and 规上 per unit, home pages) from
    the kept counts; None when the user does not read whole units."""
    unit_ids = kept_unit_ids(user)
    if unit_ids is None:
        return None
    rows = kept_per_unit(unit_ids, None)
    units = Region.objects.filter(pk__in=rows).order_by("code")
    return [
        {"unit": unit, "total": rows[unit.pk]["total"], "above_scale": rows[unit.pk]["above_scale"]}
        for unit in units
    ]


def kept_figures(unit_ids: list[int] | None, year: int) -> dict:
    """Enterprises, assessed, 规上, 规上 assessed and 规上 at 二级 or higher in ``year``, of the
    units (None: every enterprise), from the kept counts."""
    rows = kept_per_unit(unit_ids, year).values()
    names = {
        "total": "total",
        "assessed": "assessed",
        "above": "above_scale",
        "above_assessed": "above_scale_assessed",
        "above_level_2": "above_level_2",
    }
    return {name: sum(row[kept] for row in rows) for name, kept in names.items()}


def _summary_from_tallies(user, year: int, filters: dict, max_level: int) -> dict | None:
    """``overview_summary`` from GroupTally / LevelTally and the open drafts; None when the
    user's scope is not whole units or a filter is not one the counts hold."""
    if any(value not in (None, "") for key, value in filters.items() if key not in KEPT_FILTERS):
        return None
    unit_ids = kept_unit_ids(user)
    if unit_ids is None:
        return None
    where = Q()
    if unit := filters.get("unit"):
        where &= Q(unit=unit)
    if sector := filters.get("sector"):
        where &= Q(sector=sector)
    if (above := filters.get("above_scale")) in ("0", "1"):
        where &= Q(is_above_scale=above == "1")
    drafts = (
        Assessment.objects.filter(
            year=year,
            status=Assessment.Status.DRAFT,
            enterprise__in=enterprises_for(user, filters=filters).values("pk"),
        )
        .exclude(enterprise__counted_results__year=year)
        .values("enterprise__unit_id")
        .annotate(n=Count("enterprise", distinct=True))
        .order_by()
    )
    in_progress = {row["enterprise__unit_id"]: row["n"] for row in drafts}
    rows = {
        unit_id: {
            **{key: row[key] for key in ("total", "assessed", "above_scale")},
            "above_scale_assessed": row["above_scale_assessed"],
            **{f"level_{n}": row[f"level_{n}"] for n in range(max_level + 1)},
        }
        for unit_id, row in kept_per_unit(unit_ids, year, where).items()
    }
    named = {
        unit.pk: unit for unit in Region.objects.filter(pk__in=rows).only("pk", "name", "code")
    }
    per_unit = []
    for unit_id, row in rows.items():
        row["not_assessed"] = row["total"] - row["assessed"]
        row["in_progress"] = in_progress.get(unit_id, 0)
        unit = named[unit_id]
        per_unit.append(
            {"unit_id": unit_id, "unit__name": unit.name, "unit__code": unit.code, **row}
        )
    per_unit.sort(key=lambda row: row["unit__code"])
    keys = ("total", "assessed", "not_assessed", "in_progress", "above_scale")
    keys += ("above_scale_assessed", *(f"level_{n}" for n in range(max_level + 1)))
    totals = {key: sum(row[key] for row in per_unit) for key in keys}
    return _finish(totals, per_unit, max_level)
