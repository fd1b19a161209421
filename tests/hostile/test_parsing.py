"""Numbers, dates, control characters and file names as people (or scripts) really send them.

Every case starts from the valid request of the authorization matrix (``tests/*/access.py``)
and changes one value; the answer is a 4xx in Chinese that names the field, and nothing is
stored. The clock is frozen (1 December 2026, after every date of the seeded 2026 campaign).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.campaigns.models import Application, Task
from factorytiers.campaigns.services.factories import default_validity
from factorytiers.documents.models import ReportDraft
from factorytiers.domain.dates import add_years
from factorytiers.enterprises.models import TierRecognition
from tests.hostile.conftest import refusal_text
from tests.test_authorization_matrix import MATRIX, _objects

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 1)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Not integers, or not in any column: superscript two, full-width three, Arabic-Indic three,
# an exponent, a negative, 20 digits, a blank, hexadecimal.
BAD_INTEGERS = ["²", "３", "٣", "1e3", "-1", "99999999999999999999", " ", "0x10"]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def objects(users, enterprise_a, enterprise_b, factory_a, factory_b):
    return _objects(users, enterprise_a, enterprise_b, factory_a, factory_b)


def _post_case(url_name):
    return next(case for case in MATRIX[url_name] if case.method == "post")


def _url(url_name, objects, case=None):
    case = case or _post_case(url_name)
    return reverse(url_name, kwargs={key: objects[src].pk for key, src in case.kwargs.items()})


def _prepared(client, objects, url_name, role) -> tuple[str, dict]:
    """The URL and the matrix's valid data of ``url_name`` for ``role``, logged in as it: every
    object they name is made (and the log-in recorded) before a comparison starts."""
    case = _post_case(url_name)
    data = case.data(objects, role)
    url = _url(url_name, objects, case)
    client.force_login(objects["users"][role])
    return url, data


def _post(client, objects, url_name, role, **changes):
    """The matrix's valid POST of ``url_name`` as ``role``, with ``changes`` made."""
    url, data = _prepared(client, objects, url_name, role)
    return client.post(url, {**data, **changes})


def _rank_key(objects):
    return f"rank_{objects['recommended_a'].pk}"


# (url name, role, field, blank is allowed) — the field's value is replaced by each bad integer.
INTEGER_FIELDS = [
    ("campaigns:settings", "province", "publicity_working_days", False),
    ("campaigns:settings", "province", "city_quota", True),
    ("campaigns:settings", "province", "validity_years", True),
    ("campaigns:settings", "province", "max_upload_mb", False),
    ("campaigns:unit_files", "city_a", "paper_copies", True),
    ("campaigns:overseas_create", "enterprise_a", "employees", False),
    ("campaigns:overseas_create", "enterprise_a", "revenue_wan", False),
    ("campaigns:recognize_basic", "city_a", "version", False),
    ("campaigns:revoke_recognition", "province", "version", False),
    ("campaigns:application_create", "enterprise_a", "maturity_level", False),
    ("enterprises:edit", "enterprise_a", "employees", False),
    ("enterprises:edit", "enterprise_a", "revenue_wan", False),
    ("assessments:platform_new", "enterprise_a", "score", False),
    ("assessments:platform_new", "enterprise_a", "year", False),
    ("campaigns:rank", "city_a", "<rank>", True),
]
INTEGER_CASES = [
    pytest.param(
        name, role, field, value, id=f"{name}-{field}-{value.encode('unicode_escape').decode()}"
    )
    for name, role, field, blank_ok in INTEGER_FIELDS
    for value in BAD_INTEGERS
    if not (blank_ok and value == " ")
]


@pytest.mark.parametrize(("url_name", "role", "field", "value"), INTEGER_CASES)
def test_a_number_that_is_not_ascii_digits_in_range_is_refused(
    client, objects, unchanged, url_name, role, field, value
):
    if field == "<rank>":
        field = _rank_key(objects)
    url, data = _prepared(client, objects, url_name, role)
    with unchanged():
        response = client.post(url, {**data, field: value})
    refusal_text(response)


