"""Writes of the campaign workflow. Each function checks permission, writes inside one
transaction (optimistic locking through ``version``), records the audit entry and notifies."""

import copy
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.models import Role, User
from factorytiers.accounts.predicates import require
from factorytiers.domain.campaign_settings import settings_problems, task_problems
from factorytiers.domain.deadlines import add_working_days, is_late
from factorytiers.domain.ranking import rank_problems
from factorytiers.domain.scoring import check_scores, items_from_data, total
from factorytiers.domain.tier_conditions import ScenarioFact, check_conditions
from factorytiers.domain.uploads import check_upload
from factorytiers.enterprises.models import Factory, TierRecognition
from factorytiers.enterprises.services import EditConflict

from . import notify, workflow
from .models import (
    MATURITY_SOURCES,
    Application,
    ApplicationScenario,
    Campaign,
    ExpertAssignment,
    FactoryScenario,
    Material,
    Notification,
    Objection,
    OverseasRecommendation,
    Publicity,
    ScenarioEdition,
    Score,
    Submission,
    Task,
)

__all__ = ["EditConflict", "InvalidInput", "ServiceError"]


class ServiceError(ValueError):
    """Refused input or state; the message (Chinese) says what is wrong. Nothing was written."""


class InvalidInput(ServiceError):
    """Refused input with one or more (field, problem) pairs; nothing was written."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("；".join(f"{field}：{problem}" for field, problem in problems) + "。")


def _require_unlocked(submission) -> None:
    if submission.is_locked:
        raise ServiceError(_("本单位该任务已报送省级，已锁定；如需修改请联系省级退回。"))


def _locked(model, pk, version):
    current = model.objects.select_for_update().get(pk=pk)
    if version is not None and current.version != version:
        raise EditConflict(current)
    return current


# ---------------------------------------------------------------- campaign and its settings
CAMPAIGN_FIELDS = [
    "year",
    "title",
    "document_number",
    "issued_on",
    "issuer",
    "contact_name",
    "contact_department",
    "contact_phone",
    "free_statement",
    "notes",
]
TASK_FIELDS = ["kind", "title", "deadline", "deadline_note", "deliverable"]


def _check_tasks(rows: list[dict], issued_on) -> list[dict]:
    kept = [row for row in rows if not row["delete"]]
    problems = task_problems(
        [(row["kind"], row["deadline"], row["deadline_note"]) for row in kept], issued_on
    )
    if problems:
        raise InvalidInput(problems)
    return kept


def _task_in_use(task: Task) -> bool:
    return (
        task.applications.exists()
        or task.submissions.exists()
        or task.overseas.exists()
        or Publicity.objects.filter(task=task).exists()
    )


def _save_tasks(campaign: Campaign, rows: list[dict]) -> dict:
    """Create, change and delete the campaign's tasks as the rows say (in page order)."""
    existing = {t.pk: t for t in Task.objects.select_for_update().filter(campaign=campaign)}
    problems = []
    changes = {"created": [], "updated": [], "deleted": []}
    for number, row in enumerate(rows, start=1):
        task = existing.get(row["id"]) if row["id"] else None
        if row["id"] and task is None:
            raise EditConflict(campaign)  # a task the page showed is gone
        if task is None or not row["delete"]:
            continue
        if _task_in_use(task):
            problems.append(
                (
                    _("工作任务第%(n)s行 · %(title)s") % {"n": number, "title": task.title},
                    _("已有申报、报送或公示，不能删除"),
                )
            )
        elif not problems:
            changes["deleted"].append(task.kind)
    for number, row in enumerate(rows, start=1):
        task = existing.get(row["id"]) if row["id"] else None
        if task is not None and not row["delete"] and task.kind != row["kind"]:
            if _task_in_use(task):
                problems.append(
                    (
                        _("工作任务第%(n)s行 · 类型") % {"n": number},
                        _("已有申报或报送，不能改变类型"),
                    )
                )
    if problems:
        raise InvalidInput(problems)
    # Deletions first, and kinds parked, so that rows may swap kinds without a clash.
    for row in rows:
        if row["id"] and row["delete"]:
            existing[row["id"]].delete()
    kept = [row for row in rows if not row["delete"]]
    for row in kept:
        if row["id"]:
            Task.objects.filter(pk=row["id"]).update(kind=f"~{row['id']}")
    for order, row in enumerate(kept, start=1):
        values = {field: row[field] for field in TASK_FIELDS}
        if row["id"]:
            task = existing[row["id"]]
            before = {field: getattr(task, field) for field in TASK_FIELDS}
            for field, value in values.items():
                setattr(task, field, value)
            task.order = order
            task.save()
            if before != values:
                changes["updated"].append(row["kind"])
        else:
            Task.objects.create(campaign=campaign, order=order, **values)
            changes["created"].append(row["kind"])
    return changes


