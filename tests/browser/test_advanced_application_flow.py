"""One 先进级 application through the browser: enterprise draft and materials, city
recommendation, ranking and submission, expert scoring, 公示 and recognition, tier history."""

import pytest

from factorytiers.campaigns.models import Application, Campaign, Scenario
from tests.browser.conftest import log_in
from tests.campaigns.conftest import PDF, docx_bytes

pytestmark = pytest.mark.browser


def switch_to(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def attach(page, slot, name, content, mime):
    page.set_input_files(
        f"#file-{slot}", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.click(f"#upload-{slot}")
    page.wait_for_load_state()


def test_an_advanced_application_goes_from_draft_to_recognition(
    page, users, factory_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    task = Campaign.objects.get(year=2026).tasks.get(kind="advanced")

    # The enterprise drafts the application, uploads WORD and PDF, and submits.
    log_in(page, "ent_a")
    page.goto(f"/campaigns/tasks/{task.pk}/apply/")
    page.select_option("#id_factory", str(factory_a.pk))
    page.fill("#id_project_name", "晋华一厂智能工厂")
    page.select_option("#id_maturity_level", "3")
    for number in (9, 22, 30):
        pk = Scenario.objects.get(edition__code="2025", number=number).pk
        page.check(f"input[name=scenarios][value='{pk}']")
    page.click("#application-form button[type=submit]")
    page.wait_for_url("**/campaigns/applications/*/")
    docx_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    attach(page, "form_docx", "申报书.docx", docx_bytes(), docx_mime)
    attach(page, "form_pdf", "申报书.pdf", PDF, "application/pdf")
    page.fill("#action-comment", "申报书已按模板填写，请审核。")
    page.click("#action-submit")
    page.wait_for_load_state()
    assert page.confirmations[-1] == "确定提交？"
    assert page.locator("#application-state").inner_text() == "已提交，市级审核中"
    application = Application.objects.get()
    detail = f"/campaigns/applications/{application.pk}/"

    # The city recommends it, ranks it first and submits the unit's recommendation.
    switch_to(page, "city_a")
    page.goto(detail)
    page.click("#action-recommend")
    page.wait_for_load_state()
    page.goto(f"/campaigns/tasks/{task.pk}/")
    page.fill(f"input[name=rank_{application.pk}]", "1")
    page.click("#rank-form button[type=submit]")
    page.wait_for_load_state()
    page.set_input_files(
        "#unit-files-form input[name=file]",
        files=[{"name": "推荐文件.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.fill("#unit-files-form input[name=paper_copies]", "7")
    page.click("#unit-files-form button[type=submit]")
    page.wait_for_load_state()
    assert "推荐文件.pdf" in page.locator("#unit-files").inner_text()
    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state()
    assert "已报送" in page.locator("#submission").inner_text()

    # The province assigns the expert, who scores it.
    switch_to(page, "prov")
    page.goto(detail)
    page.select_option("#assign-form select[name=expert]", str(users["expert"].pk))
    page.click("#assign-form button[type=submit]")
    page.wait_for_load_state()
    switch_to(page, "expert")
    page.goto("/campaigns/assignments/")
    page.click("#assignment-list a")
    for key, value in [
        ("maturity", "10"),
        ("infrastructure", "26"),
        ("technology", "16"),
        ("demonstration", "8"),
        ("benefits", "8"),
        ("plan", "8"),
    ]:
        page.fill(f"#points_{key}", value)
    page.fill("#score-comment", "建设基础扎实，场景覆盖完整。")
    page.click("#score-form button[type=submit]")
    page.wait_for_url("**/campaigns/assignments/")
    assert "已评分 76.00" in page.locator("#assignment-list").inner_text()

    # The province fixes the list, opens the 公示 and records the recognition.
    switch_to(page, "prov")
    page.goto(f"/campaigns/tasks/{task.pk}/")
    page.check(f"#fix-list-form input[name=selected][value='{application.pk}']")
    page.click("#fix-list-form button[type=submit]")
    page.wait_for_load_state()
    assert page.confirmations[-1] == "未勾选的申报将列为未入选。确定拟认定名单？"
    page.fill("#publicity-form input[name=starts_on]", "2026-06-11")
    page.click("#publicity-form button[type=submit]")
    page.wait_for_load_state()
    assert page.confirmations[-1] == "确定对拟认定名单进行公示？"
    assert "2026-06-17" in page.locator("#publicities").inner_text()
    batch = page.locator(".recognize-form").first
    batch.locator("input[name=document_number]").fill("晋工信装备字〔2026〕88号")
    batch.locator("input[name=recognized_on]").fill("2026-06-20")
    batch.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # The enterprise sees the result and the factory's tier history.
    switch_to(page, "ent_a")
    page.goto(detail)
    assert page.locator("#application-state").inner_text() == "已认定"
    page.goto(f"/campaigns/factories/{factory_a.pk}/")
    history = page.locator("#tier-history").inner_text()
    assert "先进级" in history and "晋工信装备字〔2026〕88号" in history
    assert list(application.transitions.values_list("to_state", flat=True)) == [
        "submitted",
        "recommended",
        "at_province",
        "under_review",
        "listed",
        "publicity",
        "recognized",
    ]
