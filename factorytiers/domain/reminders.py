"""When a deadline reminder is due (pure rule; the reminders app sends them).

A campaign reminds N days before each deadline (its ``days_before``, by default 7 and 1) and
once after the deadline has passed with the work not done (``OVERDUE``). Each offset owns a
window of days, so a day the job did not run is caught up on the next run and no day sends two
reminders of the same deadline: with offsets 7 and 1, the 7-day reminder is due from 7 to 2
days before, the 1-day reminder from 1 to 0 days before, the overdue one from the day after the
deadline for ``overdue_window`` days. The job records each (deadline, recipient, offset) it sent,
so a window re-entered on a later run sends nothing again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

OVERDUE = -1  # the offset of the reminder after the deadline
DEFAULT_DAYS_BEFORE = (7, 1)
OVERDUE_WINDOW = 14  # days after the deadline in which the overdue reminder is still sent
MAX_DAYS_BEFORE = 60


def normalised(days_before: Iterable[int]) -> tuple[int, ...]:
    """The distinct offsets in range (0 … MAX_DAYS_BEFORE), the earliest reminder first."""
    return tuple(sorted({d for d in days_before if 0 <= d <= MAX_DAYS_BEFORE}, reverse=True))


def due_offset(
    deadline: date | None,
    today: date,
    days_before: Iterable[int] = DEFAULT_DAYS_BEFORE,
    *,
    overdue_window: int = OVERDUE_WINDOW,
) -> int | None:
    """The offset whose window holds ``today`` (``OVERDUE`` after the deadline), or None."""
    if deadline is None:
        return None
    days_left = (deadline - today).days
    if days_left < 0:
        return OVERDUE if -days_left <= overdue_window else None
    # The smallest offset not below the days left: its window runs down to the next one.
    reached = [d for d in normalised(days_before) if d >= days_left]
    return min(reached) if reached else None


def due_offsets(
    deadline: date | None,
    today: date,
    days_before: Iterable[int] = DEFAULT_DAYS_BEFORE,
    *,
    overdue_window: int = OVERDUE_WINDOW,
) -> tuple[int, ...]:
    """The offsets due on ``today`` (none or one), as a tuple for callers that loop."""
    offset = due_offset(deadline, today, days_before, overdue_window=overdue_window)
    return () if offset is None else (offset,)


def latest_reach(days_before: Iterable[int] = DEFAULT_DAYS_BEFORE) -> int:
    """How many days before a deadline the first reminder may be due (for narrowing a query)."""
    offsets = normalised(days_before)
    return offsets[0] if offsets else 0


def parse_days_before(text: str) -> tuple[tuple[int, ...], str | None]:
    """Offsets typed as "7, 1" (commas, 、 or spaces): the offsets, or a problem in Chinese."""
    parts = [
        p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p
    ]
    values: list[int] = []
    for part in parts:
        if not part.isdigit() or not 0 <= int(part) <= MAX_DAYS_BEFORE:
            return (), f"“{part}”不是0至{MAX_DAYS_BEFORE}之间的整数天数"
        values.append(int(part))
    if len(set(values)) != len(values):
        return (), "天数不能重复"
    return normalised(values), None