@pytest.mark.parametrize(
    "value", BAD_INTEGERS, ids=[v.encode("unicode_escape").decode() for v in BAD_INTEGERS]
)
def test_a_statistics_year_that_is_not_ascii_digits_is_refused(client, objects, unchanged, value):
    client.force_login(objects["users"]["province"])
    with unchanged():
        response = client.get(reverse("documents:statistics"), {"year": value})
    assert "年度" in refusal_text(response)


@pytest.mark.parametrize(
    "value", BAD_INTEGERS, ids=[v.encode("unicode_escape").decode() for v in BAD_INTEGERS]
)
def test_a_posted_id_that_is_not_ascii_digits_finds_nothing(client, objects, unchanged, value):
    """The expert of an assignment, the enterprise picked for an overseas entry: no 500."""
    url, data = _prepared(client, objects, "campaigns:assign_expert", "province")
    with unchanged():
        response = client.post(url, {**data, "expert": value})
    refusal_text(response)
    client.force_login(objects["users"]["city_a"])
    picked = client.get(
        reverse("campaigns:overseas_create", args=[objects["task_overseas"].pk]),
        {"enterprise": value},
    )
    assert picked.status_code in (302, 404)


# -- dates --------------------------------------------------------------------------------------

# (url name, role, field, label, may be after today)
DATE_FIELDS = [
    ("campaigns:recognize_basic", "city_a", "recognized_on", "认定日期", False),
    ("campaigns:record_recognition", "province", "recognized_on", "认定日期", False),
    ("campaigns:ministry_result", "province", "decided_on", "部级结果日期", False),
    ("campaigns:record_objection", "province", "received_on", "收到日期", False),
    ("campaigns:revoke_recognition", "province", "revoked_on", "撤销日期", True),
    ("campaigns:open_publicity", "province", "starts_on", "公示开始日期", True),
    ("campaigns:unit_files", "city_a", "paper_sent_on", "纸质材料寄送日期", True),
    ("assessments:platform_new", "enterprise_a", "assessed_on", "评估日期", False),
]
BAD_DATES = {
    "future": (TODAY + timedelta(days=1)).isoformat(),
    "1899": "1899-12-31",
    "2100": "2100-01-01",
    "29-february-of-a-common-year": "2027-02-29",
    "full-width-digits": "２０２６-05-06",
}
DATE_CASES = [
    pytest.param(name, role, field, label, value, id=f"{name}-{field}-{kind}")
    for name, role, field, label, future_ok in DATE_FIELDS
    for kind, value in BAD_DATES.items()
    if not (future_ok and kind == "future")
]


@pytest.mark.parametrize(("url_name", "role", "field", "label", "value"), DATE_CASES)
def test_a_date_out_of_range_is_refused_naming_the_field(
    client, objects, unchanged, url_name, role, field, label, value
):
    url, data = _prepared(client, objects, url_name, role)
    with unchanged():
        response = client.post(url, {**data, field: value})
    assert label in refusal_text(response)


def test_a_revocation_before_the_recognition_is_refused(client, objects, unchanged):
    url, data = _prepared(client, objects, "campaigns:revoke_recognition", "province")
    recognition = TierRecognition.objects.get(pk=objects["recognition_a"].pk)
    day_before = (recognition.recognized_on - timedelta(days=1)).isoformat()
    with unchanged():
        response = client.post(url, {**data, "revoked_on": day_before})
    assert "撤销日期" in refusal_text(response)


def test_recognising_on_29_february_gives_a_validity_ending_on_28_february(objects):
    campaign = objects["task_advanced"].campaign
    campaign.settings["validity_years"] = years = 3
    end = default_validity(campaign, date(2028, 2, 29))
    assert end == add_years(date(2028, 2, 29), int(years)) - timedelta(days=1)
    assert end.month == 2 and end.year == 2028 + int(years)


