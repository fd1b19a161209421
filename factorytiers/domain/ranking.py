"""Ranks of a unit's recommendations: unique and contiguous from 1 (the 序号 of the forms)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")


def rank_problems(ranks: Mapping[K, int | None]) -> list[str]:
    """Messages (Chinese) for every problem of a proposed ranking; empty when it is valid."""
    problems = []
    given = [r for r in ranks.values() if r is not None]
    missing = len(ranks) - len(given)
    if missing:
        problems.append(f"有{missing}项未填写序号")
    bad = sorted({r for r in given if r < 1})
    if bad:
        problems.append(f"序号应从1开始：{'、'.join(map(str, bad))}")
    repeated = sorted(r for r, n in Counter(given).items() if n > 1)
    if repeated:
        problems.append(f"序号重复：{'、'.join(map(str, repeated))}")
    if not problems:
        expected = set(range(1, len(ranks) + 1))
        gaps = sorted(expected - set(given))
        if gaps:
            problems.append(f"序号应连续编排为1至{len(ranks)}，缺少：{'、'.join(map(str, gaps))}")
    return problems
