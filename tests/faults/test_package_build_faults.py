"""A material package build survives what goes wrong in production, with a real worker:
the worker killed mid-build, the broker out of reach, an uploaded file gone, a read-only media
folder. Each ends as 失败 with a Chinese reason; once the cause is gone, 重试 builds the zip.

One test function, so that under pytest-xdist the whole story runs in one process, in order
(the faults share one database and one set of workers).
"""

import os
import signal
import time
import zipfile
from pathlib import Path

from django.test import Client
from django.urls import reverse

from factorytiers.accounts import jobs
from factorytiers.accounts.models import Role
from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import PackageBuild
from factorytiers.enterprises.models import Factory
from factorytiers.reference.models import Region
from tests.conftest import make_enterprise, make_user
from tests.documents import builders

from .conftest import closed_port

WAIT_SECONDS = 60


def test_a_package_build_fails_with_a_reason_and_is_retried_after_every_fault(instance):
    unit = Region.objects.get(code="140100")  # 太原市
    task = Campaign.objects.get(year=2026).tasks.get(kind="advanced")
    officer = make_user("city_a", Role.CITY, unit=unit)
    enterprise = make_enterprise(unit, name="太原晋华重工有限公司", body="MA0A0001")
    owner = make_user("ent_a", Role.ENTERPRISE, enterprise=enterprise)
    factory = Factory.objects.create(enterprise=enterprise, name="晋华一厂", location="太原市")
    application = builders.ranked_application(
        enterprise, factory, rank=1, user=owner, project="晋华智能工厂项目"
    )
    builders.material(application, "financials", "近三年财务报表.xlsx", b"xlsx", user=owner)
    client = Client()
    client.force_login(officer)

    def request() -> PackageBuild:
        response = client.post(reverse("documents:package_request", args=[task.pk, unit.pk]))
        assert response.status_code == 302
        return PackageBuild.objects.latest("id")

    def retry(build: PackageBuild) -> None:
        response = client.post(reverse("documents:package_retry", args=[build.pk]))
        assert response["Location"] == reverse("documents:package", args=[build.pk])

    def wait(build: PackageBuild, until, what: str) -> PackageBuild:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            build.refresh_from_db()
            if until(build):
                return build
            assert time.monotonic() < deadline, f"{what}: still {build.status} ({build.error})"
            time.sleep(0.2)

    def finished(build: PackageBuild) -> PackageBuild:
        return wait(build, lambda b: b.is_finished, "the build did not finish")

    def page(build: PackageBuild) -> str:
        return client.get(reverse("documents:package", args=[build.pk])).content.decode()

    def assert_failed(build: PackageBuild, reason: str) -> None:
        assert (build.status, build.error, bool(build.file)) == ("failed", reason, False)
        shown = page(build)
        assert '<span id="package-status">失败</span>' in shown
        assert f"打包失败：{reason}" in shown and 'id="package-retry"' in shown

    def assert_built(build: PackageBuild, attempts: int) -> None:
        build = finished(build)
        assert (build.status, build.error, build.progress, build.attempts) == (
            "done",
            "",
            100,
            attempts,
        )
        path = Path(build.file.path)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        root = "太原市-先进级智能工厂推荐申报材料"
        folder = f"{root}/太原市-1-太原晋华重工有限公司-晋华智能工厂项目"
        assert f"{folder}.pdf" in names and f"{folder}/近三年财务报表.xlsx" in names
        assert len(names) == 5

    with instance.broker.current():
        # (a) The worker is killed (SIGKILL) in the middle of a build: its message is never
        # acknowledged and its heartbeat stops; the sweep ends the build as 失败.
        slow = instance.workers.start(slow=1.0)
        killed = request()
        wait(killed, lambda b: b.status == "running" and b.progress > 0, "the build did not start")
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait(timeout=10)
        deadline = time.monotonic() + WAIT_SECONDS
        while not jobs.sweep():  # what Celery beat runs every minute
            assert time.monotonic() < deadline, "the sweep did not end the build"
            time.sleep(0.5)
        killed.refresh_from_db()
        assert_failed(killed, "后台任务中断（进程退出），请重试。")
        assert 0 < killed.progress < 100
        instance.workers.start()  # a fresh worker takes the next attempt
        retry(killed)
        assert_built(killed, attempts=2)

        # (b) The broker is out of reach when the build is asked for: 失败 at once, not 排队中.
        with instance.broker.current(f"redis://127.0.0.1:{closed_port()}/10"):
            unqueued = request()
        unqueued.refresh_from_db()
        assert_failed(unqueued, "任务队列暂不可用，请稍后重试。")
        retry(unqueued)  # the broker is back
        assert_built(unqueued, attempts=2)

        # (c) An uploaded file is gone from the media folder: the reason names it.
        stored = Path(application.materials.get(slot="form_pdf", number=2).file.path)
        aside = stored.with_name(stored.name + ".aside")
        stored.rename(aside)
        missing = finished(request())
        assert_failed(
            missing,
            "“太原市-先进级智能工厂推荐申报材料/太原市-1-太原晋华重工有限公司-晋华智能工厂项目.pdf”"
            "的文件在服务器存储中找不到，请重新上传该材料后再打包",
        )
        aside.rename(stored)
        retry(missing)
        assert_built(missing, attempts=2)

        # (d) The media folder is read-only: the zip cannot be stored.
        folders = [instance.media, *(p for p in instance.media.rglob("*") if p.is_dir())]
        for folder in folders:
            folder.chmod(0o555)
        read_only = finished(request())
        assert_failed(
            read_only,
            "材料包无法保存：服务器文件存储不可写（权限不足）。"
            "请联系系统管理员检查存储目录的权限后点击“重试”。",
        )
        for folder in folders:
            folder.chmod(0o755)
        retry(read_only)
        assert_built(read_only, attempts=2)

    assert PackageBuild.objects.count() == 4
