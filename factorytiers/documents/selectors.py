"""Reads for the statistics, forms, report and packages: scoped model data → plain rows.

Every function starts from a model's ``visible_to(user)`` scope, and a unit is reached only
through :func:`unit_for` / :func:`units_for` (a city officer: their own unit; the province: every
reporting unit), so a city officer never gets another unit's row, whatever the URL says. Rows are
read with ``select_related`` / ``prefetch_related`` / ``values()``, a fixed number of queries
whatever the number of enterprises or units.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db import router, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from factorytiers.accounts.fields import parse_id
from factorytiers.accounts.scope import reporting_units_for
from factorytiers.assessments.models import (
    CountedResult,
    GroupTally,
    LevelTally,
    ScoreTally,
)
from factorytiers.assessments.selectors import counted_values_as_of, with_counted_result
from factorytiers.campaigns.models import (
    Application,
    ApplicationKind,
    ApplicationScenario,
    Campaign,
    FactoryScenario,
    Material,
    OverseasRecommendation,
    Publicity,
    Task,
)
from factorytiers.campaigns.workflow import SENT_STATES
from factorytiers.documents.rows import (
    ATTACHED_TABLE_TIERS,
    Form1Row,
    Form2Row,
    Form4Row,
    Form5Row,
    PublicityRow,
)
from factorytiers.domain.statistics import (
    PENETRATION_MIN_LEVEL,
    Counted,
    EnterpriseRow,
    RecognitionRow,
    Tally,
    TierTally,
    counted_from_rows,
    tiers_in_force,
)
from factorytiers.domain.tiers import TIERS, tier_rank
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from factorytiers.enterprises.selectors import LIST_ORDER, ONE_UNIT_ORDER
from factorytiers.reference.models import IndustryCode, Region

from . import figures
from .models import FiguresVersion, PackageBuild, ReportDraft

# Which of the notice's tables each task delivers; the report task also has the report itself.
TASK_FORMS: dict[str, tuple[str, ...]] = {
    Task.Kind.OVERSEAS: ("form5",),
    Task.Kind.PILOT_ACCEPTANCE: ("form4",),
    Task.Kind.ADVANCED: ("form1",),
    Task.Kind.REPORT: ("form2",),
}
# Tasks whose applications are handed in as a material package, and the kind they gather.
PACKAGE_KINDS: dict[str, str] = {
    Task.Kind.ADVANCED: ApplicationKind.ADVANCED,
    Task.Kind.PILOT_ACCEPTANCE: ApplicationKind.ACCEPTANCE,
}


# -- units and years --------------------------------------------------------------------------


def units_for(user) -> QuerySet[Region]:
    """The reporting units the user may pick: a city officer's own, or every one."""
    return reporting_units_for(user)


def unit_for(user, pk) -> Region:
    """One reporting unit in the user's scope; Http404 otherwise (also for a malformed id)."""
    number = parse_id(pk)
    try:
        return units_for(user).get(pk=number if number is not None else -1)
    except Region.DoesNotExist as error:
        raise Http404("unit") from error


def unit_label(unit: Region) -> str:
    """The unit as every document names it — forms, report, file and folder names — always
    the full name (太原市, 山西转型综合改革示范区), never the short one."""
    return unit.name


def task_for(user, pk) -> Task:
    try:
        return Task.objects.visible_to(user).select_related("campaign__province").get(pk=int(pk))
    except (TypeError, ValueError, Task.DoesNotExist) as error:
        raise Http404("task") from error


def publicity_for(user, pk) -> Publicity:
    try:
        return (
            Publicity.objects.visible_to(user)
            .select_related("task__campaign__province")
            .get(pk=int(pk))
        )
    except (TypeError, ValueError, Publicity.DoesNotExist) as error:
        raise Http404("publicity") from error


def publicity_rows(user, publicity: Publicity) -> list[PublicityRow]:
    """The batch's list as published: every application put on it, whatever became of it since
    (an upheld objection does not rewrite what was published), by unit and the unit's rank."""
    applications = (
        Application.objects.visible_to(user)
        .filter(publicity=publicity)
        .select_related("enterprise", "factory", "unit")
        .order_by("unit__code", "city_rank", "pk")
    )
    return [
        PublicityRow(
            seq=seq,
            unit_name=unit_label(a.unit),
            enterprise_name=a.enterprise.name,
            factory_name=a.factory.name if a.factory else a.project_name,
            kind=a.kind,
        )
        for seq, a in enumerate(applications, start=1)
    ]