def test_recognising_on_29_february_over_http_answers_and_records(client, objects):
    campaign = objects["basic_a"].campaign
    campaign.settings["validity_years"] = 3
    campaign.save(update_fields=["settings"])
    with time_machine.travel(datetime(2028, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        response = _post(
            client, objects, "campaigns:recognize_basic", "city_a", recognized_on="2028-02-29"
        )
    assert response.status_code == 302
    application = Application.objects.get(pk=objects["basic_a"].pk)
    assert application.recognition.recognized_on == date(2028, 2, 29)
    assert application.recognition.valid_until == date(2031, 2, 27)


# -- control characters -------------------------------------------------------------------------

CONTROL = ["\x0b", "\x0c", "\x00", "\x1f", "\x7f", "\x85", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_in_the_report_are_not_stored_and_the_docx_downloads(
    client, objects, char
):
    text = f"一是加强组织领导。{char}二是强化政策支持。"
    response = _post(client, objects, "documents:report_edit", "city_a", measures=text)
    assert response.status_code == 302
    draft = ReportDraft.objects.get(unit=objects["enterprise_a"].unit)
    assert draft.measures == "一是加强组织领导。二是强化政策支持。"
    case = MATRIX["documents:report_download"][0]
    download = client.get(_url("documents:report_download", objects, case))
    assert download.status_code == 200
    body = Document(io.BytesIO(download.content))
    assert any("二是强化政策支持" in p.text for p in body.paragraphs)


def test_a_report_stored_before_with_a_control_character_still_downloads(client, objects):
    _post(client, objects, "documents:report_edit", "city_a", measures="一是")
    ReportDraft.objects.filter(unit=objects["enterprise_a"].unit).update(
        measures="一是加强\x0b组织领导。"
    )
    case = MATRIX["documents:report_download"][0]
    download = client.get(_url("documents:report_download", objects, case))
    assert download.status_code == 200
    body = Document(io.BytesIO(download.content))
    assert any("一是加强组织领导" in p.text for p in body.paragraphs)


# -- uploaded file names and downloads ----------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(client, objects, name, content, slot):
    application = objects["draft_a"]
    return client.post(
        reverse("campaigns:material_upload", args=[application.pk]),
        {"slot": slot, "file": SimpleUploadedFile(name, content)},
    )


def _download_of_latest(client, objects):
    material = objects["draft_a"].materials.order_by("-pk").first()
    return client.get(reverse("campaigns:material_download", args=[material.pk]))


@pytest.mark.parametrize(
    ("name", "served_as"),
    [
        ("evil.html", "evil.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.pdf"),
        ("\u202e\u2066申报书\u2069.pdf", "申报书.pdf"),
        ("..\\..\\申报书.pdf", "申报书.pdf"),
        ("申报书.PDF.exe", "申报书.PDF.pdf"),
    ],
    ids=["html-name", "rtl-override", "bidi-isolates", "windows-path", "double-extension"],
)
def test_a_download_is_typed_and_named_by_its_content(client, objects, name, served_as):
    client.force_login(objects["users"]["enterprise_a"])
    assert _upload(client, objects, name, PDF, "form_pdf").status_code == 302
    response = _download_of_latest(client, objects)
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert "\u202e" not in disposition and ".html" not in disposition
    assert disposition.startswith("attachment;")
    assert quote(served_as) in disposition or served_as in disposition


@pytest.mark.parametrize(
    ("name", "content", "slot"),
    [
        ("aux.docx", _docx(), "form_docx"),
        ("CON", _docx(), "form_docx"),
        ("lpt1.申报书.docx", _docx(), "form_docx"),
        ("申报书:终稿.pdf", PDF, "form_pdf"),
        ('申报书"终稿".pdf', PDF, "form_pdf"),
        ("申报书?.pdf", PDF, "form_pdf"),
        ("申报书.pdf.", PDF, "form_pdf"),
    ],
    ids=["aux", "con", "lpt1", "colon", "quotes", "question-mark", "trailing-dot"],
)
def test_an_upload_named_so_the_package_would_fail_is_refused(
    client, objects, unchanged, name, content, slot
):
    objects["draft_a"]  # made before the comparison starts
    client.force_login(objects["users"]["enterprise_a"])
    with unchanged():
        response = _upload(client, objects, name, content, slot)
    assert "文件名" in refusal_text(response)


def test_a_pdf_named_docx_is_kept_as_the_pdf_it_is(client, objects, unchanged):
    objects["draft_a"]
    client.force_login(objects["users"]["enterprise_a"])
    with unchanged():
        response = _upload(client, objects, "申报书.docx", PDF, "form_docx")
    assert "PDF" in refusal_text(response)


@pytest.mark.parametrize(
    ("url_name", "role", "field", "value"),
    [
        ("enterprises:edit", "enterprise_a", "name", "太原晋华:重工有限公司"),
        ("enterprises:edit", "enterprise_a", "name", "太原晋华重工有限公司/二厂"),
        ("enterprises:edit", "enterprise_a", "name", "AUX"),
        ("campaigns:application_create", "enterprise_a", "project_name", "项目:一期"),
        ("campaigns:application_create", "enterprise_a", "project_name", "数字化车间|二期"),
    ],
    ids=["enterprise-colon", "enterprise-slash", "enterprise-device-name", "project-colon", "pipe"],
)
def test_a_name_that_would_break_the_package_folder_is_refused_at_entry(
    client, objects, unchanged, url_name, role, field, value
):
    url, data = _prepared(client, objects, url_name, role)
    with unchanged():
        response = client.post(url, {**data, field: value})
    assert "名称" in refusal_text(response)


# -- a closed task ------------------------------------------------------------------------------


def _close(task):
    Task.objects.filter(pk=task.pk).update(is_closed=True)


def test_an_enterprise_cannot_apply_into_a_closed_task(client, objects, unchanged):
    url, data = _prepared(client, objects, "campaigns:application_create", "enterprise_a")
    task = objects["task_advanced"]
    _close(task)
    page = client.get(reverse("campaigns:task", args=[task.pk])).content.decode()
    assert 'id="new-application"' not in page
    with unchanged():
        response = client.post(url, data)
    assert task.title in refusal_text(response)


def test_an_enterprise_cannot_submit_edit_or_upload_into_a_closed_task(client, objects, unchanged):
    application = objects["draft_a"]
    _close(application.task)
    client.force_login(objects["users"]["enterprise_a"])
    page = client.get(reverse("campaigns:application_detail", args=[application.pk]))
    assert 'id="upload-form_pdf"' not in page.content.decode()
    with unchanged():
        submit = client.post(
            reverse("campaigns:application_action", args=[application.pk]),
            {"action": "submit", "version": application.version},
        )
        upload = _upload(client, objects, "申报书.pdf", PDF, "form_pdf")
    assert application.task.title in refusal_text(submit)
    assert application.task.title in refusal_text(upload)


# -- the audit log ------------------------------------------------------------------------------


def test_the_audit_log_reads_after_an_item_bank_import(client, objects):
    response = _post(client, objects, "assessments:models", "admin")
    assert response.status_code == 302
    page = client.get(reverse("accounts:audit_log"))
    assert page.status_code == 200
    assert "条目数" in page.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"items": 3, "keys": ["a"], "values": {"x": 1}},
        {"changed": {"items": [1, 2, 3]}},
        {"changed": {"state": "draft"}},
        {"facts": ["a", "b"]},
        ["a", "b"],
        {"facts": {"items": {"nested": {"deeper": [1, {"k": None}]}}}},
    ],
    ids=[
        "keys-of-dict-methods",
        "list-not-a-pair",
        "single-value",
        "facts-list",
        "a-list",
        "nested",
    ],
)
def test_the_audit_log_reads_any_stored_changes(client, objects, changes):
    AuditEntry.objects.create(
        action=AuditAction.APPLICATION_UPDATE,
        target_type="campaigns.application",
        target_id="1",
        target_label="申报",
        changes=changes,
    )
    client.force_login(objects["users"]["admin"])
    assert client.get(reverse("accounts:audit_log")).status_code == 200