def create_campaign(*, actor, province, data: dict, tasks: list[dict]) -> Campaign:
    """A year's campaign with its tasks; the settings start from the latest earlier campaign
    of the province (or the seeded defaults)."""
    require(actor, "campaigns.manage_campaign")
    kept = _check_tasks(tasks, data.get("issued_on"))
    previous = Campaign.objects.filter(province=province).order_by("-year").first()
    edition = ScenarioEdition.objects.order_by("-code").first()
    if edition is None:
        raise ServiceError(_("尚未载入典型场景指引，请联系系统管理员。"))
    with transaction.atomic():
        if Campaign.objects.filter(province=province, year=data["year"]).exists():
            raise InvalidInput([(_("年度"), _("%(year)s年度工作已存在") % data)])
        campaign = Campaign.objects.create(
            province=province,
            scenario_edition=edition,
            platforms=copy.deepcopy(previous.platforms) if previous else [],
            settings=copy.deepcopy(previous.settings) if previous else _default_settings(),
            **{field: data[field] for field in CAMPAIGN_FIELDS if field in data},
        )
        _save_tasks(campaign, [dict(row, id=None) for row in kept])
        audit.record(
            actor=actor,
            action="campaign.create",
            target=campaign,
            unit=province,
            changes={"year": campaign.year, "tasks": [row["kind"] for row in kept]},
        )
    return campaign


def _default_settings() -> dict:
    from .loaders import default_settings

    return default_settings()


def update_campaign(*, actor, campaign, data: dict, tasks: list[dict], version) -> Campaign:
    require(actor, "campaigns.manage_campaign")
    _check_tasks(tasks, data.get("issued_on"))
    with transaction.atomic():
        current = _locked(Campaign, campaign.pk, version)
        if (
            data.get("year", current.year) != current.year
            and Campaign.objects.filter(province=current.province, year=data["year"]).exists()
        ):
            raise InvalidInput([(_("年度"), _("%(year)s年度工作已存在") % data)])
        changes = {
            field: [str(getattr(current, field)), str(data[field])]
            for field in CAMPAIGN_FIELDS
            if field in data and getattr(current, field) != data[field]
        }
        for field in CAMPAIGN_FIELDS:
            if field in data:
                setattr(current, field, data[field])
        task_changes = _save_tasks(current, tasks)
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="campaign.update",
            target=current,
            unit=current.province,
            changes={**changes, "tasks": task_changes},
        )
    return current


def update_campaign_settings(*, actor, campaign, settings: dict, version) -> Campaign:
    """New settings for the campaign. Applications already submitted keep the snapshot they
    were checked against; those submitted from now on are checked against these."""
    require(actor, "campaigns.manage_campaign")
    problems = settings_problems(settings)
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        current = _locked(Campaign, campaign.pk, version)
        changed = sorted(
            key
            for key in set(current.settings) | set(settings)
            if current.settings.get(key) != settings.get(key)
        )
        before = {key: current.settings.get(key) for key in changed}
        current.settings = settings
        current.version += 1
        current.save(update_fields=["settings", "version"])
        audit.record(
            actor=actor,
            action="campaign.settings",
            target=current,
            unit=current.province,
            changes={key: [before[key], settings.get(key)] for key in changed},
        )
    return current


# ---------------------------------------------------------------- maturity level
@dataclass(frozen=True)
class Maturity:
    """An application's maturity level and where it comes from."""

    source: str  # "assessment" / "platform" (the counted result), "declared", or ""
    level: int | None
    score: Decimal | None = None
    assessed_on: date | None = None
    record_id: int | None = None

    @property
    def counted(self) -> bool:
        return self.source in ("assessment", "platform")

    @property
    def source_label(self) -> str:
        return str(dict(MATURITY_SOURCES).get(self.source, ""))


def counted_maturity(user, enterprise_id: int, year: int) -> Maturity | None:
    """The enterprise's counted assessment of ``year`` (the assessments app's selector), in
    the user's scope; None when there is none."""
    from factorytiers.assessments.selectors import counted_assessments

    row = (
        counted_assessments(user, year)
        .filter(pk=enterprise_id)
        .values(
            "counted_source",
            "counted_level",
            "counted_score",
            "counted_on",
            "counted_assessment_id",
            "counted_platform_result_id",
        )
        .first()
    )
    if row is None or not row["counted_source"]:
        return None
    return Maturity(
        source=row["counted_source"],
        level=row["counted_level"],
        score=row["counted_score"],
        assessed_on=row["counted_on"],
        record_id=row["counted_assessment_id"] or row["counted_platform_result_id"],
    )


