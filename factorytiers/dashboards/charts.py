"""The province home's charts for one year: maturity distribution, 智能工厂普及率 by unit, and
factories by tier in force per unit and per sector. Aggregated in SQL (one query for the
enterprises, one for the recognitions in force), whatever the number of enterprises; the
definitions are ``domain/statistics.py``'s."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from factorytiers.accounts.scope import reporting_units_for
from factorytiers.assessments.selectors import with_counted_result
from factorytiers.documents.selectors import reference_date
from factorytiers.domain.sectors import Sector
from factorytiers.domain.statistics import LEVEL_NAMES, MAX_LEVEL, PENETRATION_MIN_LEVEL
from factorytiers.domain.tiers import TIERS, tier_rank
from factorytiers.domain.worklist import share
from factorytiers.enterprises.models import Enterprise, TierRecognition


def province_charts(user, year: int) -> dict:
    """Plain data for the page's JSON script block (numbers and names only)."""
    units = list(reporting_units_for(user))
    above = Q(is_above_scale=True)
    per_unit = {
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
    distribution = [
        sum(row[f"level_{n}"] for row in per_unit.values()) for n in range(MAX_LEVEL + 1)
    ]
    penetration = []
    for unit in units:
        row = per_unit.get(unit.pk, {"above": 0, "above_level_2": 0})
        value = share(row["above_level_2"], row["above"])
        penetration.append(None if value is None else float(value))
    # Each factory under its one tier in force (the highest), by its enterprise's unit and sector.
    held: dict[int, tuple[str, int, str]] = {}
    for factory_id, tier, unit_id, sector in (
        TierRecognition.objects.visible_to(user)
        .in_force(reference_date(year))
        .filter(tier__in=TIERS)
        .order_by()
        .values_list(
            "factory_id", "tier", "factory__enterprise__unit_id", "factory__enterprise__sector"
        )
    ):
        current = held.get(factory_id)
        if current is None or tier_rank(tier) > tier_rank(current[0]):
            held[factory_id] = (tier, unit_id, sector)
    by_unit: dict[str, dict[int, int]] = {tier: defaultdict(int) for tier in TIERS}
    by_sector: dict[str, dict[str, int]] = {tier: defaultdict(int) for tier in TIERS}
    for tier, unit_id, sector in held.values():
        by_unit[tier][unit_id] += 1
        by_sector[tier][sector] += 1
    sectors = [str(sector.value) for sector in Sector]
    return {
        "year": year,
        "levels": list(LEVEL_NAMES),
        "distribution": distribution,
        "units": [unit.name for unit in units],
        "penetration": penetration,
        "tiers": [str(tier.value) for tier in TIERS],
        "tiers_by_unit": [[by_unit[tier][unit.pk] for unit in units] for tier in TIERS],
        "sectors": sectors,
        "tiers_by_sector": [[by_sector[tier][s] for s in sectors] for tier in TIERS],
    }
