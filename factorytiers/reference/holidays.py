"""The official holiday calendar, read from ``data/china_holidays.csv``.

Unlike the other reference files it is not loaded into the database: the calendar only changes
with a new release of the file, so it is read once per process.
"""

from functools import cache

from factorytiers.domain.holidays import HolidayCalendar, parse_holiday_csv

from .loaders import DATA_DIR

HOLIDAY_FILE = DATA_DIR / "china_holidays.csv"


@cache
def holiday_calendar() -> HolidayCalendar:
    return parse_holiday_csv(HOLIDAY_FILE.read_text(encoding="utf-8"))
