"""统一社会信用代码 (GB 32100-2015): validation and construction.

Structure of the 18 characters:

====  ==========================================================
1     登记管理部门代码
2     机构类别代码
3–8   登记管理机关行政区划码 (GB/T 2260, six digits)
9–17  主体标识码 = 组织机构代码 (GB 11714: 8 body chars + 1 check)
18    校验码 (GB/T 17710, MOD 31)
====  ==========================================================

Some codes issued in 厦门 before 2016 are genuine yet fail the MOD 31 check. They cannot
be told apart from typos here, so they are refused; accepting one needs an explicit,
recorded override by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
LENGTH = 18

# The 2015 text listed only 1/5/9/Y; amendment No.1 (2016) and later assignments
# opened the other departments. Codes from all of them circulate, so all are accepted.
DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# 机构类别 per department as published alongside the amendment. Kept for display.
CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

# Only the 工商 row is enforced: every enterprise code uses it and all sources agree on
# it. The other rows are known only from secondary copies of the table, and those copies
# disagree (one adds 54 for 村民委员会 under 民政), so for them any charset character is
# accepted rather than risk refusing a genuine code.
ENFORCED_CATEGORY_DEPARTMENTS = frozenset({"9"})

_VALUES = {char: value for value, char in enumerate(CHARSET)}
_DIGITS = "0123456789"
_ORG_CODE_CHARS = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EXCLUDED_LETTERS = "IOZSV"
# Every character of the charset and positions 3–8 digits: what the per-position check accepts
# once the first two positions are known good (the fast path of a bulk import's codes).
_WELL_FORMED = re.compile(f"[{CHARSET}]{{2}}[0-9]{{6}}[{CHARSET}]{{10}}")


@dataclass(frozen=True)
class CreditCodeResult:
    """Outcome of :func:`check_credit_code`; ``message`` is empty when ``ok``."""

    ok: bool
    code: str
    position_of_error: int | None
    message: str


def credit_code_check_char(first17: str) -> str:
    """Return the 18th character (GB 32100 MOD 31) for the first 17 characters."""
    if len(first17) != LENGTH - 1 or any(char not in _VALUES for char in first17):
        raise ValueError(f"计算校验码需要17位合法字符，收到“{first17}”")
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """Return the check character (GB 11714 MOD 11) for an 8-character organisation code body."""
    if len(body) != len(ORG_CODE_WEIGHTS) or any(char not in _ORG_CODE_CHARS for char in body):
        raise ValueError(f"计算组织机构代码校验码需要8位数字或大写字母，收到“{body}”")
    # GB 11714 values letters A=10 … Z=35, unlike the MOD 31 charset of GB 32100.
    total = sum(
        _ORG_CODE_CHARS.index(char) * weight
        for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def make_credit_code(
    *, division: str, org_body: str, department: str = "9", category: str = "1"
) -> str:
    """Build a valid code from its parts, computing both check characters.

    Defaults describe an enterprise (工商, 企业). Raises ValueError when a part is malformed.
    """
    if len(department) != 1 or len(category) != 1:
        raise ValueError("登记管理部门代码和机构类别代码各为1位")
    if len(division) != 6:
        raise ValueError(f"行政区划码应为6位数字，收到“{division}”")
    if len(org_body) != 8:
        raise ValueError(f"组织机构代码本体应为8位，收到“{org_body}”")
    first16 = department + category + division + org_body
    for position, char in enumerate(first16, start=1):
        problem = _position_problem(position, char, department)
        if problem:
            raise ValueError(problem)
    first17 = first16 + org_code_check_char(org_body)
    return first17 + credit_code_check_char(first17)


def check_credit_code(code: str) -> CreditCodeResult:
    """Validate a code and name the first wrong position and character."""
    # NFKC folds full-width input (common with Chinese IMEs) to ASCII before checking.
    normalised = unicodedata.normalize("NFKC", code).strip().upper()

    def fail(position: int | None, message: str) -> CreditCodeResult:
        return CreditCodeResult(False, normalised, position, message)

    if not normalised:
        return fail(None, "统一社会信用代码不能为空")
    if len(normalised) != LENGTH:
        return fail(None, f"统一社会信用代码应为18位，当前为{len(normalised)}位")

    department = normalised[0]
    well_formed = (
        _WELL_FORMED.fullmatch(normalised) is not None
        and department in DEPARTMENTS
        and (
            department not in ENFORCED_CATEGORY_DEPARTMENTS
            or normalised[1] in CATEGORIES[department]
        )
    )
    if not well_formed:
        for position, char in enumerate(normalised, start=1):
            problem = _position_problem(position, char, department)
            if problem:
                return fail(position, problem)

    body, org_check = normalised[8:16], normalised[16]
    expected_org_check = org_code_check_char(body)
    if org_check != expected_org_check:
        return fail(
            17,
            f"第17位组织机构代码校验码应为“{expected_org_check}”，实为“{org_check}”"
            "（请核对第9–17位）",
        )

    expected_check = credit_code_check_char(normalised[:17])
    if normalised[17] != expected_check:
        return fail(18, f"第18位校验码应为“{expected_check}”，实为“{normalised[17]}”")

    return CreditCodeResult(True, normalised, None, "")


def _position_problem(position: int, char: str, department: str) -> str:
    """Describe what is wrong with one character, or return an empty string."""
    if char not in _VALUES:
        if char in _EXCLUDED_LETTERS:
            return f"第{position}位“{char}”不是合法字符（不使用I、O、Z、S、V）"
        return f"第{position}位“{char}”不是合法字符（只能是数字或大写英文字母）"
    if position == 1 and char not in DEPARTMENTS:
        return f"第1位“{char}”不是有效的登记管理部门代码（应为1–9、A、N或Y）"
    if position == 2 and department in ENFORCED_CATEGORY_DEPARTMENTS:
        allowed = CATEGORIES[department]
        if char not in allowed:
            listed = "、".join(f"{key}{name}" for key, name in allowed.items())
            return (
                f"第2位“{char}”不是有效的机构类别代码"
                f"（登记管理部门为{DEPARTMENTS[department]}时应为{listed}）"
            )
    if 3 <= position <= 8 and char not in _DIGITS:
        return f"第3–8位应为6位数字的行政区划码，第{position}位“{char}”不是数字"
    return ""