def current_maturity(user, application) -> Maturity:
    """What the application's level is now: the counted assessment of the campaign year, or
    the level the enterprise declared when there is none."""
    counted = counted_maturity(user, application.enterprise_id, application.campaign.year)
    if counted is not None:
        return counted
    if application.maturity_level is None:
        return Maturity("", None)
    return Maturity("declared", application.maturity_level, application.maturity_score)


def stored_maturity(application) -> Maturity:
    return Maturity(
        application.maturity_source,
        application.maturity_level,
        application.maturity_score,
        application.maturity_assessed_on,
        application.maturity_record_id,
    )


def _apply_maturity(application, maturity: Maturity) -> None:
    application.maturity_source = maturity.source
    application.maturity_level = maturity.level
    application.maturity_score = maturity.score
    application.maturity_assessed_on = maturity.assessed_on
    application.maturity_record_id = maturity.record_id


# ---------------------------------------------------------------- applications
def create_application(*, actor, task: Task, data: dict, scenarios: list, ai_scenarios: list):
    require(actor, "campaigns.create_application")
    kind = task.application_kind
    if kind is None:
        raise ServiceError(_("该任务不接受申报。"))
    enterprise = actor.enterprise
    factory = data.get("factory")
    if factory is not None and factory.enterprise_id != enterprise.pk:
        raise ServiceError(_("工厂：只能选择本企业的工厂。"))
    if kind == workflow.ACCEPTANCE and not enterprise.is_pilot_winner:
        raise ServiceError(_("只有智能制造示范工厂揭榜单位可以申请验收。"))
    with transaction.atomic():
        application = Application.objects.create(
            campaign=task.campaign,
            task=task,
            kind=kind,
            enterprise=enterprise,
            unit=enterprise.unit,
            created_by=actor,
            **data,
        )
        _apply_maturity(application, current_maturity(actor, application))
        application.save()
        _set_scenarios(application, scenarios, ai_scenarios)
        audit.record(actor=actor, action="application.create", target=application)
    return application


def _set_scenarios(application, scenarios, ai_scenarios):
    ai_ids = {s.pk for s in ai_scenarios}
    application.scenarios.all().delete()
    ApplicationScenario.objects.bulk_create(
        [
            ApplicationScenario(application=application, scenario=s, uses_ai=s.pk in ai_ids)
            for s in scenarios
        ]
    )


def update_application(
    *, actor, application, data: dict, scenarios: list, ai_scenarios: list, version
):
    require(actor, "campaigns.edit_application", application)
    with transaction.atomic():
        current = _locked(Application, application.pk, version)
        require(actor, "campaigns.edit_application", current)
        factory = data.get("factory")
        if factory is not None and factory.enterprise_id != current.enterprise_id:
            raise ServiceError(_("工厂：只能选择本企业的工厂。"))
        for field, value in data.items():
            setattr(current, field, value)
        _apply_maturity(current, current_maturity(actor, current))
        current.version += 1
        current.save()
        _set_scenarios(current, scenarios, ai_scenarios)
        audit.record(
            actor=actor, action="application.update", target=current, changes={"fields": list(data)}
        )
    return current


def material_slots(application) -> list[dict]:
    return application.campaign.settings.get("material_slots", {}).get(application.kind, [])


