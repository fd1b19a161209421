"""An enterprise's application: created and edited as a draft, its materials uploaded, and the
steps of ``workflow.STEPS`` taken on it one at a time (submit, the city's review, the province's
steps on one application)."""

import hashlib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.limits import check_upload
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import after_commit, editing
from factorytiers.domain.naming import name_problem
from factorytiers.domain.tiers import TIERS, is_lower
from factorytiers.enterprises.models import TierRecognition
from factorytiers.enterprises.selectors import tier_in_force

from .. import notify, workflow
from ..errors import BadUpload, ServiceError
from ..models import Application, ApplicationKind, ApplicationScenario, Material, State
from ..selectors import check_application, current_maturity, material_slots, missing_materials
from .factories import default_validity, recognize_application
from .submissions import lock_unit_submission, require_open_task

MATURITY_FIELDS = (
    "maturity_source",
    "maturity_level",
    "maturity_score",
    "maturity_assessed_on",
    "maturity_record_id",
)


def _maturity_values(maturity) -> dict:
    return {
        "maturity_source": maturity.source,
        "maturity_level": maturity.level,
        "maturity_score": maturity.score,
        "maturity_assessed_on": maturity.assessed_on,
        "maturity_record_id": maturity.record_id,
    }


def _scenario_ids(application) -> list[int]:
    return sorted(application.scenarios.values_list("scenario_id", flat=True))


def _set_scenarios(application, scenarios, ai_scenarios) -> None:
    ai_ids = {s.pk for s in ai_scenarios}
    application.scenarios.all().delete()
    ApplicationScenario.objects.bulk_create(
        [
            ApplicationScenario(application=application, scenario=s, uses_ai=s.pk in ai_ids)
            for s in scenarios
        ]
    )


def _check_factory(factory, enterprise_id, *, kind, campaign, application=None) -> None:
    """The factory is the enterprise's, has no other application of this kind this year, and
    does not already hold this tier or a higher one."""
    if factory is None:
        return
    if factory.enterprise_id != enterprise_id:
        raise ServiceError(_("工厂：只能选择本企业的工厂。"))
    others = Application.objects.filter(factory=factory, kind=kind, campaign=campaign)
    if application is not None:
        others = others.exclude(pk=application.pk)
    if others.exists():
        raise ServiceError(
            _("工厂：%(factory)s在%(year)s年度已有一项%(kind)s申报，不能重复申报。")
            % {"factory": factory.name, "year": campaign.year, "kind": kind}
        )
    held = tier_in_force(factory.pk, timezone.localdate())
    if kind in TIERS and held and not is_lower(held, kind):
        raise ServiceError(
            _("工厂：%(factory)s已认定为%(held)s（在有效期内），不能申报%(kind)s。")
            % {"factory": factory.name, "held": held, "kind": kind}
        )


def create_application(*, actor, task, data: dict, scenarios: list, ai_scenarios: list):
    require(actor, "campaigns.create_application")
    kind = task.application_kind
    if kind is None:
        raise ServiceError(_("该任务不接受申报。"))
    require_open_task(task)
    enterprise = actor.enterprise
    if kind == ApplicationKind.ACCEPTANCE and not enterprise.is_pilot_winner:
        raise ServiceError(_("只有智能制造示范工厂揭榜单位可以申请验收。"))
    _check_factory(data.get("factory"), enterprise.pk, kind=kind, campaign=task.campaign)
    with transaction.atomic():
        application = Application(
            campaign=task.campaign,
            task=task,
            kind=kind,
            enterprise=enterprise,
            unit=enterprise.unit,
            created_by=actor,
            **data,
        )
        for field, value in _maturity_values(current_maturity(actor, application)).items():
            setattr(application, field, value)
        application.save()
        _set_scenarios(application, scenarios, ai_scenarios)
        audit.record(actor=actor, action=AuditAction.APPLICATION_CREATE, target=application)
    return application


def update_application(
    *, actor, application, data: dict, scenarios: list, ai_scenarios: list, version
):
    require(actor, "campaigns.edit_application", application)
    require_open_task(application.task)
    with editing(
        application,
        actor=actor,
        version=version,
        action=AuditAction.APPLICATION_UPDATE,
        permission="campaigns.edit_application",
    ) as change:
        current = change.current
        _check_factory(
            data.get("factory"),
            current.enterprise_id,
            kind=current.kind,
            campaign=current.campaign,
            application=current,
        )
        change.apply(data)
        change.apply(_maturity_values(current_maturity(actor, current)))
        before = _scenario_ids(current)
        _set_scenarios(current, scenarios, ai_scenarios)
        change.note("scenarios", before, sorted(s.pk for s in scenarios))
    return change.current


def upload_material(*, actor, application, slot: str, upload) -> Material:
    require(actor, "campaigns.edit_application", application)
    require_open_task(application.task)
    slots = {s["key"]: s for s in material_slots(application)}
    if slot not in slots:
        raise ServiceError(_("材料项：不存在“%(slot)s”。") % {"slot": slot})
    label = slots[slot]["label"]
    original_name = getattr(upload, "original_name", upload.name)[:200]
    # The package build puts the file in a folder under this name: refused now, not then.
    problem = name_problem(re.split(r"[\\/]", original_name)[-1], _("文件名"))
    if problem:
        raise BadUpload(_("%(slot)s：%(problem)s。") % {"slot": label, "problem": problem})
    check = check_upload(
        upload,
        allowed_kinds=slots[slot]["kinds"],
        max_bytes=application.campaign.upload_max_bytes,
    )
    if not check.ok:
        raise BadUpload(
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
            original_name=original_name,
            kind=check.kind,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action=AuditAction.MATERIAL_UPLOAD,
            target=locked,
            facts={"slot": slots[slot]["label"], "number": material.number, "file": original_name},
        )
    return material


