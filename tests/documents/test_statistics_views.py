"""The statistics page, the list behind each figure, and the summary export."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from factorytiers.documents import figures
from factorytiers.enterprises.models import Enterprise, Factory
from tests.conftest import make_enterprise
from tests.documents import builders

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = reverse("documents:statistics")
LIST = reverse("documents:statistics_list")


@pytest.fixture
def data(users, unit_a, unit_b, enterprise_a, enterprise_b, factory_a, factory_b):
    extra = [
        make_enterprise(unit_a, name=f"太原测试{n}号机械有限公司", body=f"MA0T{n:04d}")
        for n in range(8)
    ]
    for enterprise in extra:
        Factory.objects.create(enterprise=enterprise, name="一厂", location="太原市")
    enterprises = Enterprise.objects.all()
    builders.platform_results(enterprises, 2026)
    builders.recognitions(Factory.objects.all(), 2026, seed=3)
    return enterprises


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _figures(response):
    return response.context["figures"]


def test_a_city_officer_sees_the_figures_of_their_own_unit_only(client, users, data, unit_a):
    client.force_login(users["city_a"])
    response = client.get(URL)
    assert response.status_code == 200
    shown = _figures(response)
    assert shown["enterprises"].value == str(Enterprise.objects.filter(unit=unit_a).count())
    assert response.context["query"].unit == unit_a
    assert "大同云冈机械有限公司" not in response.content.decode()
    assert [g["key"] for g in response.context["groupings"]] == ["sector", "division"]


def test_the_province_sees_every_unit_and_the_table_by_unit(client, users, data):
    client.force_login(users["province"])
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    assert _figures(response)["enterprises"].value == str(Enterprise.objects.count())
    by_unit = response.context["groupings"][0]
    assert by_unit["key"] == "unit"
    assert [row["name"] for row in by_unit["rows"]][:2] == ["太原市", "大同市"]


def test_every_figure_is_a_link_to_exactly_the_enterprises_behind_it(client, users, data):
    client.force_login(users["city_a"])
    response = client.get(URL)
    html = response.content.decode()
    for key in figures.FIGURE_KEYS:
        assert f'data-figure="{key}"' in html
        listing = client.get(LIST, {"year": 2026, "figure": key})
        assert listing.status_code == 200, key
        shown = next(f for f in _figures(response).values() if f.key == key)
        assert listing.context["count"] == shown.count == len(listing.context["page"].object_list)


def test_the_list_of_a_group_holds_the_enterprises_of_that_group_only(client, users, data):
    client.force_login(users["province"])
    listing = client.get(
        LIST, {"year": 2026, "figure": "enterprises", "by": "unit", "group": "大同市"}
    )
    assert listing.status_code == 200
    names = {e.name for e in listing.context["page"].object_list}
    assert names == set(
        Enterprise.objects.filter(unit__name="大同市").values_list("name", flat=True)
    )


def test_a_city_officer_asking_for_another_unit_gets_404(client, users, data, unit_b):
    client.force_login(users["city_a"])
    assert client.get(URL, {"unit": unit_b.pk}).status_code == 404
    assert client.get(LIST, {"unit": unit_b.pk, "figure": "assessed"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "1999"}, "年度：“1999”不是有数据的年度。"),
        ({"year": "abc"}, "年度：“abc”不是有数据的年度。"),
        ({"figure": "secret"}, "指标：“secret”不是统计指标。"),
        ({"figure": "assessed", "by": "colour"}, "分组：“colour”不是分组方式。"),
        ({"figure": "assessed", "by": "sector", "group": "不存在"}, "分组：“不存在”下没有企业。"),
    ],
)
def test_bad_parameters_are_refused_with_a_message_naming_them(
    client, users, data, params, message
):
    client.force_login(users["province"])
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_chart_data_comes_in_a_json_script_and_echarts_from_static_files(client, users, data):
    client.force_login(users["city_a"])
    html = client.get(URL).content.decode()
    assert 'id="statistics-chart-data" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "js/documents-statistics.js" in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []


def test_tier_figures_list_factories(client, users, data):
    client.force_login(users["province"])
    response = client.get(URL)
    shown = _figures(response)["in_force_基础级"]
    listing = client.get(LIST, {"figure": "in_force_基础级"})
    assert listing.context["tier"] is True
    assert listing.context["count"] == int(shown.value) == shown.count


def test_the_summary_export_has_a_row_per_unit_and_a_total(client, users, data):
    client.force_login(users["province"])
    response = client.get(reverse("documents:statistics_export"), {"year": 2026})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "全省2026年度智能工厂梯度培育统计（按报送单位）"
    assert sheet["A2"].value == "报送单位"
    assert sheet["D2"].value == "自评估企业数"
    column_a = [cell.value for cell in sheet["A"]]
    assert column_a[2:4] == ["太原市", "大同市"]
    assert column_a[-1] == "合计"
    assert sheet.cell(sheet.max_row, 2).value == Enterprise.objects.count()
