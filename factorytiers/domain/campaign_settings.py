"""A campaign's settings (data the province edits) checked as a whole, and the next year's
dates derived from this year's.

``settings_problems`` returns ``(field, problem)`` pairs in Chinese, the field named as the
settings page names it (``先进级 · 最低成熟度等级``, ``评分表第2项 · 分值``); an empty list
means the settings can be stored. ``tier_conditions.check_conditions`` relies on what this
function checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from .dates import add_years
from .tier_conditions import CONSTRUCTION_LINKS, LEVEL_NAMES
from .tiers import TIERS

COVERAGE_RULES = {"strict": "须全部覆盖", "judge": "原则上覆盖，由审核人判断"}
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")

PUBLICITY_DAYS = (1, 30)
VALIDITY_YEARS = (1, 10)
UPLOAD_MB = (1, 500)
MAX_POINTS = Decimal("1000")

Problem = tuple[str, str]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _in_range(value: Any, low: int, high: int) -> bool:
    return _is_int(value) and low <= value <= high


def tier_problems(tier: str, data: Any) -> list[Problem]:
    """The problems of one tier's conditions."""
    if not isinstance(data, Mapping):
        return [(tier, "缺少该级别的条件设置")]
    problems: list[Problem] = []
    level = data.get("min_maturity_level")
    if not _in_range(level, 1, 5):
        problems.append((f"{tier} · 最低成熟度等级", "应为一级至五级"))
    links = data.get("required_links")
    if not isinstance(links, list) or not all(isinstance(x, str) for x in links):
        problems.append((f"{tier} · 须覆盖的建设环节", "格式有误"))
    else:
        unknown = [x for x in links if x not in CONSTRUCTION_LINKS]
        if unknown:
            problems.append((f"{tier} · 须覆盖的建设环节", f"未知环节：{'、'.join(unknown)}"))
        if len(set(links)) != len(links):
            problems.append((f"{tier} · 须覆盖的建设环节", "有重复的环节"))
        if not links:
            problems.append((f"{tier} · 须覆盖的建设环节", "请至少选择一个环节"))
    if data.get("coverage_rule", "strict") not in COVERAGE_RULES:
        problems.append((f"{tier} · 覆盖要求", "应为“须全部覆盖”或“原则上覆盖”"))
    share = data.get("min_ai_share")
    if share is not None:
        number = _decimal(share)
        if number is None or not Decimal(0) < number <= Decimal(1):
            problems.append((f"{tier} · 人工智能场景最低占比", "应大于0且不超过100%"))
        elif number != number.quantize(Decimal("0.0001")):
            problems.append((f"{tier} · 人工智能场景最低占比", "最多保留两位小数的百分比"))
    if not isinstance(data.get("require_above_scale", True), bool):
        problems.append((f"{tier} · 须为规上企业", "应为是或否"))
    extras = data.get("extra_disqualifiers") or []
    if not isinstance(extras, list) or not all(isinstance(x, str) and x.strip() for x in extras):
        problems.append((f"{tier} · 附加条件", "每行一条，不能为空行"))
    elif any(len(x) > 200 for x in extras):
        problems.append((f"{tier} · 附加条件", "每条不超过200字"))
    return problems


def ladder_problems(tiers: Mapping[str, Any]) -> list[Problem]:
    """A higher tier may not ask for a lower maturity level than the tier below it."""
    problems: list[Problem] = []
    for lower, higher in pairwise(TIERS):
        low = (tiers.get(lower) or {}).get("min_maturity_level")
        high = (tiers.get(higher) or {}).get("min_maturity_level")
        if _in_range(low, 1, 5) and _in_range(high, 1, 5) and high < low:
            problems.append(
                (
                    f"{higher} · 最低成熟度等级",
                    f"不应低于{lower}的要求（{LEVEL_NAMES[low]}）",
                )
            )
    return problems


