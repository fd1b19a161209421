"""Material packages: a background build with progress, and the permission-checked download."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import PackageBuild
from factorytiers.enterprises.models import Factory
from factorytiers.reference.models import Region
from tests.conftest import make_enterprise
from tests.documents import builders

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def task(db):
    return Campaign.objects.get(year=2026).tasks.get(kind="advanced")


@pytest.fixture
def applications(users, enterprise_a, enterprise_b, factory_a, factory_b):
    return [
        builders.ranked_application(
            enterprise_a, factory_a, rank=1, user=users["enterprise_a"], project="晋华智能工厂项目"
        ),
        builders.ranked_application(enterprise_b, factory_b, rank=1, user=users["enterprise_b"]),
    ]


@pytest.fixture
def _build(django_capture_on_commit_callbacks):
    """Ask for a build; the build starts when the request commits (run here, inline)."""

    def build(client, task, unit):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("documents:package_request", args=[task.pk, unit.pk]))

    return build


def _archive(client, build):
    download = client.get(reverse("documents:package_download", args=[build.pk]))
    assert download.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


def test_a_build_makes_the_units_folder_with_the_forms_each_form_and_its_materials(
    client, users, task, unit_a, applications, _build
):
    builders.material(
        applications[0], "financials", "近三年财务报表.xlsx", b"xlsx", user=users["enterprise_a"]
    )
    client.force_login(users["city_a"])
    response = _build(client, task, unit_a)
    build = PackageBuild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:package", args=[build.pk])
    assert (build.status, build.progress, build.unit, build.requested_by) == (
        "done",
        100,
        unit_a,
        users["city_a"],
    )
    assert build.finished_at is not None
    assert build.file_name == "太原市-先进级智能工厂推荐申报材料.zip"
    archive = _archive(client, build)
    root = "太原市-先进级智能工厂推荐申报材料"
    name = f"{root}/太原市-1-太原晋华重工有限公司-晋华智能工厂项目"
    assert archive.namelist() == [
        f"{root}/太原市-附件1-先进级智能工厂名单汇总表.xlsx",
        f"{root}/太原市-附件1-先进级智能工厂名单汇总表.pdf",
        f"{name}.docx",
        f"{name}.pdf",
        f"{name}/近三年财务报表.xlsx",
    ]
    assert archive.read(f"{name}.pdf").endswith(b" v2")  # the latest version
    assert archive.read(f"{name}.docx").endswith(b" v2")
    assert archive.read(f"{name}/近三年财务报表.xlsx") == b"xlsx"


def test_an_acceptance_package_has_the_form4_and_the_acceptance_materials(
    client, users, unit_a, enterprise_a, factory_a, _build
):
    acceptance = Campaign.objects.get(year=2026).tasks.get(kind="pilot_acceptance")
    application = builders.ranked_application(
        enterprise_a,
        factory_a,
        rank=1,
        user=users["enterprise_a"],
        kind="揭榜验收",
        task_kind="pilot_acceptance",
        project="重型装备智能制造示范工厂",
    )
    builders.material(application, "part1", "营业执照.pdf", b"%PDF-1.4", user=users["enterprise_a"])
    client.force_login(users["city_a"])
    _build(client, acceptance, unit_a)
    build = PackageBuild.objects.get()
    root = "太原市-示范工厂揭榜单位验收申请申报材料"
    name = f"{root}/太原市-1-太原晋华重工有限公司-重型装备智能制造示范工厂"
    assert _archive(client, build).namelist() == [
        f"{root}/太原市-附件4-智能制造示范工厂揭榜单位验收推荐表.xlsx",
        f"{root}/太原市-附件4-智能制造示范工厂揭榜单位验收推荐表.pdf",
        f"{name}.docx",
        f"{name}.pdf",
        f"{name}/营业执照.pdf",
    ]


def test_the_zone_is_named_in_full_in_every_name(client, users, task, _build):
    zone = Region.objects.get(code="14Z001")
    enterprise = make_enterprise(zone, name="综改示范区智造有限公司", body="MA0K0001")
    factory = Factory.objects.create(enterprise=enterprise, name="示范一厂", location="太原市")
    builders.ranked_application(enterprise, factory, rank=1, user=users["province"])
    client.force_login(users["province"])
    _build(client, task, zone)
    root = "山西转型综合改革示范区-先进级智能工厂推荐申报材料"
    name = f"{root}/山西转型综合改革示范区-1-综改示范区智造有限公司-智能工厂建设项目"
    assert _archive(client, PackageBuild.objects.get()).namelist() == [
        f"{root}/山西转型综合改革示范区-附件1-先进级智能工厂名单汇总表.xlsx",
        f"{root}/山西转型综合改革示范区-附件1-先进级智能工厂名单汇总表.pdf",
        f"{name}.docx",
        f"{name}.pdf",
    ]


def test_the_progress_bar_polls_until_the_build_is_finished(client, users, task, unit_a):
    build = PackageBuild.objects.create(
        unit=unit_a, task=task, requested_by=users["city_a"], status="running", progress=40
    )
    client.force_login(users["city_a"])
    running = client.get(reverse("documents:package_progress", args=[build.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in running and "40%" in running
    build.status, build.progress = "done", 100
    build.save()
    done = client.get(reverse("documents:package_progress", args=[build.pk])).content.decode()
    assert "every 1s" not in done and "下载材料包" in done


def test_an_application_without_a_pdf_fails_the_build_with_a_message_naming_it(
    client, users, task, unit_a, enterprise_a, factory_a, _build
):
    application = builders.ranked_application(
        enterprise_a, factory_a, rank=1, user=users["enterprise_a"]
    )
    application.materials.filter(kind="pdf").delete()
    client.force_login(users["city_a"])
    _build(client, task, unit_a)
    build = PackageBuild.objects.get()
    assert build.status == "failed" and not build.file
    assert build.error == "序号1（太原晋华重工有限公司）缺少PDF版申报书"
    page = client.get(reverse("documents:package", args=[build.pk])).content.decode()
    assert "打包失败：序号1（太原晋华重工有限公司）缺少PDF版申报书" in page
    assert client.get(reverse("documents:package_download", args=[build.pk])).status_code == 404


def test_another_units_build_is_not_found(
    client, users, task, unit_a, unit_b, applications, _build
):
    client.force_login(users["city_a"])
    _build(client, task, unit_a)
    build = PackageBuild.objects.get()
    client.force_login(users["city_b"])
    for name in ("documents:package", "documents:package_progress", "documents:package_download"):
        assert client.get(reverse(name, args=[build.pk])).status_code == 404
    assert _build(client, task, unit_a).status_code == 404
    assert PackageBuild.objects.count() == 1


def test_a_task_without_materials_builds_nothing(client, users, unit_a, _build):
    report = Campaign.objects.get(year=2026).tasks.get(kind="report")
    client.force_login(users["city_a"])
    response = _build(client, report, unit_a)
    assert response.status_code == 400
    assert not PackageBuild.objects.exists()


def test_only_post_starts_a_build(client, users, task, unit_a):
    client.force_login(users["city_a"])
    url = reverse("documents:package_request", args=[task.pk, unit_a.pk])
    assert client.get(url).status_code == 405
    assert not PackageBuild.objects.exists()


def test_a_missing_stored_file_fails_the_build_with_a_reason_naming_it_and_offers_a_retry(
    client, users, task, unit_a, applications, _build
):
    stored = applications[0].materials.get(slot="form_pdf", number=2).file
    stored.storage.delete(stored.name)
    client.force_login(users["city_a"])
    response = _build(client, task, unit_a)
    assert response.status_code == 302
    build = PackageBuild.objects.get()
    assert (build.status, bool(build.file)) == ("failed", False)
    assert build.error == (
        "“太原市-先进级智能工厂推荐申报材料/太原市-1-太原晋华重工有限公司-晋华智能工厂项目.pdf”"
        "的文件在服务器存储中找不到，请重新上传该材料后再打包"
    )
    page = client.get(reverse("documents:package", args=[build.pk])).content.decode()
    assert "打包失败：" in page and 'id="package-retry"' in page
    assert reverse("documents:package_retry", args=[build.pk]) in page


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            RuntimeError("unexpected keyword argument 'x'"),
            "生成材料包时发生意外错误。请稍后点击“重试”；如仍失败，请联系系统管理员。",
        ),
        (
            PermissionError(13, "Permission denied", "/srv/media/packages"),
            "材料包无法保存：服务器文件存储不可写（权限不足）。请联系系统管理员检查存储目录的权限后"
            "点击“重试”。",
        ),
        (
            OSError(28, "No space left on device"),
            "写入材料包时服务器存储出错（如磁盘空间不足）。请稍后点击“重试”；如仍失败，"
            "请联系系统管理员。",
        ),
    ],
)
def test_any_other_failure_ends_the_build_as_failed_with_a_chinese_reason(
    client, users, task, unit_a, applications, _build, monkeypatch, error, reason
):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("factorytiers.documents.services.build_package", fail)
    client.force_login(users["city_a"])
    response = _build(client, task, unit_a)
    assert response.status_code == 302  # not a server error
    build = PackageBuild.objects.get()
    assert (build.status, build.error) == ("failed", reason)
    assert build.finished_at is not None
    page = client.get(reverse("documents:package", args=[build.pk])).content.decode()
    assert '<span id="package-status">失败</span>' in page and 'id="package-retry"' in page
    assert f"打包失败：{reason}" in page
    assert "No space" not in page and "unexpected" not in page and "Permission" not in page


def test_a_build_that_cannot_be_queued_fails_at_once_with_a_reason(
    client, users, task, unit_a, applications, _build, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(
        "factorytiers.documents.services.build_package_task.apply_async", unreachable
    )
    client.force_login(users["city_a"])
    assert _build(client, task, unit_a).status_code == 302
    build = PackageBuild.objects.get()
    assert (build.status, build.error) == ("failed", "任务队列暂不可用，请稍后重试。")
    assert build.finished_at is not None
    page = client.get(reverse("documents:package", args=[build.pk])).content.decode()
    assert "打包失败：任务队列暂不可用" in page and 'id="package-retry"' in page
    assert "Connection refused" not in page


def test_a_build_whose_worker_stopped_reads_as_interrupted_and_is_retried(
    client, users, task, unit_a, applications, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        stuck = PackageBuild.objects.create(
            unit=unit_a, task=task, requested_by=users["city_a"], status="running", progress=40
        )
        PackageBuild.objects.filter(pk=stuck.pk).update(heartbeat_at=timezone.now())
    client.force_login(users["province"])
    with time_machine.travel(datetime(2026, 5, 10, 9, 4, tzinfo=SHANGHAI), tick=False):
        running = client.get(reverse("documents:package_progress", args=[stuck.pk]))
        assert "every 1s" in running.content.decode()
    with time_machine.travel(datetime(2026, 5, 10, 9, 6, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("documents:package", args=[stuck.pk])).content.decode()
        assert "every 1s" not in page and 'id="package-retry"' in page
        assert "打包失败：后台任务中断（进程退出），请重试。" in page
        units = client.get(reverse("documents:unit_forms", args=[task.pk, unit_a.pk]))
        assert "<td>失败</td>" in units.content.decode()
        stuck.refresh_from_db()
        assert stuck.status == "running"  # a read writes nothing
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("documents:package_retry", args=[stuck.pk]))
    assert response["Location"] == reverse("documents:package", args=[stuck.pk])
    assert PackageBuild.objects.count() == 1
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error, stuck.attempts, stuck.requested_by, stuck.progress) == (
        "done",
        "",
        2,
        users["province"],
        100,
    )
    assert stuck.file and stuck.file_name == "太原市-先进级智能工厂推荐申报材料.zip"


def test_only_a_failed_build_is_retried_and_only_by_its_units_officers(
    client, users, task, unit_a, applications, _build
):
    client.force_login(users["city_a"])
    _build(client, task, unit_a)
    done = PackageBuild.objects.get()
    response = client.post(reverse("documents:package_retry", args=[done.pk]), follow=True)
    assert "该材料包没有失败，无需重试。" in response.content.decode()
    assert PackageBuild.objects.get().attempts == 1
    done.status = "failed"
    done.save()
    for role, status in (("city_b", 404), ("enterprise_a", 403), ("expert", 403)):
        client.force_login(users[role])
        assert client.post(reverse("documents:package_retry", args=[done.pk])).status_code == status
    assert client.get(reverse("documents:package_retry", args=[done.pk])).status_code == 405
    assert PackageBuild.objects.get().attempts == 1


def test_a_retried_build_is_audited_with_its_attempt(
    client, users, task, unit_a, applications, django_capture_on_commit_callbacks
):
    failed = PackageBuild.objects.create(
        unit=unit_a, task=task, requested_by=users["city_a"], status="failed", error="x"
    )
    client.force_login(users["city_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:package_retry", args=[failed.pk]))
    entry = AuditEntry.objects.filter(action=AuditAction.PACKAGE_REQUEST).get()
    assert (entry.actor, entry.changes) == (users["city_a"], {"facts": {"attempts": 2}})
