"""The city officer writes the 附件2 report prose; every keystroke is kept without a save click."""

import time

from django.urls import reverse
from playwright.sync_api import expect

from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import ReportDraft
from tests.browser.conftest import log_in


def test_report_prose_autosaves_and_survives_a_closed_tab(page, browser, live_server, users):
    task = Campaign.objects.get(year=2026).tasks.get(kind="report")
    unit = users["city_a"].unit
    url = reverse("documents:report_edit", args=[task.pk, unit.pk])
    log_in(page, "city_a")
    page.goto(url)
    page.fill("#id_measures", "一是出台智能工厂培育专项政策；二是组织诊断服务。")
    page.press("#id_measures", "Tab")  # leaving the field fires its change event
    expect(page.locator("#autosave-status")).to_contain_text("已保存")
    page.fill("#id_next_steps", "加快先进级智能工厂培育。")
    page.press("#id_next_steps", "Tab")
    page.wait_for_load_state("networkidle")  # every autosave request has been answered
    page.close()  # the tab is closed without pressing 保存

    draft = ReportDraft.objects.get(unit=unit, campaign=task.campaign)
    assert draft.measures == "一是出台智能工厂培育专项政策；二是组织诊断服务。"
    assert draft.next_steps == "加快先进级智能工厂培育。"

    again = page.context.new_page()
    again.goto(url)
    assert again.input_value("#id_measures") == draft.measures
    assert again.input_value("#id_next_steps") == draft.next_steps


def test_text_typed_just_before_the_tab_closes_is_kept(page, live_server, users):
    """No pause, no leaving the field: the tab closes right after the last keystroke and the
    page's autosave sends what it still holds (pagehide, keepalive)."""
    task = Campaign.objects.get(year=2026).tasks.get(kind="report")
    unit = users["city_a"].unit
    log_in(page, "city_a")
    page.goto(reverse("documents:report_edit", args=[task.pk, unit.pk]))
    page.click("#id_measures")
    page.keyboard.type("最后一句")
    page.close(run_before_unload=True)
    for _ in range(50):  # the keepalive request is answered after the tab is gone
        draft = ReportDraft.objects.filter(unit=unit, campaign=task.campaign).first()
        if draft and draft.measures == "最后一句":
            break
        time.sleep(0.1)
    assert draft is not None and draft.measures == "最后一句"


def test_save_after_an_autosave_is_no_conflict(page, live_server, users):
    task = Campaign.objects.get(year=2026).tasks.get(kind="report")
    unit = users["city_a"].unit
    log_in(page, "city_a")
    page.goto(reverse("documents:report_edit", args=[task.pk, unit.pk]))
    page.fill("#id_measures", "一是健全机制。")
    page.press("#id_measures", "Tab")
    expect(page.locator("#autosave-status")).to_contain_text("已保存")
    page.fill("#id_next_steps", "持续培育。")
    with page.expect_navigation():
        page.click("#report-form button[type=submit]")  # waits for the autosave, then posts
    assert "报告文稿已保存" in page.content()
    draft = ReportDraft.objects.get(unit=unit, campaign=task.campaign)
    assert (draft.measures, draft.next_steps) == ("一是健全机制。", "持续培育。")