def score_sheet_problems(sheet: Any) -> list[Problem]:
    if not isinstance(sheet, list) or not sheet:
        return [("评分表", "请至少设置一个评分项")]
    problems: list[Problem] = []
    keys: set[str] = set()
    labels: set[str] = set()
    for number, row in enumerate(sheet, start=1):
        name = f"评分表第{number}项"
        if not isinstance(row, Mapping):
            problems.append((name, "格式有误"))
            continue
        key = row.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append((f"{name} · 代码", "应以小写字母开头，只含小写字母、数字和下划线"))
        elif key in keys:
            problems.append((f"{name} · 代码", f"与前面的评分项重复（{key}）"))
        else:
            keys.add(key)
        label = row.get("label")
        if not isinstance(label, str) or not label.strip():
            problems.append((f"{name} · 评分项", "请填写名称"))
        elif len(label) > 60:
            problems.append((f"{name} · 评分项", "名称不超过60字"))
        elif label.strip() in labels:
            problems.append((f"{name} · 评分项", f"与前面的评分项重名（{label.strip()}）"))
        else:
            labels.add(label.strip())
        points = _decimal(row.get("max_points"))
        if points is None:
            problems.append((f"{name} · 分值", "应为数字"))
        elif not Decimal(0) < points <= MAX_POINTS:
            problems.append((f"{name} · 分值", f"应大于0且不超过{MAX_POINTS}"))
        elif points != points.quantize(Decimal("0.01")):
            problems.append((f"{name} · 分值", "最多保留两位小数"))
        guide = row.get("guide", "")
        if not isinstance(guide, str) or len(guide) > 300:
            problems.append((f"{name} · 评分说明", "不超过300字"))
    return problems


def settings_problems(settings: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a campaign's settings; empty when they can be stored."""
    problems: list[Problem] = []
    tiers = settings.get("tiers")
    if not isinstance(tiers, Mapping):
        problems.append(("级别条件", "缺少各级别的条件设置"))
        tiers = {}
    for tier in TIERS:
        problems += tier_problems(tier, tiers.get(tier))
    problems += ladder_problems(tiers)
    if not _in_range(settings.get("publicity_working_days"), *PUBLICITY_DAYS):
        problems.append(("公示期（工作日）", "应为{}至{}之间的整数".format(*PUBLICITY_DAYS)))
    quota = settings.get("city_quota")
    if quota is not None and not _in_range(quota, 1, 999):
        problems.append(("每单位推荐名额", "应为正整数，不限名额请留空"))
    validity = settings.get("validity_years")
    if validity is not None and not _in_range(validity, *VALIDITY_YEARS):
        problems.append(
            ("认定有效期（年）", "应为{}至{}之间的整数，不设有效期请留空".format(*VALIDITY_YEARS))
        )
    if not _in_range(settings.get("max_upload_mb"), *UPLOAD_MB):
        problems.append(("单个材料大小上限（MB）", "应为{}至{}之间的整数".format(*UPLOAD_MB)))
    problems += score_sheet_problems(settings.get("score_sheet"))
    return problems


def shift_year(day: date, years: int = 1) -> date:
    """The same calendar date ``years`` later; 29 February becomes 28 February."""
    return add_years(day, years)


def next_year_title(title: str, year: int) -> str:
    """This year's title with its year replaced by the next one (``2026年度`` → ``2027年度``)."""
    return re.sub(rf"(?<!\d){year}(?!\d)", str(year + 1), title)


def task_problems(
    rows: list[tuple[str, date | None, str]], issued_on: date | None
) -> list[Problem]:
    """The tasks of a campaign as (kind, deadline, deadline note) rows in page order: one row
    per kind, each with a deadline or a note saying why there is none, no deadline before the
    notice was issued."""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    if not rows:
        problems.append(("工作任务", "请至少设置一项任务"))
    for number, (kind, deadline, note) in enumerate(rows, start=1):
        name = f"工作任务第{number}行"
        if kind in first_row:
            problems.append((f"{name} · 类型", f"与第{first_row[kind]}行重复"))
        else:
            first_row[kind] = number
        if deadline is None and not note.strip():
            problems.append((f"{name} · 截止日期", "请填写截止日期，或在时间说明中写明无固定日期"))
        if deadline is not None and issued_on is not None and deadline < issued_on:
            problems.append((f"{name} · 截止日期", "早于发文日期"))
    return problems
