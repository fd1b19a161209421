"""Model data for the documents views: counted results, recognitions, ranked applications."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from factorytiers.assessments.models import MaturityModelEdition, PlatformResult
from factorytiers.campaigns.models import (
    Application,
    ApplicationScenario,
    Campaign,
    Material,
    OverseasRecommendation,
    Scenario,
)
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition

DOCX = b"PK\x03\x04 word document"
PDF = b"%PDF-1.4\n%%EOF\n"


def grouped_enterprises(units, count: int, *, name: str, body: str) -> None:
    """``count`` enterprises over two units (two in three in the first), two sectors and two
    sizes, with one or two factories each; then results and recognitions for all (two seeds:
    some factories hold two recognitions)."""
    from tests.conftest import make_enterprise

    for n in range(count):
        enterprise = make_enterprise(
            units[0] if n % 3 else units[1],
            name=f"{name}{n}号机械有限公司",
            body=f"{body}{n:04d}",
            sector="装备制造" if n % 2 else "原材料",
            employees=350 if n % 4 else 20,
        )
        for m in range(1 + n % 2):
            Factory.objects.create(enterprise=enterprise, name=f"{m + 1}厂", location="太原市")
    platform_results(Enterprise.objects.all(), 2026)
    recognitions(Factory.objects.all(), 2026, seed=3)
    recognitions(Factory.objects.all(), 2026, seed=4)


def recognition(factory, tier: str = "基础级", number: str = "", **fields) -> TierRecognition:
    """A 2026 recognition of ``factory`` (unsaved), in force from 1 March for three years."""
    return TierRecognition(
        factory=factory,
        tier=tier,
        year=2026,
        recognized_by="unit" if tier == "基础级" else "province",
        document_number=f"晋工信发〔2026〕{number or random.random()}号",
        recognized_on=date(2026, 3, 1),
        valid_until=date(2029, 2, 28),
        **fields,
    )


def platform_results(enterprises, year: int, *, seed: int = 7) -> list[PlatformResult]:
    """A counted result for about two enterprises in three (bulk)."""
    rng = random.Random(seed)
    edition = MaturityModelEdition.objects.active()
    results = []
    for enterprise in enterprises:
        if rng.random() < 0.34:
            continue
        level = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5])
        score = Decimal(rng.randint(level * 100, level * 100 + 99)) / 100
        results.append(
            PlatformResult(
                enterprise=enterprise,
                year=year,
                score=min(score, Decimal("5.00")),
                level=level,
                assessed_on=date(year, 3, 1 + rng.randrange(27)),
                source=PlatformResult.Source.IMPORT,
                edition=edition,
            )
        )
    return PlatformResult.objects.bulk_create(results, batch_size=500)


def recognitions(factories, year: int, *, seed: int = 11) -> list[TierRecognition]:
    """基础级 / 先进级 recognitions: some this year, some earlier, some revoked or expired."""
    rng = random.Random(seed)
    rows = []
    for factory in factories:
        roll = rng.random()
        if roll > 0.2:
            continue
        tier = "先进级" if roll < 0.05 else "基础级"
        recognized_year = year if rng.random() < 0.5 else year - 2
        expired = rng.random() < 0.1
        rows.append(
            TierRecognition(
                factory=factory,
                tier=tier,
                year=recognized_year,
                recognized_by="unit" if tier == "基础级" else "province",
                document_number=f"测试〔{recognized_year}〕{factory.pk}号",
                recognized_on=date(recognized_year, 3, 1),
                valid_until=date(year - 1, 12, 31) if expired else date(recognized_year + 3, 2, 28),
                revoked=rng.random() < 0.05,
            )
        )
    return TierRecognition.objects.bulk_create(rows, batch_size=500)


def ranked_application(
    enterprise: Enterprise,
    factory: Factory,
    *,
    rank: int,
    user,
    kind: str = "先进级",
    task_kind: str = "advanced",
    project: str = "智能工厂建设项目",
    materials: bool = True,
) -> Application:
    campaign = Campaign.objects.get(year=2026)
    application = Application.objects.create(
        campaign=campaign,
        task=campaign.tasks.get(kind=task_kind),
        kind=kind,
        enterprise=enterprise,
        unit=enterprise.unit,
        factory=factory,
        project_name=project,
        state="recommended",
        city_rank=rank,
        created_by=user,
    )
    scenarios = Scenario.objects.filter(edition=campaign.scenario_edition).order_by("number")[:2]
    for scenario in scenarios:
        ApplicationScenario.objects.create(application=application, scenario=scenario)
    if materials:
        for slot, name, content, suffix in (
            ("form_docx", "申报书.docx", DOCX, "docx"),
            ("form_pdf", "申报书.pdf", PDF, "pdf"),
        ):
            for number in (1, 2):
                material = Material(
                    application=application,
                    slot=slot,
                    number=number,
                    original_name=name,
                    kind=suffix,
                    size=len(content),
                    sha256="0" * 64,
                    uploaded_by=user,
                )
                material.file.save(name, ContentFile(content + f" v{number}".encode()), save=False)
                material.save()
    return application


def material(application, slot: str, name: str, content: bytes, *, user, number: int = 1):
    """One uploaded file of an application's slot."""
    item = Material(
        application=application,
        slot=slot,
        number=number,
        original_name=name,
        kind=name.rsplit(".", 1)[-1],
        size=len(content),
        sha256="0" * 64,
        uploaded_by=user,
    )
    item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


def overseas(enterprise, factory, *, rank: int, user) -> OverseasRecommendation:
    campaign = Campaign.objects.get(year=2026)
    return OverseasRecommendation.objects.create(
        task=campaign.tasks.get(kind="overseas"),
        enterprise=enterprise,
        unit=enterprise.unit,
        factory=factory,
        self_assessed_level="先进级",
        sector="装备制造",
        employees=850,
        revenue_wan=Decimal("125000.50"),
        introduction="主营重型装备，海外工厂建成数字化车间。",
        contact="张伟 13912345678",
        selected=True,
        rank=rank,
        created_by=user,
    )
