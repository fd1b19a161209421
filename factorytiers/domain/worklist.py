"""The rules of the home pages' to-do lists: how a deadline is said, how urgent an item is, where
a unit stands on a task, and a share of two counts.

A deadline is a calendar date in Asia/Shanghai (see :mod:`deadlines`). Once a unit has reported
a task, the task has no deadline left for it: a reported task is never "已逾期", only reported on
time or late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum
from typing import Final

SOON_DAYS: Final = 7  # a deadline within a week is "soon"


class DueKind(StrEnum):
    NONE = "none"  # no fixed deadline
    LEFT = "left"  # 还剩 N 天
    TODAY = "today"  # 今天截止
    LATE = "late"  # 已逾期 N 天


class Urgency(IntEnum):
    """Lower is more urgent: lists are sorted by it."""

    LATE = 0
    TODAY = 1
    SOON = 2
    LATER = 3
    NONE = 4


@dataclass(frozen=True)
class Due:
    kind: DueKind
    days: int = 0  # days left (LEFT) or days late (LATE); 0 otherwise

    @property
    def phrase(self) -> str:
        """还剩 N 天 / 今天截止 / 已逾期 N 天 / 无固定截止日期."""
        return {
            DueKind.NONE: "无固定截止日期",
            DueKind.LEFT: f"还剩 {self.days} 天",
            DueKind.TODAY: "今天截止",
            DueKind.LATE: f"已逾期 {self.days} 天",
        }[self.kind]

    @property
    def urgency(self) -> Urgency:
        if self.kind == DueKind.LATE:
            return Urgency.LATE
        if self.kind == DueKind.TODAY:
            return Urgency.TODAY
        if self.kind == DueKind.LEFT:
            return Urgency.SOON if self.days <= SOON_DAYS else Urgency.LATER
        return Urgency.NONE


def due(deadline: date | None, today: date) -> Due:
    """Where ``today`` stands against ``deadline`` (both Asia/Shanghai calendar dates)."""
    if deadline is None:
        return Due(DueKind.NONE)
    days = (deadline - today).days
    if days > 0:
        return Due(DueKind.LEFT, days)
    if days == 0:
        return Due(DueKind.TODAY)
    return Due(DueKind.LATE, -days)


class UnitTaskStatus(StrEnum):
    """A unit's own status on a task (its report to the province)."""

    NOT_STARTED = "not_started"  # 未开始: nothing written yet
    DRAFT = "draft"  # 草稿: the list or files are being prepared
    ON_TIME = "on_time"  # 按时报送
    LATE = "late"  # 逾期报送
    RETURNED = "returned"  # 被省级退回

    @property
    def label(self) -> str:
        return {
            "not_started": "未开始",
            "draft": "草稿",
            "on_time": "按时报送",
            "late": "逾期报送",
            "returned": "被省级退回",
        }[self.value]

    @property
    def reported(self) -> bool:
        return self in (UnitTaskStatus.ON_TIME, UnitTaskStatus.LATE)


def unit_task_status(state: str | None, *, is_late: bool) -> UnitTaskStatus:
    """``state``: the unit's report row's state ("draft" / "submitted" / "returned"), or None
    when the unit has no row yet; ``is_late``: the row's 逾期报送 flag."""
    if state is None:
        return UnitTaskStatus.NOT_STARTED
    if state == "submitted":
        return UnitTaskStatus.LATE if is_late else UnitTaskStatus.ON_TIME
    if state == "returned":
        return UnitTaskStatus.RETURNED
    if state == "draft":
        return UnitTaskStatus.DRAFT
    raise ValueError(f"unknown report state {state!r}")


def unit_task_due(status: UnitTaskStatus, deadline: date | None, today: date) -> Due | None:
    """The deadline as the unit still faces it: None once reported (a reported task has no
    deadline left, so it is never 已逾期)."""
    return None if status.reported else due(deadline, today)


def share(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as a percentage, two decimals (half up), as the statistics
    print their ratios; None when the denominator is 0."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
