"""Scoring of a maturity self-assessment (GB/T 39117-2020 rules as the project applies them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.maturity import (
    DEFAULT_MODEL_PATH,
    LEVEL_RULE_BAND,
    LEVEL_RULE_MET_LEVELS,
    AnswerError,
    MaturityModel,
    display_score,
    improvement_items,
    level_for_score,
    level_name,
    load_model,
    score_assessment,
    score_matches_level,
    unanswered_items,
)

GRADES = (("FULL", "全部满足", "1"), ("MOSTLY", "大部分满足", "0.8"), ("PARTLY", "部分满足", "0.5"))
GRADES += (("NOT_MET", "不满足", "0"),)
GRADE_VALUE = {key: Fraction(Decimal(value)) for key, _, value in GRADES}
LETTER = {"F": "FULL", "M": "MOSTLY", "P": "PARTLY", "N": "NOT_MET"}
LEVEL_NAMES = ("规划级", "规范级", "集成级", "优化级", "引领级")
ALL_LEVELS = (1, 2, 3, 4, 5)


def model_text(
    sub_domains: Sequence[tuple[str, str, Sequence[int], int]],
    *,
    level_rule: str = LEVEL_RULE_BAND,
    discrete_weights: Mapping[str, str] | None = None,
    item_weights: Mapping[str, str] | None = None,
) -> str:
    """A small model: one element; sub-domains given as (code, domain, levels, items per level).

    Item codes are ``<sub-domain>.L<level>.<n>``.
    """
    lines = [
        'edition = "TEST"',
        'version = "t1"',
        f'level_rule = "{level_rule}"',
        'met_threshold = "0.8"',
        'bands = ["0.8", "1.8", "2.8", "3.8", "4.8"]',
    ]
    for key, name, value in GRADES:
        lines += ["[[grades]]", f'key = "{key}"', f'name = "{name}"', f'value = "{value}"']
    for number, name in enumerate(LEVEL_NAMES, start=1):
        lines += ["[[levels]]", f"number = {number}", f'name = "{name}"']
    lines += ["[[manufacturing_types]]", 'code = "DISCRETE"', 'name = "离散型"']
    if discrete_weights:
        lines.append("[manufacturing_types.weights]")
        lines += [f'{code} = "{weight}"' for code, weight in discrete_weights.items()]
    lines += ["[[manufacturing_types]]", 'code = "PROCESS"', 'name = "流程型"']
    lines += ["[[elements]]", 'code = "E"', 'name = "要素"']
    for domain in dict.fromkeys(domain for _, domain, _, _ in sub_domains):
        lines += ["[[domains]]", f'code = "{domain}"', f'name = "{domain}"', 'element = "E"']
    weights = item_weights or {}
    for code, domain, levels, per_level in sub_domains:
        lines += [
            "[[sub_domains]]",
            f'code = "{code}"',
            f'name = "{code}"',
            f'domain = "{domain}"',
            f"levels = [{', '.join(map(str, levels))}]",
            "items = [",
        ]
        for level in levels:
            for n in range(1, per_level + 1):
                item = f"{code}.L{level}.{n}"
                weight = weights.get(item, "1")
                lines.append(
                    f'  {{ code = "{item}", level = {level}, text = "条目 {item}", weight = "{weight}" }},'
                )
        lines.append("]")
    return "\n".join(lines) + "\n"


@cache
def ten_item_model(level_rule: str = LEVEL_RULE_BAND) -> MaturityModel:
    """One sub-domain "S" with ten items per level: a level's score is the mean of ten grades."""
    return load_model(model_text([("S", "D", ALL_LEVELS, 10)], level_rule=level_rule))


def ten(levels: Mapping[int, str]) -> dict[str, str]:
    """Answers for the ten-item model, one letter per item (F, M, P, N; "-" leaves it open)."""
    return {
        f"S.L{level}.{n}": LETTER[letter]
        for level, letters in levels.items()
        for n, letter in enumerate(letters, start=1)
        if letter != "-"
    }


def discrete(model: MaturityModel, answers: Mapping[str, object], **kwargs):
    return score_assessment(model, answers, manufacturing_type="离散型", **kwargs)


F10, M10, N10, P10 = "F" * 10, "M" * 10, "N" * 10, "P" * 10