def upload_material(*, actor, application, slot: str, upload) -> Material:
    require(actor, "campaigns.edit_application", application)
    slots = {s["key"]: s for s in material_slots(application)}
    if slot not in slots:
        raise ServiceError(_("材料项：不存在“%(slot)s”。") % {"slot": slot})
    max_bytes = int(application.campaign.settings.get("max_upload_mb", 50)) * 1024 * 1024
    check = check_upload(
        upload.file if hasattr(upload, "file") else upload,
        size=upload.size,
        allowed_kinds=slots[slot]["kinds"],
        max_bytes=max_bytes,
    )
    if not check.ok:
        raise ServiceError(
            _("%(slot)s：%(problem)s。") % {"slot": slots[slot]["label"], "problem": check.message}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    upload.name = f"upload{check.extension}"  # the stored name is generated; only the suffix stays
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        require(actor, "campaigns.edit_application", locked)
        last = locked.materials.filter(slot=slot).order_by("-number").first()
        material = Material.objects.create(
            application=locked,
            slot=slot,
            number=(last.number + 1) if last else 1,
            file=upload,
            original_name=getattr(upload, "original_name", upload.name)[:200],
            kind=check.kind,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action="material.upload",
            target=locked,
            changes={"slot": slot, "version": material.number, "sha256": material.sha256},
        )
    return material


def check_application(application, maturity: Maturity | None = None) -> list[dict]:
    """The tier conditions against the campaign's current settings (met / not met / judge),
    with the application's stored maturity level unless another is given."""
    if application.tier is None:
        return []
    maturity = maturity or stored_maturity(application)
    facts = [
        ScenarioFact(s.scenario.construction_link, s.uses_ai)
        for s in application.scenarios.select_related("scenario")
    ]
    facts += [
        ScenarioFact(None, False)
        for line in application.other_scenarios.splitlines()
        if line.strip()
    ]
    results = check_conditions(
        tier=application.tier,
        scenarios=facts,
        maturity_level=maturity.level,
        above_scale=application.enterprise.is_above_scale,
        settings=application.campaign.settings,
        maturity_source=maturity.source_label or None,
    )
    return [r.as_dict() for r in results]


def missing_materials(application) -> list[str]:
    present = set(application.materials.values_list("slot", flat=True))
    return [
        s["label"] for s in material_slots(application) if s["required"] and s["key"] not in present
    ]


def submit_application(*, actor, application, version) -> Application:
    require(actor, "campaigns.submit_application", application)
    with transaction.atomic():
        current = _locked(Application, application.pk, version)
        missing = missing_materials(current)
        if missing:
            raise ServiceError(_("尚未上传必需材料：%(list)s。") % {"list": "、".join(missing)})
        if current.factory_id is None and not current.is_acceptance:
            raise ServiceError(_("工厂：请选择申报的工厂。"))
        # The level is fixed at submission: the counted assessment of the campaign year as it
        # stands now, or the declared level when there is none.
        _apply_maturity(current, current_maturity(actor, current))
        current.settings_snapshot = current.campaign.settings
        current.condition_results = check_application(current)
        current.submitted_at = timezone.now()
        current.save(
            update_fields=[
                "maturity_source",
                "maturity_level",
                "maturity_score",
                "maturity_assessed_on",
                "maturity_record_id",
                "settings_snapshot",
                "condition_results",
                "submitted_at",
            ]
        )
        workflow.transition(current, to="submitted", actor=actor)
        audit.record(actor=actor, action="application.submit", target=current)
    notify.application_changed(current)
    return current


def _move(action, *, actor, application, to, comment="", version=None):
    with transaction.atomic():
        current = _locked(Application, application.pk, version)
        workflow.transition(current, to=to, actor=actor, comment=comment)
        if to in ("submitted", "returned", "rejected"):
            current.city_rank = None
            current.save(update_fields=["city_rank"])
        audit.record(
            actor=actor,
            action=f"application.{action}",
            target=current,
            changes={"comment": comment},
        )
    notify.application_changed(current, comment)
    return current


def _require_open_submission(actor, application):
    submission = Submission.objects.filter(task=application.task, unit=application.unit).first()
    if submission is not None and submission.is_locked:
        raise ServiceError(_("本单位该任务已报送省级，已锁定；如需修改请联系省级退回。"))


def return_application(*, actor, application, comment, version=None):
    require(actor, "campaigns.review_application", application)
    _require_open_submission(actor, application)
    return _move(
        "return",
        actor=actor,
        application=application,
        to="returned",
        comment=comment,
        version=version,
    )


def reject_application(*, actor, application, comment, version=None):
    require(actor, "campaigns.review_application", application)
    return _move(
        "reject",
        actor=actor,
        application=application,
        to="rejected",
        comment=comment,
        version=version,
    )


def recommend_application(*, actor, application, comment="", version=None):
    require(actor, "campaigns.review_application", application)
    submission = submission_for(application.task, application.unit)
    with transaction.atomic():
        # Locking the unit's submission row serialises recommendations, so two officers (or a
        # double click) cannot both take the last place of the quota.
        Submission.objects.select_for_update().get(pk=submission.pk)
        _require_open_submission(actor, application)
        quota = application.campaign.settings.get("city_quota")
        if quota:
            count = Application.objects.filter(
                task=application.task, unit=application.unit, state="recommended"
            ).count()
            if count >= quota:
                raise ServiceError(_("本单位推荐名额为%(n)s个，已用完。") % {"n": quota})
        return _move(
            "recommend",
            actor=actor,
            application=application,
            to="recommended",
            comment=comment,
            version=version,
        )


def unrecommend_application(*, actor, application, comment="", version=None):
    require(actor, "campaigns.review_application", application)
    _require_open_submission(actor, application)
    return _move(
        "unrecommend",
        actor=actor,
        application=application,
        to="submitted",
        comment=comment,
        version=version,
    )


def withdraw_after_objection(*, actor, application, comment, version=None):
    require(actor, "campaigns.fix_list", application)
    return _move(
        "withdraw",
        actor=actor,
        application=application,
        to="not_selected",
        comment=comment,
        version=version,
    )


def recommend_to_ministry(*, actor, application, comment="", version=None):
    require(actor, "campaigns.fix_list", application)
    return _move(
        "recommend_to_ministry",
        actor=actor,
        application=application,
        to="province_recommended",
        comment=comment,
        version=version,
    )


def _new_recognition(*, application, level, unit, document_number, recognized_on, valid_until):
    if not document_number.strip():
        raise ServiceError(_("认定文号：请填写。"))
    return TierRecognition.objects.create(
        factory=application.factory,
        tier=application.tier,
        year=application.campaign.year,
        recognized_by=level,
        recognizing_unit=unit,
        document_number=document_number.strip(),
        recognized_on=recognized_on,
        valid_until=valid_until,
    )


def _default_validity(campaign, recognized_on):
    years = campaign.settings.get("validity_years")
    if not years:
        return None
    return recognized_on.replace(year=recognized_on.year + int(years)) - timedelta(days=1)


def recognize_basic(*, actor, application, document_number, recognized_on, version=None):
    require(actor, "campaigns.recognize_basic", application)
    with transaction.atomic():
        current = _locked(Application, application.pk, version)
        if current.tier != "基础级":
            raise ServiceError(_("只有基础级由市级认定。"))
        recognition = _new_recognition(
            application=current,
            level=TierRecognition.Level.UNIT,
            unit=current.unit,
            document_number=document_number,
            recognized_on=recognized_on,
            valid_until=_default_validity(current.campaign, recognized_on),
        )
        workflow.transition(current, to="recognized", actor=actor, comment=document_number)
        current.recognition = recognition
        current.save(update_fields=["recognition"])
        audit.record(actor=actor, action="recognition.basic", target=current)
    notify.application_changed(current)
    return current


# ---------------------------------------------------------------- unit submissions
def submission_for(task, unit) -> Submission:
    submission, _created = Submission.objects.get_or_create(task=task, unit=unit)
    return submission


def rank_applications(*, actor, task, unit, ranks: dict[int, int | None], version) -> None:
    submission = submission_for(task, unit)
    require(actor, "campaigns.rank_applications", submission)
    with transaction.atomic():
        submission = _locked(Submission, submission.pk, version)
        _require_unlocked(submission)
        recommended = {
            a.pk: a
            for a in Application.objects.select_for_update().filter(
                task=task, unit=unit, state="recommended"
            )
        }
        if set(ranks) != set(recommended):
            raise EditConflict(submission)  # the list changed since the form was opened
        problems = rank_problems(ranks)
        if problems:
            raise ServiceError("；".join(problems) + "。")
        for pk, rank in ranks.items():
            application = recommended[pk]
            if application.city_rank != rank:
                application.city_rank = rank
                application.version += 1
                application.save(update_fields=["city_rank", "version"])
        submission.version += 1
        submission.save(update_fields=["version"])
        audit.record(
            actor=actor,
            action="submission.rank",
            target=submission,
            unit=unit,
            changes={str(k): v for k, v in ranks.items()},
        )


def submit_recommendation(*, actor, task, unit, version) -> Submission:
    submission = submission_for(task, unit)
    require(actor, "campaigns.submit_recommendation", submission)
    now = timezone.now()
    late = is_late(now, task.deadline)
    if late and task.is_closed:
        raise ServiceError(_("该任务已截止并关闭，不再接受报送。"))
    with transaction.atomic():
        submission = _locked(Submission, submission.pk, version)
        _require_unlocked(submission)
        recommended = list(
            Application.objects.select_for_update()
            .filter(task=task, unit=unit, state="recommended")
            .order_by("city_rank")
        )
        if task.application_kind and not recommended:
            raise ServiceError(_("没有拟推荐的申报，不能报送。"))
        problems = rank_problems({a.pk: a.city_rank for a in recommended})
        if problems:
            raise ServiceError(_("请先排定推荐序号：") + "；".join(problems) + "。")
        for application in recommended:
            workflow.transition(application, to="at_province", actor=actor)
        submission.state = Submission.State.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by = actor
        submission.is_late = late
        submission.version += 1
        submission.save()
        audit.record(
            actor=actor,
            action="submission.submit",
            target=submission,
            unit=unit,
            changes={"late": late, "applications": [a.pk for a in recommended]},
        )
    link = reverse("campaigns:task", args=[task.pk])
    text = _("%(unit)s已报送“%(task)s”%(late)s。") % {
        "unit": unit.name,
        "task": task.title,
        "late": _("（逾期）") if late else "",
    }
    notify.send(notify.province_officers(), text, link)
    for application in recommended:
        notify.application_changed(application)
    return submission


def return_submission(*, actor, submission, comment, version) -> Submission:
    require(actor, "campaigns.return_submission", submission)
    if not (comment or "").strip():
        raise ServiceError(_("退回意见：请填写。"))
    with transaction.atomic():
        submission = _locked(Submission, submission.pk, version)
        if submission.state != Submission.State.SUBMITTED:
            raise ServiceError(_("该报送尚未提交，不能退回。"))
        for application in Application.objects.select_for_update().filter(
            task=submission.task, unit=submission.unit, state__in=["at_province", "under_review"]
        ):
            workflow.transition(application, to="recommended", actor=actor, comment=comment)
        submission.state = Submission.State.RETURNED
        submission.return_comment = comment.strip()
        submission.version += 1
        submission.save()
        audit.record(
            actor=actor,
            action="submission.return",
            target=submission,
            unit=submission.unit,
            changes={"comment": comment},
        )
    notify.send(
        notify.unit_officers(submission.unit_id),
        _("省级退回了“%(task)s”的报送：%(comment)s")
        % {"task": submission.task.title, "comment": comment},
        reverse("campaigns:task", args=[submission.task_id]),
    )
    return submission


def close_task(*, actor, task, closed: bool) -> Task:
    require(actor, "campaigns.manage_campaign")
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        task.is_closed = closed
        task.save(update_fields=["is_closed"])
        audit.record(
            actor=actor,
            action="task.close" if closed else "task.reopen",
            target=task,
            unit=task.campaign.province,
        )
    return task


# ---------------------------------------------------------------- province evaluation
def assign_expert(*, actor, application, expert: User) -> ExpertAssignment:
    require(actor, "campaigns.assign_experts", application)
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ServiceError(_("专家：所选用户不是评审专家。"))
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.state not in ("at_province", "under_review"):
            raise ServiceError(_("该申报当前不在省级评审阶段。"))
        if current.assignments.filter(expert=expert).exists():
            raise ServiceError(_("专家：该专家已分配到此申报。"))
        assignment = ExpertAssignment.objects.create(
            application=current, expert=expert, assigned_by=actor
        )
        if current.state == "at_province":
            workflow.transition(current, to="under_review", actor=actor)
        audit.record(
            actor=actor,
            action="application.assign_expert",
            target=current,
            changes={"expert": expert.username},
        )
    notify.send(
        [expert], _("您有一项新的评审任务。"), reverse("campaigns:score", args=[assignment.pk])
    )
    return assignment


def declare_conflict(*, actor, assignment, note) -> ExpertAssignment:
    require(actor, "campaigns.score_application", assignment)
    if not (note or "").strip():
        raise ServiceError(_("利益冲突说明：请填写。"))
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if hasattr(assignment, "score"):
            raise ServiceError(_("已提交评分，不能再申明利益冲突。"))
        assignment.has_conflict = True
        assignment.conflict_note = note.strip()
        assignment.save(update_fields=["has_conflict", "conflict_note"])
        audit.record(actor=actor, action="assignment.conflict", target=assignment.application)
    notify.send(
        notify.province_officers(),
        _("有专家申明了利益冲突，请另行分配。"),
        reverse("campaigns:application_detail", args=[assignment.application_id]),
    )
    return assignment


def submit_score(*, actor, assignment, points: dict, comment: str) -> Score:
    require(actor, "campaigns.score_application", assignment)
    application = assignment.application
    sheet = application.campaign.settings.get("score_sheet", [])
    scores, problems = check_scores(items_from_data(sheet), points)
    if not (comment or "").strip():
        problems.append((_("评审意见"), _("请填写")))
    if problems:
        raise ServiceError("；".join(f"{label}：{problem}" for label, problem in problems) + "。")
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if hasattr(assignment, "score"):
            raise ServiceError(_("评分已提交，不能修改。"))
        if assignment.has_conflict:
            raise ServiceError(_("已申明利益冲突，不能评分。"))
        if assignment.application.state != "under_review":
            raise ServiceError(_("该申报已不在专家评审阶段。"))
        score = Score.objects.create(
            assignment=assignment,
            sheet=sheet,
            points={k: str(v) for k, v in scores.items()},
            total=total(scores),
            comment=comment.strip(),
        )
        audit.record(
            actor=actor,
            action="application.score",
            target=assignment.application,
            changes={"total": str(score.total)},
        )
    return score


def fix_list(*, actor, task, selected_ids: set[int]) -> list[Application]:
    """The province's decision on the reviewed applications of a task: listed or not."""
    require(actor, "campaigns.fix_list")
    with transaction.atomic():
        candidates = list(
            Application.objects.select_for_update().filter(
                task=task, state__in=["at_province", "under_review"]
            )
        )
        unknown = set(selected_ids) - {a.pk for a in candidates}
        if unknown:
            raise ServiceError(_("所选申报中有不在评审阶段的记录，请刷新页面后重试。"))
        if not selected_ids:
            raise ServiceError(_("请至少选择一项列入名单。"))
        for application in candidates:
            to = "listed" if application.pk in selected_ids else "not_selected"
            workflow.transition(application, to=to, actor=actor)
        audit.record(
            actor=actor,
            action="task.fix_list",
            target=task,
            unit=task.campaign.province,
            changes={"listed": sorted(selected_ids)},
        )
    for application in candidates:
        if application.state == "not_selected":
            notify.application_changed(application)
    return candidates


def open_publicity(*, actor, task, starts_on: date) -> Publicity:
    require(actor, "campaigns.open_publicity")
    days = int(task.campaign.settings.get("publicity_working_days", 5))
    with transaction.atomic():
        if Publicity.objects.filter(task=task).exists():
            raise ServiceError(_("该任务已经公示过。"))
        listed = list(Application.objects.select_for_update().filter(task=task, state="listed"))
        if not listed:
            raise ServiceError(_("没有拟认定的申报，不能公示。"))
        publicity = Publicity.objects.create(
            task=task,
            starts_on=starts_on,
            ends_on=add_working_days(starts_on, days),
            opened_by=actor,
        )
        for application in listed:
            workflow.transition(application, to="publicity", actor=actor)
        audit.record(
            actor=actor,
            action="task.publicity",
            target=task,
            unit=task.campaign.province,
            changes={"starts_on": str(publicity.starts_on), "ends_on": str(publicity.ends_on)},
        )
    for application in listed:
        notify.application_changed(application)
    return publicity


def record_objection(*, actor, application, received_on: date, content: str) -> Objection:
    require(actor, "campaigns.open_publicity", application)
    if application.state != "publicity":
        raise ServiceError(_("只有公示中的申报可以登记异议。"))
    if not (content or "").strip():
        raise ServiceError(_("异议内容：请填写。"))
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application,
            received_on=received_on,
            content=content.strip(),
            recorded_by=actor,
        )
        audit.record(actor=actor, action="application.objection", target=application)
    return objection


