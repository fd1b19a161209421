"""Notifications: who hears of what. A notification is stored as a kind and its facts (codes,
names); ``message`` writes it in the reader's language when it is shown. Services send them
after their change is committed (``writes.after_commit``).

A notification that asks its reader to act (``asks_to_act``: a submission to review, a return to
revise, an assignment, a deadline) is also e-mailed: ``send`` announces it on
``notifications_sent`` and the reminders app mails it once the transaction commits, unless the
reader turned e-mail off.
"""

from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.people import enterprise_users, province_officers, unit_officers
from factorytiers.accounts.roles import Role

from .models import Application, Notification, State
from .workflow import STATES, state_label

APPLICATION_STATE = "application_state"
APPLICATION_SUBMITTED = "application_submitted"
SUBMISSION_REPORTED = "submission_reported"
SUBMISSION_RETURNED = "submission_returned"
EXPERT_ASSIGNED = "expert_assigned"
CONFLICT_DECLARED = "conflict_declared"
RECOGNITION_REVOKED = "recognition_revoked"
RECOGNITION_DOWNGRADED = "recognition_downgraded"
MINISTRY_RESULT = "ministry_result"
CONDITION_OVERRIDE = "condition_override"
# Deadlines (the reminders app) and a city's 督促 of its enterprises.
DEADLINE_SOON = "deadline_soon"
DEADLINE_TODAY = "deadline_today"
DEADLINE_OVERDUE = "deadline_overdue"
URGE = "urge"
# An expert's score due date (the reminders app).
REVIEW_DUE_SOON = "review_due_soon"
REVIEW_DUE_TODAY = "review_due_today"
REVIEW_OVERDUE = "review_overdue"

MESSAGES = {
    APPLICATION_STATE: _("“%(project)s”状态：%(state)s"),
    APPLICATION_SUBMITTED: _("%(enterprise)s提交了“%(project)s”，待审核。"),
    SUBMISSION_REPORTED: _("%(unit)s已报送“%(task)s”。"),
    SUBMISSION_RETURNED: _("省级退回了“%(task)s”的报送：%(comment)s"),
    EXPERT_ASSIGNED: _("您有一项新的评审任务。"),
    CONFLICT_DECLARED: _("有专家申明了利益冲突，请另行分配。"),
    RECOGNITION_REVOKED: _("%(factory)s的%(tier)s认定已撤销：%(reason)s"),
    RECOGNITION_DOWNGRADED: _("%(factory)s的%(tier)s认定已降为%(lower)s：%(reason)s"),
    CONDITION_OVERRIDE: _("市级管理员对“%(project)s”未满足的条件作了说明：%(reason)s"),
    DEADLINE_SOON: _("“%(task)s”将于%(deadline)s截止（还剩%(days)s天），尚未完成。"),
    DEADLINE_TODAY: _("“%(task)s”今天（%(deadline)s）截止，尚未完成。"),
    DEADLINE_OVERDUE: _("“%(task)s”已于%(deadline)s截止，尚未完成，请尽快办理。"),
    URGE: _("%(unit)s督促：请尽快完成“%(task)s”（截止日期%(deadline)s）。"),
    REVIEW_DUE_SOON: _(
        "“%(enterprise)s · %(project)s”的评分将于%(deadline)s截止（还剩%(days)s天），尚未评分。"
    ),
    REVIEW_DUE_TODAY: _("“%(enterprise)s · %(project)s”的评分今天（%(deadline)s）截止，尚未评分。"),
    REVIEW_OVERDUE: _(
        "“%(enterprise)s · %(project)s”的评分已于%(deadline)s截止，尚未评分，请尽快评分。"
    ),
}
# Kinds that ask the reader to do something next (e-mailed too); APPLICATION_STATE asks when
# the new state waits for the enterprise (a return for revision).
ACTION_KINDS = frozenset(
    [
        APPLICATION_SUBMITTED,
        SUBMISSION_REPORTED,
        SUBMISSION_RETURNED,
        EXPERT_ASSIGNED,
        CONFLICT_DECLARED,
        DEADLINE_SOON,
        DEADLINE_TODAY,
        DEADLINE_OVERDUE,
        URGE,
        REVIEW_DUE_SOON,
        REVIEW_DUE_TODAY,
        REVIEW_OVERDUE,
    ]
)
NOTE = _("说明：%(note)s")