# --------------------------------------------------------------------------------------------
# Worked examples, computed by hand
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Example:
    answers: Mapping[int, str]
    total: str
    band_level: int
    met_levels: int
    evaluated: tuple[int, ...]

    @property
    def borderline(self) -> bool:
        return self.band_level != self.met_levels


EXAMPLES = {
    # 0/10 → s1 = 0: stops at 一级.
    "all zero": Example({1: N10}, "0", 0, 0, (1,)),
    # (5·1 + 3·0.8 + 0.5 + 0)/10 = 0.79 < 0.8: 一级 not met, total 0.79.
    "0.79 just below 一级": Example({1: "FFFFFMMMPN"}, "0.79", 0, 0, (1,)),
    # s1 = 0.8 exactly is met; s2 = 0 → 0.8.
    "exactly 0.8": Example({1: M10, 2: N10}, "0.8", 1, 1, (1, 2)),
    # s1 = (5 + 5·0.8)/10 = 0.9, s2 = (8 + 0.5)/10 = 0.85, s3 = 0 → 1.75: band 一级, two met.
    "1.75 borderline": Example({1: "FFFFFMMMMM", 2: "FFFFFFFFPN", 3: N10}, "1.75", 1, 2, (1, 2, 3)),
    # s1 = 1, s2 = 0.79 (unmet) → 1.79.
    "1.79 just below 二级": Example({1: F10, 2: "FFFFFMMMPN"}, "1.79", 1, 1, (1, 2)),
    "exactly 1.8": Example({1: F10, 2: M10, 3: N10}, "1.8", 2, 2, (1, 2, 3)),
    "exactly 2.8": Example({1: F10, 2: F10, 3: M10, 4: N10}, "2.8", 3, 3, (1, 2, 3, 4)),
    "exactly 3.8": Example({1: F10, 2: F10, 3: F10, 4: M10, 5: N10}, "3.8", 4, 4, ALL_LEVELS),
    "exactly 4.8": Example({1: F10, 2: F10, 3: F10, 4: F10, 5: M10}, "4.8", 5, 5, ALL_LEVELS),
    "full marks": Example(dict.fromkeys(ALL_LEVELS, F10), "5", 5, 5, ALL_LEVELS),
    # s2 = 0.5 stops the evaluation: the full marks at 三级–五级 do not count. 1 + 0.5 = 1.5.
    "stops at first unmet level": Example(
        {1: F10, 2: P10, 3: F10, 4: F10, 5: F10}, "1.5", 1, 1, (1, 2)
    ),
    # 1 + 1 + 0.9 + 0.65 = 3.55, a real result reported as 三级.
    "3.55 is 三级": Example(
        {1: F10, 2: F10, 3: "FFFFFMMMMM", 4: "FFFFFFPNNN"}, "3.55", 3, 3, (1, 2, 3, 4)
    ),
    # 1 + 1 + 0.96 + 0.75 = 3.71, a real result reported as 三级.
    "3.71 is 三级": Example(
        {1: F10, 2: F10, 3: "FFFFFFFFMM", 4: "FFFFFFFPNN"}, "3.71", 3, 3, (1, 2, 3, 4)
    ),
    # Three levels met at exactly 0.8, 四级 at 0: 2.4 falls in the 二级 band.
    "three met levels, 二级 band": Example(
        {1: M10, 2: M10, 3: M10, 4: N10}, "2.4", 2, 3, (1, 2, 3, 4)
    ),
    # Every level met at 0.8: 4.0 is the 四级 band although all five levels are met.
    "all five met at 0.8": Example(dict.fromkeys(ALL_LEVELS, M10), "4", 4, 5, ALL_LEVELS),
    # Two open items count as 0: (8·1)/10 = 0.8 met; 二级 entirely open → 0.
    "unanswered count as zero": Example({1: "FFFFFFFF--"}, "0.8", 1, 1, (1, 2)),
}


