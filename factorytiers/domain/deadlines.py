"""Deadline arithmetic of a campaign's tasks, in the province's time zone (Asia/Shanghai).

A deadline is a calendar date: work delivered at any time on that date is on time, anything
later is late. 公示 periods are counted in working days; without a holiday calendar only
weekends are skipped, so callers pass the official holidays and 调休 working weekends
(``holidays.HolidayCalendar``, read by ``factorytiers.reference.holidays``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DeadlineStatus:
    """Where a task stands against its deadline on a given day."""

    deadline: date | None
    days_left: int | None  # 0 on the deadline day; negative once overdue
    overdue: bool

    @property
    def label(self) -> str:
        if self.deadline is None or self.days_left is None:
            return "无固定截止日期"
        if self.overdue:
            return f"已逾期{-self.days_left}天"
        if self.days_left == 0:
            return "今天截止"
        return f"剩余{self.days_left}天"


REVIEW_DAYS = 14  # an expert's score is due two weeks after the assignment


def review_due(assigned_on: date, days: int = REVIEW_DAYS) -> date:
    """The default date an expert's score is due: ``days`` calendar days after the assignment."""
    return assigned_on + timedelta(days=days)


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("需要带时区的时间")
    return moment.astimezone(SHANGHAI).date()


def deadline_status(deadline: date | None, now: datetime) -> DeadlineStatus:
    if deadline is None:
        return DeadlineStatus(None, None, False)
    days_left = (deadline - local_date(now)).days
    return DeadlineStatus(deadline, days_left, days_left < 0)


def is_late(submitted_at: datetime, deadline: date | None) -> bool:
    """Submitted after the end of the deadline day (Asia/Shanghai)."""
    return deadline is not None and local_date(submitted_at) > deadline


def is_working_day(
    day: date,
    holidays: Collection[date] = (),
    extra_working_days: Collection[date] = (),
) -> bool:
    if day in extra_working_days:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: date,
    days: int,
    holidays: Collection[date] = (),
    extra_working_days: Collection[date] = (),
) -> date:
    """The last day of a period of ``days`` working days beginning on ``start`` (inclusive).

    A start on a non-working day begins counting on the next working day.
    """
    if days < 1:
        raise ValueError("工作日天数应至少为1")
    day = start
    counted = 0
    while True:
        if is_working_day(day, holidays, extra_working_days):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)
