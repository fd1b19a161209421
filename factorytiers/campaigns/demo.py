"""Demo state of the 2026 campaign on top of the demo enterprises: applications in every state
of the workflow, scores, a 公示 and some recognitions. Deterministic for a seed; every write
goes through the services, so transitions, audit entries and notifications are real."""

import random
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from simple_history.utils import bulk_create_with_history

from factorytiers.accounts.models import Role, User
from factorytiers.domain.tiers import Tier
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition

from .models import Campaign, Scenario, Submission, Task
from .services import applications, evaluation, submissions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _user(username, role, *, reuse: bool = False, **fields):
    """The demo user of this role (and unit or enterprise) if there is one (or, with ``reuse``,
    any user of the role), else a new one with the demo password, so the printed demo log-ins
    see the demo campaign."""
    scope = {k: v for k, v in fields.items() if k in ("unit_id", "enterprise")}
    existing = User.objects.filter(role=role, **scope).order_by("pk").first()
    if existing is not None and (scope or reuse):
        return existing
    user, created = User.objects.get_or_create(username=username, defaults={"role": role, **fields})
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    return user


def _basic_recognitions(rng: random.Random) -> int:
    """基础级 recognized by the cities in 2025 and 2026 for some domestic factories of 规上
    enterprises (the city's own records, entered in bulk as an operator would import them)."""
    rows = []
    factories = Factory.objects.filter(
        is_overseas=False, enterprise__is_above_scale=True
    ).select_related("enterprise__unit")
    for factory in factories.order_by("pk"):
        if rng.random() >= 0.15:
            continue
        year = rng.choice([2025, 2026])
        unit = factory.enterprise.unit
        rows.append(
            TierRecognition(
                factory=factory,
                tier=Tier.BASIC,
                year=year,
                recognized_by=TierRecognition.Level.UNIT,
                recognizing_unit=unit,
                document_number=f"{unit.short_name or unit.name}工信发〔{year}〕{rng.randint(10, 99)}号",
                recognized_on=date(year, rng.randint(3, 6), rng.randint(1, 28)),
            )
        )
    bulk_create_with_history(rows, TierRecognition, batch_size=1000)
    return len(rows)


def generate(seed: int = 2026, per_unit: int = 3) -> dict[str, int]:
    rng = random.Random(seed)
    basic = _basic_recognitions(rng)
    campaign = Campaign.objects.get(year=2026)
    task = campaign.tasks.get(kind=Task.Kind.ADVANCED)
    province = _user(
        "demo_province", Role.PROVINCE, reuse=True, unit=campaign.province, full_name="省级演示"
    )
    experts = [
        User.objects.filter(username="expert").first()
        or _user("expert", Role.EXPERT, full_name="评审专家甲"),
        _user("expert2", Role.EXPERT, full_name="评审专家乙"),
    ]
    scenarios = list(Scenario.objects.filter(edition=campaign.scenario_edition))
    counts = {"applications": 0, "recognized": 0, "basic": basic}
    docx = _docx()
    reviewed = []
    for unit_id in (
        Enterprise.objects.values_list("unit_id", flat=True).distinct().order_by("unit_id")
    ):
        enterprises = list(
            Enterprise.objects.filter(unit_id=unit_id, is_above_scale=True).order_by("pk")[
                :per_unit
            ]
        )
        if not enterprises:
            continue
        city = _user(f"demo_city_{unit_id}", Role.CITY, unit_id=unit_id, full_name="市级演示")
        ranked = []
        for index, enterprise in enumerate(enterprises):
            factory = Factory.objects.filter(enterprise=enterprise, is_overseas=False).first()
            if factory is None:
                factory = Factory.objects.create(
                    enterprise=enterprise,
                    name=f"{enterprise.name[:20]}一厂",
                    location=enterprise.address or "山西",
                )
            user = _user(f"demo_ent_{enterprise.pk}", Role.ENTERPRISE, enterprise=enterprise)
            chosen = rng.sample(scenarios, 5)
            application = applications.create_application(
                actor=user,
                task=task,
                data={
                    "factory": factory,
                    "project_name": f"{factory.name[:20]}智能工厂建设项目",
                    "maturity_level": rng.choice([2, 3, 3, 4]),
                },
                scenarios=chosen,
                ai_scenarios=chosen[:1],
            )
            counts["applications"] += 1
            if index == len(enterprises) - 1 and index > 0:
                continue  # left as a draft
            for slot, name, content in (
                ("form_docx", "申报书.docx", docx),
                ("form_pdf", "申报书.pdf", PDF),
            ):
                applications.upload_material(
                    actor=user,
                    application=application,
                    slot=slot,
                    upload=SimpleUploadedFile(name, content),
                )
            application = _step(user, application, "submit")
            if index == 1:
                _step(city, application, "return", "请补充近三年财务报表。")
                continue
            ranked.append(_step(city, application, "recommend"))
        if ranked and rng.random() < 0.7:
            unit = ranked[0].unit
            submissions.rank_applications(
                actor=city,
                task=task,
                unit=unit,
                ranks={a.pk: i for i, a in enumerate(ranked, 1)},
                version=_submission_version(task, unit),
            )
            submissions.submit_recommendation(
                actor=city, task=task, unit=unit, version=_submission_version(task, unit)
            )
            reviewed += ranked
    for application in reviewed:
        for expert in experts:
            assignment = evaluation.assign_expert(
                actor=province, application=application, expert=expert
            )
            evaluation.submit_score(
                actor=expert,
                assignment=assignment,
                points={
                    row["key"]: str(
                        rng.randint(int(int(row["max_points"]) * 0.5), int(row["max_points"]))
                    )
                    for row in campaign.settings["score_sheet"]
                },
                comment="建设基础较好，建议关注数据治理。",
            )
    if reviewed:
        evaluation.fix_list(
            actor=province,
            task=task,
            selected_ids={a.pk for a in reviewed[: max(1, len(reviewed) * 2 // 3)]},
            shown_ids={a.pk for a in reviewed},
        )
        evaluation.open_publicity(actor=province, task=task, starts_on=date(2026, 6, 11))
        counts["recognized"] = len(
            evaluation.record_recognition(
                actor=province,
                task=task,
                document_number="晋工信装备字〔2026〕88号",
                recognized_on=date(2026, 6, 22),
            )
        )
    return counts


def _step(actor, application, name, comment=""):
    """One step on the application as its page would take it (at the version it shows)."""
    application.refresh_from_db(fields=["version"])
    return applications.take_step(
        actor=actor,
        application=application,
        step_name=name,
        comment=comment,
        version=application.version,
    )


def _submission_version(task, unit) -> int:
    stored = Submission.objects.filter(task=task, unit=unit).first()
    return stored.version if stored else 1
