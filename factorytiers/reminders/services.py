"""Writes of the reminders app: the reminder job, a user's preferences and calendar link, a
campaign's reminder days, and a city's 督促.

Reminders and 督促 are notifications (``campaigns.notify.send``), written in the same
transaction as the row that makes them once only; the e-mail follows after the commit
(``reminders.mail``). Two runs at once cannot both send: the unique constraint decides which
run inserts a row (``bulk_create(ignore_conflicts=True)``), and each run notifies only the rows
it inserted itself (read back by its batch id).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit, people
from factorytiers.accounts.models import AuditAction, User
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import Refused, editing
from factorytiers.campaigns import notify
from factorytiers.campaigns.models import Campaign, Task
from factorytiers.domain.deadlines import local_date
from factorytiers.domain.reminders import OVERDUE, due_offset, parse_days_before

from . import selectors
from .models import CampaignReminders, Preference, ReminderSent, ReviewReminderSent, Urge

# -- the reminder job ----------------------------------------------------------------------------


def _kind_and_params(task: Task, offset: int, today) -> tuple[str, dict]:
    params = {"task": task.title, "task_id": task.pk, "deadline": task.deadline.isoformat()}
    if offset == OVERDUE:
        return notify.DEADLINE_OVERDUE, params
    days_left = (task.deadline - today).days
    if days_left == 0:
        return notify.DEADLINE_TODAY, params
    return notify.DEADLINE_SOON, {**params, "days": days_left}


def remind(task: Task, offset: int, recipient_ids, *, today) -> int:
    """Send the ``offset`` reminder of ``task`` to those of ``recipient_ids`` who have not had it;
    returns how many were reminded now."""
    recipient_ids = list(recipient_ids)
    if not recipient_ids:
        return 0
    batch = uuid.uuid4()
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(
                    task=task, deadline=task.deadline, recipient_id=pk, offset=offset, batch=batch
                )
                for pk in recipient_ids
            ],
            ignore_conflicts=True,
        )
        new = list(
            User.objects.filter(
                pk__in=ReminderSent.objects.filter(batch=batch).values("recipient_id")
            )
        )
        if new:
            kind, params = _kind_and_params(task, offset, today)
            notify.send(new, kind, params, reverse("campaigns:task", args=[task.pk]))
    return len(new)


def _review_kind_and_params(assignment, offset: int, today) -> tuple[str, dict]:
    application = assignment.application
    params = {
        "enterprise": application.enterprise.name,
        "project": application.project_name,
        "deadline": assignment.due_on.isoformat(),
    }
    if offset == OVERDUE:
        return notify.REVIEW_OVERDUE, params
    days_left = (assignment.due_on - today).days
    if days_left == 0:
        return notify.REVIEW_DUE_TODAY, params
    return notify.REVIEW_DUE_SOON, {**params, "days": days_left}


def remind_review(assignment, offset: int, *, today) -> int:
    """Send the ``offset`` reminder of an expert's score due date unless it was sent; returns
    1 when it was sent now. The unique row decides, as for the task reminders."""
    batch = uuid.uuid4()
    with transaction.atomic():
        ReviewReminderSent.objects.bulk_create(
            [
                ReviewReminderSent(
                    assignment=assignment, due_on=assignment.due_on, offset=offset, batch=batch
                )
            ],
            ignore_conflicts=True,
        )
        if not ReviewReminderSent.objects.filter(batch=batch).exists():
            return 0
        kind, params = _review_kind_and_params(assignment, offset, today)
        notify.send(
            [assignment.expert], kind, params, reverse("campaigns:score", args=[assignment.pk])
        )
    return 1


def send_reminders(*, now: datetime | None = None) -> int:
    """Every reminder due today (Asia/Shanghai), each once: the job of ``manage.py
    send_reminders`` and of Celery beat. Returns how many reminders were sent: one per person
    and task deadline, one per expert's score due date."""
    today = local_date(now or timezone.now())
    sent = 0
    days: dict[int, tuple[int, ...]] = {}  # per campaign: one read, not one per task or review

    def days_of(campaign):
        if campaign.pk not in days:
            days[campaign.pk] = selectors.days_before(campaign)
        return days[campaign.pk]

    for task in selectors.tasks_to_remind(today):
        offset = due_offset(task.deadline, today, days_of(task.campaign))
        if offset is None:
            continue
        recipients = selectors.waiting_on(task).values_list("pk", flat=True)
        sent += remind(task, offset, recipients, today=today)
    for assignment in selectors.reviews_to_remind(today):
        campaign = assignment.application.task.campaign
        offset = due_offset(assignment.due_on, today, days_of(campaign))
        if offset is not None:
            sent += remind_review(assignment, offset, today=today)
    return sent


