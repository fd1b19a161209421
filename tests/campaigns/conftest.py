"""Fixtures of the campaign tests: the seeded 2026 campaign, files of every kind, and a helper
that walks an application to a given point through the services."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from factorytiers.campaigns.models import Campaign, Scenario, Submission
from factorytiers.campaigns.services import (
    applications,
)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(db) -> Campaign:
    return Campaign.objects.get(year=2026)


@pytest.fixture
def advanced_task(campaign):
    return campaign.tasks.get(kind="advanced")


def scenarios(*numbers):
    return list(Scenario.objects.filter(edition__code="2025", number__in=numbers))


def draft(user, task, factory, *, project="智能工厂建设项目", level=3, numbers=(9, 22, 30)):
    return applications.create_application(
        actor=user,
        task=task,
        data={"factory": factory, "project_name": project, "maturity_level": level},
        scenarios=scenarios(*numbers),
        ai_scenarios=scenarios(numbers[0]),
    )


def with_materials(user, application):
    applications.upload_material(
        actor=user,
        application=application,
        slot="form_docx",
        upload=upload("申报书.docx", docx_bytes()),
    )
    applications.upload_material(
        actor=user, application=application, slot="form_pdf", upload=upload("申报书.pdf", PDF)
    )
    return application


def submitted(users, task, factory, **kwargs):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], task, factory, **kwargs)
    )
    return step(users["enterprise_a"], application, "submit")


def recommended(users, task, factory, **kwargs):
    application = submitted(users, task, factory, **kwargs)
    return step(users["city_a"], application, "recommend")


def step(actor, application, name, comment=""):
    """One step of the workflow on the application, at the version it stands at (as its page
    would post it)."""
    application.refresh_from_db()
    return applications.take_step(
        actor=actor,
        application=application,
        step_name=name,
        comment=comment,
        version=application.version,
    )


def unit_submission(task, unit) -> Submission:
    """The unit's report row of the task (created as the first write would create it)."""
    return Submission.objects.get_or_create(task=task, unit=unit)[0]


def stamped(task, unit) -> Submission:
    """The unit's report row with its stamped 推荐文件 uploaded (needed before reporting the
    先进级 and 揭榜 tasks)."""
    submission = unit_submission(task, unit)
    submission.recommendation_file.save("recommendation.pdf", ContentFile(PDF), save=False)
    submission.recommendation_file_name = "推荐文件.pdf"
    submission.save()
    return submission
