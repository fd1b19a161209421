"""Enterprise size class, 《统计上大中小微型企业划分办法（2017）》, industry (工业) rows."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class SizeClass(StrEnum):
    """The four classes, valued by the words printed on the forms."""

    LARGE = "大型企业"
    MEDIUM = "中型企业"
    SMALL = "小型企业"
    MICRO = "微型企业"


# Lower bounds (从业人员 persons, 营业收入 万元) that a class must meet on both indicators.
_BOUNDS: tuple[tuple[SizeClass, int, Decimal], ...] = (
    (SizeClass.LARGE, 1000, Decimal("40000")),
    (SizeClass.MEDIUM, 300, Decimal("2000")),
    (SizeClass.SMALL, 20, Decimal("300")),
)

# 规模以上工业企业: annual main business revenue of at least 2000万元 (since 2011).
ABOVE_SCALE_REVENUE_WAN = Decimal("2000")


def size_class(employees: int, revenue_wan: Decimal) -> SizeClass:
    """Classify by 从业人员 and 营业收入 (万元).

    A class needs both lower bounds; missing either drops the enterprise a class, and
    微型 is whatever meets no higher class.
    """
    _require_count(employees, "从业人员")
    _require_amount(revenue_wan, "营业收入")
    for size, min_employees, min_revenue in _BOUNDS:
        if employees >= min_employees and revenue_wan >= min_revenue:
            return size
    return SizeClass.MICRO


def is_above_scale(revenue_wan: Decimal) -> bool:
    """Whether the revenue makes the enterprise 规上 (≥ 2000万元)."""
    _require_amount(revenue_wan, "营业收入")
    return revenue_wan >= ABOVE_SCALE_REVENUE_WAN


def _require_count(value: int, field: str) -> None:
    # bool is an int subclass; True as a headcount is a caller bug, not 1 person.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field}应为整数（人），收到{value!r}")
    if value < 0:
        raise ValueError(f"{field}不能为负数，当前为{value}")


def _require_amount(value: Decimal, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{field}应为数值（万元），收到{value!r}")
    # NaN and infinities would make every comparison meaningless (or raise later).
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{field}应为有限数值（万元），收到{value}")
    if value < 0:
        raise ValueError(f"{field}不能为负数，当前为{value}")
