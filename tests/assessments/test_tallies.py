"""The statistics' kept counts (``GroupTally``, ``LevelTally``, ``ScoreTally``) after any
sequence of writes — enterprises created, moved between units, sectors and 大类, turned 规上 or
not, deleted, by instance and by queryset; assessments and platform results written through the
services and the querysets — equal a count made from scratch in plain Python, and a rebuild."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorytiers.assessments import tallies
from factorytiers.assessments.models import (
    CountedResult,
    GroupTally,
    LevelTally,
    MaturityModelEdition,
    ScoreTally,
)
from factorytiers.enterprises.models import Enterprise
from factorytiers.reference.models import IndustryCode
from tests.assessments.test_counted_table import _apply, step
from tests.conftest import make_enterprise

YEARS = (2025, 2026)
INDUSTRIES = ("3511", "1351", "3011")  # three 大类: 35, 13, 30


def kept() -> tuple[dict, dict, dict]:
    """The kept counts, rows at 0 left out (a key once seen keeps its row)."""
    groups = {
        (r.unit_id, r.sector, r.division_id, r.is_above_scale): r.enterprises
        for r in GroupTally.objects.exclude(enterprises=0)
    }
    levels = {
        (r.year, r.unit_id, r.sector, r.division_id, r.is_above_scale, r.level): (
            r.enterprises,
            r.score_hundredths,
        )
        for r in LevelTally.objects.exclude(enterprises=0)
    }
    scores = {
        (r.year, r.unit_id, r.sector, r.division_id, r.score_hundredths): r.enterprises
        for r in ScoreTally.objects.exclude(enterprises=0)
    }
    return groups, levels, scores


def counted_from_scratch() -> tuple[dict, dict, dict]:
    groups: Counter = Counter()
    for e in Enterprise.objects.select_related("industry__parent"):
        groups[(e.unit_id, e.sector, e.industry.parent.parent_id, e.is_above_scale)] += 1
    levels: dict = {}
    scores: Counter = Counter()
    for c in CountedResult.objects.select_related("enterprise__industry__parent"):
        e = c.enterprise
        group = (c.year, e.unit_id, e.sector, e.industry.parent.parent_id)
        hundredths = int(c.score * 100)
        count, total = levels.get((*group, e.is_above_scale, c.level), (0, 0))
        levels[(*group, e.is_above_scale, c.level)] = (count + 1, total + hundredths)
        scores[(*group, hundredths)] += 1
    return dict(groups), levels, dict(scores)


enterprise_steps = st.builds(
    tuple,
    st.tuples(
        st.sampled_from(
            ["create", "move_unit", "sector", "industry", "above", "delete", "delete_all_b"]
        ),
        st.integers(0, 2),
        st.integers(0, 2),
    ),
)
result_steps = st.builds(lambda result: ("result", result), step)


@pytest.fixture
def three(unit_a, enterprise_a, enterprise_b):
    third = make_enterprise(unit_a, name="太原第三计数机械有限公司", body="MA0TAL01")
    return [enterprise_a, enterprise_b, third]


def _enterprise_step(step, enterprises, units, created) -> None:
    kind, which, choice = step
    pool = enterprises + created
    enterprise = Enterprise.objects.filter(pk=pool[(which + choice) % len(pool)].pk).first()
    if kind == "create":
        created.append(
            make_enterprise(
                units[choice % 2],
                name=f"计数新建{len(created)}号机械有限公司",
                body=f"MA0TN{len(created):03d}",
                industry=IndustryCode.objects.get(code=INDUSTRIES[choice]),
            )
        )
    elif enterprise is None:  # deleted by an earlier step
        return
    elif kind == "move_unit":  # save()
        enterprise.unit = units[choice % 2]
        enterprise.save()
    elif kind == "sector":  # a queryset update
        Enterprise.objects.filter(pk=enterprise.pk).update(
            sector=("装备制造", "消费品", "原材料")[choice]
        )
    elif kind == "industry":  # bulk_update
        enterprise.industry = IndustryCode.objects.get(code=INDUSTRIES[choice])
        Enterprise.objects.bulk_update([enterprise], ["industry"])
    elif kind == "above":  # save(): the 规上 flag follows the official figure
        enterprise.above_scale_official = bool(choice % 2)
        enterprise.save()
    elif kind == "delete":  # an instance (one without users of its own), with its results
        if created and Enterprise.objects.filter(pk=created[choice % len(created)].pk).exists():
            created[choice % len(created)].delete()
    else:  # a queryset delete of the enterprises created in one unit
        Enterprise.objects.filter(pk__in=[e.pk for e in created], unit=units[1]).delete()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.one_of(enterprise_steps, result_steps), min_size=1, max_size=8))
def test_the_kept_counts_always_equal_a_count_from_scratch(users, three, unit_a, unit_b, steps):
    model = MaturityModelEdition.objects.active().model
    owners = {}
    from factorytiers.accounts.models import Role
    from tests.conftest import make_user

    with transaction.atomic():
        for n, enterprise in enumerate(three):
            owners[n] = make_user(f"tally_{n}", Role.ENTERPRISE, enterprise=enterprise)
        created: list = []
        for step in steps:
            if step[0] == "result":
                result = step[1]
                if not Enterprise.objects.filter(pk=three[result.enterprise].pk).exists():
                    continue
                _apply(result, three, owners, users["province"], model)
            else:
                _enterprise_step(step, three, [unit_a, unit_b], created)
            assert kept() == counted_from_scratch(), step
        before = kept()
        tallies.rebuild()
        assert kept() == before
        transaction.set_rollback(True)


def test_a_score_is_counted_in_hundredths_and_summed_per_level(users, three):
    from factorytiers.assessments.models import PlatformResult

    edition = MaturityModelEdition.objects.active()
    for enterprise, score, day in ((three[0], "2.40", 1), (three[2], "2.35", 2)):
        PlatformResult.objects.create(
            enterprise=enterprise,
            edition=edition,
            year=2026,
            score=Decimal(score),
            level=2,
            assessed_on=f"2026-03-0{day}",
        )
    groups, levels, scores = kept()
    division = three[0].industry.parent.parent_id
    assert groups[(three[0].unit_id, "装备制造", division, True)] == 2
    assert levels[(2026, three[0].unit_id, "装备制造", division, True, 2)] == (2, 475)
    assert scores[(2026, three[0].unit_id, "装备制造", division, 240)] == 1
    assert scores[(2026, three[0].unit_id, "装备制造", division, 235)] == 1


def test_a_bulk_write_is_announced_a_chunk_at_a_time(users, unit_a, unit_b, monkeypatch):
    from factorytiers.enterprises import grouping

    monkeypatch.setattr(grouping, "CHUNK", 2)
    made = [
        make_enterprise(unit_a, name=f"分批计数{n}号机械有限公司", body=f"MA0CH{n:03d}")
        for n in range(5)
    ]
    Enterprise.objects.filter(pk__in=[e.pk for e in made]).update(unit=unit_b)
    assert kept() == counted_from_scratch()
    Enterprise.objects.filter(unit=unit_b, name__startswith="分批计数").delete()
    assert kept() == counted_from_scratch()
