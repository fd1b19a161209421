"""Lists, search and export start from the same unit scope."""

import io

import openpyxl
from django.urls import reverse
from django.utils import timezone


def test_a_city_officer_lists_only_the_units_enterprises(city_client, enterprise_a, enterprise_b):
    content = city_client.get(reverse("enterprises:list")).content.decode()
    assert enterprise_a.name in content
    assert enterprise_b.name not in content
    assert "共 1 家企业" in content


def test_search_never_finds_another_units_enterprise(city_client, enterprise_a, enterprise_b):
    url = reverse("enterprises:list")
    for query in (enterprise_b.name, enterprise_b.credit_code, "大同"):
        content = city_client.get(url, {"q": query}).content.decode()
        assert reverse("enterprises:detail", args=[enterprise_b.pk]) not in content
        assert "共 0 家企业" in content


def test_a_city_officer_cannot_filter_into_another_unit(city_client, enterprise_b, unit_b):
    content = city_client.get(reverse("enterprises:list"), {"unit": unit_b.pk}).content.decode()
    assert enterprise_b.name not in content


def test_the_province_sees_and_filters_all_units(client, users, enterprise_a, enterprise_b, unit_b):
    client.force_login(users["province"])
    content = client.get(reverse("enterprises:list")).content.decode()
    assert enterprise_a.name in content and enterprise_b.name in content
    content = client.get(reverse("enterprises:list"), {"unit": unit_b.pk}).content.decode()
    assert enterprise_a.name not in content and enterprise_b.name in content


def test_filters_by_sector_size_and_above_scale(city_client, enterprise_a):
    url = reverse("enterprises:list")
    assert enterprise_a.name in city_client.get(url, {"sector": "装备制造"}).content.decode()
    assert enterprise_a.name not in city_client.get(url, {"sector": "消费品"}).content.decode()
    assert enterprise_a.name in city_client.get(url, {"size_class": "中型企业"}).content.decode()
    assert enterprise_a.name in city_client.get(url, {"above_scale": "1"}).content.decode()
    assert enterprise_a.name not in city_client.get(url, {"above_scale": "0"}).content.decode()


def _sheet(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book["企业名录"]


def test_export_holds_only_the_units_rows(city_client, enterprise_a, enterprise_b):
    response = city_client.get(reverse("enterprises:export"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = list(_sheet(response).iter_rows(values_only=True))
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
        f"{timezone.localdate().year}年成熟度等级",
    )
    assert rows[1][:9] == (
        enterprise_a.credit_code,
        "太原晋华重工有限公司",
        "太原市",
        "装备制造",
        "民营企业",
        "中型企业",
        "是",
        "351 采矿、冶金、建筑专用设备制造",
        "3511 矿山机械制造",
    )
    assert rows[1][9:] == (350, 25000, "张伟 13912345678", "未认定", "未评估")
    assert len(rows) == 2


def test_export_search_for_another_unit_is_empty(city_client, enterprise_b):
    response = city_client.get(reverse("enterprises:export"), {"q": enterprise_b.name})
    assert len(list(_sheet(response).iter_rows(values_only=True))) == 1


def test_export_keeps_formula_like_text_literal(city_client, enterprise_a):
    enterprise_a.name = '=HYPERLINK("http://x")'
    enterprise_a.save()
    sheet = _sheet(city_client.get(reverse("enterprises:export")))
    cell = sheet.cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"  # stored as text, not a formula
    assert cell.quotePrefix is True or cell.style_array.quotePrefix
