from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.enterprise_size import (
    ABOVE_SCALE_REVENUE_WAN,
    SizeClass,
    is_above_scale,
    size_class,
)

LARGE, MEDIUM, SMALL, MICRO = SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO
ORDER = [MICRO, SMALL, MEDIUM, LARGE]


def test_classes_carry_the_words_on_the_forms() -> None:
    assert [str(size) for size in SizeClass] == ["大型企业", "中型企业", "小型企业", "微型企业"]


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        # 大型: both lower bounds met exactly, and each missed by one unit.
        (1000, "40000", LARGE),
        (1000, "40000.00", LARGE),
        (999, "40000", MEDIUM),
        (1000, "39999", MEDIUM),
        (1000, "39999.99", MEDIUM),
        (999, "39999", MEDIUM),
        # 大型 by one indicator only falls as far as the other indicator allows.
        (100000, "39999", MEDIUM),
        (999, "10000000", MEDIUM),
        (1000, "1999", SMALL),
        (299, "40000", SMALL),
        (1000, "299", MICRO),
        (19, "40000", MICRO),
        # 中型 bounds.
        (300, "2000", MEDIUM),
        (299, "2000", SMALL),
        (300, "1999", SMALL),
        (300, "1999.9999", SMALL),
        (299, "1999", SMALL),
        (300, "299", MICRO),
        (19, "2000", MICRO),
        # 小型 bounds.
        (20, "300", SMALL),
        (19, "300", MICRO),
        (20, "299", MICRO),
        (20, "299.99", MICRO),
        (19, "299", MICRO),
        # 微型 needs only one indicator below the 小型 bound.
        (0, "0", MICRO),
        (19, "1000000", MICRO),
        (100000, "299", MICRO),
        (0, "40000", MICRO),
        (1000, "0", MICRO),
    ],
)
def test_it_classifies_at_every_boundary(employees: int, revenue: str, expected: SizeClass) -> None:
    assert size_class(employees, Decimal(revenue)) is expected


def test_it_accepts_whole_numbers_of_wan() -> None:
    assert size_class(1000, 40000) is LARGE  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("employees", "revenue", "message"),
    [
        (-1, Decimal("0"), "从业人员不能为负数，当前为-1"),
        (0, Decimal("-0.01"), "营业收入不能为负数，当前为-0.01"),
        (0, Decimal("-1"), "营业收入不能为负数，当前为-1"),
        (0, Decimal("NaN"), "营业收入应为有限数值（万元），收到NaN"),
        (0, Decimal("Infinity"), "营业收入应为有限数值（万元），收到Infinity"),
        (0, 1.5, "营业收入应为数值（万元），收到1.5"),
        (0, "100", "营业收入应为数值（万元），收到'100'"),
        (True, Decimal("0"), "从业人员应为整数（人），收到True"),
        (10.0, Decimal("0"), "从业人员应为整数（人），收到10.0"),
    ],
)
def test_it_refuses_impossible_inputs_naming_the_field(
    employees: object, revenue: object, message: str
) -> None:
    with pytest.raises(ValueError) as excinfo:
        size_class(employees, revenue)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


def test_employees_are_checked_before_revenue() -> None:
    with pytest.raises(ValueError, match="从业人员"):
        size_class(-1, Decimal("-1"))


@pytest.mark.parametrize(
    ("revenue", "expected"),
    [("2000", True), ("2000.00", True), ("1999.99", False), ("0", False), ("40000", True)],
)
def test_above_scale_starts_at_two_thousand_wan(revenue: str, expected: bool) -> None:
    assert ABOVE_SCALE_REVENUE_WAN == Decimal("2000")
    assert is_above_scale(Decimal(revenue)) is expected


def test_above_scale_refuses_a_negative_revenue() -> None:
    with pytest.raises(ValueError) as excinfo:
        is_above_scale(Decimal("-5"))
    assert str(excinfo.value) == "营业收入不能为负数，当前为-5"


employees_st = st.integers(min_value=0, max_value=200_000)
revenue_st = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)


@given(employees_st, employees_st, revenue_st, revenue_st)
def test_size_never_falls_when_either_input_grows(
    e1: int, e2: int, r1: Decimal, r2: Decimal
) -> None:
    low_e, high_e = sorted((e1, e2))
    low_r, high_r = sorted((r1, r2))
    low = ORDER.index(size_class(low_e, low_r))
    assert low <= ORDER.index(size_class(high_e, low_r))
    assert low <= ORDER.index(size_class(low_e, high_r))
    assert low <= ORDER.index(size_class(high_e, high_r))


@given(employees_st, revenue_st)
def test_a_class_is_given_only_when_both_its_bounds_are_met(
    employees: int, revenue: Decimal
) -> None:
    size = size_class(employees, revenue)
    bounds = {LARGE: (1000, 40000), MEDIUM: (300, 2000), SMALL: (20, 300)}
    if size is not MICRO:
        min_employees, min_revenue = bounds[size]
        assert employees >= min_employees
        assert revenue >= min_revenue
    # ...and the next class up is missed on at least one indicator.
    index = ORDER.index(size)
    if index < len(ORDER) - 1:
        min_employees, min_revenue = bounds[ORDER[index + 1]]
        assert employees < min_employees or revenue < min_revenue


@given(revenue_st)
def test_above_scale_matches_the_medium_revenue_bound(revenue: Decimal) -> None:
    assert is_above_scale(revenue) == (revenue >= 2000)
