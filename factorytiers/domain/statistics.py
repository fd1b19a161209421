"""The campaign's statistics (product specification, "Statistics"), as pure functions.

Input is :class:`Counted`, plain data that a selector reads for one year and one scope (a
unit, or the province), already counted — a few thousand rows whatever the number of
enterprises (the database keeps or computes the counts):

- :class:`Tally` rows: how many enterprises of one group (unit, sector, 大类) share one 规上 flag
  and one *counted* level for the year (from the latest submitted assessment, self-assessed in
  the product or imported from the national platform; ``None``: not assessed), with the sum
  of their scores;
- score counts (how many enterprises hold each score) for the scope and for each group, which
  the medians are read off;
- :class:`TierTally` rows: the factories of a group under a tier, recognized in the year and
  holding it as their one tier in force on the reference date.

:func:`counted_from_rows` makes the same from one :class:`EnterpriseRow` per enterprise and one
:class:`RecognitionRow` per recognition.

A figure's list (the enterprises or factories behind a number) is read as a query with the same
definition (``documents.selectors``), never carried here. Ratios whose denominator is empty are
``None`` (shown as "—"), never an error.

Definitions:

- 自评估企业数: enterprises with a counted assessment for the year;
- 规上企业自评估覆盖度 = 规上 enterprises with a counted assessment / 规上 enterprises;
- 成熟度水平分析: counts over 未达一级, 一级 … 五级; mean and median score (two decimals,
  half up) of the assessed enterprises;
- 智能工厂普及率 = 规上 enterprises whose counted level is 二级 or higher / 规上 enterprises;
- tier counts: distinct factories per tier recognized in the year; and factories in force, each
  under its one tier in force (the highest, when it holds several at once: a 基础级 factory
  recognized 先进级 counts as 先进级 only), so the counts equal the rows of 附件2's table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from operator import attrgetter
from typing import Final, Literal

from .tiers import TIERS, tier_rank

LEVEL_NAMES: Final = ("未达一级", "一级", "二级", "三级", "四级", "五级")
MAX_LEVEL: Final = len(LEVEL_NAMES) - 1
PENETRATION_MIN_LEVEL: Final = 2  # 智能工厂普及率 counts 二级 and higher
TWO_PLACES: Final = Decimal("0.01")
FOUR_PLACES: Final = Decimal("0.0001")

GroupBy = Literal["unit", "sector", "division"]
GROUP_LABELS: Final[dict[str, str]] = {
    "unit": "报送单位",
    "sector": "所属行业",
    "division": "行业大类",
}


class StatisticsInputError(ValueError):
    """An input row is inconsistent; the message (Chinese) names the row and the problem."""


def _check_result(level: int | None, score: Decimal | None, who: str) -> None:
    if (level is None) != (score is None):
        raise StatisticsInputError(f"{who}的成熟度等级与得分应同时填写或同时为空")
    if level is not None and not 0 <= level <= MAX_LEVEL:
        raise StatisticsInputError(f"{who}的成熟度等级应为0至{MAX_LEVEL}，当前为{level}")
    if score is not None and (not score.is_finite() or score < 0):
        raise StatisticsInputError(f"{who}的自评估得分应为非负数，当前为{score}")


@dataclass(frozen=True)
class EnterpriseRow:
    enterprise_id: int
    unit: str  # 报送单位 name (or code; the grouping key as shown)
    sector: str  # 所属行业
    division: str  # 行业大类, e.g. "34 通用设备制造业"
    above_scale: bool
    level: int | None = None  # counted assessment level, 0 = 未达一级; None = not assessed
    score: Decimal | None = None

    def __post_init__(self) -> None:
        _check_result(self.level, self.score, f"企业（编号{self.enterprise_id}）")

    @property
    def assessed(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class Tally:
    """``count`` enterprises of one unit, sector and 大类 with the same 规上 flag and counted
    level (``None``: not assessed), and the sum of their counted scores."""

    unit: str
    sector: str
    division: str
    above_scale: bool
    level: int | None
    count: int
    score_total: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        who = f"统计分组（{self.unit}、{self.sector}、{self.division}）"
        if self.count < 1:
            raise StatisticsInputError(f"{who}的企业数应为正整数，当前为{self.count}")
        if self.level is not None and not 0 <= self.level <= MAX_LEVEL:
            raise StatisticsInputError(f"{who}的成熟度等级应为0至{MAX_LEVEL}，当前为{self.level}")
        if not self.score_total.is_finite() or self.score_total < 0:
            raise StatisticsInputError(f"{who}的得分合计应为非负数，当前为{self.score_total}")
        if self.level is None and self.score_total:
            raise StatisticsInputError(f"{who}未自评估，得分合计应为0，当前为{self.score_total}")

    @property
    def assessed(self) -> bool:
        return self.level is not None


# How many enterprises hold each counted score: the median is read off it.
ScoreCounts = Mapping[Decimal, int]


@dataclass(frozen=True)
class Counted:
    """What the figures of one scope and year are computed from: the enterprises' tallies, the
    factories' tier tallies, and the score counts of the whole scope and of each group of each
    grouping (``scores_by["unit"]["太原市"]``)."""

    tallies: Sequence[Tally]
    tiers: Sequence[TierTally]
    scores: ScoreCounts
    scores_by: Mapping[str, Mapping[str, ScoreCounts]]


@dataclass(frozen=True)
class RecognitionRow:
    factory_id: int
    enterprise_id: int
    tier: str  # 基础级 / 先进级 / 卓越级 / 领航级
    year: int
    in_force: bool
    # The group of the factory's enterprise (as in its Tally), for the figures by group.
    unit: str
    sector: str
    division: str

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise StatisticsInputError(
                f"工厂（编号{self.factory_id}）的级别“{self.tier}”不是{'、'.join(TIERS)}之一"
            )


@dataclass(frozen=True)
class TierTally:
    """The factories of one group's enterprises under one tier: recognized in the year, and
    holding it as their one tier in force (the highest in force) on the reference date."""

    unit: str
    sector: str
    division: str
    tier: str
    recognized_in_year: int = 0
    in_force: int = 0

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise StatisticsInputError(
                f"统计分组（{self.unit}、{self.sector}、{self.division}）的级别“{self.tier}”"
                f"不是{'、'.join(TIERS)}之一"
            )
        if self.recognized_in_year < 0 or self.in_force < 0:
            raise StatisticsInputError(
                f"统计分组（{self.unit}、{self.sector}、{self.division}）的{self.tier}工厂数"
                "应为非负整数"
            )


@dataclass(frozen=True)
class Count:
    """A number of enterprises."""

    value: int = 0


@dataclass(frozen=True)
class Ratio:
    numerator: Count
    denominator: Count

    @property
    def fraction(self) -> Fraction | None:
        if not self.denominator.value:
            return None
        return Fraction(self.numerator.value, self.denominator.value)

    @property
    def value(self) -> Decimal | None:
        """The ratio in [0, 1], four decimals (half up); None when the denominator is 0."""
        fraction = self.fraction
        return None if fraction is None else _decimal(fraction, FOUR_PLACES)

    @property
    def percent(self) -> Decimal | None:
        """The ratio as a percentage, two decimals (half up); None when the denominator is 0."""
        fraction = self.fraction
        return None if fraction is None else _decimal(fraction * 100, TWO_PLACES)


@dataclass(frozen=True)
class ScoreSummary:
    mean: Decimal | None
    median: Decimal | None
    count: int  # the assessed enterprises the two are taken over


@dataclass(frozen=True)
class TierCount:
    """A number of factories."""

    value: int = 0


@dataclass(frozen=True)
class Statistics:
    year: int
    enterprises: Count
    above_scale: Count
    assessed: Count  # 自评估企业数
    above_scale_assessed: Count
    coverage: Ratio  # 规上企业自评估覆盖度
    distribution: Mapping[str, Count]  # LEVEL_NAMES, in order
    scores: ScoreSummary
    above_scale_level_2_plus: Count
    penetration: Ratio  # 智能工厂普及率
    recognized_in_year: Mapping[str, TierCount]  # TIERS, in order
    in_force: Mapping[str, TierCount]  # TIERS, in order


def counted_from_rows(
    enterprises: Iterable[EnterpriseRow], recognitions: Iterable[RecognitionRow], year: int
) -> Counted:
    """What the database's ``GROUP BY`` queries return for these enterprises and recognitions
    in ``year``, made from one row per enterprise and per recognition."""
    tallies: dict[tuple, list] = {}
    scores: dict[Decimal, int] = {}
    scores_by: dict[str, dict[str, dict[Decimal, int]]] = {by: {} for by in GROUP_LABELS}
    seen: set[int] = set()
    for row in enterprises:
        if row.enterprise_id in seen:
            raise StatisticsInputError(f"企业（编号{row.enterprise_id}）重复出现")
        seen.add(row.enterprise_id)
        key = (row.unit, row.sector, row.division, row.above_scale, row.level)
        held = tallies.setdefault(key, [0, Decimal(0)])
        held[0] += 1
        if row.score is not None:
            held[1] += row.score
            scores[row.score] = scores.get(row.score, 0) + 1
            for by, groups in scores_by.items():
                group = groups.setdefault(getattr(row, by), {})
                group[row.score] = group.get(row.score, 0) + 1
    recognitions = list(recognitions)
    recognized: dict[tuple, set[int]] = {}
    held: dict[tuple, set[int]] = {}
    for recognition in recognitions:
        key = (recognition.unit, recognition.sector, recognition.division, recognition.tier)
        recognized.setdefault(key, set())
        held.setdefault(key, set())
        if recognition.year == year:
            recognized[key].add(recognition.factory_id)
    in_force = tiers_in_force(recognitions)
    for recognition in recognitions:
        if in_force.get(recognition.factory_id) == recognition.tier and recognition.in_force:
            key = (recognition.unit, recognition.sector, recognition.division, recognition.tier)
            held[key].add(recognition.factory_id)
    return Counted(
        tallies=[Tally(*key, count=n, score_total=total) for key, (n, total) in tallies.items()],
        tiers=[
            TierTally(*key, recognized_in_year=len(recognized[key]), in_force=len(held[key]))
            for key in recognized
        ],
        scores=scores,
        scores_by=scores_by,
    )


def compute(counted: Counted, year: int) -> Statistics:
    """All figures for one scope and one year."""
    return _compute(counted.tallies, counted.tiers, counted.scores, year)


def compute_by(
    counted: Counted, year: int, by: GroupBy, order: Sequence[str] | None = None
) -> dict[str, Statistics]:
    """Figures per unit, sector or 大类: every enterprise falls in exactly one group.

    Groups come in ``order`` when given (groups with no enterprise then appear with zeros),
    followed by any other group in sorted order.
    """
    if by not in GROUP_LABELS:
        raise ValueError(f"unknown grouping {by!r}")
    key = attrgetter(by)
    groups: dict[str, list[Tally]] = {name: [] for name in order or ()}
    for row in counted.tallies:
        groups.setdefault(key(row), []).append(row)
    by_group: dict[str, list[TierTally]] = {}
    for tier in counted.tiers:
        if not groups.get(key(tier)):
            raise StatisticsInputError(f"{tier.tier}工厂所在的分组“{key(tier)}”没有企业")
        by_group.setdefault(key(tier), []).append(tier)
    scores = counted.scores_by.get(by, {})
    unknown = sorted(set(scores) - set(groups))
    if unknown:
        raise StatisticsInputError(f"得分分布中的分组“{unknown[0]}”没有企业")
    known = list(order or ())
    names = known + sorted(name for name in groups if name not in known)
    return {
        name: _compute(groups[name], by_group.get(name, []), scores.get(name, {}), year)
        for name in names
    }


def tiers_in_force(recognitions: Iterable[RecognitionRow]) -> dict[int, str]:
    """Each factory's one tier in force: the highest of its recognitions in force."""
    tiers: dict[int, str] = {}
    for recognition in recognitions:
        if not recognition.in_force:
            continue
        held = tiers.get(recognition.factory_id)
        if held is None or tier_rank(recognition.tier) > tier_rank(held):
            tiers[recognition.factory_id] = recognition.tier
    return tiers


