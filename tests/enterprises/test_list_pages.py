"""The enterprise list's pages: chosen on the filtered enterprises alone, then given their tier
and level; the same rows in the same order as the one annotated query paginated, and on
PostgreSQL read from the indexes made for them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from factorytiers.enterprises.selectors import (
    LIST_ORDER,
    enterprise_list,
    enterprise_page,
    page_keys,
)
from tests.assessments.conftest import bulk_enterprises, platform_result
from tests.conftest import make_enterprise

ON = date(2026, 6, 1)


@pytest.fixture
def registry(users, unit_a, unit_b):
    """Seven enterprises in each of two units, two of them with the same name (the key breaks
    the tie), some with a counted result or a tier."""
    made = bulk_enterprises(unit_a, 7, prefix="LA") + bulk_enterprises(unit_b, 7, prefix="LB")
    make_enterprise(unit_a, name=made[0].name.replace("LA", "LZ"), body="MA0L0001")
    twin = make_enterprise(unit_b, name="大同同名机械有限公司", body="MA0L0002")
    make_enterprise(unit_b, name="大同同名机械有限公司", body="MA0L0003")
    for enterprise in made[::3]:
        platform_result(enterprise, score="3.10", level=3, on=date(2026, 3, 15))
    factory = Factory.objects.create(enterprise=twin, name="同名一厂", location="大同市")
    TierRecognition.objects.create(
        factory=factory,
        tier="先进级",
        year=2025,
        recognized_by="unit",
        document_number="并工信发〔2025〕1号",
        recognized_on=date(2025, 10, 1),
    )
    return made


def _pages(user, filters, per_page=4):
    """Every page's rows (pk, tier, level), walked to the end."""
    pages, number = [], 1
    while True:
        page = enterprise_page(user, filters=filters, on=ON, number=number, per_page=per_page)
        pages.append([(e.pk, e.tier_in_force, e.counted_level) for e in page])
        if not page.has_next():
            return pages, page.paginator.count
        number += 1


def _reference(user, filters, per_page=4):
    """The same list as one annotated query in the list's order, cut into pages."""
    rows = [
        (e.pk, e.tier_in_force, e.counted_level)
        for e in enterprise_list(user, filters=filters, on=ON).order_by(*LIST_ORDER)
    ]
    return [rows[n : n + per_page] for n in range(0, len(rows), per_page)] or [[]], len(rows)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "测试企业"},
        {"q": "同名"},
        {"level": "3"},
        {"level": "none"},
        {"tier": "先进级"},
        {"tier": "none", "above_scale": "1"},
    ],
)
@pytest.mark.parametrize("role", ["province", "city_a", "city_b"])
def test_pages_hold_the_rows_of_the_annotated_list_in_its_order(registry, users, role, filters):
    assert _pages(users[role], filters) == _reference(users[role], filters)


def test_a_unit_filter_gives_the_units_rows_in_name_order(registry, users, unit_b):
    pages, count = _pages(users["province"], {"unit": unit_b})
    assert pages == _reference(users["province"], {"unit": unit_b})[0]
    names = [Enterprise.objects.get(pk=pk).name for page in pages for pk, *_ in page]
    assert names == sorted(names) and count == Enterprise.objects.filter(unit=unit_b).count()


def test_a_page_past_the_end_is_the_last_page(registry, users):
    page = enterprise_page(users["city_a"], filters={}, on=ON, number="99", per_page=4)
    assert page.number == page.paginator.num_pages and len(page) > 0


def test_a_credit_code_prefix_finds_the_same_rows_as_the_prefix_itself(registry, users):
    prefix = registry[0].credit_code[:10]
    expected = set(Enterprise.objects.filter(credit_code__startswith=prefix).values_list("pk"))
    assert len(expected) > 1
    pages, count = _pages(users["province"], {"q": prefix.lower()}, per_page=50)
    assert {(pk,) for pk, *_ in pages[0]} == expected and count == len(expected)


def test_the_count_reads_the_filtered_enterprises_alone(client, registry, users):
    """The pager's COUNT joins nothing and wraps nothing unless a filter needs the level."""
    client.force_login(users["province"])
    for params, joins in (({}, False), ({"q": "同名"}, False), ({"level": "3"}, True)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("enterprises:list"), params).status_code == 200
        (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        assert ("JOIN" in count) == joins, count
        assert count.count("SELECT") == 1, count


# ----------------------------------------------------------------- PostgreSQL's plans
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner"
)


def _plan(queryset, *off: str) -> str:
    """The plan with the named planner methods discouraged (``SET LOCAL enable_… = off``), so
    that on a few test rows the plan shows which index can serve the statement at all."""
    with connection.cursor() as cursor:
        for method in off:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        return queryset.explain()


@postgresql_only
def test_a_units_page_is_read_in_order_from_the_unit_name_index(registry, users):
    keys = page_keys(users["city_a"], filters={}, on=ON)[:50]
    plan = _plan(keys, "seqscan", "bitmapscan", "sort", "incremental_sort")
    assert "enterprise_unit_name_id" in plan and "Sort" not in plan, plan


def test_the_provinces_page_is_chosen_joining_only_the_units(registry, users):
    """The keys of the province's page join the units (their code orders the list) and nothing
    else; PostgreSQL reads each unit's names from the (unit, name, id) index."""
    sql = str(page_keys(users["province"], filters={}, on=ON)[:50].query)
    assert sql.count("JOIN") == 1 and 'JOIN "reference_region"' in sql, sql
    assert sql.split(" FROM ")[0] == 'SELECT "enterprises_enterprise"."id" AS "pk"', sql