@pytest.mark.parametrize("rule", [LEVEL_RULE_BAND, LEVEL_RULE_MET_LEVELS])
@pytest.mark.parametrize("example", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_worked_example(example: Example, rule: str) -> None:
    result = discrete(ten_item_model(rule), ten(example.answers))

    assert result.total == Decimal(example.total)
    assert result.total_display == Decimal(example.total).quantize(Decimal("0.01"))
    assert result.band_level == example.band_level
    assert result.met_levels == example.met_levels
    assert result.evaluated_levels == example.evaluated
    assert result.borderline is example.borderline
    expected_level = example.band_level if rule == LEVEL_RULE_BAND else example.met_levels
    assert result.level == expected_level
    assert result.level_name == level_name(expected_level)


def test_the_1_75_example_keeps_its_level_scores() -> None:
    result = discrete(ten_item_model(), ten(EXAMPLES["1.75 borderline"].answers))

    assert dict(result.level_scores) == {1: Decimal("0.9"), 2: Decimal("0.85"), 3: Decimal("0")}
    assert (result.level, result.level_name, result.level_title) == (1, "一级", "规划级")
    assert result.borderline


REAL_ROWS = {
    "real model, all 全部满足": ("FULL", "5", 5, 5),
    "real model, all 大部分满足": ("MOSTLY", "4", 4, 5),
    "real model, all 部分满足": ("PARTLY", "0.5", 0, 0),
    "real model, all 不满足": ("NOT_MET", "0", 0, 0),
}


@pytest.mark.parametrize(
    ("grade", "total", "band", "met"), REAL_ROWS.values(), ids=REAL_ROWS.keys()
)
def test_worked_example_on_the_real_model(grade: str, total: str, band: int, met: int) -> None:
    model = real_model()
    answers = {item.code: grade for item in model.items}

    for manufacturing_type in ("离散型", "流程型"):
        result = score_assessment(model, answers, manufacturing_type=manufacturing_type)
        assert result.total == Decimal(total)
        assert (result.level, result.band_level, result.met_levels) == (band, band, met)
        assert result.borderline is (band != met)
        assert result.unanswered == ()

    by_met = dataclasses.replace(model, level_rule=LEVEL_RULE_MET_LEVELS)
    assert score_assessment(by_met, answers, manufacturing_type="离散型").level == met


@cache
def real_model() -> MaturityModel:
    return load_model(DEFAULT_MODEL_PATH)


# --------------------------------------------------------------------------------------------
# Boundaries, under both level rules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [LEVEL_RULE_BAND, LEVEL_RULE_MET_LEVELS])
@pytest.mark.parametrize("k", ALL_LEVELS)
def test_a_total_exactly_on_a_band_boundary_reaches_that_level(k: int, rule: str) -> None:
    # Levels below k full, level k at exactly 0.8, the rest 0: total k − 1 + 0.8.
    answers = ten(
        {**dict.fromkeys(range(1, k), F10), k: M10, **dict.fromkeys(range(k + 1, 6), N10)}
    )

    result = discrete(ten_item_model(rule), answers)

    assert result.total == Decimal(k - 1) + Decimal("0.8")
    assert result.level == k
    assert not result.borderline


@pytest.mark.parametrize("rule", [LEVEL_RULE_BAND, LEVEL_RULE_MET_LEVELS])
@pytest.mark.parametrize("k", ALL_LEVELS)
def test_a_total_just_below_a_band_boundary_stays_below(k: int, rule: str) -> None:
    # Levels below k full, level k at 0.79: not met, total k − 1 + 0.79.
    answers = ten({**dict.fromkeys(range(1, k), F10), k: "FFFFFMMMPN"})

    result = discrete(ten_item_model(rule), answers)

    assert result.total == Decimal(k - 1) + Decimal("0.79")
    assert result.level == k - 1
    assert result.evaluated_levels == tuple(range(1, k + 1))


BOUNDARIES = [
    ("0", 0),
    ("0.79", 0),
    ("0.8", 1),
    ("1.79", 1),
    ("1.8", 2),
    ("2.79", 2),
    ("2.8", 3),
    ("3.55", 3),
    ("3.71", 3),
    ("3.79", 3),
    ("3.8", 4),
    ("4.79", 4),
    ("4.8", 5),
    ("5", 5),
]


@pytest.mark.parametrize(("total", "level"), BOUNDARIES)
def test_level_for_score_uses_the_bands(total: str, level: int) -> None:
    assert level_for_score(Decimal(total), model=ten_item_model()) == level
    # The band rule applies whatever the model's level rule.
    assert level_for_score(Decimal(total), model=ten_item_model(LEVEL_RULE_MET_LEVELS)) == level


@given(cents=st.integers(min_value=0, max_value=500))
def test_level_for_score_counts_the_bands_reached(cents: int) -> None:
    total = Decimal(cents) / 100
    expected = sum(1 for bound in ("0.8", "1.8", "2.8", "3.8", "4.8") if total >= Decimal(bound))

    assert level_for_score(total, model=ten_item_model()) == expected
    assert score_matches_level(total, expected, model=ten_item_model())


@pytest.mark.parametrize("bad", [Decimal("5.01"), Decimal("-0.01"), "三点五", 3.5, Decimal("NaN")])
def test_level_for_score_refuses_a_score_outside_the_scale(bad: object) -> None:
    with pytest.raises(AnswerError):
        level_for_score(bad, model=ten_item_model())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rule", "total", "level", "expected"),
    [
        (LEVEL_RULE_BAND, "1.75", 1, True),
        (LEVEL_RULE_BAND, "1.75", 2, False),
        (LEVEL_RULE_BAND, "3.55", 3, True),
        (LEVEL_RULE_BAND, "3.55", 4, False),
        # With k met levels: 0.8·k ≤ total < k + 0.8 (total ≤ 5 when all five are met).
        (LEVEL_RULE_MET_LEVELS, "1.75", 1, True),
        (LEVEL_RULE_MET_LEVELS, "1.75", 2, True),
        (LEVEL_RULE_MET_LEVELS, "1.75", 3, False),
        (LEVEL_RULE_MET_LEVELS, "0.79", 0, True),
        (LEVEL_RULE_MET_LEVELS, "0.8", 0, False),
        (LEVEL_RULE_MET_LEVELS, "4", 4, True),
        (LEVEL_RULE_MET_LEVELS, "4", 5, True),
        (LEVEL_RULE_MET_LEVELS, "3.99", 5, False),
        (LEVEL_RULE_MET_LEVELS, "5", 5, True),
        (LEVEL_RULE_MET_LEVELS, "2", 6, False),
    ],
)
def test_score_matches_level_under_each_rule(
    rule: str, total: str, level: int, expected: bool
) -> None:
    assert score_matches_level(Decimal(total), level, model=ten_item_model(rule)) is expected


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

