"""Expert score sheets: items with maximum points (from the campaign's data) and a total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class ScoreItem:
    key: str
    label: str
    max_points: Decimal


def items_from_data(data: Sequence[Mapping[str, object]]) -> list[ScoreItem]:
    items = [
        ScoreItem(str(row["key"]), str(row["label"]), Decimal(str(row["max_points"])))
        for row in data
    ]
    if len({i.key for i in items}) != len(items):
        raise ValueError("评分表中有重复的评分项")
    return items


def check_scores(
    items: Sequence[ScoreItem], given: Mapping[str, str | None]
) -> tuple[dict[str, Decimal], list[tuple[str, str]]]:
    """Parse the given points; return (scores, [(item label, problem)])."""
    scores: dict[str, Decimal] = {}
    problems: list[tuple[str, str]] = []
    for item in items:
        raw = (given.get(item.key) or "").strip()
        if not raw:
            problems.append((item.label, "请填写得分"))
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            problems.append((item.label, f"“{raw}”不是数字"))
            continue
        if not value.is_finite() or value < 0 or value > item.max_points:
            problems.append((item.label, f"得分应在0至{item.max_points}之间"))
            continue
        if value != value.quantize(Decimal("0.01")):
            problems.append((item.label, "得分最多保留两位小数"))
            continue
        scores[item.key] = value
    return scores, problems


def total(scores: Mapping[str, Decimal]) -> Decimal:
    return sum(scores.values(), Decimal("0")).quantize(Decimal("0.01"))
