"""Demo state of the campaigns on top of the demo enterprises.

The 2026 campaign is a finished year: every step is taken through the services on the day a
real year would take it (before each deadline), so transitions, audit entries, notifications and
the unit reports carry those dates; its recognitions meet the conditions. The 2027 campaign is
created the way a province would (from 2026, dates moved on a year) and is in progress: drafts,
submissions waiting for the city, nothing falsely late. Deterministic for a seed; fictitious.
"""

import io
import random
import zipfile
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factorytiers.accounts.demo import on
from factorytiers.accounts.models import Role, User
from factorytiers.domain.tiers import Tier
from factorytiers.enterprises import demo as enterprise_demo
from factorytiers.enterprises.models import Enterprise, Factory, TierRecognition

from .models import Campaign, Scenario, Submission, Task
from .selectors import counted_maturity, new_campaign_defaults
from .services import applications, campaigns, evaluation, submissions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The construction 环节 a 先进级 application covers (the seeded conditions ask for these).
ADVANCED_LINKS = ("生产作业", "生产管理", "运营管理")


def _docx() -> bytes:
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
    """基础级 recognized by the cities in 2025 and early 2026 for some domestic factories of 规上
    enterprises (the city's own records, entered in bulk as an operator would import them)."""
    rows = []
    factories = Factory.objects.filter(
        is_overseas=False, enterprise__is_above_scale=True
    ).select_related("enterprise__unit")
    for factory in factories.order_by("pk"):
        fields = enterprise_demo.basic_recognition(rng, factory.enterprise.unit)
        if fields is not None:
            rows.append(TierRecognition(factory=factory, **fields))
    bulk_create_with_history(rows, TierRecognition, batch_size=1000)
    return len(rows)


def _step(actor, application, name, comment="", **extra):
    """One step on the application as its page would take it (at the version it shows)."""
    application.refresh_from_db()
    return applications.take_step(
        actor=actor,
        application=application,
        step_name=name,
        comment=comment,
        version=application.version,
        **extra,
    )


def _report_version(task, unit) -> int:
    stored = Submission.objects.filter(task=task, unit=unit).first()
    return stored.version if stored else 1


class Year:
    """The actors and reference data one demo year works with."""

    def __init__(self, campaign: Campaign, rng: random.Random):
        self.campaign, self.rng = campaign, rng
        self.province = _user(
            "demo_province", Role.PROVINCE, reuse=True, unit=campaign.province, full_name="省级演示"
        )
        self.experts = [
            User.objects.filter(username="expert").first()
            or _user("expert", Role.EXPERT, full_name="评审专家甲"),
            _user("expert2", Role.EXPERT, full_name="评审专家乙"),
        ]
        scenarios = list(Scenario.objects.filter(edition=campaign.scenario_edition))
        self.by_link = {
            link: [s for s in scenarios if s.construction_link == link] for link in ADVANCED_LINKS
        }
        self.scenarios = scenarios
        self.docx = _docx()

    def city(self, unit_id):
        return _user(f"demo_city_{unit_id}", Role.CITY, unit_id=unit_id, full_name="市级演示")

    def enterprise_user(self, enterprise):
        return _user(f"demo_ent_{enterprise.pk}", Role.ENTERPRISE, enterprise=enterprise)

    def factory(self, enterprise):
        factory = Factory.objects.filter(enterprise=enterprise, is_overseas=False).first()
        if factory is None:
            factory = Factory.objects.create(
                enterprise=enterprise,
                name=f"{enterprise.name[:20]}一厂",
                location=enterprise.address or "山西",
            )
        return factory

    def covering_scenarios(self, extra: int = 2):
        """Scenarios covering the 先进级 construction 环节, and a few more."""
        chosen = [self.rng.choice(self.by_link[link]) for link in ADVANCED_LINKS]
        rest = [s for s in self.scenarios if s not in chosen]
        return chosen + self.rng.sample(rest, extra)

    def application(self, user, task, enterprise, *, level: int, scenarios, ai: int = 1):
        factory = self.factory(enterprise)
        application = applications.create_application(
            actor=user,
            task=task,
            data={
                "factory": factory,
                "project_name": f"{factory.name[:20]}智能工厂建设项目",
                "maturity_level": level,
            },
            scenarios=scenarios,
            ai_scenarios=scenarios[:ai],
        )
        for slot, name, content in (
            ("form_docx", "申报书.docx", self.docx),
            ("form_pdf", "申报书.pdf", PDF),
        ):
            applications.upload_material(
                actor=user,
                application=application,
                slot=slot,
                upload=SimpleUploadedFile(name, content),
            )
        return application

    def report_unit(self, city, task, unit):
        """The city uploads its stamped 推荐文件, records the paper copies and reports."""
        if task.takes_recommendation_file:
            submissions.save_unit_files(
                actor=city,
                task=task,
                unit=unit,
                upload=SimpleUploadedFile("推荐文件.pdf", PDF),
                paper_copies=7,
                paper_sent_on=timezone.localdate(),
                version=_report_version(task, unit),
            )
        submissions.submit_recommendation(
            actor=city,
            task=task,
            unit=unit,
            version=_report_version(task, unit),
            no_overseas=task.kind == Task.Kind.OVERSEAS
            and not task.overseas.filter(unit=unit).exists(),
        )


