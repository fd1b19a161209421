"""The 附件2 report: prose autosave (with conflicts), and the DOCX / PDF / preview downloads."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from factorytiers.accounts.models import AuditEntry, ExportJob
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


def _autosave(client, task, unit, *, field=None, version=0, previous=None, **values):
    """What the page's autosave posts: the field as kind ``report`` / key, its new value, and
    (when given) the value the page last saw of it."""
    data = {"version": version}
    if field is not None:
        data.update(kind="report", key=field)
        if field in values:
            data["value"] = values[field]
    if previous is not None:
        data["previous"] = previous
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
    assert 'data-version="1"' in html
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
    _autosave(client, task, unit_a, field="measures", measures="第一稿", version=0, previous="")
    response = _autosave(
        client, task, unit_a, field="measures", measures="旧窗口的内容", version=0, previous=""
    )
    assert response.status_code == 409
    assert "未保存：该报告已由他人或在其他窗口修改" in response.content.decode()
    assert ReportDraft.objects.get(unit=unit_a).measures == "第一稿"


def test_a_closing_pages_last_save_goes_in_although_its_version_moved_on(
    client, users, task, unit_a
):
    """The page's own earlier save moved the version on; what the page still held when it was
    closed is sent with the version it had: the field is as the page last saw it, so it is saved
    (a field someone else changed is a conflict, as above)."""
    client.force_login(users["city_a"])
    _autosave(client, task, unit_a, field="measures", measures="一是", version=0, previous="")
    response = _autosave(
        client, task, unit_a, field="measures", measures="一是……二是……", version=0, previous="一是"
    )
    assert response.status_code == 200
    assert ReportDraft.objects.get(unit=unit_a).measures == "一是……二是……"


def test_save_after_an_autosave_is_no_conflict(client, users, task, unit_a):
    client.force_login(users["city_a"])
    saved = _autosave(client, task, unit_a, field="measures", measures="一是", version=0)
    version = int(re.search(r'data-version="(\d+)"', saved.content.decode()).group(1))
    response = client.post(
        reverse("documents:report_edit", args=[task.pk, unit_a.pk]),
        {
            "measures": "一是，二是",
            "next_steps": "",
            "progress": "",
            "as_of": "",
            "version": version,
        },
    )
    assert response.status_code == 302
    assert ReportDraft.objects.get(unit=unit_a).measures == "一是，二是"


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "report", "key": "title", "value": "x", "version": 0},
        {"kind": "report", "key": "measures", "version": 0},
        {"kind": "answer", "key": "measures", "value": "x", "version": 0},
        {"kind": "report", "key": "measures", "value": "x" * 20001, "version": 0},
    ],
)
def test_bad_autosave_input_saves_nothing(client, users, task, unit_a, data):
    client.force_login(users["city_a"])
    response = client.post(reverse("documents:report_autosave", args=[task.pk, unit_a.pk]), data)
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
    html = page.content.decode()
    assert "data-autosave-url=" in html and 'data-kind="report" data-key="measures"' in html
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


@pytest.mark.parametrize("extension", ["pdf", "docx"])
def test_a_report_with_a_long_attached_table_is_written_in_the_background(
    client,
    users,
    task,
    unit_a,
    report_data,
    settings,
    extension,
    django_capture_on_commit_callbacks,
):
    settings.REPORT_PDF_INLINE_MAX_ROWS = settings.REPORT_DOCX_INLINE_MAX_ROWS = 0
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[task.pk, unit_a.pk, extension])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "共 1 行，数据较多，将在后台生成文件" in html
    assert f"太原市-附件2-关于2026年度智能工厂梯度培育情况的报告.{extension}" in html
    assert not ExportJob.objects.exists()  # a GET writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url)
    job = ExportJob.objects.get()
    assert started.status_code == 302
    assert started["Location"] == reverse("accounts:export", args=[job.pk])
    assert (job.kind, job.status, job.progress) == ("report", ExportJob.Status.DONE, 100)
    assert job.file.name.endswith(f".{extension}")
    download = client.get(reverse("accounts:export_download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    if extension == "pdf":
        assert download["Content-Type"] == "application/pdf"
        text = pdf_text(content)
        assert "关于2026年度智能工厂梯度培育情况的报告" in text
        assert "一是出台政策。" in text
        assert "晋华一厂 基础级 装备制造 民营企业 中型企业" in text  # the attached table's row
    else:
        document = Document(io.BytesIO(content))
        assert document.paragraphs[0].text == "关于2026年度智能工厂梯度培育情况的报告"
        assert document.tables[-1].rows[1].cells[1].text == "太原晋华重工有限公司"
    # Only the officer who asked finds the file.
    client.force_login(users["province"])
    assert client.get(reverse("accounts:export_download", args=[job.pk])).status_code == 404


@pytest.fixture
def forty_more_rows(report_data, enterprise_a):
    """Forty more recognized factories of 太原: an attached table of 41 rows, several pages."""
    from factorytiers.enterprises.models import Factory

    for n in range(2, 42):
        factory = Factory.objects.create(
            enterprise=enterprise_a, name=f"晋华{n}厂", location="太原市"
        )
        TierRecognition.objects.create(
            factory=factory,
            tier="基础级",
            year=2026,
            recognized_by="unit",
            document_number=f"并工信〔2026〕{n}号",
            recognized_on=date(2026, 3, 1),
        )


def test_each_page_of_the_report_pdf_is_announced_as_it_is_laid_out(
    users, task, unit_a, forty_more_rows
):
    from pypdf import PdfReader

    from factorytiers.documents import generate

    data = generate.report_data(users["city_a"], task.campaign, unit_a)
    assert len(data.attached_rows) == 41
    pages: list[int] = []
    content = generate.report_document(data, "pdf", on_page=pages.append)
    count = len(PdfReader(io.BytesIO(content)).pages)
    assert count >= 4 and pages == list(range(1, count + 1))
    generate.report_document(data, "pdf")  # no hook left behind to call
    assert len(pages) == count


def test_a_report_pdf_job_moves_its_progress_page_by_page(
    client,
    users,
    task,
    unit_a,
    forty_more_rows,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from factorytiers.accounts import jobs

    settings.REPORT_PDF_INLINE_MAX_ROWS = 0
    beats, beat = [], jobs.Heartbeat.__call__

    def recorded(self, **fields):
        if "progress" in fields:
            beats.append(fields["progress"])
        return beat(self, **fields)

    monkeypatch.setattr(jobs.Heartbeat, "__call__", recorded)
    client.force_login(users["city_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"]))
    job = ExportJob.objects.get()
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    # Nought, the data read (half of 41 rows), then up page by page while the PDF is laid out.
    assert beats == sorted(beats) and beats[:2] == [0, 48], beats
    assert len({b for b in beats if 48 < b < 100}) >= 5, beats


def test_a_report_under_the_threshold_is_answered_in_the_request(
    client, users, task, unit_a, report_data, settings
):
    settings.REPORT_PDF_INLINE_MAX_ROWS = 1  # the attached table holds one row
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert not ExportJob.objects.exists()


def test_a_report_job_that_meets_bad_data_fails_saying_which_row(
    client,
    users,
    task,
    unit_a,
    report_data,
    settings,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from factorytiers.documents import generate

    def refuse(*args, **kwargs):
        raise generate.DocumentDataError("附件2：第1行：企业名称为空")

    settings.REPORT_PDF_INLINE_MAX_ROWS = 0
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"])
    monkeypatch.setattr(generate, "report_data", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "附件2：第1行：企业名称为空"
    page = client.get(reverse("accounts:export", args=[job.pk])).content.decode()
    assert "附件2：第1行：企业名称为空" in page


def test_a_long_attached_table_is_not_previewed_but_offered_as_a_pdf_written_in_the_background(
    client, users, task, unit_a, report_data, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_PREVIEW_MAX_ROWS = 0
    client.force_login(users["city_a"])
    preview = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "html"]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "附表共 1 行，不在页面中预览；请在后台生成 PDF 后打印。" in html
    pdf_url = reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"])
    assert f'action="{pdf_url}"' in html
    assert "太原市-附件2-关于2026年度智能工厂梯度培育情况的报告.pdf" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pdf_url)
    job = ExportJob.objects.get()
    assert job.file.name.endswith(".pdf") and job.status == ExportJob.Status.DONE


def test_the_preview_is_not_posted(client, users, task, unit_a):
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[task.pk, unit_a.pk, "html"])
    assert client.post(url).status_code == 405
    assert not ExportJob.objects.exists()


def test_the_report_exists_only_on_the_report_task(client, users, unit_a):
    advanced = Campaign.objects.get(year=2026).tasks.get(kind="advanced")
    client.force_login(users["city_a"])
    url = reverse("documents:report_download", args=[advanced.pk, unit_a.pk, "docx"])
    assert client.get(url).status_code == 404


def test_the_editor_saves_the_date_the_figures_speak_of_and_the_account_beside_them(
    client, users, task, unit_a
):
    client.force_login(users["city_a"])
    url = reverse("documents:report_edit", args=[task.pk, unit_a.pk])
    page = client.get(url).content.decode()
    assert 'type="date" id="id_as_of" name="as_of" value=""' in page
    assert "当前报告按“截至2026年5月22日”统计" in page  # the report task's deadline
    assert "一、整体情况（补充说明）" in page
    response = client.post(
        url,
        {"as_of": "2026-04-30", "progress": "全市稳步推进。", "measures": "甲", "version": 0},
    )
    assert response.status_code == 302
    draft = ReportDraft.objects.get(unit=unit_a)
    assert (draft.as_of, draft.progress, draft.measures, draft.next_steps) == (
        date(2026, 4, 30),
        "全市稳步推进。",
        "甲",
        "",
    )
    assert "当前报告按“截至2026年4月30日”统计" in client.get(url).content.decode()
    response = _autosave(client, task, unit_a, field="as_of", as_of="2026-05-08", version=1)
    assert response.status_code == 200
    response = _autosave(client, task, unit_a, field="progress", progress="补充。", version=2)
    draft.refresh_from_db()
    assert (draft.as_of, draft.progress, draft.version) == (date(2026, 5, 8), "补充。", 3)
    _autosave(client, task, unit_a, field="as_of", as_of="", version=3)
    draft.refresh_from_db()
    assert draft.as_of is None  # back to the deadline


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-01", "数据截至日期：“2026-13-01”不是有效的日期，请按“2026-05-22”的格式填写。"),
        ("5月1日", "数据截至日期：“5月1日”不是有效的日期"),
        ("2025-12-31", "数据截至日期：应为2026年内的日期。"),
    ],
)
def test_a_bad_date_is_refused_naming_the_field_and_nothing_is_saved(
    client, users, task, unit_a, value, message
):
    client.force_login(users["city_a"])
    response = _autosave(client, task, unit_a, field="as_of", as_of=value, version=0)
    assert response.status_code == 400
    assert message in response.content.decode()
    url = reverse("documents:report_edit", args=[task.pk, unit_a.pk])
    page = client.post(url, {"as_of": value, "measures": "甲", "version": 0})
    assert page.status_code == 400 and message in page.content.decode()
    assert "甲" in page.content.decode()  # what was typed is shown again
    assert not ReportDraft.objects.exists()


@pytest.fixture
def later_results(report_data, users, enterprise_a, factory_a):
    """A 先进级 recognition on 15 May and a self-assessment result of 12 May."""
    from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
    from factorytiers.enterprises.models import Factory

    second = Factory.objects.create(enterprise=enterprise_a, name="晋华二厂", location="太原市")
    TierRecognition.objects.create(
        factory=second,
        tier="先进级",
        year=2026,
        recognized_by="province",
        document_number="晋工信〔2026〕9号",
        recognized_on=date(2026, 5, 15),
    )
    PlatformResult.objects.create(
        enterprise=enterprise_a,
        year=2026,
        score="2.40",
        level=2,
        assessed_on=date(2026, 5, 12),
        source=PlatformResult.Source.IMPORT,
        edition=MaturityModelEdition.objects.active(),
    )


def _report_texts(client, task, unit):
    url = reverse("documents:report_download", args=[task.pk, unit.pk, "docx"])
    document = Document(io.BytesIO(client.get(url).content))
    return [p.text for p in document.paragraphs], document.tables[-1]


def test_every_figure_and_the_attached_table_are_as_of_the_chosen_date(
    client, users, task, unit_a, later_results
):
    client.force_login(users["city_a"])
    texts, attached = _report_texts(client, task, unit_a)  # the deadline, 22 May
    assert (
        "截至2026年5月22日，太原市现有在有效期内的基础级智能工厂1家、先进级智能工厂1家、"
        "卓越级智能工厂0家、领航级智能工厂0家；2026年度新认定基础级1家、先进级1家、卓越级0家、"
        "领航级0家。"
    ) in texts
    assert any(t.startswith("截至2026年5月22日，2026年度太原市共有1家制造企业") for t in texts)
    assert [row.cells[2].text for row in attached.rows[1:]] == ["晋华一厂", "晋华二厂"]
    assert attached.rows[1].cells[3].text == "2.40"

    draft = ReportDraft.objects.get(unit=unit_a)
    draft.as_of = date(2026, 5, 10)
    draft.save()
    texts, attached = _report_texts(client, task, unit_a)
    assert any(
        t.startswith(
            "截至2026年5月10日，太原市现有在有效期内的基础级智能工厂1家、先进级智能工厂0家"
        )
        for t in texts
    )
    assert any(t.startswith("截至2026年5月10日，2026年度太原市共有0家制造企业") for t in texts)
    assert [row.cells[2].text for row in attached.rows[1:]] == ["晋华一厂"]
    assert attached.rows[1].cells[3].text == ""  # the result of 12 May is not counted yet
    # The 附件2 attached table downloaded on its own is the report's, as of the same day.
    response = client.get(
        reverse("documents:form_download", args=[task.pk, unit_a.pk, "form2", "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = sheet.iter_rows(min_row=5, values_only=True)
    assert [row[2] for row in rows if isinstance(row[0], int)] == ["晋华一厂"]


@pytest.mark.parametrize("day", [date(2026, 5, 12), date(2026, 5, 22)])
def test_the_attached_tables_scores_are_the_kept_ones_when_no_kept_result_is_later(
    users, task, unit_a, later_results, day, monkeypatch
):
    """The scores of the attached table as of a day by which every kept result is dated are read
    from the kept results; they equal those recomputed as of the day."""
    from factorytiers.documents import selectors

    user = users["city_a"]
    assert not selectors._kept_results_after([unit_a.pk], 2026, day)
    kept = selectors.form2_rows(user, task.campaign, [unit_a], as_of=day)
    monkeypatch.setattr(selectors, "_kept_results_after", lambda *args: True)
    recomputed = selectors.form2_rows(user, task.campaign, [unit_a], as_of=day)
    assert kept == recomputed
    assert [row.score for row in kept[0][1]] == [Decimal("2.40")] * len(kept[0][1])


def test_the_officers_account_is_printed_in_section_one_of_every_format(
    client, users, task, unit_a, report_data
):
    ReportDraft.objects.filter(unit=unit_a).update(progress="全市培育工作稳步推进。")
    client.force_login(users["province"])
    texts, _attached = _report_texts(client, task, unit_a)
    position = texts.index("全市培育工作稳步推进。")
    assert texts[position - 1].startswith("从成熟度水平看")
    pdf = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"]))
    assert "全市培育工作稳步推进。" in pdf_text(pdf.content)
    html = client.get(
        reverse("documents:report_download", args=[task.pk, unit_a.pk, "html"])
    ).content.decode()
    assert (
        html.index("从成熟度水平看")
        < html.index("全市培育工作稳步推进。")
        < html.index("二、推进举措")
    )
