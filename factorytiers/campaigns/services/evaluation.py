"""The province's evaluation of the reported applications: experts and their scores, the list,
the 公示 with its objections, and the recognition of the publicised applications."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, after_commit, editing
from factorytiers.domain import deadlines
from factorytiers.domain.scoring import check_scores, items_from_data, total
from factorytiers.enterprises.models import TierRecognition
from factorytiers.reference.holidays import holiday_calendar

from .. import notify, workflow
from ..errors import InvalidInput, ServiceError
from ..models import Application, ExpertAssignment, Objection, Publicity, Score, State
from .factories import default_validity, recognize_application


def assign_expert(*, actor, application, expert, due_on=None) -> ExpertAssignment:
    """``expert`` comes from ``accounts.people.expert`` (an active expert), or None.

    ``due_on`` is when the score is due; without it, ``deadlines.review_due`` of today."""
    require(actor, "campaigns.assign_experts", application)
    if expert is None:
        raise ServiceError(_("专家：请选择一位评审专家。"))
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.state not in workflow.AT_PROVINCE_STATES:
            raise ServiceError(_("该申报当前不在省级评审阶段。"))
        if current.assignments.filter(expert=expert).exists():
            raise ServiceError(_("专家：该专家已分配到此申报。"))
        today = deadlines.local_date(timezone.now())
        if due_on is None:
            due_on = deadlines.review_due(today)
        elif due_on < today:
            raise ServiceError(_("评分截止日期：不能早于今天。"))
        assignment = ExpertAssignment.objects.create(
            application=current, expert=expert, assigned_by=actor, due_on=due_on
        )
        if current.state == State.AT_PROVINCE:
            workflow.move(current, to=State.UNDER_REVIEW, actor=actor)
        audit.record(
            actor=actor,
            action=AuditAction.APPLICATION_ASSIGN_EXPERT,
            target=current,
            facts={"expert": expert.display_name},
        )
    after_commit(lambda: notify.expert_assigned(assignment))
    return assignment


def declare_conflict(*, actor, assignment, note) -> ExpertAssignment:
    require(actor, "campaigns.score_application", assignment)
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("利益冲突说明：请填写。"))
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if hasattr(assignment, "score"):
            raise ServiceError(_("已提交评分，不能再申明利益冲突。"))
        assignment.has_conflict = True
        assignment.conflict_note = note
        assignment.save(update_fields=["has_conflict", "conflict_note"])
        audit.record(
            actor=actor,
            action=AuditAction.ASSIGNMENT_CONFLICT,
            target=assignment.application,
            facts={"reason": note},
        )
    after_commit(lambda: notify.conflict_declared(assignment))
    return assignment


def submit_score(*, actor, assignment, points: dict, comment: str) -> Score:
    require(actor, "campaigns.score_application", assignment)
    application = assignment.application
    sheet = application.campaign.settings.get("score_sheet", [])
    scores, problems = check_scores(items_from_data(sheet), points)
    comment = (comment or "").strip()
    if not comment:
        problems.append((_("评审意见"), _("请填写")))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if hasattr(assignment, "score"):
            raise ServiceError(_("评分已提交，不能修改。"))
        if assignment.has_conflict:
            raise ServiceError(_("已申明利益冲突，不能评分。"))
        if assignment.application.state != State.UNDER_REVIEW:
            raise ServiceError(_("该申报已不在专家评审阶段。"))
        score = Score.objects.create(
            assignment=assignment,
            sheet=sheet,
            points={k: str(v) for k, v in scores.items()},
            total=total(scores),
            comment=comment,
        )
        audit.record(
            actor=actor,
            action=AuditAction.APPLICATION_SCORE,
            target=assignment.application,
            facts={"total": score.total},
        )
    return score


def fix_list(*, actor, task, selected_ids: set[int], shown_ids: set[int]) -> list[Application]:
    """The province's decision on the reviewed applications of a task: listed or not.
    ``shown_ids`` are the applications the page listed: a list that changed since is a conflict,
    so no application is decided without having been seen."""
    require(actor, "campaigns.fix_list")
    with transaction.atomic():
        candidates = list(
            Application.objects.select_for_update().filter(
                task=task, state__in=workflow.AT_PROVINCE_STATES
            )
        )
        if {a.pk for a in candidates} != set(shown_ids) or set(selected_ids) - set(shown_ids):
            raise EditConflict(task)
        if not selected_ids:
            raise ServiceError(_("请至少选择一项列入名单。"))
        for application in candidates:
            to = State.LISTED if application.pk in selected_ids else State.NOT_SELECTED
            workflow.move(application, to=to, actor=actor)
        audit.record(
            actor=actor,
            action=AuditAction.TASK_FIX_LIST,
            target=task,
            unit=task.campaign.province,
            facts={"listed": [str(a) for a in candidates if a.pk in selected_ids]},
        )

    def announce():
        for application in candidates:
            if application.state == State.NOT_SELECTED:
                notify.application_changed(application)

    after_commit(announce)
    return candidates


def open_publicity(*, actor, task, starts_on: date) -> Publicity:
    """A new 公示 batch of the task: every listed application not yet publicised goes on it,
    for the settings' number of working days (statutory holidays skipped)."""
    require(actor, "campaigns.open_publicity")
    days = int(task.campaign.settings.get("publicity_working_days", 5))
    with transaction.atomic():
        listed = list(Application.objects.select_for_update().filter(task=task, state=State.LISTED))
        if not listed:
            raise ServiceError(_("没有拟认定的申报，不能公示。"))
        number = Publicity.objects.filter(task=task).count() + 1
        publicity = Publicity.objects.create(
            task=task,
            number=number,
            starts_on=starts_on,
            ends_on=holiday_calendar().add_working_days(starts_on, days),
            opened_by=actor,
        )
        for application in listed:
            workflow.transition(application, to=State.PUBLICITY, actor=actor)
            application.publicity = publicity
            application.version += 1
            application.save(update_fields=["state", "publicity", "version"])
        audit.record(
            actor=actor,
            action=AuditAction.TASK_PUBLICITY,
            target=publicity,
            unit=task.campaign.province,
            facts={
                "number": number,
                "starts_on": publicity.starts_on,
                "ends_on": publicity.ends_on,
                "listed": [str(a) for a in listed],
            },
        )

    def announce():
        for application in listed:
            notify.application_changed(application)

    after_commit(announce)
    return publicity


