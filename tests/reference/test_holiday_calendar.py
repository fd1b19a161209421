"""The official holiday calendar file loads, covers 2024–2026 and drives 公示 working days."""

from datetime import date, timedelta

import pytest

from factorytiers.domain.deadlines import add_working_days
from factorytiers.reference.holidays import holiday_calendar

YEARS = [2024, 2025, 2026]

# Each notice's 春节 first day and 国庆节 period (2025: 国庆节、中秋节 together, 8 days).
SPRING_FESTIVAL_STARTS = {2024: date(2024, 2, 10), 2025: date(2025, 1, 28), 2026: date(2026, 2, 15)}
NATIONAL_DAY_LENGTH = {2024: 7, 2025: 8, 2026: 7}


def test_the_file_covers_the_years_of_the_notices():
    assert holiday_calendar().years == set(YEARS)


def test_the_calendar_is_read_once():
    assert holiday_calendar() is holiday_calendar()


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_spring_festival_and_national_day(year):
    calendar = holiday_calendar()
    names = {day: name for day, name in calendar.names.items() if day.year == year}
    spring = sorted(day for day, name in names.items() if name == "春节")
    national = sorted(day for day, name in names.items() if "国庆节" in name)
    assert spring and national
    first_off = SPRING_FESTIVAL_STARTS[year]
    assert first_off in calendar.holidays and first_off - timedelta(1) not in calendar.holidays
    national_off = [d for d in national if d in calendar.holidays]
    length = NATIONAL_DAY_LENGTH[year]
    assert national_off == [date(year, 10, 1) + timedelta(n) for n in range(length)]
    # Every year has 调休 working weekends around both holidays.
    assert any(d in calendar.working_days for d in spring)
    assert any(d in calendar.working_days for d in national)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # 9-28 Mon (1), 9-29 (2), 9-30 (3), 10-01..10-07 国庆节, 10-08 (4), 10-09 (5)
        (date(2026, 9, 28), date(2026, 10, 9)),
        # 2-12 Thu (1), 2-13 (2), 2-14 Sat 调休 (3), 2-15..2-23 春节, 2-24 (4), 2-25 (5)
        (date(2026, 2, 12), date(2026, 2, 25)),
        # 6-11 Thu (1), 6-12 (2), 6-15 (3), 6-16 (4), 6-17 (5): 端午节 6-19..6-21 comes later
        (date(2026, 6, 11), date(2026, 6, 17)),
        # 4-30 Thu (1), 5-01..5-05 劳动节, 5-06 (2), 5-07 (3), 5-08 (4), 5-09 Sat 调休 (5)
        (date(2026, 4, 30), date(2026, 5, 9)),
    ],
)
def test_five_working_days_by_the_file(start, end):
    assert holiday_calendar().add_working_days(start, 5) == end


def test_a_year_not_in_the_file_skips_weekends_only():
    calendar = holiday_calendar()
    # 2030-10-01 is a Tuesday; without that year's notice it counts as a working day.
    assert calendar.add_working_days(date(2030, 9, 30), 5) == add_working_days(date(2030, 9, 30), 5)
    assert calendar.add_working_days(date(2030, 9, 30), 5) == date(2030, 10, 4)
