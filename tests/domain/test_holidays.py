from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.deadlines import add_working_days
from factorytiers.domain.holidays import HolidayCalendar, HolidayRowError, parse_holiday_csv

# The rows of 国办发明电〔2025〕7号 (2026) around 春节 and 国庆节/中秋节, as in the data file.
NOTICE_2026 = """date,kind,name
2026-02-14,workday,春节
2026-02-15,holiday,春节
2026-02-16,holiday,春节
2026-02-17,holiday,春节
2026-02-18,holiday,春节
2026-02-19,holiday,春节
2026-02-20,holiday,春节
2026-02-21,holiday,春节
2026-02-22,holiday,春节
2026-02-23,holiday,春节
2026-02-28,workday,春节
2026-09-20,workday,国庆节
2026-09-25,holiday,中秋节
2026-09-26,holiday,中秋节
2026-09-27,holiday,中秋节
2026-10-01,holiday,国庆节
2026-10-02,holiday,国庆节
2026-10-03,holiday,国庆节
2026-10-04,holiday,国庆节
2026-10-05,holiday,国庆节
2026-10-06,holiday,国庆节
2026-10-07,holiday,国庆节
2026-10-10,workday,国庆节
"""

CALENDAR = parse_holiday_csv(NOTICE_2026)


def test_the_notice_rows_become_holidays_and_working_weekends():
    assert len(CALENDAR.holidays) == 19
    assert CALENDAR.working_days == {
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert CALENDAR.names[date(2026, 2, 17)] == "春节"
    assert CALENDAR.years == {2026}


def test_five_working_days_from_2026_09_28_skip_national_day():
    # 9-28 Mon (1), 9-29 Tue (2), 9-30 Wed (3), 10-01..10-07 国庆节, 10-08 Thu (4), 10-09 Fri (5)
    assert CALENDAR.add_working_days(date(2026, 9, 28), 5) == date(2026, 10, 9)
    # Weekends only would have ended inside the holiday.
    assert add_working_days(date(2026, 9, 28), 5) == date(2026, 10, 2)


def test_five_working_days_from_just_before_spring_festival_2026():
    # 2-12 Thu (1), 2-13 Fri (2), 2-14 Sat 调休 (3), 2-15..2-23 春节, 2-24 Tue (4), 2-25 Wed (5)
    assert CALENDAR.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 25)


def test_a_working_saturday_counts():
    assert CALENDAR.is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert not CALENDAR.is_working_day(date(2026, 10, 11))  # the Sunday after stays off
    # 9-29 Tue (1), 9-30 Wed (2), 10-01..10-07 国庆节, 10-08 Thu (3), 10-09 Fri (4), 10-10 Sat (5)
    assert CALENDAR.add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 10)
    # 2-24 Tue (1), 2-25 Wed (2), 2-26 Thu (3), 2-27 Fri (4), 2-28 Sat 调休 (5)
    assert CALENDAR.add_working_days(date(2026, 2, 24), 5) == date(2026, 2, 28)


def test_a_start_inside_the_holiday_counts_from_the_first_working_day():
    # 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat 调休 (3)
    assert CALENDAR.add_working_days(date(2026, 10, 3), 3) == date(2026, 10, 10)


def test_an_empty_calendar_skips_weekends_only():
    empty = HolidayCalendar()
    assert empty.add_working_days(date(2026, 9, 28), 5) == date(2026, 10, 2)
    assert parse_holiday_csv("date,kind,name\n") == empty


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("date,kind\n2026-10-01,holiday\n", 1, "表头"),
        ("date,kind,name\n2026-10-01,holiday\n", 2, "应有3列，实有2列"),
        ("date,kind,name\n2026-10-01,holiday,国庆节\n2026-13-01,holiday,国庆节\n", 3, "2026-13-01"),
        ("date,kind,name\n20261001,holiday,国庆节\n", 2, "应写作 2026-10-01"),
        ("date,kind,name\n2026-10-01,vacation,国庆节\n", 2, "vacation"),
        ("date,kind,name\n2026-10-01,holiday,\n", 2, "名称"),
        ("date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-01,holiday,国庆节\n", 3, "重复"),
        # 2026-10-09 is a Friday: a working day anyway, so a 调休 row for it is a mistake.
        (
            "date,kind,name\n2026-10-10,workday,国庆节\n2026-10-09,workday,国庆节\n",
            3,
            "不是周六或周日",
        ),
        ("date,kind,name\n2026-10-01,holiday,国庆节\n\n", 3, "实有0列"),
    ],
)
def test_a_bad_row_is_refused_naming_its_line(text, line, problem):
    with pytest.raises(HolidayRowError) as refused:
        parse_holiday_csv(text)
    assert refused.value.line == line
    assert problem in str(refused.value)
    assert str(refused.value).startswith(f"第{line}行：")


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def calendars(draw):
    holidays = draw(st.frozensets(days, max_size=40))
    weekends = draw(st.frozensets(days.filter(lambda d: d.weekday() >= 5), max_size=10))
    return HolidayCalendar(holidays=holidays - weekends, working_days=weekends)


@given(calendars(), days, st.integers(1, 30))
def test_the_period_holds_exactly_n_working_days_of_the_calendar(calendar, start, n):
    end = calendar.add_working_days(start, n)
    period = [start + timedelta(d) for d in range((end - start).days + 1)]
    working = [
        d
        for d in period
        if d in calendar.working_days or (d.weekday() < 5 and d not in calendar.holidays)
    ]
    assert len(working) == n
    assert working[-1] == end


@given(calendars())
def test_rows_written_from_a_calendar_read_back_as_the_same_calendar(calendar):
    rows = [(d, "holiday") for d in calendar.holidays] + [
        (d, "workday") for d in calendar.working_days
    ]
    text = "date,kind,name\n" + "".join(f"{d.isoformat()},{k},节日\n" for d, k in sorted(rows))
    assert parse_holiday_csv(text) == calendar
