"""Statistics of the campaign: the specification's definitions, on examples and on any data."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorytiers.domain.statistics import (
    LEVEL_NAMES,
    TIERS,
    Counted,
    EnterpriseRow,
    RecognitionRow,
    StatisticsInputError,
    Tally,
    TierTally,
    compute,
    compute_by,
    counted_from_rows,
    format_percent,
    format_score,
    tiers_in_force,
)

UNITS = ("太原市", "大同市", "山西转型综改示范区")
SECTORS = ("原材料", "电子信息", "装备制造", "消费品")
DIVISIONS = ("13 农副食品加工业", "34 通用设备制造业", "39 计算机、通信和其他电子设备制造业")


def recognition(factory_id, enterprise_id, tier, year, in_force, unit="太原市"):
    return RecognitionRow(
        factory_id=factory_id,
        enterprise_id=enterprise_id,
        tier=tier,
        year=year,
        in_force=in_force,
        unit=unit,
        sector="装备制造",
        division="34 通用设备制造业",
    )


def row(enterprise_id, *, above=True, level=None, score=None, unit="太原市", sector="装备制造"):
    return EnterpriseRow(
        enterprise_id=enterprise_id,
        unit=unit,
        sector=sector,
        division="34 通用设备制造业",
        above_scale=above,
        level=level,
        score=None if score is None else Decimal(score),
    )


@st.composite
def enterprise_rows(draw):
    count = draw(st.integers(min_value=0, max_value=40))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    rows = []
    for enterprise_id in ids:
        assessed = draw(st.booleans())
        level = draw(st.integers(0, 5)) if assessed else None
        score = (
            draw(st.decimals(min_value=0, max_value=5, places=2, allow_nan=False))
            if assessed
            else None
        )
        rows.append(
            EnterpriseRow(
                enterprise_id=enterprise_id,
                unit=draw(st.sampled_from(UNITS)),
                sector=draw(st.sampled_from(SECTORS)),
                division=draw(st.sampled_from(DIVISIONS)),
                above_scale=draw(st.booleans()),
                level=level,
                score=score,
            )
        )
    return rows


@st.composite
def data_sets(draw):
    rows = draw(enterprise_rows())
    recognitions = []
    if rows:
        # A factory belongs to one enterprise; it may hold several recognitions.
        owners = draw(st.lists(st.sampled_from(rows), min_size=1, max_size=25))
        for _ in range(draw(st.integers(0, 30))):
            factory_id = draw(st.integers(0, len(owners) - 1))
            owner = owners[factory_id]
            recognitions.append(
                RecognitionRow(
                    factory_id=factory_id,
                    enterprise_id=owner.enterprise_id,
                    tier=draw(st.sampled_from(TIERS)),
                    year=draw(st.integers(2024, 2026)),
                    in_force=draw(st.booleans()),
                    unit=owner.unit,
                    sector=owner.sector,
                    division=owner.division,
                )
            )
    return rows, recognitions


# -- examples --------------------------------------------------------------------------------


def test_the_specifications_figures_on_a_small_example():
    rows = [
        row(1, above=True, level=2, score="2.40"),
        row(2, above=True, level=1, score="1.60"),
        row(3, above=True),  # 规上, not assessed
        row(4, above=False, level=3, score="3.10"),
        row(5, above=False),
    ]
    stats = compute(counted_from_rows(rows, [], 2026), 2026)
    assert stats.enterprises.value == 5
    assert stats.assessed.value == 3  # 自评估企业数
    assert stats.above_scale.value == 3
    assert stats.coverage.numerator.value == 2  # 规上 and assessed: 1 and 2
    assert stats.coverage.percent == Decimal("66.67")
    assert stats.coverage.value == Decimal("0.6667")
    assert format_percent(stats.coverage) == "66.67%"
    # 智能工厂普及率: 规上 enterprises at 二级 or higher / 规上 enterprises; enterprise 4 is not 规上.
    assert stats.penetration.numerator.value == 1  # enterprise 1
    assert stats.penetration.percent == Decimal("33.33")
    assert {name: count.value for name, count in stats.distribution.items()} == {
        "未达一级": 0,
        "一级": 1,
        "二级": 1,
        "三级": 1,
        "四级": 0,
        "五级": 0,
    }
    assert stats.scores.mean == Decimal("2.37")  # 7.10 / 3 = 2.3666…
    assert stats.scores.median == Decimal("2.40")


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two_rounded_half_up():
    rows = [row(i, level=1, score=score) for i, score in enumerate(("1.00", "1.01", "2.00", "9"))]
    stats = compute(counted_from_rows(rows, [], 2026), 2026)
    assert stats.scores.median == Decimal("1.51")  # (1.01 + 2.00) / 2 = 1.505 → 1.51
    assert stats.scores.mean == Decimal("3.25")


def test_a_share_is_rounded_half_up_exactly():
    # 1/8 = 12.5% exactly; 1/3 = 33.333…%; 2/3 = 66.666…%
    eighth = compute(
        counted_from_rows([row(1, level=2, score="2")] + [row(i) for i in range(2, 9)], [], 2026),
        2026,
    )
    assert eighth.coverage.percent == Decimal("12.50")
    assert eighth.coverage.value == Decimal("0.1250")
    third = compute(
        counted_from_rows([row(1, level=0, score="0.5"), row(2), row(3)], [], 2026), 2026
    )
    assert third.coverage.percent == Decimal("33.33")
    assert third.penetration.percent == Decimal("0.00")


def test_empty_denominators_give_none_not_an_error():
    stats = compute(counted_from_rows([row(1, above=False)], [], 2026), 2026)
    assert stats.coverage.value is None
    assert stats.coverage.percent is None
    assert stats.penetration.percent is None
    assert format_percent(stats.penetration) == "—"
    assert stats.scores.mean is None and stats.scores.median is None
    assert format_score(stats.scores.mean) == "—"
    empty = compute(counted_from_rows([], [], 2026), 2026)
    assert empty.enterprises.value == 0
    assert all(count.value == 0 for count in empty.distribution.values())


def test_tier_counts_count_distinct_factories_in_the_year_and_in_force():
    rows = [row(1), row(2)]
    recognitions = [
        recognition(10, 1, "基础级", 2025, True),
        recognition(10, 1, "先进级", 2026, True),
        recognition(11, 1, "基础级", 2026, False),
        recognition(20, 2, "基础级", 2026, True),
    ]
    stats = compute(counted_from_rows(rows, recognitions, 2026), 2026)
    assert stats.recognized_in_year["基础级"].value == 2  # factories 11 and 20
    assert stats.recognized_in_year["先进级"].value == 1
    assert stats.recognized_in_year["卓越级"].value == 0
    # Factory 10 holds 基础级 and 先进级 at once: in force it counts once, as 先进级.
    assert stats.in_force["基础级"].value == 1  # factory 20
    assert stats.in_force["先进级"].value == 1  # factory 10
    assert list(stats.in_force) == list(TIERS)
    assert tiers_in_force(recognitions) == {10: "先进级", 20: "基础级"}


def test_groups_come_in_the_given_order_with_empty_groups_kept():
    rows = [row(1, unit="大同市"), row(2, unit="太原市"), row(3, unit="阳泉市")]
    groups = compute_by(
        counted_from_rows(rows, [], 2026), 2026, "unit", order=["太原市", "大同市", "朔州市"]
    )
    assert list(groups) == ["太原市", "大同市", "朔州市", "阳泉市"]
    assert groups["朔州市"].enterprises.value == 0
    assert groups["阳泉市"].enterprises.value == 1


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: row(1, level=2), "等级与得分应同时填写"),
        (lambda: row(1, score="2"), "等级与得分应同时填写"),
        (lambda: row(1, level=6, score="5"), "等级应为0至5"),
        (lambda: row(1, level=1, score="-1"), "得分应为非负数"),
        (
            lambda: recognition(1, 1, "示范级", 2026, True),
            "级别“示范级”不是",
        ),
        (lambda: counted_from_rows([row(1), row(1)], [], 2026), "重复出现"),
        (
            lambda: Tally("太原市", "装备制造", "34 通用设备制造业", True, None, count=0),
            "企业数应为正整数",
        ),
        (
            lambda: compute_by(
                counted_from_rows(
                    [row(1)], [recognition(5, 2, "基础级", 2026, True, unit="大同市")], 2026
                ),
                2026,
                "unit",
            ),
            "基础级工厂所在的分组“大同市”没有企业",
        ),
        (
            lambda: TierTally("太原市", "装备制造", "34 通用设备制造业", "示范级", 1, 1),
            "级别“示范级”不是",
        ),
        (
            lambda: TierTally("太原市", "装备制造", "34 通用设备制造业", "基础级", -1, 0),
            "基础级工厂数应为非负整数",
        ),
        (
            lambda: Tally("太原市", "装备制造", "34 通用设备制造业", False, None, 1, Decimal("2")),
            "未自评估，得分合计应为0",
        ),
        (
            lambda: compute(
                Counted(
                    tallies=counted_from_rows([row(1, level=1, score="1.5")], [], 2026).tallies,
                    tiers=[],
                    scores={},
                    scores_by={},
                ),
                2026,
            ),
            "得分分布的企业数（0）与自评估企业数（1）不一致",
        ),
    ],
)
def test_inconsistent_input_is_refused_naming_the_row(build, message):
    with pytest.raises(StatisticsInputError, match=message):
        build()


# -- properties ------------------------------------------------------------------------------


@settings(deadline=None)
@given(data_sets())
def test_the_distribution_sums_to_the_assessed_count(data):
    rows, recognitions = data
    stats = compute(counted_from_rows(rows, recognitions, 2026), 2026)
    assert sum(count.value for count in stats.distribution.values()) == stats.assessed.value


@settings(deadline=None)
@given(data_sets())
def test_shares_lie_between_zero_and_one_and_are_none_without_a_denominator(data):
    rows, recognitions = data
    stats = compute(counted_from_rows(rows, recognitions, 2026), 2026)
    for ratio in (stats.coverage, stats.penetration):
        if stats.above_scale.value == 0:
            assert ratio.value is None and ratio.percent is None
        else:
            assert Decimal(0) <= ratio.value <= Decimal(1)
            assert Decimal(0) <= ratio.percent <= Decimal(100)
            assert ratio.numerator.value <= ratio.denominator.value
    # Penetration counts a subset of the covered enterprises.
    assert stats.penetration.numerator.value <= stats.coverage.numerator.value


@settings(deadline=None)
@given(data_sets())
def test_mean_and_median_lie_within_the_scores(data):
    rows, recognitions = data
    stats = compute(counted_from_rows(rows, recognitions, 2026), 2026)
    scores = [r.score for r in rows if r.score is not None]
    if not scores:
        assert stats.scores.mean is None and stats.scores.median is None
    else:
        low = min(scores).quantize(Decimal("0.01"))
        high = max(scores).quantize(Decimal("0.01"))
        assert low <= stats.scores.mean <= high
        assert low <= stats.scores.median <= high
        assert stats.scores.count == stats.assessed.value


@settings(deadline=None)
@given(data_sets(), st.sampled_from(["unit", "sector", "division"]))
def test_group_figures_add_up_to_the_total(data, by):
    rows, recognitions = data
    total = compute(counted_from_rows(rows, recognitions, 2026), 2026)
    groups = compute_by(counted_from_rows(rows, recognitions, 2026), 2026, by)
    count_fields = ("enterprises", "above_scale", "assessed", "above_scale_assessed")
    for name in count_fields:
        parts = [getattr(group, name).value for group in groups.values()]
        assert sum(parts) == getattr(total, name).value
    for level in LEVEL_NAMES:
        assert (
            sum(group.distribution[level].value for group in groups.values())
            == total.distribution[level].value
        )
    assert (
        sum(group.penetration.numerator.value for group in groups.values())
        == total.penetration.numerator.value
    )
    for tier in TIERS:
        # A factory belongs to one enterprise, so per-group factory sets are disjoint.
        assert (
            sum(group.in_force[tier].value for group in groups.values())
            == total.in_force[tier].value
        )
        assert (
            sum(group.recognized_in_year[tier].value for group in groups.values())
            == total.recognized_in_year[tier].value
        )


@settings(deadline=None)
@given(data_sets())
def test_every_figure_equals_its_definition_counted_enterprise_by_enterprise(data):
    rows, recognitions = data
    stats = compute(counted_from_rows(rows, recognitions, 2026), 2026)
    above = [r for r in rows if r.above_scale]
    assessed = [r for r in rows if r.level is not None]
    assert stats.enterprises.value == len(rows)
    assert stats.above_scale.value == len(above)
    assert stats.assessed.value == len(assessed)
    assert stats.above_scale_assessed.value == len([r for r in above if r.level is not None])
    level_2_plus = [r for r in above if r.level is not None and r.level >= 2]
    assert stats.penetration.numerator.value == len(level_2_plus)
    for level, name in enumerate(LEVEL_NAMES):
        assert stats.distribution[name].value == len([r for r in assessed if r.level == level])
    scores = sorted(r.score for r in assessed)
    if scores:
        exact_mean = sum(Fraction(score) for score in scores) / len(scores)
        assert abs(Fraction(stats.scores.mean) - exact_mean) <= Fraction(1, 200)
        middle = len(scores) // 2
        exact_median = (
            Fraction(scores[middle])
            if len(scores) % 2
            else (Fraction(scores[middle - 1]) + Fraction(scores[middle])) / 2
        )
        assert abs(Fraction(stats.scores.median) - exact_median) <= Fraction(1, 200)
    for tier in TIERS:
        expected = {r.factory_id for r in recognitions if r.tier == tier and r.year == 2026}
        assert stats.recognized_in_year[tier].value == len(expected)
        held = {factory for factory, held in tiers_in_force(recognitions).items() if held == tier}
        assert stats.in_force[tier].value == len(held)
    # A factory is counted under one tier at most.
    assert sum(stats.in_force[tier].value for tier in TIERS) == len(tiers_in_force(recognitions))


def _exact_median(scores):
    scores = sorted(scores)
    middle = len(scores) // 2
    if len(scores) % 2:
        return Fraction(scores[middle])
    return (Fraction(scores[middle - 1]) + Fraction(scores[middle])) / 2


@settings(deadline=None)
@given(data_sets(), st.sampled_from(["unit", "sector", "division"]))
def test_each_groups_mean_and_median_are_those_of_its_own_enterprises(data, by):
    rows, recognitions = data
    groups = compute_by(counted_from_rows(rows, recognitions, 2026), 2026, by)
    for name, stats in groups.items():
        scores = [r.score for r in rows if getattr(r, by) == name and r.score is not None]
        if not scores:
            assert stats.scores.mean is None and stats.scores.median is None
            continue
        mean = sum(Fraction(score) for score in scores) / len(scores)
        assert abs(Fraction(stats.scores.mean) - mean) <= Fraction(1, 200)
        assert abs(Fraction(stats.scores.median) - _exact_median(scores)) <= Fraction(1, 200)