def record_objection(*, actor, application, received_on: date, content: str) -> Objection:
    require(actor, "campaigns.open_publicity", application)
    content = (content or "").strip()
    if application.state != State.PUBLICITY:
        raise ServiceError(_("只有公示中的申报可以登记异议。"))
    if not content:
        raise ServiceError(_("异议内容：请填写。"))
    if application.publicity and received_on < application.publicity.starts_on:
        raise ServiceError(_("收到日期：不能早于公示开始日期。"))
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application, received_on=received_on, content=content, recorded_by=actor
        )
        audit.record(
            actor=actor,
            action=AuditAction.APPLICATION_OBJECTION,
            target=application,
            facts={"date": received_on},
        )
    return objection


def record_recognition(*, actor, publicity, document_number, recognized_on, valid_until=None):
    """Recognize every application still on a 公示 batch once its period is over (one step
    for the batch); each factory's tier history gets the entry."""
    require(actor, "campaigns.record_recognition")
    if recognized_on <= publicity.ends_on:
        raise ServiceError(
            _("认定日期：应在公示结束（%(end)s）之后。") % {"end": publicity.ends_on.isoformat()}
        )
    if valid_until is not None and valid_until <= recognized_on:
        raise ServiceError(_("有效期至：应晚于认定日期。"))
    campaign = publicity.task.campaign
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update().filter(
                publicity=publicity, state=State.PUBLICITY
            )
        )
        if not applications:
            raise ServiceError(_("该批公示中没有待认定的申报。"))
        for application in applications:
            application.recognition = recognize_application(
                application,
                level=TierRecognition.Level.PROVINCE,
                unit=campaign.province,
                document_number=document_number,
                recognized_on=recognized_on,
                valid_until=valid_until or default_validity(campaign, recognized_on),
            )
            workflow.transition(
                application, to=State.RECOGNIZED, actor=actor, comment=document_number
            )
            application.version += 1
            application.save(update_fields=["recognition", "state", "version"])
        audit.record(
            actor=actor,
            action=AuditAction.TASK_RECOGNIZE,
            target=publicity,
            unit=campaign.province,
            facts={"document_number": document_number, "count": len(applications)},
        )

    def announce():
        for application in applications:
            notify.application_changed(application)

    after_commit(announce)
    return applications


def record_ministry_result(
    *, actor, application, passed: bool, document_number: str, decided_on: date, version
) -> Application:
    """The ministry's result of a 卓越级 / 领航级 / 揭榜验收 application the province
    recommended: a passed one enters the factory's tier history (its tier, or the passed
    acceptance), a failed one ends there."""
    require(actor, "campaigns.record_recognition", application)
    document_number = (document_number or "").strip()
    if not document_number:
        raise ServiceError(_("部级文号：请填写。"))
    with editing(
        application, actor=actor, version=version, action=AuditAction.MINISTRY_RESULT
    ) as change:
        current = change.current
        if current.state != State.PROVINCE_RECOMMENDED:
            raise ServiceError(_("该申报尚未推荐至部级，不能登记部级结果。"))
        if passed and current.factory_id is None:
            raise ServiceError(_("工厂：该申报未填写工厂，不能记入工厂的认定记录。"))
        change.apply(
            {
                "ministry_passed": passed,
                "ministry_document_number": document_number,
                "ministry_decided_on": decided_on,
            }
        )
        if passed:
            change.apply(
                {
                    "recognition": recognize_application(
                        current,
                        level=TierRecognition.Level.MINISTRY,
                        unit=None,
                        document_number=document_number,
                        recognized_on=decided_on,
                        valid_until=default_validity(current.campaign, decided_on),
                    )
                }
            )
        workflow.transition(
            current,
            to=State.RECOGNIZED if passed else State.MINISTRY_NOT_PASSED,
            actor=actor,
            comment=document_number,
        )
    after_commit(lambda: notify.application_changed(current))
    return current
