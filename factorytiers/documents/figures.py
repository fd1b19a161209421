"""The figures of the statistics page, each with a key, a label and the enterprises behind it.

A figure key (``assessed``, ``level_2``, ``in_force_基础级`` …) names one number of a
:class:`~factorytiers.domain.statistics.Statistics`; the page links every number to the list of
the enterprises (for a tier count, the factories) behind it, read as a query with the same
definition (``selectors.figure_enterprises`` and ``figure_factories``), never as a list of ids.
``tests/documents/test_figure_queries.py`` holds every list's length equal to its figure's
count, for every figure and group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from factorytiers.domain.statistics import (
    LEVEL_NAMES,
    TIERS,
    Statistics,
    format_percent,
    format_score,
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str  # as shown
    count: int  # rows of the list behind it (enterprises; factories for tier counts)


COUNT_LABELS: Final = {
    "enterprises": "企业数",
    "above_scale": "规上企业数",
    "assessed": "自评估企业数",
    "above_scale_assessed": "规上自评估企业数",
}
LEVEL_KEYS: Final = {f"level_{number}": name for number, name in enumerate(LEVEL_NAMES)}
RECOGNIZED_KEYS: Final = {f"recognized_{tier}": tier for tier in TIERS}
IN_FORCE_KEYS: Final = {f"in_force_{tier}": tier for tier in TIERS}
FIGURE_KEYS: Final = frozenset(
    {*COUNT_LABELS, "coverage", "penetration", "scores", *LEVEL_KEYS}
    | {*RECOGNIZED_KEYS, *IN_FORCE_KEYS}
)


# The columns of the tables by unit, sector and 大类 (keys of :func:`figures`).
TABLE_COLUMNS: Final = (
    *COUNT_LABELS,
    "coverage",
    *LEVEL_KEYS,
    "mean",
    "median",
    "penetration",
    *RECOGNIZED_KEYS,
    *IN_FORCE_KEYS,
)


class UnknownFigure(KeyError):
    pass


def is_tier_figure(key: str) -> bool:
    """Tier counts count factories: their list is of factories (with their enterprise)."""
    return key in RECOGNIZED_KEYS or key in IN_FORCE_KEYS


def figure_count(stats: Statistics, key: str) -> int:
    """How many rows the list behind figure ``key`` has: enterprises, or factories for a tier
    count (a ratio's list is its numerator's; the scores' list is every assessed enterprise)."""
    if key in COUNT_LABELS:
        return getattr(stats, key).value
    if key in ("coverage", "penetration"):
        return getattr(stats, key).numerator.value
    if key == "scores":
        return stats.scores.count
    if key in LEVEL_KEYS:
        return stats.distribution[LEVEL_KEYS[key]].value
    if key in RECOGNIZED_KEYS:
        return stats.recognized_in_year[RECOGNIZED_KEYS[key]].value
    if key in IN_FORCE_KEYS:
        return stats.in_force[IN_FORCE_KEYS[key]].value
    raise UnknownFigure(key)


def figure_label(key: str, year: int) -> str:
    if key in COUNT_LABELS:
        return COUNT_LABELS[key]
    if key == "coverage":
        return "规上企业自评估覆盖度"
    if key == "penetration":
        return "智能工厂普及率"
    if key == "scores":
        return "自评估得分（平均数、中位数）"
    if key in LEVEL_KEYS:
        return f"成熟度{LEVEL_KEYS[key]}"
    if key in RECOGNIZED_KEYS:
        return f"{year}年度新认定{RECOGNIZED_KEYS[key]}智能工厂"
    if key in IN_FORCE_KEYS:
        return f"在有效期内的{IN_FORCE_KEYS[key]}智能工厂"
    raise UnknownFigure(key)


def figures(stats: Statistics) -> dict[str, Figure]:
    """Every figure of one scope, in the page's order."""
    year = stats.year

    def make(key: str, value: str) -> Figure:
        return Figure(key, figure_label(key, year), value, figure_count(stats, key))

    result = {key: make(key, str(getattr(stats, key).value)) for key in COUNT_LABELS}
    result["coverage"] = make("coverage", format_percent(stats.coverage))
    for key, name in LEVEL_KEYS.items():
        result[key] = make(key, str(stats.distribution[name].value))
    result["mean"] = Figure(
        "scores", "平均得分", format_score(stats.scores.mean), stats.scores.count
    )
    result["median"] = Figure(
        "scores", "得分中位数", format_score(stats.scores.median), stats.scores.count
    )
    result["penetration"] = make("penetration", format_percent(stats.penetration))
    for key, tier in RECOGNIZED_KEYS.items():
        result[key] = make(key, str(stats.recognized_in_year[tier].value))
    for key, tier in IN_FORCE_KEYS.items():
        result[key] = make(key, str(stats.in_force[tier].value))
    return result
