"""Largest-remainder rounding: the shown parts add up to the shown total, on any data."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.rounding import largest_remainder, percentages

weights = st.lists(st.integers(0, 10_000), min_size=1, max_size=30).filter(any)


@given(weights, st.integers(0, 1_000_000))
def test_the_parts_always_sum_to_the_total_each_within_one_unit_of_its_exact_value(parts, total):
    rounded = largest_remainder(parts, total)
    assert sum(rounded) == total
    whole = sum(parts)
    for weight, part in zip(parts, rounded, strict=True):
        assert abs(part - Fraction(weight * total, whole)) < 1
        if weight == 0:
            assert part == 0


@given(weights)
def test_percentages_add_up_to_exactly_100(counts):
    shares = percentages(counts)
    assert sum(shares) == Decimal("100.00")
    assert all(share.as_tuple().exponent == -2 for share in shares)


def test_three_thirds_show_as_100_percent_not_99_99():
    assert percentages([1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    # Rounded one by one these would be 16.67 + 16.67 + 66.67 = 100.01.
    assert percentages([1, 1, 4]) == [Decimal("16.67"), Decimal("16.67"), Decimal("66.66")]
    assert [str(share) for share in percentages([0, 3])] == ["0.00", "100.00"]


def test_nothing_to_share_is_none_and_bad_input_is_refused():
    assert percentages([0, 0]) is None
    assert percentages([]) is None
    with pytest.raises(ValueError):
        largest_remainder([0, 0], 100)
    with pytest.raises(ValueError):
        largest_remainder([1, -1, 2], 100)
    with pytest.raises(ValueError):
        largest_remainder([1], -1)
