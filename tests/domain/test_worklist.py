"""The to-do lists' rules: deadline phrases, urgency, a unit's status on a task, shares."""

from datetime import date
from decimal import Decimal

import pytest

from factorytiers.domain.worklist import (
    Due,
    DueKind,
    UnitTaskStatus,
    Urgency,
    due,
    share,
    unit_task_due,
    unit_task_status,
)

DEADLINE = date(2026, 5, 6)


@pytest.mark.parametrize(
    ("today", "kind", "days", "phrase", "urgency"),
    [
        (date(2026, 4, 1), DueKind.LEFT, 35, "还剩 35 天", Urgency.LATER),
        (date(2026, 4, 29), DueKind.LEFT, 7, "还剩 7 天", Urgency.SOON),
        (date(2026, 5, 5), DueKind.LEFT, 1, "还剩 1 天", Urgency.SOON),
        (date(2026, 5, 6), DueKind.TODAY, 0, "今天截止", Urgency.TODAY),
        (date(2026, 5, 7), DueKind.LATE, 1, "已逾期 1 天", Urgency.LATE),
        (date(2026, 6, 5), DueKind.LATE, 30, "已逾期 30 天", Urgency.LATE),
    ],
)
def test_a_deadline_is_said_in_days_left_today_or_days_late(today, kind, days, phrase, urgency):
    result = due(DEADLINE, today)
    assert result == Due(kind, days)
    assert result.phrase == phrase
    assert result.urgency == urgency


def test_no_deadline_is_said_so_and_is_least_urgent():
    assert due(None, date(2026, 5, 6)).phrase == "无固定截止日期"
    assert due(None, date(2026, 5, 6)).urgency == Urgency.NONE


@pytest.mark.parametrize(
    ("state", "late", "status", "label"),
    [
        (None, False, UnitTaskStatus.NOT_STARTED, "未开始"),
        ("draft", False, UnitTaskStatus.DRAFT, "草稿"),
        ("submitted", False, UnitTaskStatus.ON_TIME, "按时报送"),
        ("submitted", True, UnitTaskStatus.LATE, "逾期报送"),
        ("returned", True, UnitTaskStatus.RETURNED, "被省级退回"),
    ],
)
def test_a_units_status_on_a_task(state, late, status, label):
    assert unit_task_status(state, is_late=late) == status
    assert status.label == label


def test_an_unknown_report_state_is_refused():
    with pytest.raises(ValueError):
        unit_task_status("lost", is_late=False)


def test_a_reported_task_has_no_deadline_left_even_past_it():
    after = date(2026, 5, 20)
    assert unit_task_due(UnitTaskStatus.ON_TIME, DEADLINE, after) is None
    assert unit_task_due(UnitTaskStatus.LATE, DEADLINE, after) is None
    assert unit_task_due(UnitTaskStatus.RETURNED, DEADLINE, after) == Due(DueKind.LATE, 14)
    assert unit_task_due(UnitTaskStatus.NOT_STARTED, DEADLINE, after).phrase == "已逾期 14 天"


def test_share_is_a_percentage_with_two_places_half_up():
    assert share(1, 3) == Decimal("33.33")
    assert share(2, 3) == Decimal("66.67")
    assert share(1, 8) == Decimal("12.50")
    assert share(0, 0) is None
