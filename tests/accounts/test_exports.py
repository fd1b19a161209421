"""Big XLSX exports are background jobs: the threshold, the job page, the file, who finds it."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry, ExportJob, Role
from factorytiers.assessments.spreadsheets import OVERVIEW_COLUMNS
from factorytiers.enterprises.exports import COLUMNS
from tests.conftest import make_enterprise, make_user

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ENTERPRISE_HEADER = [title.format(year=2026) for title, _width in COLUMNS]
OVERVIEW_HEADER = [title for title, _width in OVERVIEW_COLUMNS]
URLS = {"enterprises": "enterprises:export", "overview": "assessments:overview_export"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed(users, unit_a, enterprise_a):
    """Five enterprises in unit A (太原), one of them 大型; enterprise B stays in 大同."""
    for number in range(1, 5):
        make_enterprise(unit_a, name=f"太原第{number}机械有限公司", body=f"MA0T000{number}")
    return users


def _sheet(content: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _inline(client, kind: str) -> list[list]:
    response = client.get(reverse(URLS[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return _sheet(response.content)


def _background(client, kind: str, django_capture_on_commit_callbacks) -> ExportJob:
    page = client.get(reverse(URLS[kind]))
    assert page.status_code == 200
    assert "在后台生成" in page.content.decode()
    assert not ExportJob.objects.exists()  # the GET writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URLS[kind]))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:export", args=[job.pk])
    return job


@pytest.mark.parametrize(
    ("kind", "header"), [("enterprises", ENTERPRISE_HEADER), ("overview", OVERVIEW_HEADER)]
)
def test_under_the_threshold_the_file_is_the_answer(listed, client, kind, header):
    client.force_login(listed["city_a"])
    rows = _inline(client, kind)
    assert rows[0] == header
    names = sorted(row[1] for row in rows[1:])
    assert names == sorted(
        ["太原晋华重工有限公司", *(f"太原第{n}机械有限公司" for n in range(1, 5))]
    )
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("kind", "header"), [("enterprises", ENTERPRISE_HEADER), ("overview", OVERVIEW_HEADER)]
)
def test_over_the_threshold_a_job_writes_the_same_file(
    listed, client, settings, django_capture_on_commit_callbacks, kind, header
):
    client.force_login(listed["city_a"])
    expected = _inline(client, kind)  # five rows: under the default threshold
    settings.EXPORT_INLINE_MAX_ROWS = 3
    job = _background(client, kind, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (ExportJob.Status.DONE, 100, 5)
    assert job.requested_by == listed["city_a"]
    entry = AuditEntry.objects.get(action="accounts.request_export")
    assert entry.actor == listed["city_a"] and entry.changes["facts"] == {"kind": kind}

    page = client.get(reverse("accounts:export", args=[job.pk])).content.decode()
    assert 'aria-valuenow="100"' in page and "已完成" in page
    assert reverse("accounts:export_download", args=[job.pk]) in page
    download = client.get(reverse("accounts:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert job.file_name.endswith(".xlsx")
    rows = _sheet(b"".join(download.streaming_content))
    assert rows[0] == header
    assert rows == expected
    assert len(rows) == 6
    assert all(row[2] == "太原市" for row in rows[1:])  # unit A's rows only


def test_the_job_page_polls_the_progress_while_the_export_waits(listed, client, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    client.force_login(listed["city_a"])
    client.post(reverse("enterprises:export") + "?q=太原")  # not committed: stays 排队中
    job = ExportJob.objects.get()
    assert job.query == "q=%E5%A4%AA%E5%8E%9F"
    page = client.get(reverse("accounts:export", args=[job.pk])).content.decode()
    progress = reverse("accounts:export_progress", args=[job.pk])
    assert f'hx-get="{progress}"' in page and 'aria-valuenow="0"' in page
    assert "排队中" in page
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=40)
    partial = client.get(progress).content.decode()
    assert 'aria-valuenow="40"' in partial and "40%" in partial and "hx-get" in partial
    assert client.get(reverse("accounts:export_download", args=[job.pk])).status_code == 404


def test_the_job_reads_the_filters_it_was_asked_with(
    listed, client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    client.force_login(listed["city_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:export") + "?q=第2")
    job = ExportJob.objects.get()
    rows = _sheet(job.file.open("rb").read())
    assert [row[1] for row in rows[1:]] == ["太原第2机械有限公司"]


@pytest.mark.parametrize("other", ["city_b", "province", "same_unit", "enterprise_a"])
def test_nobody_else_finds_the_job_or_its_file(
    listed, client, settings, django_capture_on_commit_callbacks, unit_a, other
):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    client.force_login(listed["city_a"])
    job = _background(client, "enterprises", django_capture_on_commit_callbacks)
    reader = make_user("city_a2", Role.CITY, unit=unit_a) if other == "same_unit" else listed[other]
    client.force_login(reader)
    for name in ("accounts:export", "accounts:export_progress", "accounts:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name


def test_a_role_without_the_export_cannot_start_one(listed, client):
    client.force_login(listed["enterprise_a"])
    assert client.post(reverse("enterprises:export")).status_code == 403
    assert not ExportJob.objects.exists()
