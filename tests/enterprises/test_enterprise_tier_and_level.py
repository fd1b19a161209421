"""The enterprise list's tier in force and this year's maturity level: shown, filtered,
exported, and read in a fixed number of queries."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from factorytiers.enterprises.models import Factory, TierRecognition
from tests.assessments.conftest import bulk_enterprises, platform_result
from tests.conftest import make_enterprise

URL = reverse("enterprises:list")
NOW = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def recognize(factory, tier, *, on="2025-10-01", **fields):
    return TierRecognition.objects.create(
        factory=factory,
        tier=tier,
        year=int(on[:4]),
        recognized_by="unit",
        document_number="并工信发〔2025〕1号",
        recognized_on=on,
        **fields,
    )


@pytest.fixture
def registry(users, enterprise_a, enterprise_b, factory_a, factory_b, unit_a):
    """A: 基础级 in force (an expired 先进级 and a revoked 卓越级 beside it), 三级 this year (a
    五级 of last year does not count); B: 先进级 in force, not assessed this year; C (unit A):
    nothing, 未达一级 this year."""
    recognize(factory_a, "基础级")
    recognize(factory_a, "先进级", on="2022-10-01", valid_until=date(2025, 9, 30))
    recognize(factory_a, "卓越级", on="2026-01-10", revoked=True, revoked_on=date(2026, 3, 1))
    recognize(factory_b, "先进级", on="2026-02-01")
    platform_result(enterprise_a, score="3.10", level=3, on=date(2026, 3, 15))
    platform_result(enterprise_a, year=2025, score="4.60", level=5, on=date(2025, 3, 15))
    platform_result(enterprise_b, year=2025, score="2.10", level=2, on=date(2025, 3, 15))
    other = make_enterprise(unit_a, name="太原汾河机电有限公司", body="MA0C0003")
    Factory.objects.create(enterprise=other, name="汾河一厂", location="太原市")
    platform_result(other, score="0.80", level=0, on=date(2026, 4, 1))
    return {"a": enterprise_a, "b": enterprise_b, "c": other}


def _row(content: str, name: str) -> str:
    start = content.index(name)
    return content[start : content.index("</tr>", start)]


def _names(client, **params) -> set[str]:
    content = client.get(URL, params).content.decode()
    return {
        name
        for name in ("太原晋华重工有限公司", "大同云冈机械有限公司", "太原汾河机电有限公司")
        if name in content
    }


def test_each_enterprise_shows_its_tier_in_force_and_this_years_level(client, users, registry):
    client.force_login(users["province"])
    content = client.get(URL).content.decode()
    assert "2026年成熟度" in content
    a, b, c = (_row(content, registry[k].name) for k in "abc")
    assert '<td class="tier-in-force">基础级</td>' in a
    assert '<td class="maturity-level">三级</td>' in a
    assert '<td class="tier-in-force">先进级</td>' in b
    assert '<td class="maturity-level">未评估</td>' in b
    assert '<td class="tier-in-force">未认定</td>' in c
    assert '<td class="maturity-level">未达一级</td>' in c


def test_a_higher_tier_in_force_wins_over_a_lower_one(client, users, registry, factory_a):
    second = Factory.objects.create(enterprise=registry["a"], name="晋华二厂", location="太原市")
    recognize(second, "卓越级", on="2026-05-01")
    client.force_login(users["city_a"])
    content = client.get(URL).content.decode()
    assert '<td class="tier-in-force">卓越级</td>' in _row(content, registry["a"].name)
    # Two factories, still one row.
    assert content.count(registry["a"].name) == 1


def test_it_filters_by_tier_in_force(client, users, registry):
    client.force_login(users["province"])
    assert _names(client, tier="基础级") == {"太原晋华重工有限公司"}
    assert _names(client, tier="先进级") == {"大同云冈机械有限公司"}
    assert _names(client, tier="none") == {"太原汾河机电有限公司"}
    assert _names(client, tier="卓越级") == set()  # revoked
    assert _names(client, tier="领航级") == set()


def test_it_filters_by_this_years_level(client, users, registry):
    client.force_login(users["province"])
    assert _names(client, level="3") == {"太原晋华重工有限公司"}
    assert _names(client, level="5") == set()  # last year's
    assert _names(client, level="0") == {"太原汾河机电有限公司"}
    assert _names(client, level="none") == {"大同云冈机械有限公司"}


def test_the_filters_stay_in_the_unit_scope(city_client, registry):
    assert _names(city_client, tier="先进级") == set()
    assert _names(city_client, level="none") == set()
    assert _names(city_client) == {"太原晋华重工有限公司", "太原汾河机电有限公司"}


def test_the_filters_combine_with_the_others(client, users, registry):
    client.force_login(users["province"])
    assert _names(client, tier="none", level="0", q="汾河") == {"太原汾河机电有限公司"}
    assert _names(client, tier="基础级", level="0") == set()


def test_a_page_of_50_is_read_in_a_fixed_number_of_queries(
    client, users, unit_a, factory_a, django_assert_max_num_queries
):
    for enterprise in bulk_enterprises(unit_a, 60, prefix="T"):
        factory = Factory.objects.create(enterprise=enterprise, name="一厂", location="太原市")
        recognize(factory, "基础级")
        platform_result(enterprise, score="2.20", level=2, on=date(2026, 3, 1))
    client.force_login(users["province"])
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"tier": "基础级"})
    content = response.content.decode()
    assert "共 60 家企业" in content
    assert content.count('<td class="tier-in-force">基础级</td>') == 50
    assert content.count('<td class="maturity-level">二级</td>') == 50


def _sheet(response):
    return list(
        openpyxl.load_workbook(io.BytesIO(response.content))["企业名录"].iter_rows(values_only=True)
    )


def test_the_export_has_both_columns(client, users, registry):
    client.force_login(users["province"])
    rows = _sheet(client.get(reverse("enterprises:export")))
    assert rows[0] == (
        "统一社会信用代码",
        "企业名称",
        "地市",
        "所属行业",
        "企业性质",
        "企业类型",
        "规上企业",
        "行业中类",
        "行业小类",
        "从业人数",
        "营业收入(万元)",
        "企业联系人及联系方式",
        "智能工厂级别",
        "2026年成熟度等级",
    )
    by_name = {row[1]: row[12:] for row in rows[1:]}
    assert by_name == {
        "太原晋华重工有限公司": ("基础级", "三级"),
        "大同云冈机械有限公司": ("先进级", "未评估"),
        "太原汾河机电有限公司": ("未认定", "未达一级"),
    }


def test_the_export_follows_the_tier_and_level_filters(client, users, registry):
    client.force_login(users["province"])
    rows = _sheet(client.get(reverse("enterprises:export"), {"tier": "none"}))
    assert [row[1] for row in rows[1:]] == ["太原汾河机电有限公司"]
    rows = _sheet(client.get(reverse("enterprises:export"), {"level": "3"}))
    assert [row[1] for row in rows[1:]] == ["太原晋华重工有限公司"]
