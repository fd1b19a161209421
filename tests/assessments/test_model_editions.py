"""The administrator's model page: editions, item-bank import as a new version, activation.
Assessments keep the edition they were answered on."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.assessments import services
from factorytiers.assessments.models import MaturityModelEdition
from tests.assessments.conftest import submitted

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def bank(client, edition) -> bytes:
    return client.get(reverse("assessments:model_items", args=[edition.pk])).content


def edited(content: bytes, change) -> SimpleUploadedFile:
    book = openpyxl.load_workbook(io.BytesIO(content))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("条目库.xlsx", buffer.getvalue(), content_type=XLSX)


def post(client, upload, **data):
    fields = {
        "edition": "GB/T 39116-2020",
        "version": "1.1.0",
        "level_rule": "band",
        "activate": "on",
    }
    fields.update(data)
    return client.post(reverse("assessments:models"), {"file": upload, **fields})


def test_the_page_lists_the_seeded_edition(admin_client, edition):
    content = admin_client.get(reverse("assessments:models")).content.decode()
    assert "GB/T 39116-2020 v1.0.0" in content and "数据文件 gbt39116-2020.toml" in content
    assert "当前启用" in content and '<td class="text-end">300</td>' in content


def test_the_item_bank_downloads_in_the_import_format(admin_client, edition):
    book = openpyxl.load_workbook(io.BytesIO(bank(admin_client, edition)))
    assert book.sheetnames == ["条目", "权重"]
    rows = list(book["条目"].iter_rows(values_only=True))
    assert rows[0] == ("能力要素", "能力域", "能力子域", "等级", "条目编码", "条目内容", "权重")
    assert rows[1][:5] == ("人员", "组织战略", "组织战略", "一级", "STRAT.L1.1")
    assert len(rows) == 301
    weights = list(book["权重"].iter_rows(values_only=True))
    assert weights[0] == ("能力子域", "离散型", "流程型") and len(weights) == 21


def test_an_imported_bank_becomes_the_active_version(
    admin_client, users, edition, enterprise_a, frozen
):
    old = submitted(users["enterprise_a"], enterprise_a, year=2025)

    def reword(book):
        book["条目"]["F2"] = "经批准的智能制造规划已发布（官方条目库措辞）"
        book["权重"]["B2"] = 2

    response = post(
        admin_client, edited(bank(admin_client, edition), reword), level_rule="met_levels"
    )
    assert response.status_code == 302
    new = MaturityModelEdition.objects.active()
    assert (new.edition, new.version, new.imported_by) == (
        "GB/T 39116-2020",
        "1.1.0",
        users["admin"],
    )
    assert new.model.item("STRAT.L1.1").text == "经批准的智能制造规划已发布（官方条目库措辞）"
    assert new.model.level_rule == "met_levels"
    assert str(new.model.weights("离散型")["STRATEGY"]) == "2"
    assert AuditEntry.objects.get(action="maturity_model.import").changes["facts"]["items"] == 300
    old.refresh_from_db()
    assert (
        old.edition == edition
        and old.model.item("STRAT.L1.1").text != new.model.item("STRAT.L1.1").text
    )
    draft, _ = services.start_assessment(
        actor=users["enterprise_a"], enterprise=enterprise_a, year=2026
    )
    assert draft.edition == new


def test_a_bad_bank_is_refused_row_by_row_and_nothing_stored(admin_client, edition):
    def break_rows(book):
        book["条目"]["D3"] = "六级"
        book["条目"]["F10"] = None

    response = post(admin_client, edited(bank(admin_client, edition), break_rows))
    assert response.status_code == 400
    content = response.content.decode()
    assert "第3行：“等级”为“六级”" in content and "第10行：“条目内容”为空" in content
    assert MaturityModelEdition.objects.count() == 1
    assert MaturityModelEdition.objects.active() == edition


def test_an_existing_version_number_is_refused(admin_client, edition):
    response = post(
        admin_client, edited(bank(admin_client, edition), lambda book: None), version="1.0.0"
    )
    assert "版本“GB/T 39116-2020 v1.0.0”已存在" in response.content.decode()
    assert MaturityModelEdition.objects.count() == 1


def test_an_imported_version_may_wait_and_be_activated_later(admin_client, edition):
    post(admin_client, edited(bank(admin_client, edition), lambda book: None), activate="")
    new = MaturityModelEdition.objects.get(version="1.1.0")
    assert not new.is_active and MaturityModelEdition.objects.active() == edition
    response = admin_client.post(reverse("assessments:model_activate", args=[new.pk]))
    assert response.status_code == 302
    assert MaturityModelEdition.objects.active() == new
    assert AuditEntry.objects.get(action="maturity_model.activate").changes["facts"] == {
        "previous": "GB/T 39116-2020 v1.0.0"
    }


@pytest.mark.parametrize("role", ["city_a", "province", "enterprise_a"])
def test_only_the_admin_manages_the_model(client, users, edition, role):
    client.force_login(users[role])
    assert client.get(reverse("assessments:models")).status_code == 403
    assert client.post(reverse("assessments:model_activate", args=[edition.pk])).status_code == 403
