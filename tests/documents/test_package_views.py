"""Material packages: a background build with progress, and the permission-checked download."""

import io
import zipfile

import pytest
from django.urls import reverse

from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import PackageBuild
from tests.documents import builders


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


def test_a_build_makes_one_folder_per_application_with_the_latest_files_and_the_forms(
    client, users, task, unit_a, applications, _build
):
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
    download = client.get(reverse("documents:package_download", args=[build.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    folder = "太原市-1-太原晋华重工有限公司-晋华智能工厂项目"
    assert sorted(archive.namelist()) == sorted(
        [
            "太原市-附件1-先进级智能工厂名单汇总表.xlsx",
            "太原市-附件1-先进级智能工厂名单汇总表.pdf",
            f"{folder}/申报书.docx",
            f"{folder}/申报书.pdf",
        ]
    )
    assert archive.read(f"{folder}/申报书.pdf").endswith(b" v2")  # the latest version
    for name in archive.namelist():
        assert not name.startswith("/") and ".." not in name.split("/")


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
    assert build.error == "序号1（太原晋华重工有限公司）缺少PDF版材料"
    page = client.get(reverse("documents:package", args=[build.pk])).content.decode()
    assert "打包失败：序号1（太原晋华重工有限公司）缺少PDF版材料" in page
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
    assert response.status_code == 302
    assert not PackageBuild.objects.exists()


def test_only_post_starts_a_build(client, users, task, unit_a):
    client.force_login(users["city_a"])
    url = reverse("documents:package_request", args=[task.pk, unit_a.pk])
    assert client.get(url).status_code == 405
    assert not PackageBuild.objects.exists()