# Three sub-domains in two domains; "C" has no items at 一级.
MIXED_SUB_DOMAINS = [
    ("A", "D1", ALL_LEVELS, 2),
    ("B", "D1", ALL_LEVELS, 3),
    ("C", "D2", (2, 3, 4, 5), 1),
]
MIXED_WEIGHTS = {"A": "2", "B": "1", "C": "3"}
MIXED_ITEM_WEIGHTS = {"A.L1.1": "3", "B.L2.2": "2", "B.L3.1": "0.5"}


@cache
def mixed_model(
    level_rule: str = LEVEL_RULE_BAND, scale: str = "1", without: str = ""
) -> MaturityModel:
    """The mixed model, every weight (defaults included) times ``scale``, maybe without one."""
    factor = Decimal(scale)
    item_weights = {**dict.fromkeys(item_codes(MIXED_SUB_DOMAINS), "1"), **MIXED_ITEM_WEIGHTS}

    def scaled(weights: Mapping[str, str]) -> dict[str, str]:
        return {code: str(Decimal(w) * factor) for code, w in weights.items() if code[0] != without}

    return load_model(
        model_text(
            [sub for sub in MIXED_SUB_DOMAINS if sub[0] != without],
            level_rule=level_rule,
            discrete_weights=scaled(MIXED_WEIGHTS),
            item_weights=scaled(item_weights),
        )
    )


def item_codes(sub_domains: Sequence[tuple[str, str, Sequence[int], int]]) -> list[str]:
    return [
        f"{code}.L{level}.{n}"
        for code, _, levels, per_level in sub_domains
        for level in levels
        for n in range(1, per_level + 1)
    ]


def answers_for(model: MaturityModel, *, open_items: bool = True) -> st.SearchStrategy:
    choices = [key for key, _, _ in GRADES] + ([None] if open_items else [])
    return st.fixed_dictionaries({item.code: st.sampled_from(choices) for item in model.items})


