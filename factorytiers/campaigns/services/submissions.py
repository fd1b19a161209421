"""A unit's report of a task (单位报送): the city ranks its recommended applications and its
overseas list, reports to the province (then it is locked), the province may return it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, after_commit, editing
from factorytiers.domain.deadlines import is_late
from factorytiers.domain.ranking import rank_problems

from .. import notify, workflow
from ..errors import ServiceError
from ..models import Application, OverseasRecommendation, State, Submission


def _require_open(submission: Submission) -> None:
    if submission.is_locked:
        raise ServiceError(_("本单位该任务已报送省级，已锁定；如需修改请联系省级退回。"))


def unit_submission(actor, task, unit, permission: str) -> Submission:
    """The unit's report row of the task, created on the first write that needs it — after
    ``permission`` is checked on it, never by a page that only reads."""
    require(actor, permission, Submission(task=task, unit=unit))
    submission, _created = Submission.objects.get_or_create(task=task, unit=unit)
    return submission


def lock_unit_submission(actor, task, unit, permission: str) -> Submission:
    """The unit's report row locked for the rest of the transaction, refused when the unit has
    already reported: every change to the unit's list goes through this lock first."""
    submission = unit_submission(actor, task, unit, permission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require_open(submission)
    return submission


@transaction.atomic  # the report row a refused first write would create is rolled back too
def rank_applications(*, actor, task, unit, ranks: dict[int, int | None], version) -> None:
    """The 序号 of the unit's recommended applications (unique, from 1)."""
    submission = unit_submission(actor, task, unit, "campaigns.rank_applications")
    with editing(
        submission, actor=actor, version=version, action=AuditAction.SUBMISSION_RANK, unit=unit
    ) as change:
        _require_open(change.current)
        recommended = {
            a.pk: a
            for a in Application.objects.select_for_update().filter(
                task=task, unit=unit, state=State.RECOMMENDED
            )
        }
        if set(ranks) != set(recommended):
            raise EditConflict(change.current)  # the list changed since the form was opened
        problems = rank_problems(ranks)
        if problems:
            raise ServiceError("；".join(problems) + "。")
        for pk, rank in ranks.items():
            application = recommended[pk]
            if application.city_rank != rank:
                change.note(str(application), application.city_rank, rank)
                application.city_rank = rank
                application.version += 1
                application.save(update_fields=["city_rank", "version"])


@transaction.atomic
def submit_recommendation(*, actor, task, unit, version) -> Submission:
    """Report the task to the province: the recommended applications go up in rank order and
    the unit's list is locked until the province returns it."""
    submission = unit_submission(actor, task, unit, "campaigns.submit_recommendation")
    now = timezone.now()
    late = is_late(now, task.deadline)
    if late and task.is_closed:
        raise ServiceError(_("该任务已截止并关闭，不再接受报送。"))
    with editing(
        submission, actor=actor, version=version, action=AuditAction.SUBMISSION_SUBMIT, unit=unit
    ) as change:
        _require_open(change.current)
        recommended = list(
            Application.objects.select_for_update()
            .filter(task=task, unit=unit, state=State.RECOMMENDED)
            .order_by("city_rank")
        )
        if task.application_kind and not recommended:
            raise ServiceError(_("没有拟推荐的申报，不能报送。"))
        problems = rank_problems({a.pk: a.city_rank for a in recommended})
        if problems:
            raise ServiceError(_("请先排定推荐序号：") + "；".join(problems) + "。")
        for application in recommended:
            workflow.move(application, to=State.AT_PROVINCE, actor=actor)
        change.apply(
            {
                "state": Submission.State.SUBMITTED,
                "submitted_at": now,
                "submitted_by": actor,
                "is_late": late,
            }
        )
        change.fact("applications", [str(a) for a in recommended])
    submission = change.current

    def announce():
        notify.submission_reported(submission)
        for application in recommended:
            notify.application_changed(application)

    after_commit(announce)
    return submission


def return_submission(*, actor, submission, comment, version) -> Submission:
    """The province sends a unit's report back: its applications return to the city's list."""
    require(actor, "campaigns.return_submission", submission)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError(_("退回意见：请填写。"))
    with editing(
        submission,
        actor=actor,
        version=version,
        action=AuditAction.SUBMISSION_RETURN,
        unit=submission.unit,
    ) as change:
        if change.current.state != Submission.State.SUBMITTED:
            raise ServiceError(_("该报送尚未提交，不能退回。"))
        for application in Application.objects.select_for_update().filter(
            task=submission.task, unit=submission.unit, state__in=workflow.AT_PROVINCE_STATES
        ):
            workflow.move(application, to=State.RECOMMENDED, actor=actor, comment=comment)
        change.apply({"state": Submission.State.RETURNED, "return_comment": comment})
    after_commit(lambda: notify.submission_returned(change.current, comment))
    return change.current


# ---------------------------------------------------------------- the overseas list (附件5)
def propose_overseas(*, actor, task, enterprise, data: dict) -> OverseasRecommendation:
    require(actor, "campaigns.propose_overseas", enterprise)
    factory = data["factory"]
    if factory.enterprise_id != enterprise.pk or not factory.is_overseas:
        raise ServiceError(_("海外智能工厂：请选择本企业登记的海外工厂。"))
    with transaction.atomic():
        if OverseasRecommendation.objects.filter(task=task, factory=factory).exists():
            raise ServiceError(_("海外智能工厂：该工厂已在名单中。"))
        item = OverseasRecommendation.objects.create(
            task=task, enterprise=enterprise, unit=enterprise.unit, created_by=actor, **data
        )
        audit.record(
            actor=actor, action=AuditAction.OVERSEAS_CREATE, target=item, unit=enterprise.unit
        )
    return item


@transaction.atomic
def select_overseas(*, actor, task, unit, ranks: dict[int, int | None], version) -> None:
    """The city's choice and order of the unit's overseas rows (None = not recommended)."""
    submission = unit_submission(actor, task, unit, "campaigns.select_overseas")
    with editing(
        submission, actor=actor, version=version, action=AuditAction.OVERSEAS_SELECT, unit=unit
    ) as change:
        _require_open(change.current)
        rows = {
            r.pk: r
            for r in OverseasRecommendation.objects.select_for_update().filter(task=task, unit=unit)
        }
        if set(ranks) - set(rows):
            raise EditConflict(change.current)
        chosen = {pk: rank for pk, rank in ranks.items() if rank is not None}
        problems = rank_problems(chosen)
        if problems:
            raise ServiceError("；".join(problems) + "。")
        for pk, row in rows.items():
            rank = chosen.get(pk)
            if (row.selected, row.rank) != (rank is not None, rank):
                change.note(str(row), row.rank, rank)
            row.selected = rank is not None
            row.rank = rank
            row.version += 1
            row.save(update_fields=["selected", "rank", "version"])
