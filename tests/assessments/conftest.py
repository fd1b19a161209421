"""Fixtures of the self-assessment tests: the active model, assessments in a given state,
and many enterprises for the comparisons and imports."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from factorytiers.accounts.models import Role
from factorytiers.assessments import services
from factorytiers.assessments.models import Assessment, MaturityModelEdition, PlatformResult
from factorytiers.domain.credit_code import make_credit_code
from factorytiers.domain.enterprise_size import size_class
from factorytiers.enterprises.models import Enterprise
from factorytiers.reference.models import IndustryCode
from tests.conftest import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 4, 1, 10, 30, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """2026-04-01 10:30 in Shanghai, two weeks before the self-assessment deadline."""
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def edition(db) -> MaturityModelEdition:
    return MaturityModelEdition.objects.active()


@pytest.fixture
def model(edition):
    return edition.model


def grades_by_level(model, by_level: dict[int, str]) -> dict[str, str]:
    """Every item answered with the grade given for its level."""
    return {item.code: by_level[item.level] for item in model.items}


# 一级–三级 fully met, 四级 mostly (0.8, met), 五级 not met: S = 3.80 → 四级.
FOUR = {1: "FULL", 2: "FULL", 3: "FULL", 4: "MOSTLY", 5: "NOT_MET"}


def submitted(user, enterprise, *, year=2026, answers=None, left_out=None, kind="DISCRETE"):
    """An assessment answered and submitted through the services."""
    model = MaturityModelEdition.objects.active().model
    assessment, _ = services.start_assessment(
        actor=user, enterprise=enterprise, year=year, manufacturing_type=kind
    )
    assessment.answers = answers if answers is not None else grades_by_level(model, FOUR)
    assessment.left_out = left_out or {}
    assessment.save()
    return services.submit_assessment(actor=user, assessment=assessment, version=assessment.version)


@pytest.fixture
def ent_user(users):
    return users["enterprise_a"]


@pytest.fixture
def ent_client(client, ent_user):
    client.force_login(ent_user)
    return client


@pytest.fixture
def draft(ent_user, enterprise_a, frozen) -> Assessment:
    assessment, _ = services.start_assessment(
        actor=ent_user, enterprise=enterprise_a, year=2026, manufacturing_type="DISCRETE"
    )
    return assessment


def bulk_enterprises(unit, count: int, *, prefix: str, industry_code="3511", sector="装备制造"):
    """``count`` enterprises of ``unit`` in one insert (derived fields computed as save() does)."""
    industry = IndustryCode.objects.get(code=industry_code)
    rows = []
    for n in range(count):
        body = f"{prefix}{n:0{8 - len(prefix)}d}"
        enterprise = Enterprise(
            unit=unit,
            name=f"测试企业{prefix}{n:05d}有限公司",
            credit_code=make_credit_code(division=unit.code, org_body=body),
            nature="民营企业",
            industry=industry,
            sector=sector,
            employees=300,
            revenue_wan=Decimal("30000"),
            contact_name="王强",
            contact_phone="13912345678",
        )
        enterprise.size_class = size_class(300, Decimal("30000")).value
        enterprise.is_above_scale = True
        rows.append(enterprise)
    return Enterprise.objects.bulk_create(rows, batch_size=1000)


def platform_result(enterprise, *, year=2026, score="2.35", level=2, on=date(2026, 3, 15), **kw):
    return PlatformResult.objects.create(
        enterprise=enterprise,
        year=year,
        score=Decimal(score),
        level=level,
        assessed_on=on,
        source=kw.pop("source", PlatformResult.Source.IMPORT),
        edition=MaturityModelEdition.objects.active(),
        **kw,
    )


@pytest.fixture
def second_ent_user(enterprise_a):
    return make_user("ent_a2", Role.ENTERPRISE, enterprise=enterprise_a)
