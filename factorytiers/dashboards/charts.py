"""The province home's charts for one year — maturity distribution, 智能工厂普及率 by unit,
factories by tier in force per unit and per sector — and the same figures over the years side
by side. The enterprises' figures are summed from the kept counts (``assessments.tallies``)
or, for a user who does not read whole units, aggregated in one query; the recognitions in
force are one query. The definitions are ``domain/statistics.py``'s."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from factorytiers.accounts.scope import reporting_units_for
from factorytiers.assessments.selectors import kept_per_unit, kept_unit_ids, with_counted_result
from factorytiers.documents.selectors import reference_date, tier_tallies
from factorytiers.domain.sectors import Sector
from factorytiers.domain.statistics import LEVEL_NAMES, MAX_LEVEL, PENETRATION_MIN_LEVEL
from factorytiers.domain.tiers import TIERS
from factorytiers.domain.worklist import share
from factorytiers.enterprises.models import Enterprise

TREND_YEARS = 4  # the years compared side by side: the chosen one and up to 3 before it


def _per_unit(user, year: int, *, kept: bool = True) -> dict[int, dict]:
    """Per unit: 规上 enterprises, 规上 at level 2 or above, and enterprises per level: summed
    from the kept counts when the user reads whole units, else one query over the enterprises
    (``kept=False``: always, the reference the tests compare)."""
    unit_ids = kept_unit_ids(user) if kept else None
    if unit_ids is not None:
        return _per_unit_kept(unit_ids, year)
    above = Q(is_above_scale=True)
    return {
        row["unit_id"]: row
        for row in with_counted_result(Enterprise.objects.visible_to(user).order_by(), year)
        .order_by()
        .values("unit_id")
        .annotate(
            above=Count("pk", filter=above),
            above_level_2=Count("pk", filter=above & Q(counted_level__gte=PENETRATION_MIN_LEVEL)),
            **{f"level_{n}": Count("pk", filter=Q(counted_level=n)) for n in range(MAX_LEVEL + 1)},
        )
    }


def _per_unit_kept(unit_ids: list[int], year: int) -> dict[int, dict]:
    return {
        unit_id: {
            "unit_id": unit_id,
            "above": row["above_scale"],
            "above_level_2": row["above_level_2"],
            **{f"level_{n}": row[f"level_{n}"] for n in range(MAX_LEVEL + 1)},
        }
        for unit_id, row in kept_per_unit(unit_ids, year).items()
    }


def _distribution(per_unit: dict[int, dict]) -> list[int]:
    return [sum(row[f"level_{n}"] for row in per_unit.values()) for n in range(MAX_LEVEL + 1)]


def _penetration(per_unit: dict[int, dict], units) -> list[float | None]:
    values = []
    for unit in units:
        row = per_unit.get(unit.pk, {"above": 0, "above_level_2": 0})
        value = share(row["above_level_2"], row["above"])
        values.append(None if value is None else float(value))
    return values


def _held(units, year: int) -> dict[str, list]:
    """The factories of the ``units`` (the user's) under their one tier in force (the
    highest) at the year's reference date, counted by tier and unit (``by_unit[tier][unit
    pk]``) and by tier and sector: the statistics' tier counts
    (``documents.selectors.tier_tallies``: the recognitions alone, which carry their
    enterprise's group, counted in SQL and cached until a write changes them)."""
    pks = {unit.name: unit.pk for unit in units}
    by_unit: dict[str, dict[int, int]] = {tier: defaultdict(int) for tier in TIERS}
    by_sector: dict[str, dict[str, int]] = {tier: defaultdict(int) for tier in TIERS}
    for tally in tier_tallies(list(pks.values()), year, reference_date(year)):
        if tally.in_force:
            by_unit[tally.tier][pks[tally.unit]] += tally.in_force
            by_sector[tally.tier][tally.sector] += tally.in_force
    return {"unit": by_unit, "sector": by_sector}


def province_charts(user, year: int, years: list[int] | None = None) -> dict:
    """Plain data for the page's JSON script block (numbers and names only): the charts of
    ``year``, and the same figures for up to TREND_YEARS of ``years`` up to it, side by side
    (two queries a year, whatever the number of enterprises)."""
    units = list(reporting_units_for(user))
    per_unit = _per_unit(user, year)
    held = _held(units, year)
    by_unit, by_sector = held["unit"], held["sector"]
    sectors = [str(sector.value) for sector in Sector]
    trend_years = sorted(y for y in (years or [year]) if y <= year)[-TREND_YEARS:]
    trend = {"years": trend_years, "distribution": [], "penetration": [], "tiers": []}
    for each in trend_years:
        each_unit = per_unit if each == year else _per_unit(user, each)
        each_held = held if each == year else _held(units, each)
        trend["distribution"].append(_distribution(each_unit))
        trend["penetration"].append(_penetration(each_unit, units))
        trend["tiers"].append([sum(each_held["unit"][tier].values()) for tier in TIERS])
    return {
        "year": year,
        "levels": list(LEVEL_NAMES),
        "distribution": _distribution(per_unit),
        "units": [unit.name for unit in units],
        "penetration": _penetration(per_unit, units),
        "tiers": [str(tier.value) for tier in TIERS],
        "tiers_by_unit": [[by_unit[tier][unit.pk] for unit in units] for tier in TIERS],
        "sectors": sectors,
        "tiers_by_sector": [[by_sector[tier][s] for s in sectors] for tier in TIERS],
        "trend": trend,
    }
