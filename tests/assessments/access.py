"""The self-assessment's URLs in the authorization matrix (see tests/access.py)."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from factorytiers.assessments import services
from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
from tests.access import (
    ENTERPRISE_A_PAGE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICERS_ONLY,
    OK,
    REDIRECT,
    everyone,
)

REPORT = "assessments/platform/matrix/report.pdf"


def make_objects(objects):
    users, enterprise = objects["users"], objects["enterprise_a"]
    edition = MaturityModelEdition.objects.active()
    year = timezone.localdate().year
    submitted, _ = services.start_assessment(
        actor=users["enterprise_a"], enterprise=enterprise, year=year - 1
    )
    submitted.answers = {item.code: "FULL" for item in edition.model.items}
    submitted.save()
    objects["assessment_a"] = services.submit_assessment(
        actor=users["enterprise_a"], assessment=submitted, version=None
    )
    objects["draft_a"], _ = services.start_assessment(
        actor=users["enterprise_a"], enterprise=enterprise, year=year
    )
    objects["domain_strategy"] = SimpleNamespace(pk="STRATEGY")
    if not default_storage.exists(REPORT):
        default_storage.save(REPORT, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    objects["platform_result_a"] = PlatformResult.objects.create(
        enterprise=enterprise,
        year=year - 1,
        score=Decimal("2.35"),
        level=2,
        assessed_on=date(year - 1, 3, 15),
        report=REPORT,
        source=PlatformResult.Source.ENTERPRISE,
        edition=edition,
        entered_by=users["enterprise_a"],
    )
    objects["edition"] = edition


# Pages of an enterprise user about its own enterprise: a superuser has none (404).
OWN_ENTERPRISE = everyone(
    FORBIDDEN, anonymous=LOGIN, enterprise_a=OK, enterprise_b=OK, admin=NOT_FOUND
)
ASSESSMENT_A = ENTERPRISE_A_PAGE
IMPORTERS = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK, admin=OK)
ADMIN_ONLY = everyone(FORBIDDEN, anonymous=LOGIN, admin=OK)

MATRIX = {
    "assessments:mine": ("get", {}, OWN_ENTERPRISE),
    "assessments:start": (
        "post",
        {},
        dict(OWN_ENTERPRISE, enterprise_a=REDIRECT, enterprise_b=REDIRECT),
    ),
    "assessments:detail": ("get", {"pk": "assessment_a"}, ASSESSMENT_A),
    "assessments:section": (
        "get",
        {"pk": "draft_a", "domain": "domain_strategy"},
        ASSESSMENT_A,
    ),
    # Answering is for the enterprise's own users only; an empty post is refused as bad input.
    "assessments:autosave": (
        "post",
        {"pk": "draft_a"},
        everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=400, enterprise_b=NOT_FOUND),
    ),
    "assessments:submit": ("get", {"pk": "draft_a"}, ASSESSMENT_A),
    "assessments:report_pdf": ("get", {"pk": "assessment_a"}, ASSESSMENT_A),
    "assessments:platform_new": ("get", {}, OWN_ENTERPRISE),
    "assessments:platform_report": ("get", {"pk": "platform_result_a"}, ASSESSMENT_A),
    "assessments:platform_import": ("get", {}, IMPORTERS),
    "assessments:platform_template": ("get", {}, IMPORTERS),
    "assessments:overview": ("get", {}, OFFICERS_ONLY),
    "assessments:overview_export": ("get", {}, OFFICERS_ONLY),
    "assessments:models": ("get", {}, ADMIN_ONLY),
    "assessments:model_items": ("get", {"pk": "edition"}, ADMIN_ONLY),
    "assessments:model_activate": (
        "post",
        {"pk": "edition"},
        everyone(FORBIDDEN, anonymous=LOGIN, admin=REDIRECT),
    ),
}
