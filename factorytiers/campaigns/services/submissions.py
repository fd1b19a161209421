"""A unit's report of a task (单位报送): the city ranks its recommended applications and its
overseas list, reports to the province (then it is locked), the province may return it."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.limits import check_upload
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, after_commit, editing
from factorytiers.domain.deadlines import is_late
from factorytiers.domain.naming import name_problem
from factorytiers.domain.ranking import rank_problems

from .. import notify, workflow
from ..errors import ServiceError
from ..models import Application, OverseasRecommendation, State, Submission, Task


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


def _decided_ranks(task, unit) -> dict[int, int | None]:
    """The 序号 of the unit's applications the province already holds or decided (kept when
    the province returns the report: the unit's new list is numbered around them)."""
    return dict(
        Application.objects.filter(
            task=task, unit=unit, state__in=workflow.SENT_STATES - {State.RECOMMENDED}
        ).values_list("pk", "city_rank")
    )


@transaction.atomic  # the report row a refused first write would create is rolled back too
def rank_applications(*, actor, task, unit, ranks: dict[int, int | None], version) -> None:
    """The 序号 of the unit's recommended applications: with those the province already holds,
    unique and from 1 to n (the forms and the package folders use them)."""
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
        problems = rank_problems({**_decided_ranks(task, unit), **ranks})
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
def submit_recommendation(*, actor, task, unit, version, no_overseas: bool = False) -> Submission:
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
            .select_related("enterprise")
            .order_by("city_rank", "pk")
        )
        if task.application_kind and not recommended:
            raise ServiceError(_("没有拟推荐的申报，不能报送。"))
        unranked = [str(a) for a in recommended if a.city_rank is None]
        if unranked:
            raise ServiceError(
                _("以下申报尚未排定序号：%(list)s。") % {"list": "、".join(unranked)}
            )
        ranks = {**_decided_ranks(task, unit), **{a.pk: a.city_rank for a in recommended}}
        problems = rank_problems(ranks)
        if problems:
            raise ServiceError(_("请先排定推荐序号：") + "；".join(problems) + "。")
        if task.kind == Task.Kind.OVERSEAS:
            _check_overseas_list(task, unit, no_overseas)
        if task.takes_recommendation_file and not change.current.recommendation_file:
            raise ServiceError(_("推荐文件：请先上传盖章的推荐文件扫描件（PDF）。"))
        for application in recommended:
            workflow.move(application, to=State.AT_PROVINCE, actor=actor)
        change.apply(
            {
                "state": Submission.State.SUBMITTED,
                "submitted_at": now,
                "submitted_by": actor,
                "is_late": late,
                "no_overseas": task.kind == Task.Kind.OVERSEAS and no_overseas,
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


def _check_overseas_list(task, unit, no_overseas: bool) -> None:
    entries = list(
        OverseasRecommendation.objects.filter(task=task, unit=unit).select_related("factory")
    )
    if not entries and not no_overseas:
        raise ServiceError(
            _("本单位名单中没有海外智能工厂。如确无推荐，请勾选“本单位无海外智能工厂推荐”后报送。")
        )
    unranked = [e.factory.name for e in entries if e.rank is None]
    if unranked:
        raise ServiceError(
            _("以下海外智能工厂尚未填写序号（不推荐的请移出名单）：%(list)s。")
            % {"list": "、".join(unranked)}
        )


def require_open_task(task) -> None:
    """An enterprise writes nothing into a task the province has closed (read from the
    database, not from the caller's copy)."""
    if Task.objects.filter(pk=task.pk, is_closed=True).exists():
        raise ServiceError(
            _("工作任务“%(task)s”已关闭，不再接受申报、修改或提交。") % {"task": task.title}
        )


def _enterprise_writes(actor, task) -> None:
    if actor.has_perm("campaigns.act_as_enterprise"):
        require_open_task(task)


def save_unit_files(
    *, actor, task, unit, upload=None, paper_copies=None, paper_sent_on=None, version
) -> Submission:
    """The stamped 推荐文件 (a PDF scan) and the paper copies sent, until the unit reports."""
    submission = unit_submission(actor, task, unit, "campaigns.submit_recommendation")
    check = None
    if upload is not None:
        problem = name_problem(
            re.split(r"[\\/]", getattr(upload, "original_name", upload.name))[-1], _("文件名")
        )
        if problem:
            raise ServiceError(_("推荐文件：%(problem)s。") % {"problem": problem})
        check = check_upload(
            upload, allowed_kinds=("pdf",), max_bytes=task.campaign.upload_max_bytes
        )
        if not check.ok:
            raise ServiceError(_("推荐文件：%(problem)s。") % {"problem": check.message})
    with editing(
        submission, actor=actor, version=version, action=AuditAction.SUBMISSION_FILES, unit=unit
    ) as change:
        _require_open(change.current)
        if upload is not None:
            name = getattr(upload, "original_name", upload.name)[:200]
            upload.name = "recommendation.pdf"  # the stored name is generated
            change.current.recommendation_file.save(upload.name, upload, save=False)
            change.apply({"recommendation_file_name": name})
        change.apply({"paper_copies": paper_copies, "paper_sent_on": paper_sent_on})
    return change.current


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
    _enterprise_writes(actor, task)
    factory = data["factory"]
    if factory.enterprise_id != enterprise.pk or not factory.is_overseas:
        raise ServiceError(_("海外智能工厂：请选择本企业登记的海外工厂。"))
    with transaction.atomic():
        report = Submission.objects.filter(task=task, unit=enterprise.unit).first()
        if report is not None:
            _require_open(report)
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


def _require_list_open(entry) -> None:
    report = Submission.objects.filter(task=entry.task, unit=entry.unit).first()
    if report is not None:
        _require_open(report)


def update_overseas(*, actor, entry, data: dict, version) -> OverseasRecommendation:
    """Change an entry of the overseas list (the enterprise or its city), until the unit
    reports the task."""
    require(actor, "campaigns.propose_overseas", entry.enterprise)
    _enterprise_writes(actor, entry.task)
    factory = data.get("factory", entry.factory)
    if factory.enterprise_id != entry.enterprise_id or not factory.is_overseas:
        raise ServiceError(_("海外智能工厂：请选择本企业登记的海外工厂。"))
    with editing(
        entry, actor=actor, version=version, action=AuditAction.OVERSEAS_UPDATE, unit=entry.unit
    ) as change:
        _require_list_open(change.current)
        if (
            OverseasRecommendation.objects.filter(task=entry.task, factory=factory)
            .exclude(pk=entry.pk)
            .exists()
        ):
            raise ServiceError(_("海外智能工厂：该工厂已在名单中。"))
        change.apply(data)
    return change.current


def remove_overseas(*, actor, entry, version) -> None:
    """Take an entry off the overseas list, until the unit reports the task."""
    require(actor, "campaigns.propose_overseas", entry.enterprise)
    _enterprise_writes(actor, entry.task)
    with transaction.atomic():
        with editing(
            entry,
            actor=actor,
            version=version,
            action=AuditAction.OVERSEAS_REMOVE,
            unit=entry.unit,
            save=False,
        ) as change:
            _require_list_open(change.current)
            change.fact("factory", entry.factory.name)
        OverseasRecommendation.objects.filter(pk=entry.pk).delete()
