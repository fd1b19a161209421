"""Each step that leaves an application (or a unit's report) waiting for someone e-mails the
person who acts next; a step that only informs sends the notification without e-mail."""

import pytest
from django.core import mail

from factorytiers.accounts.people import expert as active_expert
from factorytiers.campaigns import notify
from factorytiers.campaigns.models import Notification, Submission
from factorytiers.campaigns.services import evaluation, submissions
from factorytiers.reminders.models import Preference
from tests.campaigns.conftest import draft, stamped, step, unit_submission, with_materials

pytestmark = pytest.mark.django_db


@pytest.fixture
def advanced(campaign):
    return campaign.tasks.get(kind="advanced")


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """``act(fn)``: run one step with its after-commit work; the addresses it e-mailed."""

    def run(fn):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = fn()
        return result, sorted(address for m in mail.outbox for address in m.to)

    return run


def _report(users, task, unit):
    submissions.rank_applications(
        actor=users["city_a"],
        task=task,
        unit=unit,
        ranks={a.pk: 1 for a in task.applications.filter(unit=unit, state="recommended")},
        version=unit_submission(task, unit).version,
    )
    return submissions.submit_recommendation(
        actor=users["city_a"], task=task, unit=unit, version=stamped(task, unit).version
    )


def test_every_step_that_waits_for_someone_mails_who_acts_next(
    mailed_users, advanced, factory_a, unit_a, act
):
    users = mailed_users
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced, factory_a)
    )

    _, to = act(lambda: step(users["enterprise_a"], application, "submit"))
    assert to == ["city_a@example.com"]  # the city reviews it

    _, to = act(lambda: step(users["city_a"], application, "return", "请补充投资数据"))
    assert to == ["enterprise_a@example.com"]  # the enterprise revises it
    assert Notification.objects.filter(
        recipient=users["enterprise_a"], params__state="returned"
    ).exists()
    assert "请补充投资数据" in mail.outbox[0].body

    _, to = act(lambda: step(users["enterprise_a"], application, "submit"))
    assert to == ["city_a@example.com"]

    _, to = act(lambda: step(users["city_a"], application, "recommend"))
    assert to == []  # the city itself acts next; the enterprise is only told
    assert Notification.objects.filter(
        recipient=users["enterprise_a"], params__state="recommended"
    ).exists()

    _, to = act(lambda: _report(users, advanced, unit_a))
    assert to == ["province@example.com"]  # the province reviews the unit's report

    submission = Submission.objects.get(task=advanced, unit=unit_a)
    _, to = act(
        lambda: submissions.return_submission(
            actor=users["province"],
            submission=submission,
            comment="序号有误",
            version=submission.version,
        )
    )
    assert to == ["city_a@example.com"]  # the city reports again

    act(lambda: _report(users, advanced, unit_a))
    application.refresh_from_db()
    assignment, to = act(
        lambda: evaluation.assign_expert(
            actor=users["province"],
            application=application,
            expert=active_expert(users["expert"].pk),
        )
    )
    assert to == ["expert@example.com"]  # the expert scores it

    _, to = act(
        lambda: evaluation.declare_conflict(
            actor=users["expert"], assignment=assignment, note="曾任该企业顾问"
        )
    )
    assert to == ["province@example.com"]  # the province assigns another expert


def test_a_recipient_with_email_off_still_gets_the_notification(
    mailed_users, advanced, factory_a, act
):
    Preference.objects.create(user=mailed_users["city_a"], email_enabled=False)
    application = with_materials(
        mailed_users["enterprise_a"], draft(mailed_users["enterprise_a"], advanced, factory_a)
    )
    _, to = act(lambda: step(mailed_users["enterprise_a"], application, "submit"))
    assert to == []
    assert Notification.objects.filter(
        recipient=mailed_users["city_a"], kind=notify.APPLICATION_SUBMITTED
    ).exists()


def test_a_user_without_an_address_is_skipped(users, advanced, factory_a, act):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced, factory_a)
    )
    _, to = act(lambda: step(users["enterprise_a"], application, "submit"))
    assert to == [] and Notification.objects.filter(recipient=users["city_a"]).exists()


def test_which_kinds_ask_to_act():
    assert notify.asks_to_act(notify.APPLICATION_STATE, {"state": "returned"})
    assert not notify.asks_to_act(notify.APPLICATION_STATE, {"state": "recommended"})
    assert not notify.asks_to_act(notify.RECOGNITION_REVOKED, {})
    for kind in (
        notify.EXPERT_ASSIGNED,
        notify.SUBMISSION_RETURNED,
        notify.URGE,
        notify.DEADLINE_OVERDUE,
    ):
        assert notify.asks_to_act(kind, {})


def test_the_email_is_written_in_the_recipients_language(mailed_users, advanced, factory_a, act):
    Preference.objects.create(user=mailed_users["city_a"], language="en")
    application = with_materials(
        mailed_users["enterprise_a"], draft(mailed_users["enterprise_a"], advanced, factory_a)
    )
    _, to = act(lambda: step(mailed_users["enterprise_a"], application, "submit"))
    assert to == ["city_a@example.com"]
    assert "太原晋华重工有限公司 submitted “智能工厂建设项目” for review." in mail.outbox[0].subject
