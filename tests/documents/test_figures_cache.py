"""The statistics' kept counts are read once per change of what they are counted from
(``selectors.kept_counted``, keyed by the ``FiguresVersion`` rows that the database's triggers
count up): after any write — by instance, queryset, bulk insert or raw SQL, to the tallies, the
tier recognitions or a name, committed or rolled back — the counts read equal the counts made
afresh. And the tiers counted in SQL equal the statistics rule's count over the recognitions."""

import importlib
import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
from factorytiers.documents import selectors
from factorytiers.documents.models import FiguresVersion
from factorytiers.domain.statistics import GROUP_LABELS, compute, compute_by, counted_from_rows
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from factorytiers.reference.models import IndustryCode, Region
from tests.conftest import make_enterprise
from tests.documents import builders

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
REF = date(2026, 5, 10)
GROUPINGS = tuple(GROUP_LABELS)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _data(unit_a, unit_b, count=12):
    builders.grouped_enterprises([unit_a, unit_b], count, name="缓存测试", body="MA0K")


def _figures(counted):
    """The statistics computed from the counts: the scope's and every group's."""
    return compute(counted, 2026), {by: compute_by(counted, 2026, by) for by in GROUPINGS}


def _read(unit_ids):
    return _figures(selectors.kept_counted(unit_ids, 2026, REF, GROUPINGS))


def _afresh(unit_ids):
    # Inside a transaction the cache is neither read nor written.
    with transaction.atomic():
        return _read(unit_ids)


def _result(enterprise, year=2025):
    PlatformResult.objects.create(
        enterprise=enterprise,
        edition=MaturityModelEdition.objects.active(),
        year=year,
        score=Decimal("2.50"),
        level=2,
        assessed_on=date(year, 4, 1),
    )


def _recognition(factory, tier="基础级", **fields):
    return builders.recognition(factory, tier, **fields)


def _write(kind: str, rng: random.Random, units) -> None:
    factories = list(Factory.objects.order_by("pk"))
    factory = rng.choice(factories)
    recognitions = list(TierRecognition.objects.order_by("pk"))
    if kind == "enterprise":
        n = Enterprise.objects.count()
        make_enterprise(rng.choice(units), name=f"缓存新增{n}号机械有限公司", body=f"MA0KN{n:03d}")
    elif kind == "move":  # a queryset update: the enterprise's tallies and recognitions move
        enterprise = rng.choice(list(Enterprise.objects.all()))
        Enterprise.objects.filter(pk=enterprise.pk).update(unit=rng.choice(units))
    elif kind == "result":
        enterprise = rng.choice(list(Enterprise.objects.all()))
        PlatformResult.objects.create(
            enterprise=enterprise,
            edition=MaturityModelEdition.objects.active(),
            year=2026,
            score=Decimal(rng.randint(100, 499)) / 100,
            level=rng.randint(1, 4),
            assessed_on=date(2026, 4, rng.randint(1, 28)),
        )
    elif kind == "recognize":  # save(), sometimes a higher tier or the same one again
        _recognition(factory, rng.choice(["基础级", "基础级", "先进级"])).save()
    elif kind == "revoke" and recognitions:  # a queryset update
        pk = rng.choice(recognitions).pk
        TierRecognition.objects.filter(pk=pk).update(revoked=True, revoked_on=date(2026, 4, 1))
    elif kind == "delete" and recognitions:
        rng.choice(recognitions).delete()
    elif kind == "bulk":
        TierRecognition.objects.bulk_create(
            [_recognition(f, "先进级") for f in rng.sample(factories, 2)]
        )
    elif kind == "raw":  # SQL the ORM never sees
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE assessments_grouptally SET enterprises = enterprises + 1 "
                "WHERE id = (SELECT MIN(id) FROM assessments_grouptally WHERE enterprises > 0)"
            )
    elif kind == "rename":
        Region.objects.filter(pk=rng.choice(units).pk).update(name=f"改名市{rng.randint(0, 99)}")
    elif kind == "division_rename":
        division = IndustryCode.objects.get(code="35")
        IndustryCode.objects.filter(pk=division.pk).update(name=f"专用设备{rng.randint(0, 99)}")
    elif kind == "rolled_back":
        with transaction.atomic():
            _recognition(factory, "先进级").save()
            make_enterprise(units[0], name="回滚缓存机械有限公司", body="MA0KRB01")
            # Read inside: this transaction's own versions, never kept.
            _read([unit.pk for unit in units])
            transaction.set_rollback(True)