def level_name(level: int) -> str:
    return LEVEL_NAMES[level]


def format_percent(ratio: Ratio) -> str:
    """ "85.71%", or "—" when the denominator is empty."""
    percent = ratio.percent
    return "—" if percent is None else f"{percent}%"


def format_score(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}"


# --------------------------------------------------------------------------------------------


def _compute(
    tallies: Sequence[Tally], tiers: Sequence[TierTally], score_counts: ScoreCounts, year: int
) -> Statistics:
    counts = {"all": 0, "above": 0, "assessed": 0, "above_assessed": 0, "level_2_plus": 0}
    levels = [0] * len(LEVEL_NAMES)
    score_total = Decimal(0)
    for row in tallies:
        counts["all"] += row.count
        if row.above_scale:
            counts["above"] += row.count
        if row.level is None:
            continue
        counts["assessed"] += row.count
        levels[row.level] += row.count
        score_total += row.score_total
        if row.above_scale:
            counts["above_assessed"] += row.count
            if row.level >= PENETRATION_MIN_LEVEL:
                counts["level_2_plus"] += row.count
    scores = sorted(score_counts.items())
    if sum(n for _score, n in scores) != counts["assessed"]:
        raise StatisticsInputError(
            f"得分分布的企业数（{sum(n for _score, n in scores)}）与自评估企业数"
            f"（{counts['assessed']}）不一致"
        )
    above = Count(counts["above"])
    level_2_plus = Count(counts["level_2_plus"])
    return Statistics(
        year=year,
        enterprises=Count(counts["all"]),
        above_scale=above,
        assessed=Count(counts["assessed"]),
        above_scale_assessed=Count(counts["above_assessed"]),
        coverage=Ratio(Count(counts["above_assessed"]), above),
        distribution={name: Count(levels[level]) for level, name in enumerate(LEVEL_NAMES)},
        scores=ScoreSummary(
            mean=_mean(score_total, counts["assessed"]),
            median=_median(scores),
            count=counts["assessed"],
        ),
        above_scale_level_2_plus=level_2_plus,
        penetration=Ratio(level_2_plus, above),
        recognized_in_year={
            tier: TierCount(sum(t.recognized_in_year for t in tiers if t.tier == tier))
            for tier in TIERS
        },
        in_force={
            tier: TierCount(sum(t.in_force for t in tiers if t.tier == tier)) for tier in TIERS
        },
    )