def record_recognition(*, actor, task, document_number, recognized_on, valid_until=None):
    """Recognize every application of the task that went through 公示 (one bulk step)."""
    require(actor, "campaigns.record_recognition")
    publicity = Publicity.objects.filter(task=task).first()
    if publicity is None:
        raise ServiceError(_("尚未公示，不能认定。"))
    if recognized_on <= publicity.ends_on:
        raise ServiceError(
            _("认定日期：应在公示结束（%(end)s）之后。") % {"end": publicity.ends_on.isoformat()}
        )
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update().filter(task=task, state="publicity")
        )
        if not applications:
            raise ServiceError(_("没有公示中的申报。"))
        for application in applications:
            application.recognition = _new_recognition(
                application=application,
                level=TierRecognition.Level.PROVINCE,
                unit=task.campaign.province,
                document_number=document_number,
                recognized_on=recognized_on,
                valid_until=valid_until or _default_validity(task.campaign, recognized_on),
            )
            application.save(update_fields=["recognition"])
            workflow.transition(application, to="recognized", actor=actor, comment=document_number)
        audit.record(
            actor=actor,
            action="task.recognize",
            target=task,
            unit=task.campaign.province,
            changes={"document_number": document_number, "count": len(applications)},
        )
    for application in applications:
        notify.application_changed(application)
    return applications


