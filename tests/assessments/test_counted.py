"""The counted result: per enterprise and year, the latest of its submitted assessments and
national-platform results; scoped like every other read, and computed in one query."""

from datetime import date, datetime
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factorytiers.assessments.models import Assessment, PlatformResult
from factorytiers.assessments.selectors import (
    counted_assessments,
    earlier_results,
    with_counted_result,
)
from factorytiers.enterprises.models import Enterprise
from tests.assessments.conftest import SHANGHAI, bulk_enterprises, platform_result, submitted


def counted(user, year=2026):
    return {e.pk: e for e in counted_assessments(user, year)}


def test_a_submitted_assessment_counts_for_its_year(users, enterprise_a, frozen):
    assessment = submitted(users["enterprise_a"], enterprise_a)
    row = counted(users["city_a"])[enterprise_a.pk]
    assert row.counted_source == "assessment" and row.counted_assessment_id == assessment.pk
    assert row.counted_score == Decimal("3.80") and row.counted_level == 4
    assert row.counted_on == date(2026, 4, 1) and row.counted_platform_result_id is None
    assert counted(users["city_a"], 2025) == {}


def test_drafts_do_not_count(users, draft):
    assert counted(users["city_a"]) == {}


def test_a_later_platform_result_wins_over_an_earlier_assessment(users, enterprise_a, frozen):
    submitted(users["enterprise_a"], enterprise_a)  # 2026-04-01 10:30
    frozen.shift(600)  # the platform result is recorded ten minutes later
    later = platform_result(enterprise_a, score="2.10", level=2, on=date(2026, 4, 1))
    earlier = platform_result(enterprise_a, score="1.10", level=1, on=date(2026, 3, 1))
    row = counted(users["province"])[enterprise_a.pk]
    # Same day: the one recorded later (the platform result, entered after the submission).
    assert row.counted_source == "platform" and row.counted_platform_result_id == later.pk
    assert row.counted_score == Decimal("2.10") and row.counted_assessment_id is None
    later.delete()
    row = counted(users["province"])[enterprise_a.pk]
    assert row.counted_source == "assessment"  # 2026-04-01 beats the platform's 2026-03-01
    assert earlier.pk != row.counted_assessment_id


def test_the_latest_of_several_submitted_assessments_counts(users, enterprise_a):
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        submitted(users["enterprise_a"], enterprise_a)
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=SHANGHAI), tick=False):
        answers = {code: "FULL" for code in Assessment.objects.get().answers}
        second = submitted(users["enterprise_a"], enterprise_a, answers=answers)
    row = counted(users["enterprise_a"])[enterprise_a.pk]
    assert row.counted_assessment_id == second.pk and row.counted_score == Decimal("5.00")


def test_every_reader_gets_only_its_scope(users, enterprise_a, enterprise_b):
    platform_result(enterprise_a)
    platform_result(enterprise_b)
    assert set(counted(users["city_a"])) == {enterprise_a.pk}
    assert set(counted(users["city_b"])) == {enterprise_b.pk}
    assert set(counted(users["enterprise_a"])) == {enterprise_a.pk}
    assert set(counted(users["province"])) == {enterprise_a.pk, enterprise_b.pk}
    assert counted(users["expert"]) == {}


def test_it_is_one_query_whatever_the_number_of_enterprises(users, unit_a, frozen):
    enterprises = bulk_enterprises(unit_a, 60, prefix="MQ")
    for n, enterprise in enumerate(enterprises[:40]):
        platform_result(enterprise, score=f"{n % 5}.{n:02d}", level=n % 5)
    with CaptureQueriesContext(connection) as queries:
        rows = [
            (e.name, e.unit.name, e.industry.parent.parent.code, e.counted_score)
            for e in counted_assessments(users["city_a"], 2026)
        ]
    assert len(rows) == 40
    assert len(queries) == 1


def test_scores_come_back_as_exact_decimals_on_every_database(users, unit_a):
    # The stored two-place score and the comparison are Decimal arithmetic on any backend.
    enterprises = bulk_enterprises(unit_a, 3, prefix="MX")
    for enterprise, score in zip(enterprises, ["3.55", "3.71", "0.10"], strict=True):
        platform_result(enterprise, score=score, level=3 if score != "0.10" else 0)
    scores = sorted(e.counted_score for e in counted_assessments(users["city_a"], 2026))
    assert [str(score) for score in scores] == ["0.10", "3.55", "3.71"]
    assert all(isinstance(score, Decimal) for score in scores)
    assert sum(scores) == Decimal("7.36")


def test_earlier_years_list_each_years_counted_result(users, enterprise_a):
    platform_result(enterprise_a, year=2024, score="1.20", level=1, on=date(2024, 5, 1))
    platform_result(enterprise_a, year=2025, score="1.90", level=2, on=date(2025, 5, 1))
    platform_result(enterprise_a, year=2025, score="2.90", level=3, on=date(2025, 6, 1))
    rows = earlier_results(users["enterprise_a"], enterprise_a.pk, 2026)
    assert [(r["year"], r["counted_score"], r["counted_level"]) for r in rows] == [
        (2025, Decimal("2.90"), 3),
        (2024, Decimal("1.20"), 1),
    ]
    assert rows[0]["source_label"] == "国家平台结果"
    assert earlier_results(users["enterprise_b"], enterprise_a.pk, 2026) == []


def test_any_enterprise_queryset_can_be_annotated(enterprise_a, enterprise_b):
    platform_result(enterprise_b, score="4.90", level=5)
    rows = with_counted_result(Enterprise.objects.order_by("name"), 2026)
    assert {e.pk: e.counted_level for e in rows} == {enterprise_a.pk: None, enterprise_b.pk: 5}
    assert PlatformResult.objects.count() == 1