def report_unit_task(task, unit_id, *, before=None):
    """The unit's city officer reports ``task`` (after ``before(city)``, e.g. writing the
    report); returns the officer."""
    year = Year(task.campaign, random.Random(unit_id))
    city = year.city(unit_id)
    if before is not None:
        before(city)
    year.report_unit(city, task, city.unit)
    return city


def _candidates(year: Year, unit_id: int, count: int, *, min_level: int = 2):
    """规上 enterprises of the unit whose counted result of the year (if any) meets the level."""
    chosen = []
    for enterprise in Enterprise.objects.filter(unit_id=unit_id, is_above_scale=True).order_by(
        "pk"
    ):
        counted = counted_maturity(year.province, enterprise.pk, year.campaign.year)
        if counted is None or (counted.level or 0) >= min_level:
            chosen.append(enterprise)
        if len(chosen) == count:
            break
    return chosen


def _finished_2026(year: Year, per_unit: int, counts: dict) -> None:
    campaign, rng = year.campaign, year.rng
    task = campaign.tasks.get(kind=Task.Kind.ADVANCED)
    reviewed = []
    units = list(
        Enterprise.objects.values_list("unit_id", flat=True).distinct().order_by("unit_id")
    )
    for unit_id in units:
        enterprises = _candidates(year, unit_id, per_unit)
        if not enterprises:
            continue
        city = year.city(unit_id)
        drafted = []
        with on(date(2026, 4, 10)):
            for enterprise in enterprises:
                user = year.enterprise_user(enterprise)
                application = year.application(
                    user,
                    task,
                    enterprise,
                    level=rng.choice([2, 3, 3, 4]),
                    scenarios=year.covering_scenarios(),
                )
                counts["applications"] += 1
                drafted.append(_step(user, application, "submit", "申报材料已按模板填写。"))
        ranked = []
        with on(date(2026, 4, 20)):
            for index, application in enumerate(drafted):
                if index == 1:
                    _step(city, application, "return", "请补充近三年财务报表。")
                    continue
                ranked.append(_step(city, application, "recommend"))
            unit = ranked[0].unit
            submissions.rank_applications(
                actor=city,
                task=task,
                unit=unit,
                ranks={a.pk: i for i, a in enumerate(ranked, 1)},
                version=_report_version(task, unit),
            )
        with on(date(2026, 5, 5)):
            year.report_unit(city, task, unit)
        reviewed += ranked
    with on(date(2026, 5, 12)):
        for application in reviewed:
            for expert in year.experts:
                assignment = evaluation.assign_expert(
                    actor=year.province, application=application, expert=expert
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
    if not reviewed:
        return
    with on(date(2026, 6, 2)):
        evaluation.fix_list(
            actor=year.province,
            task=task,
            selected_ids={a.pk for a in reviewed[: max(1, len(reviewed) * 2 // 3)]},
            shown_ids={a.pk for a in reviewed},
        )
    with on(date(2026, 6, 3)):
        batch = evaluation.open_publicity(
            actor=year.province, task=task, starts_on=date(2026, 6, 3)
        )
    with on(date(2026, 6, 15)):
        counts["recognized"] += len(
            evaluation.record_recognition(
                actor=year.province,
                publicity=batch,
                document_number="晋工信装备字〔2026〕88号",
                recognized_on=date(2026, 6, 15),
            )
        )


def _excellent_2026(year: Year, counts: dict) -> None:
    """One 卓越级 application, recommended to the ministry and passed."""
    task = year.campaign.tasks.get(kind=Task.Kind.EXCELLENT)
    recognized = (
        TierRecognition.objects.filter(tier=Tier.ADVANCED, year=2026)
        .select_related("factory__enterprise")
        .order_by("pk")
    )
    for recognition in recognized:
        enterprise = recognition.factory.enterprise
        counted = counted_maturity(year.province, enterprise.pk, 2026)
        if counted is None or (counted.level or 0) >= 3:
            break
    else:
        return
    city = year.city(enterprise.unit_id)
    scenarios = [
        year.rng.choice([s for s in year.scenarios if s.construction_link == link])
        for link in ("工厂建设", "研发设计", *ADVANCED_LINKS)
    ]
    with on(date(2026, 5, 25)):
        user = year.enterprise_user(enterprise)
        application = year.application(user, task, enterprise, level=3, scenarios=scenarios, ai=2)
        counts["applications"] += 1
        _step(user, application, "submit")
        _step(city, application, "recommend")
        submissions.rank_applications(
            actor=city,
            task=task,
            unit=enterprise.unit,
            ranks={application.pk: 1},
            version=_report_version(task, enterprise.unit),
        )
        year.report_unit(city, task, enterprise.unit)
    with on(date(2026, 6, 20)):
        _step(year.province, application, "recommend_to_ministry", "初审通过，推荐至部级。")
    with on(date(2026, 11, 20)):
        application.refresh_from_db()
        evaluation.record_ministry_result(
            actor=year.province,
            application=application,
            passed=True,
            document_number="工信厅通装函〔2026〕318号",
            decided_on=date(2026, 11, 20),
            version=application.version,
        )
    counts["recognized"] += 1


def _overseas_2026(year: Year) -> None:
    """Before 3月10日 every unit hands in its 附件5: the overseas factories of its enterprises,
    or, in so many words, none."""
    task = year.campaign.tasks.get(kind=Task.Kind.OVERSEAS)
    for unit_id in (
        Enterprise.objects.values_list("unit_id", flat=True).distinct().order_by("unit_id")
    ):
        city = year.city(unit_id)
        with on(date(2026, 3, 5)):
            factories = list(
                Factory.objects.filter(is_overseas=True, enterprise__unit_id=unit_id)
                .select_related("enterprise")
                .order_by("pk")[:2]
            )
            for factory in factories:
                enterprise = factory.enterprise
                submissions.propose_overseas(
                    actor=city,
                    task=task,
                    enterprise=enterprise,
                    data={
                        "factory": factory,
                        "self_assessed_level": Tier.ADVANCED,
                        "sector": enterprise.sector,
                        "employees": enterprise.employees,
                        "revenue_wan": enterprise.revenue_wan,
                        "introduction": f"{factory.name}位于{factory.country}，"
                        "已建成数字化车间，计划推进先进级智能工厂培育。",
                        "contact": f"{enterprise.contact_name} {enterprise.contact_phone}",
                    },
                )
            entries = list(task.overseas.filter(unit_id=unit_id).order_by("pk"))
            if entries:
                submissions.select_overseas(
                    actor=city,
                    task=task,
                    unit=city.unit,
                    ranks={entry.pk: n for n, entry in enumerate(entries, 1)},
                    version=_report_version(task, city.unit),
                )
            year.report_unit(city, task, city.unit)


def _in_progress_2027(year_2026: Year, rng: random.Random, counts: dict) -> Campaign:
    """The province creates 2027 from 2026; some enterprises draft and submit, waiting for
    their city (the real day: nothing of it is late)."""
    province = year_2026.province
    initial, tasks = new_campaign_defaults(year_2026.campaign.province)
    campaign = campaigns.create_campaign(
        actor=province,
        province=year_2026.campaign.province,
        data=initial,
        tasks=[{**row, "id": None, "delete": False} for row in tasks],
    )
    year = Year(campaign, rng)
    task = campaign.tasks.get(kind=Task.Kind.ADVANCED)
    for unit_id in (
        Enterprise.objects.values_list("unit_id", flat=True).distinct().order_by("unit_id")[:4]
    ):
        for index, enterprise in enumerate(_candidates(year, unit_id, 2)):
            held = TierRecognition.objects.in_force(date.today()).filter(
                factory__enterprise=enterprise, tier__in=[Tier.ADVANCED, Tier.EXCELLENT]
            )
            if held.exists():
                continue
            user = year.enterprise_user(enterprise)
            application = year.application(
                user, task, enterprise, level=3, scenarios=year.covering_scenarios()
            )
            counts["applications_2027"] += 1
            if index == 0:
                _step(user, application, "submit")
    return campaign


def generate(seed: int = 2026, per_unit: int = 3) -> dict[str, int]:
    rng = random.Random(seed)
    counts = {"applications": 0, "recognized": 0, "applications_2027": 0}
    counts["basic"] = _basic_recognitions(rng)
    year = Year(Campaign.objects.get(year=2026), rng)
    _finished_2026(year, per_unit, counts)
    _excellent_2026(year, counts)
    _overseas_2026(year)
    _in_progress_2027(year, rng, counts)
    return counts