@given(answers=answers_for(mixed_model()), data=st.data())
def test_raising_one_answer_never_lowers_the_result(answers, data) -> None:
    code = data.draw(st.sampled_from(sorted(answers)))
    current = GRADE_VALUE.get(answers[code], Fraction(0))
    higher = data.draw(st.sampled_from([k for k, v in GRADE_VALUE.items() if v >= current]))

    before = discrete(mixed_model(), answers)
    after = discrete(mixed_model(), {**answers, code: higher})

    assert after.total >= before.total
    assert after.band_level >= before.band_level  # the level under "band"
    assert after.met_levels >= before.met_levels  # the level under "met_levels"


@given(answers=answers_for(mixed_model()))
def test_the_total_stays_on_the_scale_and_stops_at_the_first_unmet_level(answers) -> None:
    result = discrete(mixed_model(), answers)

    assert Decimal(0) <= result.total <= Decimal(5)
    assert 0 <= result.level <= 5
    assert abs(result.total - sum(result.level_scores.values())) < Decimal("1e-20")
    assert result.evaluated_levels == tuple(range(1, len(result.evaluated_levels) + 1))
    met = [level for level, score in result.level_scores.items() if score >= Decimal("0.8")]
    assert met == list(range(1, result.met_levels + 1))
    if result.met_levels < 5:
        assert result.evaluated_levels[-1] == result.met_levels + 1
    assert result.level == level_for_score(result.total, model=mixed_model())


@given(answers=answers_for(mixed_model()))
def test_leaving_out_a_sub_domain_equals_removing_it_from_the_model(answers) -> None:
    left_out = discrete(mixed_model(), answers, left_out=["B"])
    removed = discrete(
        mixed_model(without="B"),
        {code: grade for code, grade in answers.items() if not code.startswith("B.")},
    )

    assert left_out.total == removed.total
    assert dict(left_out.level_scores) == dict(removed.level_scores)
    assert {k: dict(v) for k, v in left_out.sub_domain_scores.items()} == {
        k: dict(v) for k, v in removed.sub_domain_scores.items()
    }
    assert {k: dict(v) for k, v in left_out.domain_scores.items()} == {
        k: dict(v) for k, v in removed.domain_scores.items()
    }
    assert left_out.unanswered == removed.unanswered
    assert left_out.left_out == ("B",)


@given(answers=answers_for(mixed_model()), scale=st.sampled_from(["0.5", "3", "7", "1000"]))
def test_scaling_every_weight_leaves_the_scores_unchanged(answers, scale) -> None:
    plain = discrete(mixed_model(), answers)
    scaled = discrete(mixed_model(scale=scale), answers)

    assert scaled.total == plain.total
    assert dict(scaled.level_scores) == dict(plain.level_scores)
    assert {k: dict(v) for k, v in scaled.domain_scores.items()} == {
        k: dict(v) for k, v in plain.domain_scores.items()
    }


@cache
def unweighted_model(weight: str) -> MaturityModel:
    subs = MIXED_SUB_DOMAINS
    items = dict.fromkeys(item_codes(subs), weight)
    return load_model(
        model_text(subs, discrete_weights=dict.fromkeys("ABC", weight), item_weights=items)
    )


@given(
    answers=answers_for(mixed_model(), open_items=False), weight=st.sampled_from(["1", "3", "0.25"])
)
def test_equal_weights_give_the_plain_mean(answers, weight) -> None:
    result = discrete(unweighted_model(weight), answers)

    for level, score in result.level_scores.items():
        sub_means = [
            sum(GRADE_VALUE[answers[f"{code}.L{level}.{n}"]] for n in range(1, k + 1)) / k
            for code, _, levels, k in MIXED_SUB_DOMAINS
            if level in levels
        ]
        expected = sum(sub_means) / len(sub_means)
        assert Fraction(score) == expected or abs(Fraction(score) - expected) < Fraction(1, 10**25)


# --------------------------------------------------------------------------------------------
# Weights, exactness and display
# --------------------------------------------------------------------------------------------


def test_sub_domain_weights_of_the_manufacturing_type_are_used() -> None:
    model = load_model(
        model_text(
            [("A", "D", ALL_LEVELS, 1), ("B", "D", ALL_LEVELS, 1)], discrete_weights={"A": "3"}
        )
    )
    answers = {"A.L1.1": "FULL", "B.L1.1": "NOT_MET"}

    # 离散型: (3·1 + 1·0)/4 = 0.75, unmet. 流程型 has equal weights: 0.5.
    assert score_assessment(model, answers, manufacturing_type="离散型").total == Decimal("0.75")
    assert score_assessment(model, answers, manufacturing_type="DISCRETE").total == Decimal("0.75")
    assert score_assessment(model, answers, manufacturing_type="流程型").total == Decimal("0.5")


