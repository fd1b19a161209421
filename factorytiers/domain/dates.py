"""Calendar arithmetic and the range of dates the product accepts.

Validity periods and next year's dates add whole years; 29 February has no twin in a common
year and becomes 28 February. Dates people type (recognition, revocation, 公示, deadlines …)
lie in the years ``FIRST_YEAR``–``LAST_YEAR``: anything outside is a typing slip, and such a
date would otherwise overflow when years are added to it.
"""

from __future__ import annotations

from datetime import date

FIRST_YEAR = 2000
LAST_YEAR = 2099


def add_years(day: date, years: int) -> date:
    """The same calendar date ``years`` later (earlier when negative); 29 February becomes
    28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def in_accepted_years(day: date) -> bool:
    """Whether ``day`` lies in the years the product accepts."""
    return FIRST_YEAR <= day.year <= LAST_YEAR