def _submit(actor, change) -> None:
    """What submitting fixes on the application: its maturity level (the counted assessment of
    the campaign year as it stands now, or the declared level when there is none), the settings
    it is checked against and the result of that check."""
    application = change.current
    missing = missing_materials(application)
    if missing:
        raise ServiceError(_("尚未上传必需材料：%(list)s。") % {"list": "、".join(missing)})
    if application.factory_id is None and not application.is_acceptance:
        raise ServiceError(_("工厂：请选择申报的工厂。"))
    change.apply(_maturity_values(current_maturity(actor, application)))
    change.apply({"submitted_at": timezone.now()})
    change.apply(
        {
            "settings_snapshot": application.campaign.settings,
            "condition_results": check_application(application),
        },
        record=False,
    )
    _require_conditions(application)


def unmet_conditions(application) -> list[str]:
    """The hard conditions the application was found not to meet (at its last check)."""
    return [c["label"] for c in application.condition_results if c["outcome"] == "not_met"]


def _require_conditions(application, override_reason: str = "") -> None:
    """A hard condition not met blocks the step, unless the city officer has said in writing
    why the application goes on (kept on the application, shown to the province)."""
    unmet = unmet_conditions(application)
    if unmet and not (application.condition_override or override_reason):
        raise ServiceError(
            _("未满足条件：%(list)s。如确需继续，须由市级管理员填写说明。")
            % {"list": "、".join(unmet)}
        )


def take_step(
    *, actor, application, step_name: str, comment: str = "", version, override_reason=""
) -> Application:
    """Take one step of ``workflow.PAGE_STEPS`` on one application: permission, the unit's
    report still open for the city's steps, the quota for a recommendation, the transition row,
    the audit entry; the enterprise and the officers hear of it after the commit."""
    step = workflow.PAGE_STEPS.get(step_name)
    if step is None:
        raise ServiceError(_("操作：未知的操作。"))
    require(actor, step.permission, application)
    if step.name == "submit":
        require_open_task(application.task)
    with transaction.atomic():
        if step.needs_open_unit:
            # The unit's report row is locked first, as every write of the unit's list does,
            # so two officers (or a double click) cannot both take the last place of the quota.
            lock_unit_submission(actor, application.task, application.unit, step.permission)
        with editing(application, actor=actor, version=version, action=step.audit_action) as change:
            current = change.current
            if step.name == "submit":
                _submit(actor, change)
            if step.name == "recommend":
                _check_quota(current)
                override_reason = (override_reason or "").strip()
                _require_conditions(current, override_reason)
                if override_reason:
                    _record_override(change, actor, override_reason)
            workflow.transition(current, to=step.target, actor=actor, comment=comment)
            if step.target in (State.SUBMITTED, State.RETURNED, State.REJECTED):
                current.city_rank = None
            if comment.strip():
                change.fact("comment", comment.strip())
    after_commit(lambda: notify.application_changed(current, comment.strip()))
    return current


def _record_override(change, actor, reason: str) -> None:
    change.apply(
        {"condition_override": reason, "override_by": actor, "override_at": timezone.now()}
    )


def override_conditions(*, actor, application, reason: str, version) -> Application:
    """The city officer accepts, in writing, an application that does not meet a hard condition
    (e.g. an enterprise on the statistics bureau's 规上 list that the registry shows as 规下);
    the enterprise may then submit it and the officer recommend it."""
    require(actor, "campaigns.review_application", application)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("说明：请写明条件未满足仍予受理的理由。"))
    with editing(
        application, actor=actor, version=version, action=AuditAction.CONDITION_OVERRIDE
    ) as change:
        if change.current.state not in (State.DRAFT, State.RETURNED, State.SUBMITTED):
            raise ServiceError(_("该申报已推荐或办结，不能再作说明。"))
        _record_override(change, actor, reason)
    after_commit(lambda: notify.condition_override(change.current))
    return change.current


def _check_quota(application) -> None:
    quota = application.campaign.settings.get("city_quota")
    if not quota:
        return
    recommended = Application.objects.filter(
        task=application.task, unit=application.unit, state=State.RECOMMENDED
    )
    if application.kind == ApplicationKind.EXCELLENT:
        # The notice: a 揭榜 unit that passed its acceptance applies for 卓越级 outside the quota.
        accepted = TierRecognition.objects.filter(tier=ApplicationKind.ACCEPTANCE)
        if accepted.filter(factory__enterprise=application.enterprise_id).exists():
            return
        recommended = recommended.exclude(
            enterprise__factories__recognitions__tier=ApplicationKind.ACCEPTANCE
        )
    count = recommended.count()
    if count >= quota:
        raise ServiceError(_("本单位推荐名额为%(n)s个，已用完。") % {"n": quota})


def recognize_basic(*, actor, application, document_number, recognized_on, version):
    """The city recognizes a 基础级 application: the factory's tier history gets the entry."""
    require(actor, "campaigns.recognize_basic", application)
    with transaction.atomic():
        lock_unit_submission(actor, application.task, application.unit, "campaigns.recognize_basic")
        with editing(
            application, actor=actor, version=version, action=AuditAction.RECOGNITION_BASIC
        ) as change:
            current = change.current
            if current.tier != ApplicationKind.BASIC:
                raise ServiceError(_("只有基础级由市级认定。"))
            recognition = recognize_application(
                current,
                level=TierRecognition.Level.UNIT,
                unit=current.unit,
                document_number=document_number,
                recognized_on=recognized_on,
                valid_until=default_validity(current.campaign, recognized_on),
            )
            workflow.transition(current, to=State.RECOGNIZED, actor=actor, comment=document_number)
            change.apply({"recognition": recognition})
    after_commit(lambda: notify.application_changed(current))
    return current
