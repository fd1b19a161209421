"""Reads of the reminders app.

Who waits on a deadline (``waiting_on``) is one rule, read by the reminder job (everyone) and
by a user's calendar feed (that user only): the enterprises of a unit for the tasks they do
themselves (the self-assessment while they have no counted result for the campaign year; an
application task while they have an application there to submit or resubmit), the city
officers of each unit that has not reported the task. The job reads as the system, not as a
user; every page reads from the user's ``visible_to`` scope.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from factorytiers.accounts import people
from factorytiers.accounts.models import User
from factorytiers.assessments.models import MaturityModelEdition
from factorytiers.assessments.selectors import overview_rows, with_counted_result
from factorytiers.campaigns.models import (
    Application,
    Campaign,
    ExpertAssignment,
    Submission,
    Task,
)
from factorytiers.campaigns.selectors import campaigns_for, waiting_assignments
from factorytiers.campaigns.workflow import EDITABLE_STATES
from factorytiers.domain.deadlines import local_date
from factorytiers.domain.reminders import (
    DEFAULT_DAYS_BEFORE,
    MAX_DAYS_BEFORE,
    OVERDUE_WINDOW,
    normalised,
)
from factorytiers.enterprises.models import Enterprise
from factorytiers.enterprises.selectors import enterprise_list
from factorytiers.reference.models import Region

from .models import CampaignReminders, Preference

# Tasks an enterprise does itself (the 督促 offers these).
ENTERPRISE_TASKS = frozenset([Task.Kind.SELF_ASSESSMENT, *Task.APPLICATION_KINDS])


def days_before(campaign: Campaign) -> tuple[int, ...]:
    stored = CampaignReminders.objects.filter(campaign=campaign).first()
    return normalised(stored.days_before) if stored else DEFAULT_DAYS_BEFORE


def campaign_reminders_of(user, campaign: Campaign) -> CampaignReminders:
    """The campaign's row as stored, or an unsaved one with the defaults (a read writes
    nothing)."""
    stored = CampaignReminders.objects.visible_to(user).filter(campaign=campaign).first()
    return stored or CampaignReminders(campaign=campaign)


def tasks_to_remind(today: date) -> QuerySet[Task]:
    """Open tasks whose deadline is near enough (or just past) for a reminder to be due."""
    return (
        Task.objects.filter(
            deadline__isnull=False,
            is_closed=False,
            deadline__gte=today - timedelta(days=OVERDUE_WINDOW),
            deadline__lte=today + timedelta(days=MAX_DAYS_BEFORE),
        )
        .select_related("campaign")
        .order_by("deadline", "pk")
    )


def _enterprises_waiting(task: Task) -> QuerySet[Enterprise] | None:
    if task.kind == Task.Kind.SELF_ASSESSMENT:
        return with_counted_result(Enterprise.objects.all(), task.campaign.year).filter(
            counted_source__isnull=True
        )
    if task.application_kind is not None:
        return Enterprise.objects.filter(
            pk__in=Application.objects.filter(task=task, state__in=EDITABLE_STATES).values(
                "enterprise_id"
            )
        )
    return None


def _units_waiting(task: Task) -> QuerySet[Region]:
    reported = Submission.objects.filter(task=task, state=Submission.State.SUBMITTED)
    return Region.objects.filter(is_reporting_unit=True).exclude(pk__in=reported.values("unit_id"))


def waiting_on(task: Task, *, among: QuerySet[User] | None = None) -> QuerySet[User]:
    """The people whose work on ``task`` is not done (of ``among``, when given)."""
    if task.deadline is None or task.is_closed:
        return User.objects.none()
    condition = Q(pk__in=people.unit_officers_of(_units_waiting(task)).values("pk"))
    enterprises = _enterprises_waiting(task)
    if enterprises is not None:
        condition |= Q(pk__in=people.enterprise_users_of(enterprises.values("pk")).values("pk"))
    users = User.objects.filter(condition)
    if among is not None:
        users = users.filter(pk__in=among.values("pk"))
    return users.order_by("pk")


def deadlines_of(user, today: date) -> list[Task]:
    """The deadlines waiting on ``user`` (the calendar feed): tasks of this year's and last
    year's campaigns, the same selection as the reminders."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(deadline__isnull=False, is_closed=False, campaign__year__gte=today.year - 1)
        .select_related("campaign")
        .order_by("deadline", "pk")
    )
    me = User.objects.filter(pk=user.pk)
    return [task for task in tasks if waiting_on(task, among=me).exists()]


def reviews_to_remind(today: date) -> QuerySet[ExpertAssignment]:
    """Assignments still to be scored (by an active expert) whose due date is near enough (or
    just past) for a reminder to be due; the expert's home lists the same ones."""
    return (
        waiting_assignments(ExpertAssignment.objects.all())
        .filter(
            expert__is_active=True,
            due_on__isnull=False,
            due_on__gte=today - timedelta(days=OVERDUE_WINDOW),
            due_on__lte=today + timedelta(days=MAX_DAYS_BEFORE),
        )
        .select_related("application__enterprise", "application__task__campaign")
        .order_by("due_on", "pk")
    )


def reviews_due_of(user) -> QuerySet[ExpertAssignment]:
    """The expert's own assignments still to be scored that have a due date (the calendar)."""
    return (
        waiting_assignments(ExpertAssignment.objects.visible_to(user))
        .filter(expert=user, due_on__isnull=False)
        .select_related("application__enterprise", "application__task")
        .order_by("due_on", "pk")
    )


def preference_of(user) -> Preference:
    """The user's preferences as stored, or an unsaved one with the defaults."""
    stored = Preference.objects.visible_to(user).filter(user=user).first()
    return stored or Preference(user=user)


def preference_by_token(token: str) -> Preference:
    """The preference whose calendar link this is; Http404 for any other token."""
    return get_object_or_404(
        Preference.objects.select_related("user").filter(user__is_active=True),
        calendar_token=token,
    )


# -- 督促 -----------------------------------------------------------------------------------

OVERVIEW = "overview"  # the self-assessment overview (who has assessed, who has not)
ENTERPRISES = "enterprises"  # the enterprise list


def urge_tasks(user, campaign: Campaign | None) -> QuerySet[Task]:
    """The tasks an officer may urge enterprises about: those they do themselves, open."""
    if campaign is None:
        return Task.objects.none()
    return Task.objects.visible_to(user).filter(
        campaign=campaign, kind__in=ENTERPRISE_TASKS, is_closed=False
    )


def urge_campaign(user, year: int | None = None) -> Campaign | None:
    campaigns = campaigns_for(user)
    if year is not None:
        return campaigns.filter(year=year).first()
    return campaigns.order_by("-year").first()


def urge_targets(user, *, source: str, filters: dict, year: int) -> QuerySet[Enterprise]:
    """The enterprises of the list the officer is looking at, with its filters: the same
    scoped reads as the list pages, so never an enterprise of another unit."""
    if source == OVERVIEW:
        return overview_rows(user, year, filters).order_by("pk")
    # The list page's own read, with its tier and level filters, as of today.
    return enterprise_list(user, filters=filters, on=local_date(timezone.now())).order_by("pk")


def overview_model():
    return MaturityModelEdition.objects.active().model


def task_for(user, pk) -> Task:
    return get_object_or_404(Task.objects.visible_to(user), pk=pk)
