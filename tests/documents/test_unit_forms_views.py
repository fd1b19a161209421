"""The unit's forms page and its downloads (XLSX, PDF, print preview), and the roll-up."""

import io
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from factorytiers.campaigns.models import Campaign
from factorytiers.documents.forms import FORM1, FORM5
from tests.conftest import make_enterprise
from tests.documents import builders
from tests.documents.inspect_files import pdf_fonts, pdf_text

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def tasks(db):
    campaign = Campaign.objects.get(year=2026)
    return {task.kind: task for task in campaign.tasks.all()}


@pytest.fixture
def ranked(users, enterprise_a, enterprise_b, factory_a, factory_b, unit_a):
    second = make_enterprise(unit_a, name="=太原公式测试有限公司", body="MA0F0001")
    second_factory = second.factories.create(name="+公式工厂", location="太原市")
    return [
        builders.ranked_application(enterprise_a, factory_a, rank=1, user=users["enterprise_a"]),
        builders.ranked_application(second, second_factory, rank=2, user=users["enterprise_a"]),
        builders.ranked_application(enterprise_b, factory_b, rank=1, user=users["enterprise_b"]),
    ]


def _url(task, unit, key, extension):
    return reverse("documents:form_download", args=[task.pk, unit.pk, key, extension])


def test_a_city_officer_goes_straight_to_their_unit_forms(client, users, tasks, unit_a):
    client.force_login(users["city_a"])
    response = client.get(reverse("documents:task_units", args=[tasks["advanced"].pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "documents:unit_forms", args=[tasks["advanced"].pk, unit_a.pk]
    )
    page = client.get(response["Location"])
    assert "附件1 先进级智能工厂名单汇总表" in page.content.decode()


def test_form1_xlsx_has_the_notice_title_unit_line_header_and_the_unit_rows_in_rank_order(
    client, users, tasks, unit_a, ranked
):
    client.force_login(users["city_a"])
    response = client.get(_url(tasks["advanced"], unit_a, "form1", "xlsx"))
    assert response.status_code == 200
    name = "太原市-附件1-先进级智能工厂名单汇总表.xlsx"
    assert quote(name) in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "附件1"
    assert sheet["A2"].value == "先进级智能工厂名单汇总表"
    assert sheet["A3"].value == "报送单位（盖章）：太原市"
    assert [c.value for c in sheet[4]] == [
        "序号",
        "企业名称",
        "工厂名称",
        "智能制造典型场景（名称）",
    ]
    assert [c.value for c in sheet[5]][:3] == [1, "太原晋华重工有限公司", "晋华一厂"]
    # A value starting like a formula is stored as text, marked literal.
    assert sheet["B6"].value == "=太原公式测试有限公司"
    assert sheet["B6"].data_type == "s" and sheet["B6"].quotePrefix
    assert sheet.max_row == 6  # nothing of 大同


def test_form1_pdf_embeds_the_cjk_font_and_prints_the_chinese_text(
    client, users, tasks, unit_a, ranked
):
    client.force_login(users["city_a"])
    response = client.get(_url(tasks["advanced"], unit_a, "form1", "pdf"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in (
        "先进级智能工厂名单汇总表",
        "报送单位（盖章）：太原市",
        "太原晋华重工有限公司",
    ):
        assert expected in text
    assert "大同云冈机械有限公司" not in text
    assert any("Noto" in font.family and font.program for font in pdf_fonts(response.content))


def test_the_print_preview_is_the_print_template_in_the_browser(
    client, users, tasks, unit_a, ranked
):
    client.force_login(users["city_a"])
    response = client.get(_url(tasks["advanced"], unit_a, "form1", "html"))
    assert response.status_code == 200
    html = response.content.decode()
    assert FORM1.title in html and "太原晋华重工有限公司" in html


def test_another_unit_is_not_found_and_a_form_of_another_task_is_not_found(
    client, users, tasks, unit_a, unit_b, ranked
):
    client.force_login(users["city_a"])
    assert client.get(_url(tasks["advanced"], unit_b, "form1", "xlsx")).status_code == 404
    assert client.get(_url(tasks["advanced"], unit_a, "form5", "xlsx")).status_code == 404
    assert client.get(_url(tasks["advanced"], unit_a, "form1", "exe")).status_code == 404


def test_the_province_rollup_lists_every_unit_with_a_unit_column_and_its_own_seq(
    client, users, tasks, ranked
):
    client.force_login(users["province"])
    url = reverse("documents:rollup_download", args=[tasks["advanced"].pk, "form1", "xlsx"])
    response = client.get(url)
    assert response.status_code == 200
    assert (
        quote("山西省-附件1-先进级智能工厂名单汇总表（全省汇总）.xlsx")
        in response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[4]] == [
        "序号",
        "报送单位",
        "企业名称",
        "工厂名称",
        "智能制造典型场景（名称）",
    ]
    rows = [[c.value for c in row][:3] for row in sheet.iter_rows(min_row=5)]
    assert rows == [
        [1, "太原市", "太原晋华重工有限公司"],
        [2, "太原市", "=太原公式测试有限公司"],
        [1, "大同市", "大同云冈机械有限公司"],
    ]


def test_a_city_officer_cannot_download_the_rollup(client, users, tasks):
    client.force_login(users["city_a"])
    url = reverse("documents:rollup_download", args=[tasks["advanced"].pk, "form1", "xlsx"])
    assert client.get(url).status_code == 403


def test_form5_xlsx_has_the_notice_columns_and_notes(client, users, tasks, unit_a, enterprise_a):
    overseas_factory = enterprise_a.factories.create(
        name="泰国罗勇智能工厂", location="泰国", is_overseas=True, country_id=_country()
    )
    builders.overseas(enterprise_a, overseas_factory, rank=1, user=users["enterprise_a"])
    client.force_login(users["city_a"])
    response = client.get(_url(tasks["overseas"], unit_a, "form5", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "海外智能工厂培育名单1"
    assert [c.value for c in sheet[4]] == FORM5.header
    assert [c.value for c in sheet[5]][:3] == [1, "太原晋华重工有限公司", "泰国罗勇智能工厂"]
    notes = [sheet.cell(row, 1).value for row in range(6, sheet.max_row + 1)]
    assert notes == list(FORM5.notes)


def test_a_row_the_notice_does_not_allow_is_reported_not_a_server_error(
    client, users, tasks, unit_a, enterprise_a, factory_a
):
    application = builders.ranked_application(
        enterprise_a, factory_a, rank=1, user=users["enterprise_a"]
    )
    application.scenarios.all().delete()
    client.force_login(users["city_a"])
    response = client.get(_url(tasks["advanced"], unit_a, "form1", "xlsx"))
    assert response.status_code == 409
    assert "序号1（智能制造典型场景（名称））：至少填写一个场景" in response.content.decode()


def _country():
    from factorytiers.reference.models import Country

    return Country.objects.get(iso2="TH").pk