KINDS = [
    "enterprise",
    "move",
    "result",
    "recognize",
    "revoke",
    "delete",
    "bulk",
    "raw",
    "rename",
    "division_rename",
    "rolled_back",
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_any_write_the_counts_read_equal_the_counts_made_afresh(
    seeded_transactional_db, unit_a, unit_b, seed
):
    _data(unit_a, unit_b)
    units = [unit_a, unit_b]
    scopes = [[unit_a.pk, unit_b.pk], [unit_a.pk], [unit_b.pk]]
    rng = random.Random(seed)
    for scope in scopes:
        assert _read(scope) == _afresh(scope)
    steps = [*KINDS, *rng.choices(KINDS, k=14)]
    rng.shuffle(steps)
    for kind in steps:
        _write(kind, rng, units)
        for scope in scopes:
            assert _read(scope) == _afresh(scope), kind


def test_a_second_read_takes_the_counts_from_the_cache(seeded_transactional_db, unit_a, unit_b):
    _data(unit_a, unit_b)
    ids = [unit_a.pk, unit_b.pk]
    first = selectors.kept_counted(ids, 2026, REF, GROUPINGS)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.kept_counted(ids, 2026, REF, GROUPINGS)
    assert len(queries) == 1  # the versions
    assert again == first
    # Another day, year or set of groupings is counted apart.
    with CaptureQueriesContext(connection) as queries:
        selectors.kept_counted(ids, 2026, date(2026, 5, 11), GROUPINGS)
    assert len(queries) > 1


def test_each_counted_table_counts_up_its_units_version(seeded_transactional_db, unit_a, unit_b):
    _data(unit_a, unit_b, count=3)

    def versions():
        return {
            row[0]: row[1:]
            for row in FiguresVersion.objects.values_list("unit_id", "tallies", "recognitions")
        }

    _recognition(Factory.objects.filter(enterprise__unit=unit_b).first()).save()
    before = versions()
    assert all(before[unit.pk][0] > 0 and before[unit.pk][1] > 0 for unit in (unit_a, unit_b))
    assert TierRecognition.objects.filter(group_unit=unit_b).update(revoked=False)
    after = versions()
    assert after[unit_b.pk][1] > before[unit_b.pk][1]
    assert after[unit_b.pk][0] == before[unit_b.pk][0] and after[unit_a.pk] == before[unit_a.pk]
    # A result counts up its unit's tallies, not its recognitions.
    _result(Enterprise.objects.filter(unit=unit_a).first())
    moved = versions()
    assert moved[unit_a.pk][0] > after[unit_a.pk][0]
    assert moved[unit_a.pk][1] == after[unit_a.pk][1]
    Region.objects.filter(pk=unit_a.pk).update(name="太原市")
    renamed = versions()[0]
    assert all(n > m for n, m in zip(renamed, moved.get(0, (0, 0)), strict=True))


def test_an_assessments_write_leaves_the_tier_counts_in_the_cache(
    seeded_transactional_db, unit_a, unit_b
):
    _data(unit_a, unit_b, count=6)
    ids = [unit_a.pk, unit_b.pk]
    selectors.kept_counted(ids, 2026, REF, GROUPINGS)
    _result(Enterprise.objects.filter(unit=unit_a).first())
    with CaptureQueriesContext(connection) as queries:
        assert _read(ids) == _afresh(ids)
    tier_queries = [q for q in queries if "enterprises_tierrecognition" in q["sql"]]
    assert len(tier_queries) == 2  # the count afresh inside the transaction only


def _tiers_by_key(tiers):
    return {
        (t.unit, t.sector, t.division, t.tier): (t.recognized_in_year, t.in_force)
        for t in tiers
        if t.recognized_in_year or t.in_force
    }


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_the_tiers_counted_in_sql_equal_the_rule_over_the_recognitions(
    db, users, unit_a, unit_b, seed
):
    _data(unit_a, unit_b)
    rng = random.Random(seed)
    factories = list(Factory.objects.all())
    # The same tier twice in force, a higher tier over a lower, one not yet in force.
    for factory in rng.sample(factories, 6):
        tiers = rng.choice([["基础级", "基础级"], ["基础级", "先进级"], ["先进级", "先进级"]])
        for tier in tiers:
            _recognition(factory, tier).save()
    _recognition(rng.choice(factories), "先进级", revoked=True, revoked_on=date(2026, 6, 1)).save()
    _recognition(rng.choice(factories), "揭榜验收").save()  # no tier: counted nowhere
    late = _recognition(rng.choice(factories), "先进级")
    late.recognized_on = date(2026, 9, 1)
    late.save()
    ids = [unit_a.pk, unit_b.pk]
    for ref in (REF, date(2026, 12, 31), date(2025, 6, 1)):
        rows = selectors._recognitions(users["province"], ids, ref).values()
        expected = counted_from_rows([], rows, 2026).tiers
        assert _tiers_by_key(selectors._tier_tallies(ids, 2026, ref)) == _tiers_by_key(expected)


COUNTED_TABLES = [
    "assessments_grouptally",
    "assessments_leveltally",
    "assessments_scoretally",
    "enterprises_tierrecognition",
]


def test_emptying_the_counted_tables_counts_up_every_version(db, unit_a, unit_b):
    # As a restore empties them (TRUNCATE on PostgreSQL, where no row trigger fires).
    from django.core.management.color import no_style

    _data(unit_a, unit_b, count=3)
    _recognition(Factory.objects.filter(enterprise__unit=unit_b).first()).save()
    if connection.vendor == "postgresql":
        # The deferred checks now: the versions are counted up at a commit (or here), and
        # PostgreSQL will not TRUNCATE with checks pending.
        connection.check_constraints()
    before = dict(FiguresVersion.objects.values_list("unit_id", "tallies"))
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), COUNTED_TABLES, allow_cascade=True):
            cursor.execute(sql)
    after = dict(FiguresVersion.objects.values_list("unit_id", "tallies"))
    assert before and all(after[unit] > n for unit, n in before.items())


