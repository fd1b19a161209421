"""Rows of both units for the API tests, and tokens acting as the matrix's users."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from factorytiers.api.services import issue_token
from factorytiers.assessments import services as assessment_services
from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
from factorytiers.campaigns.models import Application, Campaign, Task


@dataclass
class Side:
    """One unit's rows: its enterprise, factory, submitted assessment, result, application."""

    enterprise: object
    factory: object
    assessment: object
    platform_result: object
    application: object


def _side(users, key: str, enterprise, factory) -> Side:
    year = timezone.localdate().year - 1
    edition = MaturityModelEdition.objects.active()
    user = users[f"enterprise_{key}"]
    draft, _created = assessment_services.start_assessment(
        actor=user, enterprise=enterprise, year=year
    )
    draft.answers = {item.code: "FULL" for item in edition.model.items}
    draft.save()
    assessment = assessment_services.submit_assessment(
        actor=user, assessment=draft, version=draft.version
    )
    result = PlatformResult.objects.create(
        enterprise=enterprise,
        year=year,
        score=Decimal("2.35"),
        level=2,
        assessed_on=date(year, 3, 15),
        source=PlatformResult.Source.ENTERPRISE,
        edition=edition,
        entered_by=user,
    )
    campaign = Campaign.objects.get(year=2026)
    application = Application.objects.create(
        campaign=campaign,
        task=campaign.tasks.get(kind=Task.Kind.ADVANCED),
        kind="先进级",
        enterprise=enterprise,
        unit=enterprise.unit,
        factory=factory,
        project_name=f"{factory.name}智能工厂",
        state="submitted",
        created_by=user,
    )
    return Side(enterprise, factory, assessment, result, application)


@pytest.fixture
def sides(users, enterprise_a, enterprise_b, factory_a, factory_b) -> dict[str, Side]:
    return {
        "a": _side(users, "a", enterprise_a, factory_a),
        "b": _side(users, "b", enterprise_b, factory_b),
    }


@pytest.fixture
def bearer(users):
    """``bearer("city_a")``: the Authorization header of a new token acting as that user."""

    def make(role: str) -> dict:
        issued = issue_token(actor=users["admin"], user=users[role], name=f"{role} 同步")
        return {"Authorization": f"Bearer {issued.secret}"}

    return make
