import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.dates import FIRST_YEAR, LAST_YEAR, add_years, in_accepted_years

accepted_days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
leap_days = (
    st.integers(FIRST_YEAR, LAST_YEAR).filter(calendar.isleap).map(lambda year: date(year, 2, 29))
)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 5, 6), 1, date(2027, 5, 6)),
        (date(2028, 2, 29), 1, date(2029, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2028, 2, 29), 3, date(2031, 2, 28)),
        (date(2028, 2, 29), -1, date(2027, 2, 28)),
        (date(2027, 2, 28), 1, date(2028, 2, 28)),
        (date(2026, 12, 31), 3, date(2029, 12, 31)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
    ],
)
def test_add_years_keeps_the_calendar_date(day, years, expected):
    assert add_years(day, years) == expected


@given(accepted_days, st.integers(-50, 50))
def test_add_years_moves_the_year_and_keeps_month_and_day_except_29_february(day, years):
    moved = add_years(day, years)
    assert moved.year == day.year + years
    assert moved.month == day.month
    if (day.month, day.day) == (2, 29) and not calendar.isleap(moved.year):
        assert moved.day == 28
    else:
        assert moved.day == day.day


@given(leap_days, st.integers(1, 10))
def test_29_february_never_fails_and_lands_on_the_last_day_of_february(day, years):
    moved = add_years(day, years)
    assert moved.month == 2
    assert moved + timedelta(days=1) == date(moved.year, 3, 1)


@given(accepted_days, st.integers(0, 30))
def test_adding_years_never_goes_backwards(day, years):
    assert add_years(day, years) >= day
    assert (add_years(day, years) - day).days <= 366 * years


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (date(1899, 12, 31), False),
        (date(1999, 12, 31), False),
        (date(2000, 1, 1), True),
        (date(2099, 12, 31), True),
        (date(2100, 1, 1), False),
        (date(9999, 12, 31), False),
        (date(1, 1, 1), False),
    ],
)
def test_accepted_years_are_2000_to_2099(day, accepted):
    assert in_accepted_years(day) is accepted