def test_every_trigger_is_in_place_after_the_migrations(db):
    # A later migration that rebuilds one of these tables (SQLite does, to alter a column)
    # drops its triggers: this test says so.
    migration = importlib.import_module("factorytiers.documents.migrations.0004_figures_version")

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'figures_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        found = {row[0] for row in cursor.fetchall()}
    assert migration.trigger_names(connection.vendor) <= found


def test_an_open_transaction_holds_up_no_other_write_of_its_unit(
    seeded_transactional_db, unit_a, unit_b
):
    # PostgreSQL: the versions are counted up as a transaction commits, so a long one (an
    # import) keeps no version row locked while it runs. (SQLite has one writer at a time.)
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("one writer at a time on SQLite")
    _data(unit_a, unit_b, count=3)
    first, second = Factory.objects.filter(enterprise__unit=unit_a)[:2]
    done = threading.Event()

    def other_write() -> None:
        try:
            _recognition(second).save()  # autocommit, on this thread's own connection
            done.set()
        finally:
            connections.close_all()

    before = FiguresVersion.objects.get(unit_id=unit_a.pk).recognitions
    with transaction.atomic():
        _recognition(first).save()
        writer = threading.Thread(target=other_write)
        writer.start()
        writer.join(timeout=10)
        assert done.is_set(), "the other write waited for this transaction"
    after = FiguresVersion.objects.get(unit_id=unit_a.pk).recognitions
    assert after == before + 2
