"""An enterprise enters the result it got on the national platform, with its report file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.assessments.models import PlatformResult

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(client, **overrides):
    data = {"year": 2026, "score": "3.55", "level": 3, "assessed_on": "2026-03-15"}
    data.update(overrides)
    return client.post(reverse("assessments:platform_new"), data)


def test_the_enterprise_enters_its_result_with_the_report(
    ent_client, ent_user, enterprise_a, frozen
):
    report = SimpleUploadedFile("平台报告.pdf", PDF, content_type="application/pdf")
    response = post(ent_client, report=report)
    assert response.status_code == 302
    result = PlatformResult.objects.get()
    assert (result.enterprise, result.year, str(result.score), result.level) == (
        enterprise_a,
        2026,
        "3.55",
        3,
    )
    assert result.source == "enterprise" and result.entered_by == ent_user
    assert result.report.read() == PDF
    assert AuditEntry.objects.get(action="platform_result.create").unit == enterprise_a.unit
    listing = ent_client.get(reverse("assessments:mine")).content.decode()
    assert "3.55" in listing and "企业录入" in listing
    download = ent_client.get(reverse("assessments:platform_report", args=[result.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_same_date_replaces_the_earlier_entry(ent_client, frozen):
    post(ent_client)
    post(ent_client, score="3.71")
    result = PlatformResult.objects.get()
    assert str(result.score) == "3.71" and result.version == 2
    assert AuditEntry.objects.filter(action="platform_result.update").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"level": 2}, "评估得分 3.55 与成熟度等级“二级”不符：按分数带应为三级"),
        ({"score": "5.5"}, "评估得分："),
        ({"score": "3.555"}, "评估得分："),
        ({"assessed_on": "2026-04-02"}, "评估日期 2026-04-02 晚于今天"),
        ({"assessed_on": "2025-12-01"}, "不在2026年度内"),
        ({"year": 2019}, "年度："),
        ({"level": 9}, "成熟度等级："),
    ],
)
def test_bad_values_are_refused_and_nothing_saved(ent_client, frozen, overrides, message):
    response = post(ent_client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlatformResult.objects.exists()


def test_a_renamed_file_that_is_not_a_pdf_is_refused(ent_client, frozen):
    fake = SimpleUploadedFile(
        "报告.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf"
    )
    response = post(ent_client, report=fake)
    assert "评估报告（PDF）：" in response.content.decode()
    assert "Windows 可执行文件" in response.content.decode()
    assert not PlatformResult.objects.exists()


def test_another_unit_cannot_download_the_report(client, users, ent_client, frozen):
    post(ent_client, report=SimpleUploadedFile("r.pdf", PDF))
    result = PlatformResult.objects.get()
    for role, status in (("city_b", 404), ("enterprise_b", 404), ("city_a", 200)):
        client.force_login(users[role])
        assert (
            client.get(reverse("assessments:platform_report", args=[result.pk])).status_code
            == status
        )


def test_a_result_without_a_report_has_nothing_to_download(ent_client, frozen):
    post(ent_client)
    result = PlatformResult.objects.get()
    assert (
        ent_client.get(reverse("assessments:platform_report", args=[result.pk])).status_code == 404
    )


@pytest.mark.parametrize("role", ["city_a", "province"])
def test_officers_import_rather_than_enter(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("assessments:platform_new")).status_code == 403
