"""The reminder job: N days before each deadline, once overdue, only to those whose work is
not done, each (deadline, person, offset) once however often or however concurrently it runs."""

from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command

from factorytiers.campaigns import notify
from factorytiers.campaigns.models import Notification
from factorytiers.domain.reminders import OVERDUE
from factorytiers.reminders import services
from factorytiers.reminders.models import CampaignReminders, Preference, ReminderSent

from .conftest import APRIL_15, assessed, reported, shanghai

pytestmark = pytest.mark.django_db


def run(capture):
    with capture(execute=True):
        return services.send_reminders()


def reminders(user, kind=None):
    qs = Notification.objects.filter(
        recipient=user,
        kind__in=[notify.DEADLINE_SOON, notify.DEADLINE_TODAY, notify.DEADLINE_OVERDUE],
    )
    return qs.filter(kind=kind) if kind else qs


def about(user, task):
    return [n for n in reminders(user) if n.params["task_id"] == task.pk]


def test_seven_days_before_the_deadline_everyone_still_at_work_is_reminded(
    mailed_users, self_assessment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 8, 8))
    run(django_capture_on_commit_callbacks)
    for role in ("enterprise_a", "enterprise_b", "city_a", "city_b"):
        (notification,) = about(mailed_users[role], self_assessment)
        assert notification.kind == notify.DEADLINE_SOON
        assert notify.message(notification) == (
            "“智能制造能力成熟度自评估”将于2026-04-15截止（还剩7天），尚未完成。"
        )
    assert not reminders(mailed_users["province"]).exists()
    assert not reminders(mailed_users["expert"]).exists()
    to = Counter(address for m in mail.outbox for address in m.to)
    assert to["enterprise_a@example.com"] == 1  # the self-assessment (no application open)
    assert to["city_a@example.com"] == 2  # the self-assessment and the 揭榜 task
    assert "province@example.com" not in to


def test_one_day_before_the_one_day_reminder_and_on_the_day_the_last(
    users, self_assessment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 14, 8))
    run(django_capture_on_commit_callbacks)
    (notification,) = about(users["city_a"], self_assessment)
    assert notification.params["days"] == 1
    assert ReminderSent.objects.get(recipient=users["city_a"], task=self_assessment).offset == 1
    travel(shanghai(2026, 4, 15, 8))
    run(django_capture_on_commit_callbacks)  # the deadline day is in the 1-day window: sent
    assert len(about(users["city_a"], self_assessment)) == 1


def test_a_missed_day_is_caught_up_with_the_days_actually_left(
    users, self_assessment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 15, 7))  # the job never ran before the deadline day
    run(django_capture_on_commit_callbacks)
    (notification,) = about(users["city_a"], self_assessment)
    assert notification.kind == notify.DEADLINE_TODAY
    assert (
        notify.message(notification)
        == "“智能制造能力成熟度自评估”今天（2026-04-15）截止，尚未完成。"
    )


def test_after_the_deadline_the_work_not_done_is_overdue(
    users, self_assessment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 16, 0, 5))  # five minutes into the next Shanghai day
    run(django_capture_on_commit_callbacks)
    (notification,) = about(users["enterprise_a"], self_assessment)
    assert notification.kind == notify.DEADLINE_OVERDUE
    assert (
        ReminderSent.objects.get(recipient=users["enterprise_a"], task=self_assessment).offset
        == OVERDUE
    )


def test_before_the_first_window_nothing_is_sent(users, travel, django_capture_on_commit_callbacks):
    travel(shanghai(2026, 3, 30, 8))  # 16 days before 04-15, 17 after 03-10, 37 before 05-06
    assert run(django_capture_on_commit_callbacks) == 0
    assert not Notification.objects.exists() and not mail.outbox


def test_nobody_whose_work_is_done_is_reminded(
    users, self_assessment, unit_a, enterprise_a, travel, django_capture_on_commit_callbacks
):
    assessed(enterprise_a)
    reported(self_assessment, unit_a)
    travel(shanghai(2026, 4, 8, 8))
    run(django_capture_on_commit_callbacks)
    assert about(users["enterprise_a"], self_assessment) == []
    assert about(users["city_a"], self_assessment) == []
    # The others still are.
    assert len(about(users["enterprise_b"], self_assessment)) == 1
    assert len(about(users["city_b"], self_assessment)) == 1


def test_an_assessment_of_another_year_does_not_count(
    users, self_assessment, enterprise_a, travel, django_capture_on_commit_callbacks
):
    assessed(enterprise_a, year=2025)
    travel(shanghai(2026, 4, 8, 8))
    run(django_capture_on_commit_callbacks)
    assert len(about(users["enterprise_a"], self_assessment)) == 1