def statistics_years() -> list[int]:
    """Every year with data (a campaign, a counted assessment or a recognition), newest first."""
    years = set(Campaign.objects.values_list("year", flat=True))
    # A year with a counted result (a submitted assessment or a platform result) has a level
    # count: a few thousand rows to read, not every result.
    years |= set(
        LevelTally.objects.filter(enterprises__gt=0)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(TierRecognition.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def default_year() -> int:
    """The current campaign's year: this year's campaign, else the latest one, else this year."""
    today = timezone.localdate()
    years = list(Campaign.objects.order_by("-year").values_list("year", flat=True))
    if today.year in years:
        return today.year
    return years[0] if years else today.year


def reference_date(year: int) -> date:
    """The day "in force" is judged on: today for the current year (or later), else 31 December."""
    today = timezone.localdate()
    return today if year >= today.year else date(year, 12, 31)


def _in_force(ref: date) -> Q:
    return (
        Q(recognized_on__lte=ref)
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=ref))
        & (Q(revoked=False) | Q(revoked_on__gt=ref))
    )


# -- statistics -------------------------------------------------------------------------------


# The fields a grouping of the figures reads (``_group_q`` reads a group back).
_GROUP_FIELDS = {
    "unit": ("unit__name",),
    "sector": ("sector",),
    "division": ("industry__parent__parent__code", "industry__parent__parent__name"),
}


def _group_name(by: str, row: dict) -> str:
    if by == "division":
        fields = _GROUP_FIELDS["division"]
        return _division(row[fields[0]], row[fields[1]])
    return row[_GROUP_FIELDS[by][0]]


def statistics_counted(
    user,
    year: int,
    units: Iterable[Region],
    *,
    as_of: date | None = None,
    groupings: Iterable[str] = ("unit", "sector", "division"),
) -> Counted:
    """What the figures of ``units`` (in the user's scope) for ``year`` are computed from, counted
    by the database: the enterprises by group, 规上 flag and counted level with their score sum
    (one ``GROUP BY``: a few thousand rows for 500,000 enterprises), the counts of each score in
    the scope and in each group of ``groupings`` (one ``GROUP BY`` each), and one row per tier
    recognition of their factories (two queries).

    ``as_of`` (a report's 截至 date) counts only the results dated up to that day and judges
    recognitions on it; without it, every result of the year counts and recognitions are judged
    on :func:`reference_date`. The counts are read from the tallies the writes keep
    (``assessments.tallies``), also as of a day by which every kept result of the units is
    dated, instead of counted over the enterprises."""
    unit_ids = [unit.pk for unit in units]
    if as_of is None or not _kept_results_after(unit_ids, year, as_of):
        # Every kept result dated by the day is that day's result too (``counted_values_as_of``):
        # the kept counts are the day's.
        return kept_counted(unit_ids, year, as_of or reference_date(year), groupings)
    # As of a day: each enterprise's counted result on that day (the kept one unless it is
    # later, recomputed then), then counted by the statistics rule's own ``counted_from_rows``.
    enterprises = Enterprise.objects.visible_to(user).filter(unit_id__in=unit_ids)
    group_fields = [field for fields in _GROUP_FIELDS.values() for field in fields]
    rows = (
        EnterpriseRow(
            enterprise_id=row["pk"],
            unit=_group_name("unit", row),
            sector=_group_name("sector", row),
            division=_group_name("division", row),
            above_scale=row["is_above_scale"],
            level=row["counted_level"],
            score=row["counted_score"],
        )
        for row in counted_values_as_of(
            enterprises, year, as_of, "pk", *group_fields, "is_above_scale"
        )
    )
    counted = counted_from_rows(rows, [], year)
    return Counted(
        tallies=counted.tallies,
        tiers=_tier_tallies(unit_ids, year, as_of),
        scores=counted.scores,
        scores_by={by: counted.scores_by[by] for by in groupings},
    )


FIGURES_CACHE = "figures"


def kept_counted(
    unit_ids: Sequence[int], year: int, ref: date, groupings: Iterable[str]
) -> Counted:
    """The kept counts of the units for ``year``, the tiers judged on ``ref``: read once, then
    taken from the ``figures`` cache until a write changes what they are read from
    (:func:`_cached`)."""
    groupings = tuple(sorted(set(groupings)))

    def count() -> Counted:
        tallies, scores, scores_by = _kept_counts(year, unit_ids, groupings)
        return Counted(tallies, tier_tallies(unit_ids, year, ref), scores, scores_by)

    return _cached(
        "kept-counted",
        ("tallies", "recognitions"),
        unit_ids,
        (year, ref.isoformat(), groupings),
        count,
    )