def test_item_weights_weigh_the_sub_domain_mean() -> None:
    # 二级: (59·1 + 41·0.5)/100 = 0.795, unmet; total 1.795.
    model = load_model(
        model_text([("S", "D", ALL_LEVELS, 2)], item_weights={"S.L2.1": "59", "S.L2.2": "41"})
    )
    result = discrete(
        model, {"S.L1.1": "FULL", "S.L1.2": "FULL", "S.L2.1": "FULL", "S.L2.2": "PARTLY"}
    )

    assert result.level_scores[2] == Decimal("0.795")
    assert result.total == Decimal("1.795")
    # Shown as 1.80, yet the level is taken on the exact total: 一级, and the result says so.
    assert result.total_display == Decimal("1.80")
    assert result.level == 1
    assert result.rounding_changes_band


def test_scores_stay_exact_and_display_with_two_places_half_up() -> None:
    model = load_model(model_text([("S", "D", ALL_LEVELS, 3)]))
    # 一级: (1 + 1 + 0.5)/3 = 5/6, met; 二级 0.
    result = discrete(model, {"S.L1.1": "FULL", "S.L1.2": "FULL", "S.L1.3": "PARTLY"})

    assert result.level_scores[1] == Decimal(5) / Decimal(6)
    assert result.total_display == Decimal("0.83")
    assert result.level == 1
    assert not result.rounding_changes_band
    assert display_score(Decimal("3.545")) == Decimal("3.55")
    assert display_score(Decimal("3.705")) == Decimal("3.71")


# --------------------------------------------------------------------------------------------
# What the result carries
# --------------------------------------------------------------------------------------------


def test_domain_and_sub_domain_scores_cover_evaluated_levels_and_the_next_one() -> None:
    answers = {code: "FULL" for code in mixed_codes(levels=(1,))}
    answers["A.L2.1"] = "PARTLY"

    result = discrete(mixed_model(), answers)

    # 一级 met (1.0); 二级 evaluated and unmet; level 一级, so the next level is 二级.
    assert result.evaluated_levels == (1, 2)
    assert result.level == 1
    assert result.next_level == 2
    assert set(result.sub_domain_scores) == {1, 2}
    assert dict(result.sub_domain_scores[1]) == {"A": Decimal(1), "B": Decimal(1)}  # no C at 一级
    assert dict(result.sub_domain_scores[2]) == {"A": Decimal("0.25"), "B": 0, "C": 0}
    assert dict(result.domain_scores[1]) == {"D1": Decimal(1)}
    # D1 at 二级: weights A 2, B 1 → (2·0.25 + 0)/3.
    assert result.domain_scores[2]["D1"] == Decimal("0.5") / Decimal(3)


def mixed_codes(levels: Sequence[int]) -> list[str]:
    return [item.code for item in mixed_model().items if item.level in levels]


def test_a_level_five_result_reports_level_five_as_next() -> None:
    result = discrete(mixed_model(), {item.code: "FULL" for item in mixed_model().items})

    assert result.level == 5
    assert result.next_level == 5
    assert set(result.domain_scores) == set(ALL_LEVELS)


def test_the_next_level_is_scored_even_when_not_evaluated() -> None:
    # With lower bands an unmet 一级 can still reach the 一级 band: 0.7 ≥ 0.5. The next level
    # (二级) was never evaluated, yet the radar chart needs its scores.
    model = dataclasses.replace(
        ten_item_model(), bands=tuple(map(Decimal, ("0.5", "1.5", "2.5", "3.5", "4.5")))
    )
    result = discrete(model, ten({1: "FFFFFFPPNN", 2: F10}))

    assert result.evaluated_levels == (1,)
    assert (result.level, result.met_levels, result.next_level) == (1, 0, 2)
    assert result.borderline
    assert dict(result.sub_domain_scores[2]) == {"S": Decimal(1)}
    assert dict(result.domain_scores[2]) == {"D": Decimal(1)}
    assert 2 not in result.level_scores