def test_running_twice_sends_each_reminder_once(
    mailed_users, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 8, 8))
    first = run(django_capture_on_commit_callbacks)
    mails, notifications = len(mail.outbox), Notification.objects.count()
    assert first > 0 and mails > 0
    travel(shanghai(2026, 4, 8, 9))
    assert run(django_capture_on_commit_callbacks) == 0
    travel(shanghai(2026, 4, 10, 8))  # still in the 7-day window
    assert run(django_capture_on_commit_callbacks) == 0
    assert (len(mail.outbox), Notification.objects.count()) == (mails, notifications)


def test_the_management_command_is_the_same_job(users, travel, django_capture_on_commit_callbacks):
    travel(shanghai(2026, 4, 8, 8))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))
        call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert (
        Counter(ReminderSent.objects.values_list("recipient_id", "task_id", "offset")).most_common(
            1
        )[0][1]
        == 1
    )
    assert ReminderSent.objects.count() == Notification.objects.count() > 0


def test_a_concurrent_run_that_inserted_first_wins_by_the_constraint(
    mailed_users, self_assessment, travel, django_capture_on_commit_callbacks
):
    """Another run committed the reminder of city A between this run's read of who waits and
    its insert: the unique constraint keeps this run from notifying or mailing city A again."""
    travel(shanghai(2026, 4, 8, 8))
    city_a = mailed_users["city_a"]
    ReminderSent.objects.create(
        task=self_assessment, deadline=APRIL_15, recipient=city_a, offset=7, batch="0" * 32
    )
    with django_capture_on_commit_callbacks(execute=True):
        count = services.remind(
            self_assessment,
            7,
            [city_a.pk, mailed_users["city_b"].pk],
            today=APRIL_15.replace(day=8),
        )
    assert count == 1
    assert about(city_a, self_assessment) == []
    assert [m.to for m in mail.outbox] == [["city_b@example.com"]]


def test_the_constraint_itself_refuses_a_second_row(users, self_assessment):
    from django.db import IntegrityError, transaction

    row = dict(task=self_assessment, deadline=APRIL_15, recipient=users["city_a"], offset=1)
    ReminderSent.objects.create(**row, batch="1" * 32)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderSent.objects.create(**row, batch="2" * 32)


def test_a_moved_deadline_is_reminded_again(
    users, self_assessment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 8, 8))
    run(django_capture_on_commit_callbacks)
    self_assessment.deadline = APRIL_15.replace(day=22)
    self_assessment.save()
    travel(shanghai(2026, 4, 15, 8))
    run(django_capture_on_commit_callbacks)
    assert [n.params["deadline"] for n in about(users["city_a"], self_assessment)] == [
        "2026-04-22",
        "2026-04-15",
    ]


def test_a_closed_task_is_not_reminded(
    users, self_assessment, travel, django_capture_on_commit_callbacks
):
    self_assessment.is_closed = True
    self_assessment.save()
    travel(shanghai(2026, 4, 16, 8))
    run(django_capture_on_commit_callbacks)
    assert about(users["city_a"], self_assessment) == []


def test_with_email_off_the_notification_appears_but_no_mail_is_sent(
    mailed_users, self_assessment, travel, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=mailed_users["city_a"], email_enabled=False)
    travel(shanghai(2026, 4, 8, 8))
    run(django_capture_on_commit_callbacks)
    assert len(about(mailed_users["city_a"], self_assessment)) == 1
    assert all("city_a@example.com" not in m.to for m in mail.outbox)
    assert any("city_b@example.com" in m.to for m in mail.outbox)


def test_the_email_says_what_and_links_to_the_task(
    mailed_users, self_assessment, travel, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ft.example.gov.cn"
    travel(shanghai(2026, 4, 8, 8))
    run(django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == ["enterprise_a@example.com"]]
    assert (
        message.subject
        == "【智能工厂梯度培育】“智能制造能力成熟度自评估”将于2026-04-15截止（还剩7天），尚未完成。"
    )
    assert f"https://ft.example.gov.cn/campaigns/tasks/{self_assessment.pk}/" in message.body
    assert "https://ft.example.gov.cn/reminders/preferences/" in message.body


def test_a_campaigns_own_days_are_used(
    users, self_assessment, campaign, travel, django_capture_on_commit_callbacks
):
    CampaignReminders.objects.create(campaign=campaign, days_before=[3])
    travel(shanghai(2026, 4, 8, 8))
    assert run(django_capture_on_commit_callbacks) == 0
    travel(shanghai(2026, 4, 12, 8))
    run(django_capture_on_commit_callbacks)
    assert about(users["city_a"], self_assessment)[0].params["days"] == 3


def test_a_failing_mail_server_does_not_undo_the_reminders(
    mailed_users, travel, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.reminders.test_send_reminders.BrokenBackend"
    travel(shanghai(2026, 4, 8, 8))
    assert run(django_capture_on_commit_callbacks) > 0
    assert Notification.objects.exists() and ReminderSent.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