def tier_tallies(unit_ids: Sequence[int], year: int, ref: date) -> list[TierTally]:
    """The units' factories by group and tier, recognized in ``year`` and held on ``ref``
    (:func:`_tier_tallies`), kept in the ``figures`` cache as :func:`kept_counted` is."""
    return _cached(
        "tier-tallies",
        ("recognitions",),
        unit_ids,
        (year, ref.isoformat()),
        lambda: _tier_tallies(unit_ids, year, ref),
    )


def _cached(
    kind: str,
    versions_of: tuple[str, ...],
    unit_ids: Sequence[int],
    args: tuple,
    count: Callable[[], Any],
) -> Any:
    """``count()``, read once, then taken from the ``figures`` cache until a write changes what
    the units' figures are read from.

    The cache key holds the units' :class:`~factorytiers.documents.models.FiguresVersion`
    fields ``versions_of``, which the database's triggers count up with every row written to
    the unit's tallies (``tallies``) or recognitions (``recognitions``), and row 0's with every
    renamed region or industry code, so a write makes the next read count afresh. The versions are read before the counts: counts
    read after a later write are newer than their key says, never older. Inside a
    transaction nothing is cached or taken from the cache: its versions may be its own,
    uncommitted (and handed out again if it rolls back)."""
    if transaction.get_connection(router.db_for_read(FiguresVersion)).in_atomic_block:
        return count()
    versions = sorted(
        FiguresVersion.objects.filter(unit_id__in=[0, *unit_ids]).values_list(
            "unit_id", *versions_of
        )
    )
    key = repr((args, sorted(unit_ids), versions))
    key = f"{kind}:" + hashlib.sha256(key.encode()).hexdigest()
    cache = caches[FIGURES_CACHE]
    counted = cache.get(key)
    if counted is None:
        counted = count()
        cache.set(key, counted)
    return counted


def _kept_results_after(unit_ids: Sequence[int], year: int, day: date) -> bool:
    """Whether an enterprise of the units has a kept result of ``year`` dated after ``day``."""
    return CountedResult.objects.filter(
        year=year, enterprise__unit_id__in=unit_ids, counted_on__gt=day
    ).exists()


def _kept_counts(year: int, unit_ids: Sequence[int], groupings: Iterable[str]):
    """The tallies and score counts of the units for ``year``, summed from the kept counts:
    a few thousand rows, whatever the number of enterprises."""
    named = ("unit__name", "sector", "division__code", "division__name", "is_above_scale")

    def name_of(row: dict) -> tuple:
        division = _division(row["division__code"], row["division__name"])
        return (row["unit__name"], row["sector"], division, row["is_above_scale"])

    groups = GroupTally.objects.filter(unit_id__in=unit_ids, enterprises__gt=0).values(
        *named, "enterprises"
    )
    unassessed = {name_of(row): row["enterprises"] for row in groups}
    tallies = []
    levels = LevelTally.objects.filter(year=year, unit_id__in=unit_ids, enterprises__gt=0)
    for row in levels.values(*named, "level", "enterprises", "score_hundredths"):
        key = name_of(row)
        unassessed[key] = unassessed.get(key, 0) - row["enterprises"]
        tallies.append(
            Tally(
                *key,
                level=row["level"],
                count=row["enterprises"],
                score_total=Decimal(row["score_hundredths"]).scaleb(-2),
            )
        )
    tallies += [Tally(*key, level=None, count=n) for key, n in unassessed.items() if n]
    kept = ScoreTally.objects.filter(year=year, unit_id__in=unit_ids)
    # Grouped by key (the unit's and 大类's ids), named after: no join, no sort on names.
    fields = {"unit": "unit_id", "sector": "sector", "division": "division_id"}
    names = {
        "unit": dict(Region.objects.filter(pk__in=unit_ids).values_list("pk", "name")),
        "division": {
            pk: _division(code, name)
            for pk, code, name in IndustryCode.objects.filter(
                level=IndustryCode.Level.DIVISION
            ).values_list("pk", "code", "name")
        },
    }
    hundredths: dict[int, Decimal] = {}

    def score_counts(by: str) -> dict:
        counts: dict = defaultdict(lambda: defaultdict(int))
        named = names.get(by)
        rows = (
            kept.values_list(fields[by], "score_hundredths")
            .annotate(n=Sum("enterprises"))
            .filter(n__gt=0)
            .order_by()
        )
        for group, score, n in rows:
            if score not in hundredths:
                hundredths[score] = Decimal(score).scaleb(-2)
            counts[named[group] if named else group][hundredths[score]] += n
        return counts

    scores_by = {by: score_counts(by) for by in {*groupings, "unit"}}
    # The scope's own score counts: the sum of its units'.
    scores: dict[Decimal, int] = defaultdict(int)
    for group in scores_by["unit"].values():
        for score, n in group.items():
            scores[score] += n
    # Plain dictionaries: the counts are kept in a cache (pickled).
    return (
        tallies,
        dict(scores),
        {by: {name: dict(n) for name, n in scores_by[by].items()} for by in groupings},
    )