def revoke_recognition(
    *, actor, recognition, reason, revoked_on, downgrade_to="", document_number="", version=None
):
    require(actor, "campaigns.revoke_recognition", recognition)
    if not (reason or "").strip():
        raise ServiceError(_("撤销或降级原因：请填写。"))
    order = ["基础级", "先进级", "卓越级", "领航级"]
    with transaction.atomic():
        current = _locked(TierRecognition, recognition.pk, version)
        if current.revoked:
            raise ServiceError(_("该认定已撤销。"))
        if downgrade_to:
            if downgrade_to not in order or order.index(downgrade_to) >= order.index(current.tier):
                raise ServiceError(_("降为：应低于原级别“%(tier)s”。") % {"tier": current.tier})
            if not document_number.strip():
                raise ServiceError(_("认定文号：降级须填写文号。"))
            current.replaced_by = TierRecognition.objects.create(
                factory=current.factory,
                tier=downgrade_to,
                year=current.year,
                recognized_by=current.recognized_by,
                recognizing_unit=current.recognizing_unit,
                document_number=document_number.strip(),
                recognized_on=revoked_on,
            )
        current.revoked = True
        current.revoked_reason = reason.strip()
        current.revoked_on = revoked_on
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="recognition.revoke",
            target=current,
            unit=current.factory.enterprise.unit,
            changes={"reason": reason, "downgrade_to": downgrade_to},
        )
    notify.send(
        notify.enterprise_users(current.factory.enterprise_id),
        _("%(factory)s的%(tier)s认定已撤销：%(reason)s")
        % {"factory": current.factory.name, "tier": current.tier, "reason": reason},
        reverse("campaigns:factory_tiers", args=[current.factory_id]),
    )
    return current


