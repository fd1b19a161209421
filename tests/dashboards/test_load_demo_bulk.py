"""The demo at national sizes: the enterprises past the small demo are written in bulk, a
chunk at a time, deterministic for a seed, with valid unique credit codes and unique names, and
their results in the small demo's proportions."""

import hashlib
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from factorytiers.assessments import services
from factorytiers.assessments.models import Assessment, PlatformResult
from factorytiers.dashboards.management.commands import load_demo
from factorytiers.dashboards.management.commands.load_demo import generate_bulk
from factorytiers.domain.credit_code import check_credit_code
from factorytiers.domain.maturity import level_for_score, score_assessment
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from tests.conftest import make_enterprise


def _fingerprint() -> str:
    """A hash of every generated value in insertion order (ids and timestamps left out)."""
    rows = [
        list(
            Enterprise.objects.order_by("pk").values_list(
                "credit_code",
                "name",
                "unit__code",
                "industry__code",
                "sector",
                "nature",
                "employees",
                "revenue_wan",
                "contact_name",
                "contact_phone",
                "is_pilot_winner",
                "size_class",
                "is_above_scale",
                "address",
            )
        ),
        list(
            Factory.objects.order_by("pk").values_list(
                "enterprise__credit_code", "name", "location", "is_overseas", "country__iso2"
            )
        ),
        list(
            TierRecognition.objects.order_by("pk").values_list(
                "factory__name", "tier", "year", "document_number", "recognized_on"
            )
        ),
        list(
            PlatformResult.objects.order_by("pk").values_list(
                "enterprise__credit_code", "year", "score", "level", "assessed_on"
            )
        ),
        [
            (*row[:-1], json.dumps(row[-1], sort_keys=True))
            for row in Assessment.objects.order_by("pk").values_list(
                "enterprise__credit_code",
                "year",
                "manufacturing_type",
                "score",
                "level",
                "submitted_on",
                "answers",
            )
        ],
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _clear() -> None:
    Assessment.objects.all().delete()
    PlatformResult.objects.all().delete()
    TierRecognition.objects.all().delete()
    Factory.objects.all().delete()
    Enterprise.objects.all().delete()


def _run(**kwargs) -> dict:
    totals: dict[str, int] = {}
    for written in generate_bulk(**kwargs):
        for key, value in written.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def test_the_same_seed_writes_the_same_rows_whatever_the_chunk_size(db):
    _run(count=300, seed=11, chunk_size=300)
    first = _fingerprint()
    assert Enterprise.objects.count() == 300
    _clear()
    _run(count=300, seed=11, chunk_size=70)
    assert _fingerprint() == first
    _clear()
    _run(count=300, seed=12, chunk_size=300)
    assert _fingerprint() != first


@pytest.fixture
def two_thousand(db):
    totals = _run(count=2000, seed=2026, chunk_size=500)
    return totals


def test_bulk_enterprises_are_valid_and_unique(two_thousand):
    assert two_thousand["enterprises"] == 2000
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    names = list(Enterprise.objects.values_list("name", flat=True))
    assert len(codes) == len(set(codes)) == 2000
    assert len(names) == len(set(names)) == 2000
    assert all(check_credit_code(code).ok for code in codes)
    # Derived fields are stored as save() would compute them.
    for enterprise in Enterprise.objects.order_by("pk")[:200]:
        size, above = enterprise.size_class, enterprise.is_above_scale
        enterprise.compute_derived()
        assert (enterprise.size_class, enterprise.is_above_scale) == (size, above)
    # Every enterprise has its home factory; each row has its creation history row.
    assert Factory.objects.filter(is_overseas=False).count() == 2000
    assert Factory.objects.count() == two_thousand["factories"]
    assert Enterprise.history.filter(history_type="+").count() == 2000
    first = Enterprise.objects.order_by("pk").first()
    assert first.contact_email == "" and first.version == 1  # defaults filled in
    record = first.history.get()
    assert (record.name, record.credit_code, record.unit_id, record.revenue_wan) == (
        first.name,
        first.credit_code,
        first.unit_id,
        first.revenue_wan,
    )
    assert Factory.history.count() == Factory.objects.count()
    assert TierRecognition.history.count() == TierRecognition.objects.count() > 0
    assert Assessment.history.count() == Assessment.objects.count()


def test_the_ids_given_by_hand_leave_the_sequences_right(two_thousand, unit_a):
    # The next row made by the product takes the next id, on PostgreSQL as on SQLite.
    enterprise = make_enterprise(unit_a, name="新登记企业有限公司", body="MA0X0001")
    assert enterprise.pk == Enterprise.objects.exclude(pk=enterprise.pk).latest("pk").pk + 1
    factory = Factory.objects.create(enterprise=enterprise, name="一厂", location="太原")
    assert factory.pk > Factory.objects.exclude(pk=factory.pk).latest("pk").pk


def test_results_come_in_the_small_demos_proportions(two_thousand):
    above = set(Enterprise.objects.filter(is_above_scale=True).values_list("pk", flat=True))
    below = set(Enterprise.objects.filter(is_above_scale=False).values_list("pk", flat=True))
    assert len(above) > 300 and len(below) > 300

    def share(year, group):
        assessed = set(
            PlatformResult.objects.filter(year=year).values_list("enterprise", flat=True)
        ) | set(Assessment.objects.filter(year=year).values_list("enterprise", flat=True))
        return len(assessed & group) / len(group)

    # 2025: half of the 规上 enterprises, a fifth of the others; 2026: three quarters, 30 %.
    assert share(2025, above) == pytest.approx(0.5, abs=0.06)
    assert share(2025, below) == pytest.approx(0.2, abs=0.05)
    assert share(2026, above) == pytest.approx(0.75, abs=0.06)
    assert share(2026, below) == pytest.approx(0.3, abs=0.05)
    results = two_thousand["platform_results"] + two_thousand["assessments"]
    assert two_thousand["assessments"] / results == pytest.approx(0.1, abs=0.04)
    # One result per enterprise and year.
    assert PlatformResult.objects.count() == two_thousand["platform_results"]
    assert Assessment.objects.count() == two_thousand["assessments"]


def test_stored_results_are_what_the_services_would_store(two_thousand):
    for result in PlatformResult.objects.select_related("edition")[:100]:
        assert result.level == level_for_score(result.score, model=result.edition.model)
        assert result.assessed_on.year == result.year
    assessments = list(Assessment.objects.select_related("edition")[:30])
    assert assessments
    for assessment in assessments:
        assert assessment.status == Assessment.Status.SUBMITTED
        assert assessment.submitted_on.year == assessment.year
        model = assessment.edition.model
        assert set(assessment.answers) == {item.code for item in model.items}
        expected = services.scored_fields(
            score_assessment(
                model, assessment.answers, manufacturing_type=assessment.manufacturing_type
            )
        )
        stored = {name: getattr(assessment, name) for name in expected}
        assert stored == expected
        assert isinstance(assessment.score, Decimal)


def test_load_demo_adds_the_bulk_enterprises_past_the_small_demo(
    db, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(load_demo, "SMALL_DEMO", 60)
    out = StringIO()
    call_command("load_demo", enterprises=260, chunk_size=80, stdout=out)
    printed = out.getvalue()
    assert "已生成演示数据：企业 60 家" in printed
    assert "另批量生成企业 200 家" in printed
    assert Enterprise.objects.count() == 260
    # The small demo's enterprises come first: the demo log-ins and campaigns use them.
    small = set(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:60])
    applicants = set(
        Enterprise.objects.filter(applications__isnull=False).values_list("pk", flat=True)
    )
    assert applicants and applicants <= small
    # Every recognition, of the small demo and of the bulk rows, carries its enterprise's group.
    from tests.enterprises.test_recognition_groups import copied, from_the_enterprise

    groups = copied()
    assert len(groups) > 20 and groups == from_the_enterprise()


def test_the_stored_counted_result_of_bulk_rows_equals_the_live_one(two_thousand):
    from factorytiers.enterprises.models import Enterprise
    from tests.assessments.test_counted_table import live, stored

    ids = list(Enterprise.objects.values_list("pk", flat=True))
    expected = live(ids)
    assert len(expected) > 500  # most 规上 enterprises have a result
    assert stored() == expected


def test_the_kept_counts_of_bulk_rows_equal_a_count_from_scratch(two_thousand):
    from tests.assessments.test_tallies import counted_from_scratch, kept

    groups, levels, scores = kept()
    assert sum(groups.values()) == 2000 and levels and scores
    assert (groups, levels, scores) == counted_from_scratch()


def _checked_against_a_recount() -> None:
    from tests.assessments.test_counted_table import live, stored
    from tests.assessments.test_tallies import counted_from_scratch, kept

    assert stored() == live(list(Enterprise.objects.values_list("pk", flat=True)))
    assert kept() == counted_from_scratch()


@pytest.fixture
def postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("several writers need PostgreSQL")


def test_two_writers_write_the_rows_one_writes(postgresql, seeded_transactional_db):
    totals = _run(count=1200, seed=5, chunk_size=150, writers=2)
    assert totals["enterprises"] == 1200
    two = _fingerprint()
    _checked_against_a_recount()
    # The sequences were moved past the ids given by hand.
    from factorytiers.reference.models import Region

    top = max(Enterprise.objects.values_list("pk", flat=True))
    added = make_enterprise(Region.objects.get(code="140100"), name="手工新增", body="WWWW0001")
    assert added.pk > top
    added.delete()
    _clear()
    _run(count=1200, seed=5, chunk_size=400, writers=1)
    assert _fingerprint() == two


def test_a_writer_that_fails_stops_the_load_and_says_why(
    postgresql, seeded_transactional_db, monkeypatch
):
    from factorytiers.enterprises import demo

    insert, calls = demo.insert, []

    def failing(rows):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("磁盘已满")
        return insert(rows)

    monkeypatch.setattr(demo, "insert", failing)
    with pytest.raises(RuntimeError, match="磁盘已满"):
        _run(count=1000, seed=5, chunk_size=100, writers=2)
    # Every chunk is whole or absent, and what was written is counted.
    assert Enterprise.objects.count() % 100 == 0 and Enterprise.objects.count() < 1000
    _checked_against_a_recount()


def test_several_writers_are_refused_on_sqlite_and_inside_a_transaction(db):
    from django.db import connection

    refusal = "no open transaction" if connection.vendor == "postgresql" else "need PostgreSQL"
    with pytest.raises(ValueError, match=refusal):
        _run(count=10, seed=5, writers=2)
    assert not Enterprise.objects.exists()


def test_a_load_stopped_early_stops_with_whole_counted_chunks(postgresql, seeded_transactional_db):
    from factorytiers.dashboards.management.commands.load_demo import generate_bulk

    load = generate_bulk(count=2000, seed=5, chunk_size=100, writers=2)
    first = next(load)
    load.close()  # the caller stops: the chunks being written end, the queued ones are skipped
    written = Enterprise.objects.count()
    assert first["enterprises"] == 100 and written % 100 == 0 and written < 1000
    _checked_against_a_recount()