# -- a user's preferences ------------------------------------------------------------------------


def _own_preference(user) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def set_preferences(*, actor, email_enabled: bool, language: str, version) -> Preference:
    require(actor, "reminders.edit_preferences")
    preference = _own_preference(actor)  # the page showed the defaults at version 1
    with editing(
        preference,
        actor=actor,
        version=version,
        action=AuditAction.REMINDER_PREFERENCES,
        unit=actor.unit,
    ) as change:
        change.apply({"email_enabled": email_enabled, "language": language})
    return change.current


@transaction.atomic
def renew_calendar_token(*, actor) -> Preference:
    """A new private calendar link; the old one stops working at once."""
    require(actor, "reminders.edit_preferences")
    preference = Preference.objects.select_for_update().get(pk=_own_preference(actor).pk)
    renewed = preference.calendar_token is not None
    preference.calendar_token = secrets.token_urlsafe(32)
    preference.version += 1
    preference.save(update_fields=["calendar_token", "version"])
    audit.record(
        actor=actor,
        action=AuditAction.CALENDAR_TOKEN,
        target=actor,
        facts={"renewed": renewed},
        unit=actor.unit,
    )
    return preference


# -- a campaign's reminder days -------------------------------------------------------------------


@transaction.atomic
def set_days_before(*, actor, campaign: Campaign, text: str, version) -> CampaignReminders:
    require(actor, "reminders.edit_campaign_reminders", campaign)
    days, problem = parse_days_before(text)
    if problem:
        raise Refused(_("截止前提醒天数：%(problem)s。") % {"problem": problem})
    row, _created = CampaignReminders.objects.get_or_create(campaign=campaign)
    with editing(
        row, actor=actor, version=version, action=AuditAction.CAMPAIGN_REMINDERS
    ) as change:
        change.apply({"days_before": list(days)})
    return change.current


# -- 督促 ----------------------------------------------------------------------------------------


def urge_enterprises(*, actor, task: Task, enterprises, note: str = "") -> int:
    """Notify (and e-mail) every account of ``enterprises`` — read by the caller from the
    officer's own scoped list — about ``task``, each enterprise at most once a day per task.
    Returns how many enterprises were urged now."""
    require(actor, "reminders.urge_enterprises", task)
    if task.kind not in selectors.ENTERPRISE_TASKS or task.is_closed:
        raise Refused(_("该任务不能督促企业。"))
    targets = list(enterprises.select_related("unit"))
    if not targets:
        raise Refused(_("筛选结果中没有企业，未发送督促。"))
    today = local_date(timezone.now())
    batch = uuid.uuid4()
    note = " ".join(note.split())[:200]
    with transaction.atomic():
        Urge.objects.bulk_create(
            [
                Urge(
                    task=task,
                    enterprise=enterprise,
                    unit=enterprise.unit,
                    sent_on=today,
                    sent_by=actor,
                    note=note,
                    batch=batch,
                )
                for enterprise in targets
            ],
            ignore_conflicts=True,
        )
        urged = list(Urge.objects.filter(batch=batch).values_list("enterprise_id", flat=True))
        if not urged:
            raise Refused(_("这些企业今天已就该任务督促过，每家企业每项任务每天只督促一次。"))
        params = {
            "unit": actor.unit.name if actor.unit else "",
            "task": task.title,
            "task_id": task.pk,
            "deadline": task.deadline.isoformat() if task.deadline else "—",
            "note": note,
        }
        notify.send(
            people.enterprise_users_of(urged),
            notify.URGE,
            params,
            reverse("campaigns:task", args=[task.pk]),
        )
        audit.record(
            actor=actor,
            action=AuditAction.REMINDER_URGE,
            target=task,
            facts={
                "enterprises": len(urged),
                "skipped": len(targets) - len(urged),
                "note": note,
            },
            unit=actor.unit,
        )
    return len(urged)
