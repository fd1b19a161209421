from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorytiers.domain.reminders import (
    OVERDUE,
    OVERDUE_WINDOW,
    due_offset,
    due_offsets,
    latest_reach,
    normalised,
    parse_days_before,
)

APRIL_15 = date(2026, 4, 15)


def on(days_before_deadline: int, offsets=(7, 1)):
    return due_offsets(APRIL_15, APRIL_15 - timedelta(days=days_before_deadline), offsets)


def test_seven_days_before_the_seven_day_reminder_is_due():
    assert on(7) == (7,)


def test_one_day_before_the_one_day_reminder_is_due():
    assert on(1) == (1,)


def test_a_missed_run_is_caught_up_in_the_offsets_window():
    assert on(5) == (7,)
    assert on(0) == (1,)  # the deadline day itself still belongs to the last reminder


def test_nothing_is_due_before_the_first_reminder():
    assert on(8) == ()


def test_after_the_deadline_the_overdue_reminder_is_due_for_a_while():
    assert on(-1) == (OVERDUE,)
    assert on(-OVERDUE_WINDOW) == (OVERDUE,)
    assert on(-OVERDUE_WINDOW - 1) == ()


def test_a_task_without_a_deadline_has_no_reminder():
    assert due_offsets(None, APRIL_15) == ()


def test_offsets_are_distinct_in_range_and_earliest_first():
    assert normalised([1, 7, 7, -3, 99, 0]) == (7, 1, 0)
    assert latest_reach([1, 14]) == 14 and latest_reach([]) == 0


def test_typed_offsets_are_read_or_refused_in_chinese():
    assert parse_days_before("7，1") == ((7, 1), None)
    assert parse_days_before("3 、10") == ((10, 3), None)
    assert parse_days_before("7,x")[1] == "“x”不是0至60之间的整数天数"
    assert parse_days_before("1,1")[1] == "天数不能重复"
    assert parse_days_before("") == ((), None)


offsets = st.lists(st.integers(min_value=0, max_value=60), max_size=5)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
# The draws are trivial; on a loaded machine the first one may still take a second.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(deadline=days, today=days, days_before=offsets)
def test_at_most_one_reminder_is_due_and_never_early(deadline, today, days_before):
    due = due_offsets(deadline, today, days_before)
    assert len(due) <= 1
    for offset in due:
        days_left = (deadline - today).days
        if offset == OVERDUE:
            assert days_left < 0
        else:
            assert offset in days_before and 0 <= days_left <= offset


@relaxed
@given(deadline=days, days_before=offsets)
def test_walking_the_calendar_meets_every_offset_once_in_one_stretch(deadline, days_before):
    seen = [
        due_offset(deadline, deadline + timedelta(days=shift), days_before)
        for shift in range(-70, OVERDUE_WINDOW + 3)
    ]
    stretches = [offset for i, offset in enumerate(seen) if i == 0 or seen[i - 1] != offset]
    met = [offset for offset in stretches if offset is not None]
    # Each offset, then the overdue one, each in one unbroken stretch of days, in that order.
    assert met == [*normalised(days_before), OVERDUE]
