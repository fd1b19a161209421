"""The 附件2 report: prose autosave (with conflicts), and the DOCX / PDF / preview downloads."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from factorytiers.accounts.models import AuditEntry
from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import ReportDraft
from factorytiers.enterprises.models import TierRecognition
from tests.documents.inspect_files import pdf_text

NOW = datetime(2026, 5, 10, 10, 21, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def task(db):
    return Campaign.objects.get(year=2026).tasks.get(kind="report")


def _autosave(client, task, unit, **data):
    return client.post(reverse("documents:report_autosave", args=[task.pk, unit.pk]), data)


def test_autosave_saves_one_section_and_answers_the_time_and_new_version(
    client, users, task, unit_a
):
    client.force_login(users["city_a"])
    response = _autosave(
        client, task, unit_a, field="measures", measures="出台专项政策。", version=0
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已保存 10:21:05" in html
    assert 'id="draft-version" value="1" hx-swap-oob="true"' in html
    draft = ReportDraft.objects.get(unit=unit_a)
    assert (draft.measures, draft.next_steps, draft.version) == ("出台专项政策。", "", 1)
    assert AuditEntry.objects.filter(action="documents.save_report").count() == 1
    response = _autosave(
        client, task, unit_a, field="next_steps", next_steps="继续培育。", version=1
    )
    draft.refresh_from_db()
    assert (draft.measures, draft.next_steps, draft.version) == ("出台专项政策。", "继续培育。", 2)
    assert draft.history.count() == 2


def test_a_stale_version_is_a_conflict_and_nothing_is_overwritten(client, users, task, unit_a):
    client.force_login(users["city_a"])
    _autosave(client, task, unit_a, field="measures", measures="第一稿", version=0)
    response = _autosave(client, task, unit_a, field="measures", measures="旧窗口的内容", version=0)
    assert response.status_code == 409
    assert "未保存：该报告已由他人或在其他窗口修改" in response.content.decode()
    assert ReportDraft.objects.get(unit=unit_a).measures == "第一稿"


@pytest.mark.parametrize(
    "data",
    [
        {"field": "title", "title": "x", "version": 0},
        {"field": "measures", "version": 0},
        {"field": "measures", "measures": "x" * 20001, "version": 0},
    ],
)
def test_bad_autosave_input_saves_nothing(client, users, task, unit_a, data):
    client.force_login(users["city_a"])
    response = _autosave(client, task, unit_a, **data)
    assert response.status_code == 400
    assert not ReportDraft.objects.exists()


def test_another_unit_and_the_province_cannot_write_the_prose(client, users, task, unit_a, unit_b):
    client.force_login(users["city_b"])
    assert (
        _autosave(client, task, unit_a, field="measures", measures="x", version=0).status_code
        == 404
    )
    client.force_login(users["province"])
    assert (
        _autosave(client, task, unit_a, field="measures", measures="x", version=0).status_code
        == 403
    )
    assert not ReportDraft.objects.exists()


def test_the_editor_form_saves_both_sections_without_javascript(client, users, task, unit_a):
    client.force_login(users["city_a"])
    url = reverse("documents:report_edit", args=[task.pk, unit_a.pk])
    page = client.get(url)
    assert 'hx-trigger="keyup changed delay:1s, change"' in page.content.decode()
    response = client.post(url, {"measures": "甲", "next_steps": "乙", "version": 0})
    assert response.status_code == 302
    draft = ReportDraft.objects.get(unit=unit_a)
    assert (draft.measures, draft.next_steps) == ("甲", "乙")
    stale = client.post(url, {"measures": "丙", "next_steps": "丁", "version": 0})
    assert stale.status_code == 409
    assert "丙" in stale.content.decode()  # what was typed is shown again, not lost
    draft.refresh_from_db()
    assert draft.measures == "甲"


@pytest.fixture
def report_data(users, task, unit_a, enterprise_a, factory_a):
    ReportDraft.objects.create(
        unit=unit_a,
        campaign=task.campaign,
        measures="一是出台政策。\n二是组织培训。",
        next_steps="持续推进梯度培育。",
    )
    TierRecognition.objects.create(
        factory=factory_a,
        tier="基础级",
        year=2026,
        recognized_by="unit",
        document_number="并工信〔2026〕1号",
        recognized_on=date(2026, 3, 1),
    )


def test_the_docx_report_has_the_sections_the_figures_the_prose_and_the_attached_table(
    client, users, task, unit_a, report_data
):
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[task.pk, unit_a.pk, "docx"])
    response = client.get(url)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于2026年度智能工厂梯度培育情况的报告"
    assert "一、整体情况" in texts and "二、推进举措" in texts and "三、下一步工作考虑" in texts
    assert "一是出台政策。" in texts and "二是组织培训。" in texts
    assert "持续推进梯度培育。" in texts
    assert any("太原市现有在有效期内的基础级智能工厂1家" in t for t in texts)
    attached = document.tables[-1]
    assert attached.rows[1].cells[1].text == "太原晋华重工有限公司"
    assert attached.rows[1].cells[4].text == "基础级"


def test_the_pdf_report_and_its_preview_say_the_same(client, users, task, unit_a, report_data):
    client.force_login(users["province"])
    pdf = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"]))
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "关于2026年度智能工厂梯度培育情况的报告" in text
    assert "一是出台政策。" in text
    preview = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "html"]))
    assert "一是出台政策。" in preview.content.decode()


def test_the_report_exists_only_on_the_report_task(client, users, unit_a):
    advanced = Campaign.objects.get(year=2026).tasks.get(kind="advanced")
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[advanced.pk, unit_a.pk, "docx"])
    assert client.get(url).status_code == 404
