"""China's official holiday calendar: statutory holidays and 调休 working weekends.

The State Council General Office publishes each year's arrangement (放假调休) late in the year
before. The calendar is read from rows ``date,kind,name`` (``factorytiers/data/china_holidays.csv``);
a date of a year without rows is a working day exactly when it is a weekday.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .deadlines import add_working_days, is_working_day

HOLIDAY = "holiday"  # 放假
WORKDAY = "workday"  # 调休上班
COLUMNS = ["date", "kind", "name"]


class HolidayRowError(ValueError):
    """A row of the holiday file is wrong; ``line`` is its line in the file (header = 1)."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"第{line}行：{problem}")
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class HolidayCalendar:
    holidays: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()  # weekend days that are official working days
    names: Mapping[date, str] = field(default_factory=dict, compare=False)

    @property
    def years(self) -> frozenset[int]:
        """The years the file has rows for; other years fall back to weekends only."""
        return frozenset(day.year for day in self.holidays | self.working_days)

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.holidays, self.working_days)

    def add_working_days(self, start: date, days: int) -> date:
        return add_working_days(start, days, self.holidays, self.working_days)


def parse_holiday_csv(text: str) -> HolidayCalendar:
    """The calendar of a holiday file's text; a bad row raises ``HolidayRowError``."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != COLUMNS:
        raise HolidayRowError(1, f"表头应为 {','.join(COLUMNS)}，实为 {','.join(header or [])}")
    holidays: set[date] = set()
    working_days: set[date] = set()
    names: dict[date, str] = {}
    for fields in reader:
        line = reader.line_num
        if len(fields) != len(COLUMNS):
            raise HolidayRowError(line, f"应有{len(COLUMNS)}列，实有{len(fields)}列")
        raw_date, kind, name = fields
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise HolidayRowError(line, f"日期“{raw_date}”不是 YYYY-MM-DD 格式的有效日期") from None
        # fromisoformat also takes 20260101; the file keeps one spelling.
        if raw_date != day.isoformat():
            raise HolidayRowError(line, f"日期“{raw_date}”应写作 {day.isoformat()}")
        if day in names:
            raise HolidayRowError(line, f"日期 {day.isoformat()} 重复")
        if not name or name != name.strip():
            raise HolidayRowError(line, "节日名称为空或首尾有空格")
        if kind == HOLIDAY:
            holidays.add(day)
        elif kind == WORKDAY:
            # A 调休 working day is always a weekend day; a weekday here is a typo.
            if day.weekday() < 5:
                raise HolidayRowError(line, f"调休上班日 {day.isoformat()} 不是周六或周日")
            working_days.add(day)
        else:
            raise HolidayRowError(line, f"类型“{kind}”应为 {HOLIDAY} 或 {WORKDAY}")
        names[day] = name
    return HolidayCalendar(
        holidays=frozenset(holidays),
        working_days=frozenset(working_days),
        names=MappingProxyType(names),  # the calendar is shared once loaded
    )
