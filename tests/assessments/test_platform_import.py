"""Bulk import of national-platform results by a city officer: every row checked, nothing saved
when any row is bad, unless the officer keeps the good rows and downloads the bad ones."""

import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.assessments.models import CountedResult, PlatformImport, PlatformResult
from factorytiers.domain.platform_results import HEADERS
from tests.assessments.conftest import bulk_enterprises, platform_result

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, header=HEADERS) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("结果")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, dates)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("平台结果.xlsx", buffer.getvalue(), content_type=XLSX)


def wrong_check_character(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def upload(client, rows, **data):
    return client.post(reverse("assessments:platform_import"), {"file": workbook(rows), **data})


def good_row(enterprise, score=2.35, level="二级", on=date(2026, 3, 15)):
    return [enterprise.credit_code, 2026, score, level, on]


def test_a_clean_file_is_stored_whole(city_client, users, enterprise_a, frozen):
    response = upload(city_client, [good_row(enterprise_a)])
    assert response.status_code == 302
    result = PlatformResult.objects.get()
    assert (result.enterprise, result.year, result.score, result.level) == (
        enterprise_a,
        2026,
        Decimal("2.35"),
        2,
    )
    assert result.assessed_on == date(2026, 3, 15) and result.source == "import"
    assert result.entered_by == users["city_a"] and result.import_batch.row_count == 1
    created = result.history.get()
    assert created.history_type == "+" and created.history_user == users["city_a"]
    assert created.score == Decimal("2.35") and created.import_batch_id == result.import_batch_id
    counted = CountedResult.objects.get(enterprise=enterprise_a, year=2026)
    assert counted.platform_result_id == result.pk and counted.level == 2
    entry = AuditEntry.objects.get(action="platform_result.import")
    assert entry.changes["facts"]["created"] == 1 and entry.unit == users["city_a"].unit
    assert "已导入 1 行（新增 1，更新 0）" in city_client.get(response["Location"]).content.decode()


def test_importing_the_same_result_again_updates_it(city_client, enterprise_a, frozen):
    upload(city_client, [good_row(enterprise_a)])
    upload(city_client, [good_row(enterprise_a, score=2.85, level="三级")])
    result = PlatformResult.objects.get()
    assert result.score == Decimal("2.85") and result.version == 2
    assert PlatformImport.objects.count() == 2
    assert [h.history_type for h in result.history.order_by("history_id")] == ["+", "~"]
    assert CountedResult.objects.get(enterprise=enterprise_a, year=2026).level == 3


def test_5000_rows_with_3_bad_store_nothing_and_name_the_3_rows(city_client, unit_a, frozen):
    enterprises = bulk_enterprises(unit_a, 5000, prefix="MB")
    rows = [
        good_row(e, score=f"{(n % 400) / 100 + 0.8:.2f}", level=None)
        for n, e in enumerate(enterprises)
    ]
    for row in rows:
        score = Decimal(row[2])
        row[3] = ["一级", "二级", "三级", "四级", "五级"][min(int(score - Decimal("0.8")), 4)]
    rows[10][3] = "五级"  # row 12: level does not match the score
    rows[2500][0] = wrong_check_character(rows[2500][0])  # row 2502: bad check character
    rows[4998][4] = date(2026, 5, 1)  # row 5000: a date in the future
    response = upload(city_client, rows)
    assert response.status_code == 400
    assert not PlatformResult.objects.exists() and not PlatformImport.objects.exists()
    content = response.content.decode()
    assert "有 3 行有误，未导入任何数据（另有 4997 行无误）" in content
    table = content[content.index('id="bad-rows"') :]
    assert [int(n) for n in re.findall(r"<td>第(\d+)行</td>", table)] == [
        12,
        2502,
        5000,
    ]
    assert "与成熟度等级“五级”不符" in table
    assert "第18位校验码应为" in table
    assert "评估日期 2026-05-01 晚于今天" in table


def test_5000_good_rows_are_stored_in_one_import(city_client, unit_a, frozen):
    enterprises = bulk_enterprises(unit_a, 5000, prefix="MG")
    response = upload(city_client, [good_row(e) for e in enterprises])
    assert response.status_code == 302
    assert PlatformResult.objects.filter(import_batch__row_count=5000).count() == 5000
    assert PlatformResult.history.filter(history_type="+").count() == 5000
    assert CountedResult.objects.filter(enterprise__in=enterprises, year=2026).count() == 5000


def test_the_good_rows_are_kept_and_the_bad_ones_downloaded(city_client, enterprise_a, frozen):
    bad_code = wrong_check_character(enterprise_a.credit_code)
    rows = [good_row(enterprise_a), [bad_code, 2026, 3.1, "三级", date(2026, 3, 1)]]
    response = upload(city_client, rows, keep_good_rows="on")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert PlatformResult.objects.count() == 1
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("原行号", *HEADERS, "错误原因")
    assert values[1][0] == 3 and values[1][1] == bad_code
    assert "第18位校验码应为" in values[1][-1]
    assert PlatformImport.objects.get().rejected_count == 1


def test_another_units_enterprise_is_answered_like_an_unknown_one(
    city_client, enterprise_b, frozen
):
    response = upload(city_client, [good_row(enterprise_b)])
    content = response.content.decode()
    assert f"本单位企业名录中没有统一社会信用代码为“{enterprise_b.credit_code}”的企业" in content
    assert enterprise_b.name not in content
    assert not PlatformResult.objects.exists()


def test_the_province_imports_for_every_unit(client, users, enterprise_a, enterprise_b, frozen):
    client.force_login(users["province"])
    response = upload(client, [good_row(enterprise_a), good_row(enterprise_b)])
    assert response.status_code == 302 and PlatformResult.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a workbook", "Windows 可执行文件"),
        (b"%PDF-1.4 renamed", "此处只接受Excel(.xlsx)"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(city_client, content, message):
    fake = SimpleUploadedFile("结果.xlsx", content, content_type=XLSX)
    response = city_client.post(reverse("assessments:platform_import"), {"file": fake})
    assert response.status_code == 400
    assert (
        "Excel文件（.xlsx）：" in response.content.decode() and message in response.content.decode()
    )


def test_a_file_without_the_columns_is_refused(city_client, enterprise_a, frozen):
    response = city_client.post(
        reverse("assessments:platform_import"),
        {"file": workbook([[enterprise_a.credit_code, 2026]], header=["统一社会信用代码", "年份"])},
    )
    assert "第1行表头缺少列：年度、评估得分、成熟度等级、评估日期" in response.content.decode()
    assert not PlatformResult.objects.exists()


def test_the_template_documents_the_columns(city_client, enterprise_a, frozen):
    page = city_client.get(reverse("assessments:platform_import")).content.decode()
    assert "下载导入模板" in page and "须与得分相符" in page
    response = city_client.get(reverse("assessments:platform_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["平台自评估结果", "填写说明"]
    header, example = list(book["平台自评估结果"].iter_rows(values_only=True))[:2]
    assert header == (*HEADERS, "企业名称")
    assert example[0] == enterprise_a.credit_code and example[3] == "二级"


def test_the_template_as_downloaded_imports_cleanly(city_client, enterprise_a, frozen):
    template = city_client.get(reverse("assessments:platform_template")).content
    upload_file = SimpleUploadedFile("模板.xlsx", template, content_type=XLSX)
    response = city_client.post(reverse("assessments:platform_import"), {"file": upload_file})
    assert response.status_code == 302
    assert PlatformResult.objects.get().score == Decimal("2.35")


def test_imported_results_count_in_the_overview(city_client, enterprise_a, frozen):
    platform_result(enterprise_a, score="3.10", level=3)
    content = city_client.get(reverse("assessments:overview")).content.decode()
    assert "国家平台结果" in content and "3.10" in content


@pytest.mark.parametrize("role", ["enterprise_a", "expert"])
def test_only_officers_import(client, users, enterprise_a, role):
    client.force_login(users[role])
    assert upload(client, [good_row(enterprise_a)]).status_code == 403
    assert not PlatformResult.objects.exists()