def _division(code: str, name: str) -> str:
    """A 大类 as the figures by 大类 name it (``_group_q`` reads it back)."""
    return f"{code} {name}"


def _tier_tallies(unit_ids: Sequence[int], year: int, ref: date) -> list[TierTally]:
    """The units' factories counted by group and tier in SQL: recognized in ``year`` (by
    ``ref``), and holding the tier as their one tier in force on ``ref`` (no higher tier in
    force): two ``GROUP BY`` queries over the recognitions alone, which carry their
    enterprise's group (``TierRecognition.group_*``); ``unit_ids`` are the user's units.

    A factory counts once in a group and tier however many of its recognitions are there: of
    those, only the first (lowest id) is counted, so the count is a plain ``COUNT(*)`` (a hash
    aggregate) instead of ``COUNT(DISTINCT factory)``, which sorts every row (a third of the
    statistics page's SQL at 500,000 enterprises)."""
    fields = ("group_unit_id", "group_sector", "group_division_id", "tier")
    same_group = {field: OuterRef(field) for field in ("factory", *fields)}
    # The tiers only: a 揭榜验收 entry is no tier of a factory.
    known = TierRecognition.objects.filter(
        group_unit_id__in=unit_ids, recognized_on__lte=ref, tier__in=TIERS
    ).order_by()
    rank = Case(
        *(When(tier=tier, then=Value(tier_rank(tier))) for tier in TIERS),
        output_field=IntegerField(),
    )
    in_force = TierRecognition.objects.filter(
        _in_force(ref), recognized_on__lte=ref, tier__in=TIERS
    )
    higher_or_earlier = (
        in_force.filter(factory=OuterRef("factory"))
        .annotate(rank=rank)
        .filter(Q(rank__gt=OuterRef("rank")) | Q(**same_group, pk__lt=OuterRef("pk")))
    )
    held = known.filter(_in_force(ref)).annotate(rank=rank).filter(~Exists(higher_or_earlier))
    earlier = TierRecognition.objects.filter(
        **same_group, year=year, recognized_on__lte=ref, pk__lt=OuterRef("pk")
    )
    recognized = known.filter(year=year).filter(~Exists(earlier))
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for position, rows in enumerate((recognized, held)):
        for row in rows.values(*fields).annotate(n=Count("pk")):
            counts[tuple(row[field] for field in fields)][position] += row["n"]
    units = dict(Region.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    divisions = {
        pk: _division(code, name)
        for pk, code, name in IndustryCode.objects.filter(
            pk__in={key[2] for key in counts}
        ).values_list("pk", "code", "name")
    }
    return [
        TierTally(
            units[unit], sector, divisions[division], tier, recognized_in_year=n, in_force=held_n
        )
        for (unit, sector, division, tier), (n, held_n) in counts.items()
    ]


def _recognitions(user, unit_ids: Sequence[int], ref: date) -> dict[int, RecognitionRow]:
    """The tier recognitions of the units' factories made by ``ref``, by id, each saying
    whether it is in force on ``ref`` and the group of its enterprise: one query over the
    recognitions, which carry that group (``TierRecognition.group_*``), so neither the
    factories nor the enterprises are joined but for the enterprise's id."""
    rows = (
        TierRecognition.objects.visible_to(user)
        .filter(group_unit_id__in=unit_ids, recognized_on__lte=ref, tier__in=TIERS)
        .annotate(
            in_force=Case(
                When(_in_force(ref), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by()
        .values_list(
            "pk",
            "factory_id",
            "factory__enterprise_id",
            "tier",
            "year",
            "in_force",
            "group_unit__name",
            "group_sector",
            "group_division__code",
            "group_division__name",
        )
    )
    return {
        pk: RecognitionRow(
            factory_id=factory_id,
            enterprise_id=enterprise_id,
            tier=tier,
            year=year,
            in_force=in_force,
            unit=unit,
            sector=sector,
            division=_division(code, name),
        )
        for (
            pk,
            factory_id,
            enterprise_id,
            tier,
            year,
            in_force,
            unit,
            sector,
            code,
            name,
        ) in rows
    }


def _group_q(by: str, group: str) -> Q:
    """The enterprises of one group of ``compute_by`` (its ``Tally`` key)."""
    if by == "unit":
        return Q(unit__name=group)
    if by == "sector":
        return Q(sector=group)
    if by == "division":
        code, _space, name = group.partition(" ")
        return Q(industry__parent__parent__code=code, industry__parent__parent__name=name)
    return Q()


def figure_scope(user, units: Iterable[Region], *, by: str = "", group: str = ""):
    """The enterprises a figure of ``units`` (and of one group, with ``by``) counts from: the
    enterprises :func:`statistics_counted` counts, as a query."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(unit_id__in=[unit.pk for unit in units])
        .filter(_group_q(by, group))
    )


def _figure_q(key: str) -> Q:
    """The enterprises behind figure ``key`` (``figures.figure_count`` counts them), as a
    condition on the counted result."""
    above, assessed = Q(is_above_scale=True), Q(counted_level__isnull=False)
    if key == "enterprises":
        return Q()
    if key == "above_scale":
        return above
    if key in ("assessed", "scores"):
        return assessed
    if key in ("above_scale_assessed", "coverage"):
        return above & assessed
    if key == "penetration":
        return above & Q(counted_level__gte=PENETRATION_MIN_LEVEL)
    if key in figures.LEVEL_KEYS:
        return Q(counted_level=int(key.removeprefix("level_")))
    raise figures.UnknownFigure(key)


def figure_enterprises(user, year: int, scope: QuerySet[Enterprise], key: str):
    """The enterprises behind figure ``key`` (not a tier figure) of ``scope``, in the user's
    scope, with their counted result: a query, whatever their number."""
    return (
        with_counted_result(scope.select_related("unit", "industry__parent__parent"), year)
        .filter(_figure_q(key))
        .order_by(*LIST_ORDER)
    )


# The counted result is joined to a figure's keys only when its condition reads it.
_FIGURES_WITHOUT_RESULT = frozenset({"enterprises", "above_scale"})


class KeysByUnit:
    """The keys of ``keys`` in the list's order (unit code, name, id), read a unit at a time:
    counted with one ``GROUP BY`` unit, and a slice asks only the units it falls in, each in
    its (unit, name, id) index's order. Over several units, ordering the whole list by the
    unit's code made PostgreSQL read and sort every row of the first unit before the first
    page (0.2 s for a figure's 60,000 enterprises)."""

    def __init__(self, keys: QuerySet, units: Iterable[Region]):
        self.keys = keys.order_by()
        counted = dict(self.keys.values_list("unit_id").annotate(n=Count("pk")))
        ordered = sorted(units, key=lambda unit: unit.code)
        self.per_unit = [(unit.pk, counted.get(unit.pk, 0)) for unit in ordered]

    def count(self) -> int:
        return sum(n for _unit, n in self.per_unit)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[int]:
        start, stop = part.start or 0, part.stop if part.stop is not None else self.count()
        found: list[int] = []
        before = 0
        for unit_id, n in self.per_unit:
            low, high = max(start - before, 0), min(stop - before, n)
            if low < high:
                one = self.keys.filter(unit_id=unit_id).order_by(*ONE_UNIT_ORDER)
                found += one.values_list("pk", flat=True)[low:high]
            before += n
            if before >= stop:
                break
        return found


def figure_enterprise_page(
    user, year: int, scope: QuerySet[Enterprise], key: str, number, *, units, per_page=100
) -> Page:
    """One page of :func:`figure_enterprises` of ``units`` (those of ``scope``), in a few
    statements whatever their number, as the enterprise list reads its page
    (``enterprises.selectors.enterprise_page``): the pager counts and cuts its page from the
    figure's enterprises with only what its condition needs (the counted result joined only
    for a condition on it), a unit at a time (:class:`KeysByUnit`); then only the page's rows
    are read with their counted result."""
    keys = scope if key in _FIGURES_WITHOUT_RESULT else with_counted_result(scope, year)
    page = Paginator(KeysByUnit(keys.filter(_figure_q(key)), units), per_page).get_page(number)
    rows = figure_enterprises(user, year, scope.filter(pk__in=page.object_list), key)
    page.object_list = list(rows)
    return page


def figure_factories(user, year: int, scope: QuerySet[Enterprise], key: str):
    """The factories behind tier figure ``key`` (``figures.figure_count`` counts them) of ``scope``:
    recognized in ``year``, or holding the tier as their one tier in force on
    :func:`reference_date` (no higher tier in force)."""
    ref = reference_date(year)
    known = TierRecognition.objects.visible_to(user).filter(
        factory=OuterRef("pk"),
        factory__enterprise__in=scope.order_by().values("pk"),
        recognized_on__lte=ref,
    )
    if key in figures.RECOGNIZED_KEYS:
        behind = Exists(known.filter(tier=figures.RECOGNIZED_KEYS[key], year=year))
    elif key in figures.IN_FORCE_KEYS:
        tier = figures.IN_FORCE_KEYS[key]
        higher = [t for t in TIERS if tier_rank(t) > tier_rank(tier)]
        in_force = known.filter(_in_force(ref))
        behind = Exists(in_force.filter(tier=tier)) & ~Exists(in_force.filter(tier__in=higher))
    else:
        raise figures.UnknownFigure(key)
    return (
        Factory.objects.visible_to(user)
        .filter(behind)
        .select_related("enterprise__unit")
        .order_by("enterprise__unit__code", "enterprise__name", "name")
    )


# -- the notice's tables ----------------------------------------------------------------------


def _scenario_names(application: Application) -> list[str]:
    names = [item.scenario.name for item in application.scenarios.all()]
    names += [line.strip() for line in application.other_scenarios.splitlines() if line.strip()]
    return names


def _ranked_applications(user, campaign: Campaign, units: Sequence[Region], kind: str):
    return (
        Application.objects.visible_to(user)
        .filter(
            campaign=campaign,
            kind=kind,
            state__in=SENT_STATES,
            city_rank__isnull=False,
            unit__in=list(units),
        )
        .select_related("enterprise", "factory", "unit")
        .prefetch_related(
            Prefetch("scenarios", queryset=ApplicationScenario.objects.select_related("scenario"))
        )
        .order_by("unit__code", "city_rank", "pk")
    )


def _group(units: Sequence[Region], items: Iterable[tuple[int, object]]) -> list[tuple[str, list]]:
    by_unit: dict[int, list] = defaultdict(list)
    for unit_id, row in items:
        by_unit[unit_id].append(row)
    return [(unit_label(unit), by_unit.get(unit.pk, [])) for unit in units]


def form1_rows(user, campaign: Campaign, units: Sequence[Region]) -> list[tuple[str, list]]:
    """附件1 rows per unit: the unit's recommended 先进级 applications in rank order."""
    return _group(
        units,
        (
            (
                a.unit_id,
                Form1Row(
                    seq=a.city_rank,
                    enterprise_name=a.enterprise.name,
                    factory_name=a.factory.name if a.factory else "",
                    scenario_names=_scenario_names(a),
                ),
            )
            for a in _ranked_applications(user, campaign, units, ApplicationKind.ADVANCED)
        ),
    )


def form4_rows(user, campaign: Campaign, units: Sequence[Region]) -> list[tuple[str, list]]:
    """附件4 rows per unit: the recommended 揭榜 acceptance applications in rank order."""
    return _group(
        units,
        (
            (
                a.unit_id,
                Form4Row(
                    seq=a.city_rank,
                    enterprise_name=a.enterprise.name,
                    project_name=a.project_name,
                ),
            )
            for a in _ranked_applications(user, campaign, units, ApplicationKind.ACCEPTANCE)
        ),
    )


def form5_rows(user, campaign: Campaign, units: Sequence[Region]) -> list[tuple[str, list]]:
    """附件5 rows per unit: the overseas factories the city selected, in its order."""
    selected = (
        OverseasRecommendation.objects.visible_to(user)
        .filter(task__campaign=campaign, unit__in=list(units), selected=True)
        .select_related("enterprise", "factory")
        .order_by("unit__code", F("rank").asc(nulls_last=True), "pk")
    )
    position: dict[int, int] = defaultdict(int)

    def row(item: OverseasRecommendation) -> tuple[int, Form5Row]:
        position[item.unit_id] += 1
        return item.unit_id, Form5Row(
            seq=position[item.unit_id],
            enterprise_name=item.enterprise.name,
            factory_name=item.factory.name,
            self_assessed_level=item.self_assessed_level,
            sector=item.sector,
            employees=item.employees,
            revenue_wan=item.revenue_wan,
            introduction=item.introduction,
            contact=item.contact,
        )

    return _group(units, (row(item) for item in selected))


def report_dates(user, campaign: Campaign, units: Sequence[Region]) -> dict[int, date]:
    """The day each unit's 附件2 report speaks of (its 截至 date): the one its officer chose,
    else the report task's deadline, else :func:`reference_date`."""
    task = Task.objects.visible_to(user).filter(campaign=campaign, kind=Task.Kind.REPORT).first()
    default = task.deadline if task and task.deadline else reference_date(campaign.year)
    chosen = dict(
        ReportDraft.objects.visible_to(user)
        .filter(campaign=campaign, unit__in=list(units), as_of__isnull=False)
        .values_list("unit_id", "as_of")
    )
    return {unit.pk: chosen.get(unit.pk, default) for unit in units}


def form2_rows(
    user, campaign: Campaign, units: Sequence[Region], *, as_of: date | None = None
) -> list[tuple[str, list]]:
    """附件2's attached table per unit, as of each unit's report date (``as_of`` for all of
    them when given): every factory whose one tier in force is 基础级 or 先进级 — the rule
    the report's tier counts follow (``tiers_in_force``), so each factory appears once and the
    counts equal the table — with its enterprise's counted score; ordered 基础级 then 先进级,
    then by enterprise and factory name. Units that share a date are read together."""
    dates = {unit.pk: as_of for unit in units} if as_of else report_dates(user, campaign, units)
    by_date: dict[date, list[Region]] = defaultdict(list)
    for unit in units:
        by_date[dates[unit.pk]].append(unit)
    items: list[tuple[int, Form2Row]] = []
    for ref, same_day in by_date.items():
        items += _form2_items(user, campaign.year, same_day, ref)
    return _group(units, items)


def form2_count(user, campaign: Campaign, unit: Region) -> int:
    """How many rows the unit's 附件2 attached table has (as of its report date): one count,
    to choose between writing the report in the request and in the background."""
    ref = report_dates(user, campaign, [unit])[unit.pk]
    return _attached_factories(user, [unit.pk], ref).count()


def _attached_factories(user, unit_ids: Sequence[int], ref: date) -> QuerySet[Factory]:
    """The factories of the attached table as a query: a tier of the table in force on
    ``ref`` and none above it (what ``tiers_in_force`` gives, read in SQL)."""
    # The factories are the user's (``visible_to`` below); their recognitions are read through
    # the group they carry, without joining every factory and enterprise again.
    in_force = TierRecognition.objects.filter(
        _in_force(ref), factory=OuterRef("pk"), group_unit_id__in=unit_ids
    )
    top = max(tier_rank(tier) for tier in ATTACHED_TABLE_TIERS)
    return Factory.objects.visible_to(user).filter(
        Exists(in_force.filter(tier__in=ATTACHED_TABLE_TIERS))
        & ~Exists(in_force.filter(tier__in=[t for t in TIERS if tier_rank(t) > top]))
    )


def _form2_items(user, year: int, units: Sequence[Region], ref: date):
    unit_ids = [unit.pk for unit in units]
    recognitions = _recognitions(user, unit_ids, ref)
    tiers = {
        factory_id: tier
        for factory_id, tier in tiers_in_force(recognitions.values()).items()
        if tier in ATTACHED_TABLE_TIERS
    }
    # The recognitions behind each factory's tier: its application gives the scenarios.
    behind = {
        pk
        for pk, row in recognitions.items()
        if row.in_force and tiers.get(row.factory_id) == row.tier
    }
    held = _attached_factories(user, unit_ids, ref)
    # Values, not models: some ten thousand factories at national size, four models each.
    enterprise, industry = "enterprise__", "enterprise__industry__"
    # Every kept result of the units dated by ``ref`` is the day's result (as in
    # ``statistics_counted``): the score is read along; else it is each one's as of the day.
    kept = not _kept_results_after(unit_ids, year, ref)
    kept_score = CountedResult.objects.filter(
        enterprise=OuterRef("enterprise_id"), year=year, counted_on__lte=ref
    )
    factories = list(
        held.annotate(
            kept_score=Subquery(kept_score.values("score"))
            if kept
            else Value(None, output_field=DecimalField())
        ).values(
            "kept_score",
            "pk",
            "name",
            enterprise + "pk",
            enterprise + "name",
            enterprise + "unit_id",
            enterprise + "sector",
            enterprise + "nature",
            enterprise + "size_class",
            industry + "code",
            industry + "name",
            industry + "parent__code",
            industry + "parent__name",
        )
    )
    built: dict[int, list[str]] = defaultdict(list)  # the factory's own scenarios
    for factory_id, name in (
        FactoryScenario.objects.filter(factory__in=held.values("pk"))
        .order_by("factory_id", "scenario__number")
        .values_list("factory_id", "scenario__name")
    ):
        built[factory_id].append(name)
    scenarios = _recognized_scenarios(user, held.values("pk"), behind, ref)
    scores = {} if kept else _scores_as_of(user, held, year, ref)
    order = {tier: index for index, tier in enumerate(ATTACHED_TABLE_TIERS)}
    unit_of, name_of = enterprise + "unit_id", enterprise + "name"
    factories.sort(key=lambda f: (f[unit_of], order[tiers[f["pk"]]], f[name_of], f["name"]))
    position: dict[int, int] = defaultdict(int)
    items = []
    for factory in factories:
        unit = factory[unit_of]
        position[unit] += 1
        items.append(
            (
                unit,
                Form2Row(
                    seq=position[unit],
                    enterprise_name=factory[name_of],
                    factory_name=factory["name"],
                    score=factory["kept_score"] if kept else scores.get(factory[enterprise + "pk"]),
                    tier=tiers[factory["pk"]],
                    sector=factory[enterprise + "sector"],
                    nature=factory[enterprise + "nature"],
                    size_class=factory[enterprise + "size_class"],
                    industry_group=(
                        f"{factory[industry + 'parent__code']} {factory[industry + 'parent__name']}"
                    ),
                    industry_class=f"{factory[industry + 'code']} {factory[industry + 'name']}",
                    scenario_names=scenarios.get(factory["pk"]) or built[factory["pk"]],
                ),
            )
        )
    return items


def _scores_as_of(user, held: QuerySet[Factory], year: int, ref: date) -> dict[int, Decimal]:
    """The counted score of ``year`` as of ``ref`` of the factories' enterprises, by id."""
    enterprises = Enterprise.objects.visible_to(user).filter(pk__in=held.values("enterprise_id"))
    return {
        row["pk"]: row["counted_score"]
        for row in counted_values_as_of(enterprises, year, ref, "pk")
    }


def _recognized_scenarios(
    user, factory_ids: QuerySet, behind: set[int], ref: date
) -> dict[int, list[str]]:
    """Per factory, the scenarios of its recognized application: the one that led to the tier it
    holds, else its latest application recognized by ``ref``."""
    applications = (
        Application.objects.visible_to(user)
        .filter(
            factory_id__in=factory_ids,
            recognition__isnull=False,
            recognition__recognized_on__lte=ref,
        )
        .select_related("recognition")
        .prefetch_related(
            Prefetch("scenarios", queryset=ApplicationScenario.objects.select_related("scenario"))
        )
    )
    chosen: dict[int, tuple[tuple, Application]] = {}
    for application in applications:
        rank = (
            application.recognition_id in behind,
            application.recognition.recognized_on,
            application.pk,
        )
        if application.factory_id not in chosen or rank > chosen[application.factory_id][0]:
            chosen[application.factory_id] = (rank, application)
    return {factory_id: _scenario_names(app) for factory_id, (_rank, app) in chosen.items()}


FORM_ROWS = {"form1": form1_rows, "form2": form2_rows, "form4": form4_rows, "form5": form5_rows}


def rows_for_form(user, key: str, campaign: Campaign, units: Sequence[Region]):
    return FORM_ROWS[key](user, campaign, units)


# -- report prose and packages ----------------------------------------------------------------


def report_draft(user, unit: Region, campaign: Campaign) -> ReportDraft | None:
    return ReportDraft.objects.visible_to(user).filter(unit=unit, campaign=campaign).first()


def package_applications(user, task: Task, unit: Region) -> list[Application]:
    """The unit's ranked applications of the task, each with its latest file of every slot
    (``application.latest_materials``), in rank order: two queries."""
    kind = PACKAGE_KINDS.get(task.kind)
    if kind is None:
        return []
    applications = list(
        Application.objects.visible_to(user)
        .filter(task=task, kind=kind, unit=unit, state__in=SENT_STATES, city_rank__isnull=False)
        .select_related("enterprise", "unit")
        .order_by("city_rank", "pk")
    )
    latest: dict[int, dict[str, Material]] = defaultdict(dict)
    for material in (
        Material.objects.visible_to(user)
        .filter(application__in=applications)
        .order_by("application_id", "slot", "-number")
    ):
        latest[material.application_id].setdefault(material.slot, material)
    for application in applications:
        application.latest_materials = list(latest[application.pk].values())
    return applications


def package_builds(user, task: Task, unit: Region, *, limit: int = 5) -> list[PackageBuild]:
    """The unit's latest builds of the task, newest first."""
    builds = (
        PackageBuild.objects.visible_to(user)
        .filter(task=task, unit=unit)
        .select_related("requested_by")[:limit]
    )
    return [build.as_read() for build in builds]  # a stale build reads as failed
