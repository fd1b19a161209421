"""An expert's score due date: reminded N days before (the campaign's days), on the day and
once overdue, each (assignment, due date, offset) once however often the job runs; a scored,
conflicted or withdrawn assignment is not reminded; the expert's calendar holds each due date."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from factorytiers.campaigns import notify
from factorytiers.campaigns.models import ExpertAssignment, Notification, Score
from factorytiers.reminders import services
from factorytiers.reminders.models import CampaignReminders, Preference, ReviewReminderSent
from tests.campaigns.test_application_list import make_application

from .conftest import shanghai

pytestmark = pytest.mark.django_db

DUE = date(2026, 7, 20)
KINDS = [notify.REVIEW_DUE_SOON, notify.REVIEW_DUE_TODAY, notify.REVIEW_OVERDUE]


@pytest.fixture
def assignment(mailed_users, campaign, factory_a):
    task = campaign.tasks.get(kind="advanced")
    application = make_application(
        mailed_users["enterprise_a"],
        task,
        factory_a,
        project="数字化车间项目",
        state="under_review",
    )
    return ExpertAssignment.objects.create(
        application=application,
        expert=mailed_users["expert"],
        assigned_by=mailed_users["province"],
        due_on=DUE,
    )


def run(capture):
    with capture(execute=True):
        return services.send_reminders()


def review_reminders(user):
    return list(Notification.objects.filter(recipient=user, kind__in=KINDS).order_by("pk"))


def test_seven_days_before_the_due_date_the_expert_is_reminded_once(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 7, 13, 8))
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)  # the second run sends nothing again
    (notification,) = review_reminders(mailed_users["expert"])
    assert notification.kind == notify.REVIEW_DUE_SOON
    assert notify.message(notification) == (
        "“太原晋华重工有限公司 · 数字化车间项目”的评分将于2026-07-20截止（还剩7天），尚未评分。"
    )
    assert notification.link == reverse("campaigns:score", args=[assignment.pk])
    assert [m.to for m in mail.outbox] == [["expert@example.com"]]
    assert ReviewReminderSent.objects.count() == 1


def test_the_day_before_on_the_day_and_after_the_due_date(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    for day in (13, 19, 20, 21, 22):
        travel(shanghai(2026, 7, day, 8))
        run(django_capture_on_commit_callbacks)
    kinds = [n.kind for n in review_reminders(mailed_users["expert"])]
    # 7 days before, the 1-day window (19th, not again on the 20th), overdue once.
    assert kinds == [notify.REVIEW_DUE_SOON, notify.REVIEW_DUE_SOON, notify.REVIEW_OVERDUE]
    assert len(mail.outbox) == 3


def test_on_the_day_the_reminder_says_today(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 7, 20, 8))
    run(django_capture_on_commit_callbacks)
    (notification,) = review_reminders(mailed_users["expert"])
    assert notify.message(notification) == (
        "“太原晋华重工有限公司 · 数字化车间项目”的评分今天（2026-07-20）截止，尚未评分。"
    )


def test_a_scored_or_conflicted_or_moved_on_assignment_is_not_reminded(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 7, 13, 8))
    Score.objects.create(assignment=assignment, sheet={}, points={}, total=80, comment="好")
    run(django_capture_on_commit_callbacks)
    assert review_reminders(mailed_users["expert"]) == []


def test_an_application_no_longer_under_review_is_not_reminded(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 7, 13, 8))
    type(assignment.application).objects.filter(pk=assignment.application_id).update(
        state="at_province"
    )
    run(django_capture_on_commit_callbacks)
    assert review_reminders(mailed_users["expert"]) == []


def test_a_moved_due_date_is_reminded_again(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 7, 13, 8))
    run(django_capture_on_commit_callbacks)
    ExpertAssignment.objects.filter(pk=assignment.pk).update(due_on=date(2026, 7, 14))
    run(django_capture_on_commit_callbacks)
    assert len(review_reminders(mailed_users["expert"])) == 2


def test_the_campaigns_days_apply_to_the_due_date(
    mailed_users, assignment, campaign, travel, django_capture_on_commit_callbacks
):
    CampaignReminders.objects.create(campaign=campaign, days_before=[3])
    travel(shanghai(2026, 7, 13, 8))
    run(django_capture_on_commit_callbacks)
    assert review_reminders(mailed_users["expert"]) == []
    travel(shanghai(2026, 7, 17, 8))
    run(django_capture_on_commit_callbacks)
    assert len(review_reminders(mailed_users["expert"])) == 1


def test_with_email_off_the_expert_is_reminded_in_the_product_only(
    mailed_users, assignment, travel, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=mailed_users["expert"], email_enabled=False)
    travel(shanghai(2026, 7, 13, 8))
    run(django_capture_on_commit_callbacks)
    assert len(review_reminders(mailed_users["expert"])) == 1
    assert mail.outbox == []


def test_the_experts_calendar_holds_the_due_date(client, mailed_users, assignment, travel):
    travel(shanghai(2026, 7, 1, 9))
    token = services.renew_calendar_token(actor=mailed_users["expert"]).calendar_token
    response = client.get(reverse("reminders:calendar", args=[token]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "评分截止：太原晋华重工有限公司 · 数字化车间项目"
    assert event.decoded("dtstart") == DUE
    assert event.decoded("dtend") == date(2026, 7, 21)
    assert str(event["url"]).endswith(reverse("campaigns:score", args=[assignment.pk]))
    # Once scored, the event leaves the calendar.
    Score.objects.create(assignment=assignment, sheet={}, points={}, total=80, comment="好")
    response = client.get(reverse("reminders:calendar", args=[token]))
    assert Calendar.from_ical(response.content).walk("VEVENT") == []
