"""Four officer flows through the browser, on a frozen day:

- the registry import (规上企业名录): upload from the enterprise list, the dry run's diff (new,
  changed field by field, refused with row and reason), 确认导入, the list showing the result;
- a big enterprise export as a background job: the job page, the progress at done, the file;
- a long 附件2 report PDF from the unit's forms page, written the same way;
- the bulk expert assignment with a due date on the application list: the confirmation shows
  the date, and the assignments carry it.
"""

import io
from datetime import date

import openpyxl
import pytest
import time_machine

from factorytiers.campaigns.models import Campaign, ExpertAssignment
from factorytiers.domain.credit_code import check_credit_code, make_credit_code
from factorytiers.enterprises.exports import COLUMNS
from factorytiers.enterprises.models import Enterprise, RegistryImport
from tests.browser.conftest import log_in
from tests.campaigns.test_application_list import make_application
from tests.conftest import make_enterprise

pytestmark = pytest.mark.browser

TODAY = "2026-05-12 09:30 +0800"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


# -- registry import ----------------------------------------------------------------------------

NEW_CODE = make_credit_code(division="140100", org_body="MA0R0001")
BAD_CODE = "91140100MA0000001X"


def _registry_file(enterprise_a) -> bytes:
    """The bureau's sheet: a title row, its headers, then a changed, a new and a refused row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名录"
    sheet.append(["2025年规模以上工业企业名录"])
    sheet.append(
        ["单位详细名称", "行政区划代码", "信用代码", "从业人员期末人数", "营业收入（万元）",
         "登记注册类型", "国民经济行业代码"]
    )  # fmt: skip
    # row 3: enterprise A, 从业人员 350 → 400
    sheet.append(["太原晋华重工有限公司", "140100", enterprise_a.credit_code, 400, 25000,
                  "私营企业", "3511"])  # fmt: skip
    # row 4: new
    sheet.append(["太原汾河精密有限公司", "140105", NEW_CODE, 80, 2600.5, "有限责任公司", "3311"])
    # row 5: refused (not a credit code)
    sheet.append(["坏行公司", "140100", BAD_CODE, 10, 100, "私营企业", "3311"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_province_imports_the_registry_from_the_enterprise_list(page, users, enterprise_a):
    log_in(page, "prov")
    page.goto("/enterprises/")
    page.click("#registry-import-link")
    page.wait_for_url("**/enterprises/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "名录.xlsx", "mimeType": XLSX, "buffer": _registry_file(enterprise_a)}],
    )
    page.click("#registry-upload-form button[type=submit]")
    page.wait_for_url("**/enterprises/import/*/")

    # The dry run: counts, then each list; nothing written yet.
    progress = page.locator("#registry-progress[data-status=done][data-stage=preview]")
    progress.wait_for()
    counts = {
        key: page.locator(f"#count-{key}").inner_text()
        for key in ("new", "changed", "unchanged", "refused")
    }
    assert counts == {"new": "1", "changed": "1", "unchanged": "0", "refused": "1"}
    new_rows = page.locator("#registry-new tbody tr")
    assert new_rows.count() == 1
    assert [cell.strip() for cell in new_rows.first.locator("td").all_inner_texts()] == [
        "4",
        NEW_CODE,
        "太原汾河精密有限公司",
        "太原市",
    ]
    changed = page.locator("#registry-changed tbody tr")
    assert changed.count() == 1
    assert [cell.strip() for cell in changed.first.locator("td").all_inner_texts()] == [
        "3",
        enterprise_a.credit_code,
        "从业人员",
        "350",
        "400",
    ]
    refused = page.locator("#registry-refused tbody tr")
    assert refused.count() == 1
    row, column, reason = (c.strip() for c in refused.first.locator("td").all_inner_texts())
    assert (row, column, reason) == ("第5行", "信用代码", check_credit_code(BAD_CODE).message)
    assert not Enterprise.objects.filter(credit_code=NEW_CODE).exists()
    enterprise_a.refresh_from_db()
    assert enterprise_a.employees == 350

    # 确认导入 (after the page's question): the apply step runs to done.
    page.click("#registry-apply")
    page.wait_for_load_state()
    assert page.confirmations[-1] == "确认导入：新增 1 家、更新 1 家企业？"
    page.locator("#registry-progress[data-status=done][data-stage=applied]").wait_for()
    applied = page.locator("#registry-applied").inner_text()
    assert "新增 1 家，更新 1 家" in applied
    assert RegistryImport.objects.get().stage == RegistryImport.Stage.APPLIED

    # The enterprise list shows the new enterprise and the change.
    page.goto("/enterprises/")
    rows = page.locator("main table tbody tr")
    new = rows.filter(has_text=NEW_CODE)
    assert new.count() == 1
    assert "太原汾河精密有限公司" in new.inner_text()
    changed_row = rows.filter(has_text=enterprise_a.credit_code)
    assert changed_row.locator("td").nth(8).inner_text().strip() == "400"
    assert page.locator("#result-count").inner_text() == "共 3 家企业"


# -- background export --------------------------------------------------------------------------


def test_a_big_enterprise_export_runs_in_the_background_and_gives_its_file(
    page, users, unit_a, settings
):
    for number in range(1, 4):
        make_enterprise(unit_a, name=f"太原第{number}机械有限公司", body=f"MA0T000{number}")
    total = Enterprise.objects.count()  # 2 of the shared fixtures + 3
    settings.EXPORT_INLINE_MAX_ROWS = 2

    log_in(page, "prov")
    page.goto("/enterprises/")
    page.click("#export-link")
    page.wait_for_url("**/enterprises/export.xlsx")
    assert f"共 {total} 行" in page.locator("main").inner_text()
    page.click("#export-start")
    page.wait_for_url("**/accounts/exports/*/")

    page.locator("#export-progress[data-status=done]").wait_for()
    bar = page.locator("#export-progress [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.locator("#export-status").inner_text() == "已完成"
    link = page.locator("#export-download")
    assert link.is_visible()
    assert "企业名录-20260512.xlsx" in link.inner_text()

    # The file, fetched with the page's cookies.
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    book = openpyxl.load_workbook(io.BytesIO(response.body()), read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == [title.format(year=2026) for title, _width in COLUMNS]
    assert len(rows) == 1 + total
    assert sorted(row[0] for row in rows[1:]) == sorted(
        Enterprise.objects.values_list("credit_code", flat=True)
    )


def test_a_long_report_is_written_in_the_background_and_gives_its_pdf(
    page, users, unit_a, factory_a, settings
):
    from django.urls import reverse

    from tests.documents.inspect_files import pdf_text
    from tests.enterprises.test_recognition_groups import _recognition

    _recognition(factory_a, 1).save()  # 基础级 since 2026-03-01: the attached table's row
    settings.REPORT_PDF_INLINE_MAX_ROWS = 0  # the attached table's one row is "long"
    task = Campaign.objects.get(year=2026).tasks.get(kind="report")

    log_in(page, "city_a")
    page.goto(reverse("documents:unit_forms", args=[task.pk, unit_a.pk]))
    page.get_by_role("link", name="PDF", exact=True).last.click()
    page.wait_for_url("**/report.pdf")
    assert "共 1 行" in page.locator("main").inner_text()
    page.click("#export-start")
    page.wait_for_url("**/accounts/exports/*/")
    page.locator("#export-progress[data-status=done]").wait_for()
    link = page.locator("#export-download")
    assert "太原市-附件2-关于2026年度智能工厂梯度培育情况的报告.pdf" in link.inner_text()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "关于2026年度智能工厂梯度培育情况的报告" in text
    assert "晋华一厂 基础级" in text


# -- bulk expert assignment ---------------------------------------------------------------------


def test_the_province_assigns_an_expert_to_many_applications_with_a_due_date(
    page, users, factory_a, factory_b
):
    task = Campaign.objects.get(year=2026).tasks.get(kind="advanced")
    chosen = [
        make_application(
            users["enterprise_a"], task, factory_a, project="太原项目", state="at_province"
        ),
        make_application(
            users["enterprise_b"], task, factory_b, project="大同项目", state="at_province"
        ),
    ]
    left = make_application(
        users["enterprise_a"], task, factory_a, project="未选项目", state="at_province"
    )

    log_in(page, "prov")
    page.goto("/campaigns/applications/")
    for application in chosen:
        page.check(f"#row-{application.pk}")
    page.select_option("#id_action", "assign")
    page.select_option("#id_expert", str(users["expert"].pk))
    page.fill("#id_due_on", "2026-05-26")
    page.click("#bulk-next")
    page.wait_for_load_state()

    # The confirmation names the rows, the expert and the date; nothing is written yet.
    assert page.locator("#bulk-question").inner_text() == "将对 2 项申报执行：分配评审专家"
    assert page.locator("#bulk-due").inner_text() == "评分截止日期：2026年5月26日"
    assert users["expert"].display_name in page.locator("#bulk-expert").inner_text()
    assert page.locator("#bulk-rows tbody tr").count() == 2
    assert not ExpertAssignment.objects.exists()

    page.click("#bulk-confirm")
    page.wait_for_url("**/campaigns/applications/")
    assert "已对2项申报执行：分配评审专家。" in page.locator("main").inner_text()
    stored = ExpertAssignment.objects.order_by("application_id")
    assert [(a.application_id, a.expert_id, a.due_on) for a in stored] == [
        (application.pk, users["expert"].pk, date(2026, 5, 26)) for application in chosen
    ]
    states = {
        application.pk: page.locator(f"#row-{application.pk}")
        .locator("xpath=ancestor::tr")
        .locator(".application-state")
        .inner_text()
        for application in [*chosen, left]
    }
    assert [states[a.pk] for a in (*chosen, left)] == ["专家评审中", "专家评审中", "已报送省级"]

    # The expert's list shows each assignment with its due date.
    page.context.clear_cookies()
    log_in(page, "expert")
    page.goto("/campaigns/assignments/")
    dues = page.locator("#assignment-list .review-due").all_inner_texts()
    assert dues == ["2026-05-26", "2026-05-26"]
