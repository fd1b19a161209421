"""City and province: who has assessed this year and who has not, with filters; every count
opens the list behind it, and the list exports to Excel."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from factorytiers.enterprises.models import Enterprise
from tests.assessments.conftest import bulk_enterprises, platform_result, submitted
from tests.conftest import make_enterprise


@pytest.fixture
def spread(users, unit_a, enterprise_a, enterprise_b, frozen):
    """太原: enterprise_a submitted (四级), one platform result (二级, 规下 消费品), one draft,
    one with nothing; 大同: enterprise_b with a platform result."""
    submitted(users["enterprise_a"], enterprise_a)
    small = make_enterprise(
        unit_a,
        name="太原汾酒小作坊有限公司",
        body="MA0T0001",
        sector="消费品",
        employees=20,
        revenue_wan=Decimal("500"),
    )
    platform_result(small, score="2.10", level=2)
    drafting = make_enterprise(unit_a, name="太原填写中有限公司", body="MA0D0001")
    from factorytiers.assessments import services
    from tests.conftest import make_user

    services.start_assessment(
        actor=make_user("ent_d", "enterprise", enterprise=drafting), enterprise=drafting, year=2026
    )
    make_enterprise(unit_a, name="太原未评估有限公司", body="MA0N0001")
    platform_result(enterprise_b, score="1.00", level=1)
    return small


def listing(client, **params):
    response = client.get(reverse("assessments:overview"), params)
    assert response.status_code == 200
    content = response.content.decode()
    return content, content[content.index('id="overview-list"') :]


def test_the_city_sees_its_units_counts(city_client, spread):
    content, rows = listing(city_client)
    assert 'id="count-total" href="?year=2026">4<' in content
    assert ">2</a>" in content[content.index('id="count-assessed"') :][:120]
    assert 'id="count-not-assessed"' in content and "大同云冈机械有限公司" not in content
    assert "太原未评估有限公司" in rows and "太原填写中有限公司" in rows
    # 规上: enterprise_a, 填写中, 未评估 (3); of them enterprise_a assessed: 33.3%
    assert '<div class="value" id="coverage">33.3%</div>' in content


def test_the_chase_list_holds_who_has_not_assessed(city_client, spread):
    _content, rows = listing(city_client, year=2026, status="not_assessed")
    assert "太原未评估有限公司" in rows and "太原填写中有限公司" in rows
    assert "太原晋华重工有限公司" not in rows
    assert "13912345678" in rows  # the contact to call
    _content, rows = listing(city_client, year=2026, status="in_progress")
    assert "太原填写中有限公司" in rows and "太原未评估有限公司" not in rows


def test_filters_by_level_sector_size_and_above_scale(city_client, spread):
    _c, rows = listing(city_client, status="assessed", level="4")
    assert "太原晋华重工有限公司" in rows and "太原汾酒小作坊有限公司" not in rows
    _c, rows = listing(city_client, sector="消费品")
    assert "太原汾酒小作坊有限公司" in rows and "太原晋华重工有限公司" not in rows
    _c, rows = listing(city_client, above_scale="0")
    assert "太原汾酒小作坊有限公司" in rows and "太原未评估有限公司" not in rows
    _c, rows = listing(city_client, size_class="小型企业")
    assert "太原汾酒小作坊有限公司" in rows


def test_counts_link_to_their_lists(city_client, spread):
    content, _rows = listing(city_client)
    assert 'href="?year=2026&status=assessed&level=4">1</a>' in content
    assert 'href="?year=2026&status=not_assessed"' in content


def test_a_city_officer_cannot_filter_into_another_unit(city_client, spread, unit_b):
    content, _rows = listing(city_client, unit=unit_b.pk)
    assert "大同云冈机械有限公司" not in content


def test_the_province_sees_every_unit_and_a_row_per_unit(client, users, spread, unit_b):
    client.force_login(users["province"])
    content, rows = listing(client)
    assert "大同云冈机械有限公司" in rows and "太原晋华重工有限公司" in rows
    units = content[content.index('id="unit-summary"') : content.index('id="overview-list"')]
    assert "太原市" in units and "大同市" in units
    _c, rows = listing(client, unit=unit_b.pk)
    assert "大同云冈机械有限公司" in rows and "太原晋华重工有限公司" not in rows


def test_other_years_are_separate(city_client, spread, enterprise_a):
    platform_result(enterprise_a, year=2025, score="0.90", level=1, on=date(2025, 3, 1))
    content, rows = listing(city_client, year=2025)
    assert 'id="count-total" href="?year=2025">4<' in content
    assert "0.90" in rows and "3.80" not in rows


def test_the_list_exports_to_excel(city_client, spread):
    response = city_client.get(reverse("assessments:overview_export"), {"status": "not_assessed"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("统一社会信用代码", "企业名称")
    assert {row[1] for row in rows[1:]} == {"太原未评估有限公司", "太原填写中有限公司"}
    assert {row[6] for row in rows[1:]} == {"未完成", "填写中未提交"}


def test_the_list_pages_through_many_enterprises(city_client, unit_a, frozen):
    bulk_enterprises(unit_a, 120, prefix="MW")
    content, _rows = listing(city_client)
    # 120 and enterprise_a: three pages of 50
    assert "共 121 家企业" in content and "第1页，共3页" in content
    assert Enterprise.objects.filter(unit=unit_a).count() == 121


@pytest.mark.parametrize("role", ["enterprise_a", "expert"])
def test_enterprises_and_experts_have_no_overview(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("assessments:overview")).status_code == 403


FILTER_CASES = [
    {},
    {"sector": "装备制造"},
    {"sector": "消费品", "above_scale": "0"},
    {"above_scale": "1"},
    {"status": "assessed", "level": "4"},
    {"q": "太原"},  # not held by the counts: counted over the enterprises
    {"size_class": "小型"},
]


@pytest.mark.parametrize("role", ["province", "city_a"])
@pytest.mark.parametrize("filters", FILTER_CASES)
def test_the_summary_from_the_kept_counts_equals_the_count_over_the_enterprises(
    users, spread, unit_a, role, filters
):
    from factorytiers.assessments.selectors import overview_summary

    user = users[role]
    for given in (filters, {**filters, "unit": str(unit_a.pk)}):
        kept = overview_summary(user, 2026, given)
        counted = overview_summary(user, 2026, given, kept=False)
        assert kept == counted, given
    assert overview_summary(user, 2026, {})["totals"]["total"] > 0


def test_the_summary_is_read_from_the_kept_counts_in_a_fixed_number_of_queries(
    users, spread, django_assert_max_num_queries
):
    from factorytiers.assessments.selectors import overview_summary

    with django_assert_max_num_queries(5):
        overview_summary(users["province"], 2026, {"sector": "装备制造"})


@pytest.mark.parametrize("role", ["province", "city_a"])
@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "not_assessed"}, {"status": "assessed"}, {"level": "4"}, {"sector": "消费品"}],
)
def test_each_overview_page_holds_the_rows_of_the_whole_list_in_its_order(
    users, spread, role, filters
):
    from factorytiers.assessments.selectors import overview_page, overview_rows
    from factorytiers.enterprises.selectors import LIST_ORDER

    user = users[role]
    whole = list(
        overview_rows(user, 2026, filters)
        .order_by(*LIST_ORDER)
        .values_list("pk", "counted_level", "has_draft")
    )
    paged = []
    for number in range(1, len(whole) + 2):
        page = overview_page(user, 2026, filters, number, per_page=2)
        paged += [(row.pk, row.counted_level, row.has_draft) for row in page.object_list]
        if not page.has_next():
            break
    assert paged == whole
    assert page.paginator.count == len(whole)
