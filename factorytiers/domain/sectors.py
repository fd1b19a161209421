"""所属行业 and 企业性质 as the forms allow them, and the sector suggested from GB/T 4754."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum


class Sector(StrEnum):
    """The four 所属行业 values the forms accept."""

    RAW_MATERIALS = "原材料"
    ELECTRONICS = "电子信息"
    EQUIPMENT = "装备制造"
    CONSUMER_GOODS = "消费品"


class EnterpriseNature(StrEnum):
    """The four 企业性质 values the forms accept."""

    CENTRAL_SOE = "中央企业"
    LOCAL_SOE = "地方国企"
    PRIVATE = "民营企业"
    FOREIGN_INVESTED = "三资企业"


# 大类 2 digits, 中类 3, 小类 4; ASCII only, since str.isdigit() also accepts other scripts.
_INDUSTRY_CODE = re.compile(r"[0-9]{2,4}")


def division_of(industry_code: str) -> str:
    """Return the 2-digit 大类 of a 大类, 中类 or 小类 code."""
    code = industry_code.strip()
    if not _INDUSTRY_CODE.fullmatch(code):
        raise ValueError(f"行业代码“{code}”应为2至4位数字（大类、中类或小类，如 34、341、3411）")
    return code[:2]


def suggest_sector(industry_code: str, mapping: Mapping[str, Sector]) -> Sector | None:
    """Suggest a sector from the code's 大类, or None when the mapping has no entry.

    The mapping is reference data loaded by the caller; the user confirms the suggestion.
    """
    return mapping.get(division_of(industry_code))
