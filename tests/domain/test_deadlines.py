from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.deadlines import (
    add_working_days,
    deadline_status,
    is_late,
    is_working_day,
    local_date,
)

MAY_6 = date(2026, 5, 6)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_days_left_counts_shanghai_calendar_days():
    status = deadline_status(MAY_6, utc(2026, 5, 1, 12))
    assert (status.days_left, status.overdue, status.label) == (5, False, "剩余5天")


def test_the_deadline_day_says_today():
    assert deadline_status(MAY_6, utc(2026, 5, 5, 16, 30)).label == "今天截止"  # 00:30 in Shanghai


def test_after_the_deadline_it_is_overdue():
    status = deadline_status(MAY_6, utc(2026, 5, 8, 1))
    assert status.overdue and status.days_left == -2 and status.label == "已逾期2天"


def test_a_task_without_a_date_has_no_countdown():
    status = deadline_status(None, utc(2026, 5, 8))
    assert status.days_left is None and not status.overdue and status.label == "无固定截止日期"


def test_late_means_after_the_deadline_day_in_shanghai():
    assert not is_late(utc(2026, 5, 6, 15, 59), MAY_6)  # 23:59 Shanghai
    assert is_late(utc(2026, 5, 6, 16, 0), MAY_6)  # 00:00 next day in Shanghai
    assert not is_late(utc(2026, 5, 7), None)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 5, 6))


def test_five_working_days_from_a_monday_end_on_friday():
    assert add_working_days(date(2026, 5, 11), 5) == date(2026, 5, 15)


def test_a_period_spanning_a_weekend_skips_it():
    assert add_working_days(date(2026, 5, 14), 5) == date(2026, 5, 20)


def test_a_weekend_start_counts_from_monday():
    assert add_working_days(date(2026, 5, 16), 1) == date(2026, 5, 18)


def test_holidays_and_working_weekends_are_respected():
    holidays = {date(2026, 5, 1), date(2026, 5, 4), date(2026, 5, 5)}
    extra = {date(2026, 5, 9)}
    assert add_working_days(date(2026, 4, 30), 3, holidays, extra) == date(2026, 5, 7)
    assert is_working_day(date(2026, 5, 9), holidays, extra)


def test_zero_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(MAY_6, 0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 60))
def test_the_period_holds_exactly_n_working_days(start, n):
    end = add_working_days(start, n)
    days = [start + timedelta(d) for d in range((end - start).days + 1)]
    assert sum(1 for d in days if d.weekday() < 5) == n
    assert end.weekday() < 5


def test_a_review_is_due_fourteen_days_after_the_assignment_unless_told_otherwise():
    from factorytiers.domain.deadlines import review_due

    assert review_due(date(2026, 5, 1)) == date(2026, 5, 15)
    assert review_due(date(2026, 12, 25), days=10) == date(2027, 1, 4)
