"""The stored counted result (``CountedResult``) after any sequence of writes equals the counted
result computed from the assessments and platform results themselves, for every enterprise and
year — and both equal the rule written out in plain Python."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorytiers.accounts.models import Role
from factorytiers.assessments import services
from factorytiers.assessments.counted import live_counted, rebuild_counted, refresh_counted
from factorytiers.assessments.models import (
    Assessment,
    CountedResult,
    MaturityModelEdition,
    PlatformResult,
)
from factorytiers.domain.maturity import level_for_score, level_name
from factorytiers.enterprises.models import Enterprise
from tests.assessments.conftest import FOUR, SHANGHAI, grades_by_level
from tests.conftest import make_user

YEARS = (2025, 2026)
COLUMNS = (
    "counted_source",
    "counted_score",
    "counted_level",
    "counted_on",
    "counted_assessment_id",
    "counted_platform_result_id",
)


def stored() -> dict:
    return {
        (row.enterprise_id, row.year): (
            row.source,
            row.score,
            row.level,
            row.counted_on,
            row.assessment_id,
            row.platform_result_id,
        )
        for row in CountedResult.objects.all()
    }


def live(enterprise_ids) -> dict:
    result = {}
    for year in YEARS:
        rows = live_counted(Enterprise.objects.filter(pk__in=enterprise_ids), year).values_list(
            "pk", *COLUMNS
        )
        for pk, *values in rows:
            if values[0] is not None:
                result[(pk, year)] = tuple(values)
    return result


def by_the_rule(enterprise_ids) -> dict:
    """The rule in plain Python: the latest by (date, recorded time), an assessment winning a
    tie of both; within one source the higher id wins a full tie."""
    result = {}
    for pk in enterprise_ids:
        for year in YEARS:
            candidates = [
                ((a.submitted_on, a.submitted_at, 1, a.pk), a, "assessment")
                for a in Assessment.objects.filter(
                    enterprise_id=pk, year=year, status=Assessment.Status.SUBMITTED
                )
            ] + [
                ((p.assessed_on, p.entered_at, 0, p.pk), p, "platform")
                for p in PlatformResult.objects.filter(enterprise_id=pk, year=year)
            ]
            if not candidates:
                continue
            _rank, row, source = max(candidates, key=lambda c: c[0])
            is_assessment = source == "assessment"
            result[(pk, year)] = (
                source,
                row.score,
                row.level,
                row.submitted_on if is_assessment else row.assessed_on,
                row.pk if is_assessment else None,
                None if is_assessment else row.pk,
            )
    return result


@dataclass(frozen=True)
class Step:
    kind: str  # submit / enter / import / rescore / delete / delete_all
    enterprise: int  # index
    year: int
    day: int  # days after 1 March of the year
    minute: int  # minutes after 09:00 (recorded time)
    cents: int  # score × 100


step = st.builds(
    Step,
    kind=st.sampled_from(["submit", "enter", "import", "rescore", "delete", "delete_all"]),
    enterprise=st.integers(0, 2),
    year=st.sampled_from(YEARS),
    day=st.integers(0, 3),
    minute=st.integers(0, 2),
    cents=st.integers(0, 500),
)
steps = st.lists(step, min_size=1, max_size=8)


@pytest.fixture
def three(unit_a, enterprise_a, enterprise_b):
    from tests.conftest import make_enterprise

    third = make_enterprise(unit_a, name="太原第三测试机械有限公司", body="MA0CNT01")
    return [enterprise_a, enterprise_b, third]


@pytest.fixture
def owners(three):
    return [make_user(f"counted_{n}", Role.ENTERPRISE, enterprise=e) for n, e in enumerate(three)]


def _apply(step: Step, enterprises, owners, officer, model) -> None:
    enterprise = enterprises[step.enterprise]
    on = date(step.year, 3, 1) + timedelta(days=step.day)
    at = datetime(on.year, on.month, on.day, 9, step.minute, tzinfo=SHANGHAI)
    score = Decimal(step.cents) / 100
    with time_machine.travel(at, tick=False):
        if step.kind == "submit":
            user = owners[step.enterprise]
            assessment, _ = services.start_assessment(
                actor=user, enterprise=enterprise, year=step.year, manufacturing_type="DISCRETE"
            )
            assessment.answers = grades_by_level(model, FOUR)
            assessment.save()
            services.submit_assessment(
                actor=user, assessment=assessment, version=assessment.version
            )
        elif step.kind == "enter":  # an enterprise's entry; the same date replaces it
            services.enter_platform_result(
                actor=owners[step.enterprise],
                enterprise=enterprise,
                data={
                    "score": str(score),
                    "level": level_for_score(score, model=model),
                    "year": step.year,
                    "assessed_on": on,
                },
                today=on,
            )
        elif step.kind == "import":  # the bulk path: bulk_create and bulk_update
            outcome = services.import_platform_results(
                actor=officer,
                rows=[
                    ["统一社会信用代码", "年度", "评估得分", "成熟度等级", "评估日期"],
                    [
                        enterprise.credit_code,
                        str(step.year),
                        str(score),
                        level_name(level_for_score(score, model=model)),
                        on.isoformat(),
                    ],
                ],
                file_name="结果.xlsx",
                today=on,
            )
            assert outcome.saved, (outcome.file_errors, outcome.bad)
        elif step.kind == "rescore":  # a queryset update
            PlatformResult.objects.filter(enterprise=enterprise, year=step.year).update(
                score=score, level=level_for_score(score, model=model)
            )
        elif step.kind == "delete":  # one row
            row = PlatformResult.objects.filter(enterprise=enterprise, year=step.year).first()
            if row is not None:
                row.delete()
        else:  # a queryset delete
            PlatformResult.objects.filter(enterprise=enterprise).delete()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_the_stored_counted_result_always_equals_the_live_one(users, three, owners, steps):
    model = MaturityModelEdition.objects.active().model
    ids = [e.pk for e in three]
    with transaction.atomic():
        for step in steps:
            _apply(step, three, owners, users["province"], model)
            assert stored() == live(ids)
        assert live(ids) == by_the_rule(ids)
        transaction.set_rollback(True)


def test_the_import_header_used_above_is_accepted(users, three, owners):
    """The bulk step above really writes (so the property covers the bulk path)."""
    model = MaturityModelEdition.objects.active().model
    _apply(Step("import", 0, 2026, 1, 0, 250), three, owners, users["province"], model)
    assert stored()[(three[0].pk, 2026)][0] == "platform"


def test_rebuilding_gives_the_same_table(users, three, owners):
    model = MaturityModelEdition.objects.active().model
    for step in [
        Step("submit", 0, 2026, 1, 0, 0),
        Step("enter", 0, 2026, 1, 1, 320),
        Step("enter", 1, 2025, 2, 0, 120),
        Step("import", 2, 2026, 0, 0, 450),
    ]:
        _apply(step, three, owners, users["province"], model)
    before = stored()
    assert len(before) == 3
    CountedResult.objects.all().delete()
    rebuild_counted()
    assert stored() == before
    refresh_counted([(three[0].pk, 2026)])
    assert stored() == before


def test_an_autosave_of_a_draft_does_not_recompute(users, enterprise_a, django_assert_num_queries):
    assessment, _ = services.start_assessment(
        actor=users["enterprise_a"], enterprise=enterprise_a, year=2026
    )
    fresh = Assessment.objects.get(pk=assessment.pk)
    fresh.answers = {"x": "FULL"}
    with django_assert_num_queries(1):  # the UPDATE alone
        fresh.save_without_historical_record()


def test_an_update_that_moves_a_result_to_another_year_refreshes_both(users, three, owners):
    model = MaturityModelEdition.objects.active().model
    _apply(Step("enter", 0, 2026, 1, 0, 250), three, owners, users["province"], model)
    key_2026, key_2025 = (three[0].pk, 2026), (three[0].pk, 2025)
    assert set(stored()) == {key_2026}
    PlatformResult.objects.filter(enterprise=three[0]).update(year=2025)
    assert set(stored()) == {key_2025} and stored() == live([three[0].pk])
    Assessment.objects.filter(enterprise=three[0]).update(year=2026)  # none: nothing changes
    assert set(stored()) == {key_2025}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_the_result_as_of_a_day_read_from_the_kept_one_equals_the_live_one(
    users, three, owners, steps
):
    """``counted_values_as_of`` takes the kept result where it is dated by the day and
    recomputes only the others: the same as recomputing every one, on every day around the
    results' dates (ties on a day included)."""
    from factorytiers.assessments.selectors import COUNTED_VALUES, counted_values_as_of

    model = MaturityModelEdition.objects.active().model
    enterprises = Enterprise.objects.filter(pk__in=[e.pk for e in three])
    with transaction.atomic():
        for step in steps:
            _apply(step, three, owners, users["province"], model)
        for year in YEARS:
            for day in range(-1, 5):
                as_of = date(year, 3, 1) + timedelta(days=day)
                expected = {
                    row["pk"]: row
                    for row in live_counted(enterprises, year, as_of=as_of).values(
                        "pk", *COUNTED_VALUES
                    )
                }
                rows = list(counted_values_as_of(enterprises, year, as_of, "pk"))
                assert len(rows) == 3
                assert {row["pk"]: row for row in rows} == expected, (year, as_of)
        transaction.set_rollback(True)