def test_unanswered_items_of_evaluated_levels_are_listed() -> None:
    result = discrete(ten_item_model(), ten({1: "FFFFFFFF--", 3: F10}))

    assert result.unanswered == ("S.L1.9", "S.L1.10", *(f"S.L2.{n}" for n in range(1, 11)))
    assert len(unanswered_items(ten_item_model(), ten({1: "FFFFFFFF--", 3: F10}))) == 32


def test_left_out_items_are_not_unanswered() -> None:
    answers = {code: "FULL" for code in mixed_codes(levels=ALL_LEVELS) if code[0] != "C"}

    assert unanswered_items(mixed_model(), answers, left_out={"C"}) == ()
    assert len(unanswered_items(mixed_model(), answers)) == 4


def test_answers_may_be_keys_names_or_grade_values() -> None:
    forms = [
        {"S.L1.1": "MOSTLY"},
        {"S.L1.1": "大部分满足"},
        {"S.L1.1": Decimal("0.8")},
        {"S.L1.1": Decimal("0.80")},
    ]
    totals = {discrete(ten_item_model(), answers).total for answers in forms}

    assert totals == {Decimal("0.08")}
    assert discrete(ten_item_model(), {"S.L1.1": 1, "S.L1.2": None}).total == Decimal("0.1")


@pytest.mark.parametrize(
    ("answers", "kwargs", "fragment"),
    [
        ({"S.L9.1": "FULL"}, {}, "S.L9.1"),
        ({"S.L1.1": "ALMOST"}, {}, "ALMOST"),
        ({"S.L1.1": Decimal("0.7")}, {}, "0.7"),
        ({"S.L1.1": 0.8}, {}, "S.L1.1"),
        ({"S.L1.1": True}, {}, "S.L1.1"),
        ({}, {"manufacturing_type": "混合型"}, "混合型"),
        ({}, {"left_out": ["NOPE"]}, "NOPE"),
        ({}, {"left_out": "S"}, "left_out"),
        ({}, {"left_out": ["S"]}, "剔除"),
    ],
)
def test_it_refuses_answers_that_do_not_fit_the_model(answers, kwargs, fragment) -> None:
    arguments = {"manufacturing_type": "离散型", **kwargs}

    with pytest.raises(AnswerError, match=fragment):
        score_assessment(ten_item_model(), answers, **arguments)


# --------------------------------------------------------------------------------------------
# Improvement advice
# --------------------------------------------------------------------------------------------


def test_improvement_items_list_the_next_level_items_not_fully_met_by_domain() -> None:
    answers = {
        "A.L2.1": "FULL",
        "A.L2.2": "MOSTLY",
        "B.L2.1": "FULL",
        "B.L2.2": "FULL",
        "B.L2.3": "FULL",
        # C.L2.1 not answered
    }

    groups = improvement_items(mixed_model(), answers, target_level=2)

    assert [(g.domain, [i.code for i in g.items]) for g in groups] == [
        ("D1", ["A.L2.2"]),
        ("D2", ["C.L2.1"]),
    ]
    assert groups[0].items[0].grade == Decimal("0.8")
    assert groups[0].items[0].sub_domain_name == "A"
    assert groups[1].items[0].grade is None


def test_improvement_items_skip_left_out_sub_domains_and_empty_domains() -> None:
    groups = improvement_items(mixed_model(), {}, target_level=1, left_out=["B"])

    assert [(g.domain, [i.code for i in g.items]) for g in groups] == [("D1", ["A.L1.1", "A.L1.2"])]


@pytest.mark.parametrize("level", [0, 6])
def test_improvement_items_refuse_a_level_outside_the_model(level: int) -> None:
    with pytest.raises(AnswerError):
        improvement_items(mixed_model(), {}, target_level=level)


def test_improvement_items_on_the_real_model_follow_the_twelve_domains() -> None:
    model = real_model()

    groups = improvement_items(model, {}, target_level=3)

    assert [g.domain_name for g in groups] == [d.name for d in model.domains]
    assert sum(len(g.items) for g in groups) == len([i for i in model.items if i.level == 3])


# --------------------------------------------------------------------------------------------
# Level names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "name"),
    [(0, "未达一级"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级"), (5, "五级")],
)
def test_level_name(level: int, name: str) -> None:
    assert level_name(level) == name


@pytest.mark.parametrize("level", [-1, 11])
def test_level_name_refuses_an_impossible_level(level: int) -> None:
    with pytest.raises(ValueError):
        level_name(level)
