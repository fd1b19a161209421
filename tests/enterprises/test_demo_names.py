"""The demo's enterprise names stay unique past the size of the name pool (national sizes)."""

import random

import pytest

from factorytiers.enterprises import demo


@pytest.mark.parametrize(
    ("n", "ordinal"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")],
)
def test_branches_are_numbered_in_chinese(n, ordinal):
    assert demo._branch(n) == ordinal


def test_names_stay_unique_once_the_pool_is_used_up(monkeypatch):
    # A pool of 4 names (2 prefixes × 2 stems × 1 suffix): every name past them is a branch.
    monkeypatch.setattr(demo, "STEMS", ["晋华"] * 10)
    monkeypatch.setattr(demo, "SUFFIXES", ["有限公司"])
    division = next(iter(demo.WORDS_BY_DIVISION))
    rng, used = random.Random(7), set()
    names = [demo._unique_name(rng, "太原", division, used) for _ in range(250)]
    assert len(set(names)) == 250
    branches = [name for name in names if name.endswith("分公司")]
    assert len(branches) == 250 - 4
    assert any(name.endswith("太原第一分公司") for name in branches)
    assert any(name.endswith("太原第二十分公司") for name in branches)
