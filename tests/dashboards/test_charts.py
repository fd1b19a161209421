"""The province home's charts: this year's figures and the same figures over the years side by
side, each year's equal to that year's own chart, in a number of queries that does not grow with
the enterprises."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
from factorytiers.dashboards.charts import TREND_YEARS, province_charts
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition
from tests.conftest import make_enterprise
from tests.documents import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    # "In force" is judged on today for the current year: a fixed day, not the wall clock.
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        yield


def _result(enterprise, year, level):
    PlatformResult.objects.create(
        enterprise=enterprise,
        year=year,
        score=Decimal("1.50") + level,
        level=level,
        assessed_on=date(year, 3, 20),
        source=PlatformResult.Source.IMPORT,
        edition=MaturityModelEdition.objects.active(),
    )


def _enterprises(unit, n, start=0):
    return [
        make_enterprise(
            unit,
            name=f"图表测试企业{start + i}有限公司",
            body=f"MA0D{start + i:04d}",
            is_above_scale=True,
        )
        for i in range(n)
    ]


@pytest.fixture
def years_of_results(users, unit_a, unit_b):
    a = _enterprises(unit_a, 3)
    b = _enterprises(unit_b, 2, start=10)
    _result(a[0], 2024, 1)
    _result(a[0], 2025, 2)
    _result(a[1], 2025, 3)
    _result(b[0], 2025, 2)
    _result(a[0], 2026, 3)
    _result(a[1], 2026, 3)
    _result(b[1], 2026, 1)
    factory = Factory.objects.create(enterprise=a[0], name="一厂", location="太原市")
    TierRecognition.objects.create(
        factory=factory,
        tier="先进级",
        year=2025,
        recognized_by="province",
        document_number="晋工信发〔2025〕1号",
        recognized_on=date(2025, 6, 1),
        valid_until=date(2028, 5, 31),
    )
    return users


def test_each_years_series_equals_that_years_own_chart(years_of_results):
    province = years_of_results["province"]
    data = province_charts(province, 2026, [2026, 2025, 2024, 2023, 2022, 2021])
    trend = data["trend"]
    assert trend["years"] == [2023, 2024, 2025, 2026][-TREND_YEARS:]
    for index, year in enumerate(trend["years"]):
        single = province_charts(province, year)
        assert trend["distribution"][index] == single["distribution"]
        assert trend["penetration"][index] == single["penetration"]
        assert trend["tiers"][index] == [sum(column) for column in single["tiers_by_unit"]]
    assert trend["distribution"][-1] == data["distribution"]
    assert trend["distribution"][trend["years"].index(2025)][1:4] == [0, 2, 1]


def test_later_years_are_not_shown_beside_an_earlier_one(years_of_results):
    data = province_charts(years_of_results["province"], 2025, [2026, 2025, 2024])
    assert data["trend"]["years"] == [2024, 2025]


def test_a_city_officer_sees_only_its_units_figures(years_of_results, unit_a):
    data = province_charts(years_of_results["city_a"], 2026, [2026, 2025])
    assert sum(data["trend"]["distribution"][0]) == 2  # unit A's 2025 results only


def _queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"), {"year": "2026"})
    assert response.status_code == 200
    assert 'id="chart-trend-distribution"' in response.content.decode()
    return len(captured)


def test_the_province_home_queries_do_not_grow_with_the_enterprises(
    client, years_of_results, unit_a
):
    before = _queries(client, years_of_results["province"])
    more = Enterprise.objects.bulk_create(
        [
            Enterprise(**{**_template(unit_a), "name": f"批量企业{i}", "credit_code": _code(i)})
            for i in range(300)
        ]
    )
    for enterprise in more[:50]:
        _result(enterprise, 2025, 2)
    assert _queries(client, years_of_results["province"]) == before


def _template(unit):
    sample = Enterprise.objects.filter(unit=unit).values().first()
    return {k: v for k, v in sample.items() if k not in ("id", "name", "credit_code", "version")}


def _code(i):
    from factorytiers.domain.credit_code import make_credit_code

    return make_credit_code(division="140100", org_body=f"MB{i:06d}")


@pytest.mark.parametrize("role", ["province", "city_a"])
def test_the_per_unit_figures_from_the_kept_counts_equal_those_counted_over_the_enterprises(
    years_of_results, role
):
    from factorytiers.dashboards.charts import _per_unit

    user = years_of_results[role]
    for year in (2024, 2025, 2026, 2027):
        assert _per_unit(user, year) == _per_unit(user, year, kept=False), year


@pytest.mark.parametrize("role", ["province", "city_a"])
def test_the_home_figures_from_the_kept_counts_equal_those_counted_over_the_enterprises(
    years_of_results, role
):
    from factorytiers.assessments.selectors import kept_unit_summary
    from factorytiers.dashboards.todo import unit_and_province_figures
    from factorytiers.enterprises.selectors import unit_summary

    user = years_of_results[role]
    for year in (2025, 2026):
        assert unit_and_province_figures(user, year) == unit_and_province_figures(
            user, year, kept=False
        ), year
    assert kept_unit_summary(user) == unit_summary(user)
    assert kept_unit_summary(years_of_results["expert"]) is None  # not whole units: counted


def _recognize(factory, tier, number, **fields):
    builders.recognition(factory, tier, str(number), **fields).save()


def test_each_factory_counts_once_under_its_highest_tier_in_force(users, unit_a, unit_b):
    a = _enterprises(unit_a, 2)
    b = _enterprises(unit_b, 1, start=10)
    Enterprise.objects.filter(pk=a[1].pk).update(sector="原材料")
    one, two, three = (
        Factory.objects.create(enterprise=e, name="一厂", location="太原市") for e in (*a, b[0])
    )
    _recognize(one, "基础级", 1)
    _recognize(one, "先进级", 2)  # held: 先进级
    _recognize(two, "基础级", 3)
    _recognize(two, "基础级", 4)  # the same tier twice: once
    _recognize(three, "先进级", 5, revoked=True, revoked_on=date(2026, 6, 1))
    _recognize(three, "基础级", 6)  # the higher one revoked: 基础级
    _recognize(three, "揭榜验收", 7)  # an acceptance entry is no tier
    data = province_charts(users["province"], 2026)
    column = {unit: n for n, unit in enumerate(data["units"])}
    by_unit = dict(zip(data["tiers"], data["tiers_by_unit"], strict=True))
    assert by_unit["先进级"][column[unit_a.name]] == 1
    assert by_unit["基础级"][column[unit_a.name]] == 1
    assert by_unit["基础级"][column[unit_b.name]] == 1
    assert sum(by_unit["先进级"]) == 1 and sum(by_unit["基础级"]) == 2
    by_sector = dict(zip(data["tiers"], data["tiers_by_sector"], strict=True))
    sector = {name: n for n, name in enumerate(data["sectors"])}
    assert by_sector["基础级"][sector["原材料"]] == 1
    assert by_sector["基础级"][sector["装备制造"]] == 1
    assert by_sector["先进级"][sector["装备制造"]] == 1