# ---------------------------------------------------------------- factories, overseas, notices
def save_factory_scenarios(
    *, actor, factory, scenarios: list, ai_scenarios: list, version: int | None = None
) -> None:
    """Replace the factory's built scenarios. The enterprise and its city officer both edit
    them: a page older than the factory's last save is a conflict and writes nothing."""
    require(actor, "campaigns.change_factory_scenarios", factory.enterprise)
    ai_ids = {s.pk for s in ai_scenarios}
    with transaction.atomic():
        current = Factory.objects.select_for_update().get(pk=factory.pk)
        if version is not None and current.version != version:
            raise EditConflict(current)
        Factory.objects.filter(pk=factory.pk).update(version=current.version + 1)
        FactoryScenario.objects.filter(factory=factory).exclude(scenario__in=scenarios).delete()
        for scenario in scenarios:
            FactoryScenario.objects.update_or_create(
                factory=factory, scenario=scenario, defaults={"uses_ai": scenario.pk in ai_ids}
            )
        audit.record(
            actor=actor,
            action="factory.scenarios",
            target=factory,
            unit=factory.enterprise.unit,
            changes={"scenarios": sorted(s.number for s in scenarios)},
        )


def propose_overseas(*, actor, task, enterprise, data: dict) -> OverseasRecommendation:
    require(actor, "campaigns.propose_overseas", enterprise)
    factory = data["factory"]
    if factory.enterprise_id != enterprise.pk or not factory.is_overseas:
        raise ServiceError(_("海外智能工厂：请选择本企业登记的海外工厂。"))
    if OverseasRecommendation.objects.filter(task=task, factory=factory).exists():
        raise ServiceError(_("海外智能工厂：该工厂已在名单中。"))
    with transaction.atomic():
        item = OverseasRecommendation.objects.create(
            task=task, enterprise=enterprise, unit=enterprise.unit, created_by=actor, **data
        )
        audit.record(actor=actor, action="overseas.create", target=item, unit=enterprise.unit)
    return item


def select_overseas(*, actor, task, unit, ranks: dict[int, int | None], version=None) -> None:
    """The city's choice and order of the unit's overseas rows (None = not recommended)."""
    submission = submission_for(task, unit)
    require(actor, "campaigns.rank_applications", submission)
    with transaction.atomic():
        submission = _locked(Submission, submission.pk, version)
        _require_unlocked(submission)
        rows = {
            r.pk: r
            for r in OverseasRecommendation.objects.select_for_update().filter(task=task, unit=unit)
        }
        if set(ranks) - set(rows):
            raise EditConflict(submission)
        chosen = {pk: rank for pk, rank in ranks.items() if rank is not None}
        problems = rank_problems(chosen)
        if problems:
            raise ServiceError("；".join(problems) + "。")
        for pk, row in rows.items():
            rank = chosen.get(pk)
            row.selected = rank is not None
            row.rank = rank
            row.version += 1
            row.save(update_fields=["selected", "rank", "version"])
        submission.version += 1
        submission.save(update_fields=["version"])
        audit.record(
            actor=actor,
            action="overseas.select",
            target=submission,
            unit=unit,
            changes={str(k): v for k, v in chosen.items()},
        )


def mark_read(*, actor, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=actor).update(is_read=True)
