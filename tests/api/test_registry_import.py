"""The registry import (规上企业名录) through the API: the upload is the page's dry run, read back
by its id, then applied; the same service, permission and scope as the pages."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise, RegistryImport

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所在地市", "行业代码", "从业人员", "营业收入(万元)",
          "企业性质"]  # fmt: skip


def code(n: int) -> str:
    return make_credit_code(division="140100", org_body=f"MA7X{n:04d}")


def _registry(*rows) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, values in enumerate([HEADER, *rows]):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("名录.xlsx", buffer.getvalue())


def _start(headers, upload, capture):
    """The upload's answer (the dry run queued) and the import as read once the dry run ran."""
    with capture(execute=True):
        response = Client().post("/api/registry-imports", {"file": upload}, headers=headers)
    if response.status_code != 200:
        return response, None
    assert response.json()["stage"] == "preview"
    path = f"/api/registry-imports/{response.json()['id']}"
    return response, Client().get(path, headers=headers).json()


def test_the_upload_is_a_dry_run_then_apply_writes(
    users, enterprise_a, bearer, django_capture_on_commit_callbacks
):
    headers = bearer("city_a")
    upload = _registry(
        [code(1), "太原新材料有限公司", "140100", "3311", 120, 5000, "民营企业"],
        [code(2), "大同某公司", "140200", "3311", 120, 5000, "民营企业"],
        [enterprise_a.credit_code, enterprise_a.name, "140100", "", 777, "", ""],
    )
    before = Enterprise.objects.count()
    response, body = _start(headers, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "pending"  # queued: it runs after the commit
    assert body["stage"] == "preview" and body["status"] == "done", body
    assert body["counts"] == {"new": 1, "changed": 1, "unchanged": 0, "refused": 1}
    assert [r["credit_code"] for r in body["new"]] == [code(1)]
    assert body["changed"][0]["changes"][0]["field"] == "从业人员"
    assert body["changed"][0]["changes"][0]["new"] == "777"
    assert body["refused"][0]["row"] == 3
    assert "不在本单位" in body["refused"][0]["problems"][0]["reason"]
    assert body["applied"] is None
    assert Enterprise.objects.count() == before  # the dry run wrote nothing
    assert Client().get(f"/api/registry-imports/{body['id']}", headers=headers).json() == body

    with django_capture_on_commit_callbacks(execute=True):
        applied = Client().post(f"/api/registry-imports/{body['id']}/apply", headers=headers)
    assert applied.status_code == 200, applied.content
    done = Client().get(f"/api/registry-imports/{body['id']}", headers=headers).json()
    assert done["stage"] == "applied" and done["applied"] == {"created": 1, "updated": 1}
    assert Enterprise.objects.get(credit_code=code(1)).unit.code == "140100"
    enterprise_a.refresh_from_db()
    assert enterprise_a.employees == 777
    assert AuditEntry.objects.filter(
        action=AuditAction.REGISTRY_IMPORT, actor=users["city_a"]
    ).exists()
    again = Client().post(f"/api/registry-imports/{body['id']}/apply", headers=headers)
    assert again.status_code == 400 and "只有预览完成" in again.json()["detail"]


def test_a_file_that_cannot_be_imported_is_refused_in_chinese(
    bearer, django_capture_on_commit_callbacks
):
    text = SimpleUploadedFile("名录.txt", b"hello")
    response, _job = _start(bearer("province"), text, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "只接受Excel(.xlsx)或CSV(.csv)文件" in response.json()["detail"]
    assert not RegistryImport.objects.exists()


def test_an_import_without_data_rows_fails_its_dry_run(bearer, django_capture_on_commit_callbacks):
    response, job = _start(bearer("province"), _registry(), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert job["status"] == "failed" and job["counts"] is None
    assert "文件中没有数据行" in job["error"]


@pytest.mark.parametrize("role", ["enterprise_a", "expert", "admin"])
def test_only_officers_import_the_registry(users, bearer, role, django_capture_on_commit_callbacks):
    upload = _registry([code(1), "太原新材料有限公司", "140100", "3311", 120, 5000, "民营企业"])
    response, _job = _start(bearer(role), upload, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not RegistryImport.objects.exists()


def test_another_units_import_is_not_found(bearer, django_capture_on_commit_callbacks):
    upload = _registry([code(1), "太原新材料有限公司", "140100", "3311", 120, 5000, "民营企业"])
    _response, job = _start(bearer("city_a"), upload, django_capture_on_commit_callbacks)
    for method, path in (
        ("get", f"/api/registry-imports/{job['id']}"),
        ("post", f"/api/registry-imports/{job['id']}/apply"),
    ):
        response = getattr(Client(), method)(path, headers=bearer("city_b"))
        assert response.status_code == 404
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
