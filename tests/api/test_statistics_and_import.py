"""The statistics endpoint answers the figures of /documents/statistics/; the import endpoint is
the page's import, with its permission, checks and refusals in Chinese."""

import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.assessments.models import PlatformResult

pytestmark = pytest.mark.django_db


def _page_figures(user, params) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get("/documents/statistics/", params)
    assert response.status_code == 200
    return {key: (f.label, f.value, f.count) for key, f in response.context["figures"].items()}


def _api_figures(headers, params) -> tuple[dict, dict]:
    body = Client().get("/api/statistics", params, headers=headers).json()
    return {f["key"]: (f["label"], f["value"], f["count"]) for f in body["figures"]}, body


@time_machine.travel("2026-06-15 10:00:00+08:00", tick=False)
@pytest.mark.parametrize("role", ["city_a", "province"])
def test_the_figures_equal_the_pages(users, sides, bearer, role):
    year = sides["a"].assessment.year
    params = {"year": year}
    figures, body = _api_figures(bearer(role), params)
    assert figures == _page_figures(users[role], params)
    assert figures["assessed"][1] == ("1" if role == "city_a" else "2")
    groupings = {g["by"] for g in body["groupings"]}
    assert groupings == (
        {"unit", "sector", "division"} if role == "province" else {"sector", "division"}
    )


@time_machine.travel("2026-06-15 10:00:00+08:00", tick=False)
def test_the_province_reads_one_units_figures(users, sides, bearer):
    params = {"year": sides["a"].assessment.year, "unit": sides["b"].enterprise.unit_id}
    figures, body = _api_figures(bearer("province"), params)
    assert figures == _page_figures(users["province"], params)
    assert body["unit"]["id"] == sides["b"].enterprise.unit_id


def test_statistics_refusals(users, sides, bearer):
    client = Client()
    # Another unit than one's own: not found; a year without data: 400 in Chinese.
    unit_b = sides["b"].enterprise.unit_id
    assert (
        client.get("/api/statistics", {"unit": unit_b}, headers=bearer("city_a")).status_code == 404
    )
    refused = client.get("/api/statistics", {"year": 2001}, headers=bearer("province"))
    assert refused.status_code == 400
    assert "年度" in refused.json()["detail"]
    assert client.get("/api/statistics", headers=bearer("enterprise_a")).status_code == 403


def _workbook(*rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "年度", "评估得分", "成熟度等级", "评估日期"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("results.xlsx", buffer.getvalue())


@time_machine.travel("2026-06-15 10:00:00+08:00", tick=False)
def test_an_import_stores_the_rows_and_is_audited(users, enterprise_a, bearer):
    upload = _workbook(
        [enterprise_a.credit_code, enterprise_a.name, 2026, 3.1, "三级", date(2026, 2, 3)]
    )
    response = Client().post(
        "/api/platform-results/import", {"file": upload}, headers=bearer("city_a")
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "saved": True, "dry_run": False, "created": 1, "updated": 0, "rejected": []
    }  # fmt: skip
    result = PlatformResult.objects.get(enterprise=enterprise_a, year=2026)
    assert result.level == 3 and result.entered_by == users["city_a"]
    assert AuditEntry.objects.filter(
        action=AuditAction.PLATFORM_RESULT_IMPORT, actor=users["city_a"]
    ).exists()


@time_machine.travel("2026-06-15 10:00:00+08:00", tick=False)
def test_a_bad_row_refuses_the_file_unless_good_rows_are_kept(
    users, enterprise_a, enterprise_b, bearer
):
    good = [enterprise_a.credit_code, enterprise_a.name, 2026, 3.1, "三级", date(2026, 2, 3)]
    other_unit = [enterprise_b.credit_code, enterprise_b.name, 2026, 2.0, "二级", date(2026, 2, 3)]
    headers = bearer("city_a")
    refused = Client().post(
        "/api/platform-results/import", {"file": _workbook(good, other_unit)}, headers=headers
    )
    assert refused.status_code == 400
    body = refused.json()
    assert "全部未导入" in body["detail"]
    assert [row["row"] for row in body["rows"]] == [3]
    assert not PlatformResult.objects.exists()
    kept = Client().post(
        "/api/platform-results/import",
        {"file": _workbook(good, other_unit), "keep_good_rows": "true"},
        headers=headers,
    )
    assert kept.status_code == 200
    assert kept.json()["created"] == 1 and [r["row"] for r in kept.json()["rejected"]] == [3]
    assert list(PlatformResult.objects.values_list("enterprise", flat=True)) == [enterprise_a.pk]


@time_machine.travel("2026-06-15 10:00:00+08:00", tick=False)
def test_a_dry_run_answers_what_would_be_stored_and_writes_nothing(
    users, enterprise_a, enterprise_b, bearer
):
    good = [enterprise_a.credit_code, enterprise_a.name, 2026, 3.1, "三级", date(2026, 2, 3)]
    other_unit = [enterprise_b.credit_code, enterprise_b.name, 2026, 2.0, "二级", date(2026, 2, 3)]
    headers = bearer("city_a")

    def dry_run(*rows, **fields):
        return Client().post(
            "/api/platform-results/import",
            {"file": _workbook(*rows), "dry_run": "true", **fields},
            headers=headers,
        )

    response = dry_run(good)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "saved": False,
        "dry_run": True,
        "created": 1,
        "updated": 0,
        "rejected": [],
    }
    assert not PlatformResult.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.PLATFORM_RESULT_IMPORT).exists()
    # A bad row: the same refusal as the import, or the good rows with keep_good_rows.
    refused = dry_run(good, other_unit)
    assert refused.status_code == 400 and "全部未导入" in refused.json()["detail"]
    assert [row["row"] for row in refused.json()["rows"]] == [3]
    kept = dry_run(good, other_unit, keep_good_rows="true")
    assert kept.status_code == 200
    assert kept.json()["created"] == 1 and [r["row"] for r in kept.json()["rejected"]] == [3]
    # Once stored, the same row would replace it.
    Client().post("/api/platform-results/import", {"file": _workbook(good)}, headers=headers)
    count = PlatformResult.objects.count()
    again = dry_run(good).json()
    assert (again["created"], again["updated"]) == (0, 1)
    assert PlatformResult.objects.count() == count == 1


def test_a_file_that_is_no_workbook_is_refused_in_chinese(users, bearer):
    upload = SimpleUploadedFile("results.xlsx", b"not a workbook at all")
    response = Client().post(
        "/api/platform-results/import", {"file": upload}, headers=bearer("province")
    )
    assert response.status_code == 400
    assert "Excel" in response.json()["detail"]
    assert not PlatformResult.objects.exists()


@pytest.mark.parametrize("role", ["enterprise_a", "expert", "admin"])
def test_only_officers_import(users, enterprise_a, bearer, role):
    upload = _workbook(
        [enterprise_a.credit_code, enterprise_a.name, 2026, 3.1, "三级", date(2026, 2, 3)]
    )
    response = Client().post("/api/platform-results/import", {"file": upload}, headers=bearer(role))
    assert response.status_code == 403
    assert not PlatformResult.objects.exists()
