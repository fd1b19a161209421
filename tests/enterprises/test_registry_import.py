"""Bulk import of the 规上企业名录: upload → dry run (the diff) → apply, XLSX and CSV."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.enterprises.models import Enterprise, RegistryImport, TierRecognition

BAD_CODE = "91140100MA0000001X"
INJECTION = "=cmd|' /C calc'!A0"


def code(n: int) -> str:
    return make_credit_code(division="140100", org_body=f"MA0R{n:04d}")


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("名录")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_bytes(rows, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


# The bureau's headers, in its own order and with its own words.
BUREAU = ["单位详细名称", "行政区划代码", "信用代码", "从业人员期末人数", "营业收入（万元）",
          "登记注册类型", "国民经济行业代码", "是否规上", "详细地址"]  # fmt: skip


def bureau_rows(enterprise_a):
    return [
        ["2025年规模以上工业企业名录"],
        BUREAU,
        # 2: unchanged (enterprise A as registered)
        ["太原晋华重工有限公司", "140100", enterprise_a.credit_code, 350, 25000, "私营企业",
         "3511", None, None],
        # 4: new
        ["太原汾河精密有限公司", "140105", code(1), 80, 2600.5, "有限责任公司", "C3311", "是",
         INJECTION],
        # 5: refused: not a credit code, and an unknown industry code
        ["坏行公司", "140100", BAD_CODE, 10, 100, "私营企业", "9999", None, None],
        # 6: refused: duplicate of row 4
        ["太原汾河精密有限公司二", "140100", code(1), 5, 50, "私营企业", "3311", None, None],
        # 7: refused for a city officer (大同)
        ["大同新企业有限公司", "大同市", code(2), 30, 900, "国有企业", "3311", None, None],
        # 8: refused: a formula as the name (not a folder name)
        [INJECTION, "140100", code(3), 30, 900, "私营企业", "3311", None, None],
    ]  # fmt: skip


def upload(client, name: str, content: bytes, capture):
    with capture(execute=True):
        response = client.post(
            reverse("enterprises:registry_upload"),
            {"file": SimpleUploadedFile(name, content)},
        )
    return response


def apply(client, job, capture):
    with capture(execute=True):
        return client.post(reverse("enterprises:registry_apply", args=[job.pk]))


@pytest.fixture
def city_a(client, users):
    client.force_login(users["city_a"])
    return client


def _changed_row(enterprise_a):
    return ["太原晋华重工有限公司", "140100", enterprise_a.credit_code, 400, 25000, "私营企业",
            "3511", None, None]  # fmt: skip


def test_dry_run_shows_new_changed_unchanged_refused_then_apply_writes_once(
    city_a, enterprise_a, django_capture_on_commit_callbacks
):
    rows = bureau_rows(enterprise_a)
    rows[2] = _changed_row(enterprise_a)  # 从业人员 350 → 400
    before = Enterprise.objects.count()
    response = upload(city_a, "名录.xlsx", xlsx(rows), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert response.status_code == 302
    assert job.status == job.Status.DONE and job.stage == job.Stage.PREVIEW
    assert Enterprise.objects.count() == before  # a dry run writes nothing
    assert job.summary["counts"] == {"new": 1, "changed": 1, "unchanged": 0, "refused": 4}
    assert [r["credit_code"] for r in job.summary["new"]] == [code(1)]
    assert job.summary["changed"][0]["changes"] == [
        {"field": "从业人员", "old": "350", "new": "400"}
    ]
    refused = {
        r["row"]: [(p["column"], p["reason"]) for p in r["problems"]]
        for r in job.summary["refused"]
    }
    assert refused[5][0][0] == "信用代码" and refused[5][0][1].startswith("第")
    assert refused[5][1] == (
        "国民经济行业代码",
        "“9999”不是GB/T 4754-2017制造业（C门类）的小类代码（4位数字，如3311）",
    )
    assert refused[6] == [("信用代码", "与第4行的统一社会信用代码重复（同一企业只能有一行）")]
    assert refused[7] == [("行政区划代码", "企业属于大同市，不在本单位（太原市）范围内，不能导入")]
    assert refused[8] == [("单位详细名称", "企业名称含有文件夹名称不允许的字符“|”")]
    page = city_a.get(reverse("enterprises:registry_import", args=[job.pk])).content.decode()
    assert "企业属于大同市，不在本单位（太原市）范围内，不能导入" in page
    assert "确认导入" in page

    assert apply(city_a, job, django_capture_on_commit_callbacks).status_code == 302
    job.refresh_from_db()
    assert job.stage == job.Stage.APPLIED, job.error
    assert job.summary["applied"] == {"created": 1, "updated": 1}
    new = Enterprise.objects.get(credit_code=code(1))
    assert new.unit.code == "140100" and new.industry.code == "3311"
    assert new.sector == "装备制造" and new.nature == "民营企业"
    assert new.revenue_wan == Decimal("2600.50") and new.above_scale_official is True
    assert new.size_class == "小型企业" and new.is_above_scale
    assert new.address == INJECTION  # kept as text
    assert new.history.count() == 1
    enterprise_a.refresh_from_db()
    assert enterprise_a.employees == 400 and enterprise_a.version == 2
    assert enterprise_a.history.count() == 2
    for refused_code in (code(2), code(3)):
        assert not Enterprise.objects.filter(credit_code=refused_code).exists()
    entry = AuditEntry.objects.get(action=AuditAction.REGISTRY_IMPORT)
    assert entry.changes["facts"] == {
        "file": "名录.xlsx", "created": 1, "updated": 1, "unchanged": 0, "rejected": 4
    }  # fmt: skip

    # The same file again: all unchanged, nothing to apply.
    upload(city_a, "名录.xlsx", xlsx(rows), django_capture_on_commit_callbacks)
    again = RegistryImport.objects.order_by("-pk").first()
    assert again.summary["counts"] == {"new": 0, "changed": 0, "unchanged": 2, "refused": 4}
    snapshot = list(Enterprise.objects.order_by("pk").values())
    response = apply(city_a, again, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "无需导入" in response.content.decode()
    assert list(Enterprise.objects.order_by("pk").values()) == snapshot


def test_the_province_imports_every_unit(
    client, users, enterprise_a, django_capture_on_commit_callbacks
):
    client.force_login(users["province"])
    upload(client, "名录.xlsx", xlsx(bureau_rows(enterprise_a)), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert job.summary["counts"] == {"new": 2, "changed": 0, "unchanged": 1, "refused": 3}
    apply(client, job, django_capture_on_commit_callbacks)
    assert Enterprise.objects.get(credit_code=code(2)).unit.code == "140200"


def test_error_file_has_the_header_the_rows_and_formulas_as_text(
    city_a, enterprise_a, django_capture_on_commit_callbacks
):
    upload(city_a, "名录.xlsx", xlsx(bureau_rows(enterprise_a)), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    response = city_a.get(reverse("enterprises:registry_errors", args=[job.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["原行号", *BUREAU, "错误原因"]
    assert [r[0] for r in rows[1:]] == [5, 6, 7, 8]
    assert rows[4][1] == INJECTION  # the name, as read
    assert sheet.cell(row=5, column=2).data_type == "s"  # text, not a formula
    assert sheet.cell(row=5, column=2).quotePrefix
    assert rows[2][-1] == "信用代码：与第4行的统一社会信用代码重复（同一企业只能有一行）"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_and_gbk(
    city_a, enterprise_a, encoding, django_capture_on_commit_callbacks
):
    rows = [
        ["企业名称", "统一社会信用代码", "行业代码", "从业人员", "营业收入(万元)", "企业性质"],
        ["太原晋华新材料有限公司", code(9), "3311", "1,200", "45000", "民营企业"],
    ]
    upload(city_a, "名录.csv", csv_bytes(rows, encoding), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert job.summary["counts"]["new"] == 1, job.error
    apply(city_a, job, django_capture_on_commit_callbacks)
    new = Enterprise.objects.get(credit_code=code(9))
    assert new.name == "太原晋华新材料有限公司" and new.unit.code == "140100"  # own unit
    assert new.employees == 1200 and new.size_class == "大型企业"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名录.csv", b"\xff\xfe\x00a\x00b", "无法识别文件编码"),
        ("名录.csv", "企业名称,从业人员\n某公司,3\n".encode(), "没有找到表头行"),
        ("名录.xlsx", None, "文件是空的"),
        ("名录.csv", "统一社会信用代码,企业名称\n".encode(), "文件中没有数据行"),
    ],
)
def test_hostile_files_fail_the_dry_run_with_a_chinese_reason(
    city_a, name, content, message, django_capture_on_commit_callbacks
):
    content = xlsx([]) if content is None else content
    upload(city_a, name, content, django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert job.status == job.Status.FAILED
    assert message in job.error
    page = city_a.get(reverse("enterprises:registry_import", args=[job.pk])).content.decode()
    assert message in page and "重新预览" in page


def test_not_a_spreadsheet_is_refused_at_upload(city_a, django_capture_on_commit_callbacks):
    response = upload(city_a, "名录.txt", b"hello", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "只接受Excel(.xlsx)或CSV(.csv)文件" in response.content.decode()
    assert not RegistryImport.objects.exists()


def test_apply_refuses_when_the_registry_changed_since_the_dry_run(
    city_a, enterprise_a, django_capture_on_commit_callbacks
):
    rows = bureau_rows(enterprise_a)
    rows[2] = _changed_row(enterprise_a)
    upload(city_a, "名录.xlsx", xlsx(rows), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    Enterprise.objects.filter(pk=enterprise_a.pk).update(employees=399)
    apply(city_a, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == job.Status.FAILED
    assert "自预览以来，企业名录中的数据已有变化，本次没有写入任何数据" in job.error
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert Enterprise.objects.get(pk=enterprise_a.pk).employees == 399


def test_apply_refuses_a_stored_file_that_changed(
    city_a, enterprise_a, django_capture_on_commit_callbacks
):
    upload(city_a, "名录.xlsx", xlsx(bureau_rows(enterprise_a)), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    with job.file.open("wb") as handle:
        handle.write(xlsx([BUREAU]))
    apply(city_a, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert "与上传时不一致" in job.error
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()


def test_a_failure_during_apply_writes_nothing(
    city_a, enterprise_a, monkeypatch, django_capture_on_commit_callbacks
):
    rows = bureau_rows(enterprise_a)
    rows[2] = _changed_row(enterprise_a)
    upload(city_a, "名录.xlsx", xlsx(rows), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    from factorytiers.enterprises import registry

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(registry, "_update", broken)  # after the new rows were created
    apply(city_a, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == job.Status.FAILED and "意外错误" in job.error
    assert not Enterprise.objects.filter(credit_code=code(1)).exists()
    assert Enterprise.objects.get(pk=enterprise_a.pk).employees == 350
    assert not AuditEntry.objects.filter(action=AuditAction.REGISTRY_IMPORT).exists()


def test_apply_uses_the_dry_runs_checked_rows_without_reading_the_file_again(
    city_a, users, enterprise_a, monkeypatch, django_capture_on_commit_callbacks
):
    rows = bureau_rows(enterprise_a)
    rows[2] = _changed_row(enterprise_a)
    upload(city_a, "名录.xlsx", xlsx(rows), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert job.checked_file and len(job.checked_sha256) == 64
    from factorytiers.enterprises import registry

    def not_again(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(registry, "read_workbook", not_again)
    apply(city_a, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.stage == job.Stage.APPLIED, job.error
    new = Enterprise.objects.get(credit_code=code(1))
    assert new.revenue_wan == Decimal("2600.50") and new.size_class == "小型企业"
    created, changed = new.history.get(), enterprise_a.history.order_by("-history_id").first()
    assert created.history_type == "+" and created.history_user == users["city_a"]
    assert changed.history_type == "~" and changed.history_user == users["city_a"]
    assert changed.employees == 400 and changed.version == 2


def test_apply_checks_the_file_again_when_the_kept_rows_are_damaged(
    city_a, enterprise_a, django_capture_on_commit_callbacks
):
    upload(city_a, "名录.xlsx", xlsx(bureau_rows(enterprise_a)), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    with job.checked_file.open("wb") as handle:
        handle.write(b"damaged")
    apply(city_a, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.stage == job.Stage.APPLIED, job.error
    assert job.summary["applied"] == {"created": 1, "updated": 0}


def test_row_bound_is_a_setting(city_a, settings, django_capture_on_commit_callbacks):
    settings.REGISTRY_IMPORT_MAX_ROWS = 2
    rows = [["统一社会信用代码", "企业名称"]] + [[code(n), f"企业{n}"] for n in range(20)]
    upload(city_a, "名录.csv", csv_bytes(rows, "utf-8"), django_capture_on_commit_callbacks)
    assert "请分批导入" in RegistryImport.objects.get().error


def test_another_units_import_is_not_found(
    client, users, enterprise_a, django_capture_on_commit_callbacks
):
    client.force_login(users["city_a"])
    upload(client, "名录.xlsx", xlsx(bureau_rows(enterprise_a)), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    client.force_login(users["city_b"])
    for name in ("registry_import", "registry_progress", "registry_errors"):
        assert client.get(reverse(f"enterprises:{name}", args=[job.pk])).status_code == 404


def test_the_list_links_to_the_import(city_a):
    page = city_a.get(reverse("enterprises:list")).content.decode()
    assert "批量导入名录" in page and reverse("enterprises:registry_upload") in page


def test_the_kept_statistics_counts_follow_the_imports_raw_writes(
    city_a, enterprise_a, factory_a, django_capture_on_commit_callbacks
):
    from tests.assessments.test_tallies import counted_from_scratch, kept
    from tests.enterprises.test_recognition_groups import (
        _recognition,
        copied,
        from_the_enterprise,
    )

    _recognition(factory_a, 1).save()
    rows = bureau_rows(enterprise_a)
    moved = _changed_row(enterprise_a)
    moved[6] = "1351"  # another 大类: the enterprise moves to another statistics group
    rows[2] = moved
    upload(city_a, "名录.xlsx", xlsx(rows), django_capture_on_commit_callbacks)
    job = RegistryImport.objects.get()
    assert apply(city_a, job, django_capture_on_commit_callbacks).status_code == 302
    job.refresh_from_db()
    assert job.summary["applied"] == {"created": 1, "updated": 1}, job.error
    assert Enterprise.objects.get(pk=enterprise_a.pk).industry.code == "1351"
    assert kept() == counted_from_scratch()
    # The recognitions of its factories carry its new 大类.
    assert copied() == from_the_enterprise()
    assert TierRecognition.objects.get().group_division.code == "13"