# Sent with ``notifications`` (the stored rows) for those that ask their reader to act.
notifications_sent = Signal()
LATE = _("（逾期）")
COMMENT = _("。意见：%(comment)s")


def message(notification: Notification) -> str:
    """The notification's text in the active language."""
    params = dict(notification.params)
    template = MESSAGES.get(notification.kind)
    if template is None:
        return str(params.get("text", ""))
    if "state" in params:
        params["state"] = state_label(params["state"], for_enterprise=True)
    text = str(template) % params
    if params.get("late"):
        text = text.rstrip("。") + str(LATE) + "。"
    if notification.kind == APPLICATION_STATE and params.get("comment"):
        text += str(COMMENT) % params
    if notification.kind == URGE and params.get("note"):
        text += str(NOTE) % params
    return text


def asks_to_act(kind: str, params: dict) -> bool:
    """Whether a notification of ``kind`` waits for its reader (then it is e-mailed too)."""
    if kind == APPLICATION_STATE:
        info = STATES.get(params.get("state"))
        return info is not None and Role.ENTERPRISE in info.acted_on_by
    return kind in ACTION_KINDS


def send(recipients, kind: str, params: dict, link: str = "") -> list[Notification]:
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, params=params, link=link)
            for user in set(recipients)
        ]
    )
    if created and asks_to_act(kind, params):
        notifications_sent.send(sender=Notification, notifications=created)
    return created


def application_changed(application: Application, comment: str = "") -> None:
    link = reverse("campaigns:application_detail", args=[application.pk])
    send(
        enterprise_users(application.enterprise_id),
        APPLICATION_STATE,
        {"project": application.project_name, "state": application.state, "comment": comment},
        link,
    )
    if application.state == State.SUBMITTED:
        send(
            unit_officers(application.unit_id),
            APPLICATION_SUBMITTED,
            {"enterprise": application.enterprise.name, "project": application.project_name},
            link,
        )


def submission_reported(submission) -> None:
    send(
        province_officers(),
        SUBMISSION_REPORTED,
        {"unit": submission.unit.name, "task": submission.task.title, "late": submission.is_late},
        reverse("campaigns:task", args=[submission.task_id]),
    )


def submission_returned(submission, comment: str) -> None:
    send(
        unit_officers(submission.unit_id),
        SUBMISSION_RETURNED,
        {"task": submission.task.title, "comment": comment},
        reverse("campaigns:task", args=[submission.task_id]),
    )


def expert_assigned(assignment) -> None:
    send([assignment.expert], EXPERT_ASSIGNED, {}, reverse("campaigns:score", args=[assignment.pk]))


def conflict_declared(assignment) -> None:
    send(
        province_officers(),
        CONFLICT_DECLARED,
        {},
        reverse("campaigns:application_detail", args=[assignment.application_id]),
    )


def recognition_revoked(recognition, reason: str, lower=None) -> None:
    params = {"factory": recognition.factory.name, "tier": recognition.tier, "reason": reason}
    if lower is not None:
        params["lower"] = lower.tier
    send(
        enterprise_users(recognition.factory.enterprise_id),
        RECOGNITION_DOWNGRADED if lower is not None else RECOGNITION_REVOKED,
        params,
        reverse("campaigns:factory_tiers", args=[recognition.factory_id]),
    )


def condition_override(application) -> None:
    send(
        enterprise_users(application.enterprise_id),
        CONDITION_OVERRIDE,
        {"project": application.project_name, "reason": application.condition_override},
        reverse("campaigns:application_detail", args=[application.pk]),
    )