def _decimal(value: Fraction, quantum: Decimal) -> Decimal:
    # Non-negative values only (counts, shares, scores). Exact: round the fraction itself, not a float or a 28-digit Decimal approximation.
    scale = int(1 / quantum)
    scaled = value * scale
    whole, remainder = divmod(scaled.numerator, scaled.denominator)
    if remainder * 2 >= scaled.denominator:
        whole += 1
    return (Decimal(whole) / scale).quantize(quantum, rounding=ROUND_HALF_UP)


def _mean(total: Decimal, count: int) -> Decimal | None:
    """The mean score, exactly: the (exact) sum divided once as a fraction."""
    return _decimal(Fraction(total) / count, TWO_PLACES) if count else None


def score_at(scores: Sequence[tuple[Decimal, int]], index: int) -> Decimal:
    """The ``index``-th (from 0) of the scores in order, each repeated as many times as it is
    held."""
    for score, n in scores:
        if index < n:
            return score
        index -= n
    raise IndexError(index)


def _median(scores: Sequence[tuple[Decimal, int]]) -> Decimal | None:
    """The median of sorted (score, how many) pairs: the middle score, or the mean of the middle
    two, rounded half up."""
    count = sum(n for _score, n in scores)
    if not count:
        return None
    middle = count // 2
    if count % 2:
        return _decimal(Fraction(score_at(scores, middle)), TWO_PLACES)
    low, high = score_at(scores, middle - 1), score_at(scores, middle)
    return _decimal((Fraction(low) + Fraction(high)) / 2, TWO_PLACES)
