"""The operator (系统管理员, a Django superuser) is not a superuser of the business data: the
rules decide for every role, so the operator can change no application, score or report —
neither through the pages, nor through the services, nor through the Django admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

from factorytiers.campaigns.models import Application, Campaign, ExpertAssignment, Score, Task
from factorytiers.campaigns.services import applications, evaluation
from factorytiers.documents import services as documents
from factorytiers.documents.models import ReportDraft
from tests.access import database_rows
from tests.campaigns.conftest import submitted


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(year=2026)


@pytest.fixture
def advanced_task(campaign):
    return campaign.tasks.get(kind=Task.Kind.ADVANCED)


@pytest.fixture
def operator(users):
    assert users["admin"].is_superuser
    return users["admin"]


@pytest.fixture
def application(users, advanced_task, factory_a):
    return submitted(users, advanced_task, factory_a)


def test_the_operator_cannot_change_an_application_by_its_pages(client, operator, application):
    client.force_login(operator)
    before = database_rows()
    edit = client.post(
        reverse("campaigns:application_edit", args=[application.pk]),
        {"project_name": "运维改过的名字", "version": application.version},
    )
    step = client.post(
        reverse("campaigns:application_action", args=[application.pk]),
        {"action": "recommend", "version": application.version},
    )
    assert (edit.status_code, step.status_code) == (403, 403)
    assert database_rows() == before


def test_the_operator_cannot_change_an_application_through_the_services(operator, application):
    with pytest.raises(PermissionDenied):
        applications.update_application(
            actor=operator,
            application=application,
            data={"project_name": "运维改过的名字"},
            scenarios=[],
            ai_scenarios=[],
            version=application.version,
        )
    with pytest.raises(PermissionDenied):
        applications.take_step(
            actor=operator,
            application=application,
            step_name="recommend",
            version=application.version,
        )
    assert Application.objects.get(pk=application.pk).project_name == "智能工厂建设项目"


def test_the_operator_cannot_score(client, users, operator, application):
    Application.objects.filter(pk=application.pk).update(state="under_review")
    assignment = ExpertAssignment.objects.create(
        application=application, expert=users["expert"], assigned_by=users["province"]
    )
    client.force_login(operator)
    response = client.post(
        reverse("campaigns:score", args=[assignment.pk]),
        {"points_maturity": "10", "comment": "运维打的分"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        evaluation.submit_score(
            actor=operator, assignment=assignment, points={"maturity": "10"}, comment="运维"
        )
    assert not Score.objects.exists()


def test_the_operator_cannot_write_a_units_report(client, operator, campaign, unit_a):
    task = campaign.tasks.get(kind=Task.Kind.REPORT)
    client.force_login(operator)
    response = client.post(
        reverse("documents:report_edit", args=[task.pk, unit_a.pk]),
        {"measures": "运维写的", "next_steps": "", "version": "0"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        documents.save_report(
            actor=operator, unit=unit_a, campaign=campaign, texts={"measures": "运维"}, version=0
        )
    assert not ReportDraft.objects.exists()


@pytest.mark.parametrize("model", ["application", "score", "submission", "transition"])
def test_the_business_data_is_not_in_the_django_admin(model):
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:campaigns_{model}_change", args=[1])


def test_a_superuser_made_on_the_command_line_is_the_operator(db):
    from factorytiers.accounts.models import Role, User

    user = User.objects.create_superuser("ops", "ops@example.cn", "Ops#2026pass")
    assert user.role == Role.ADMIN
    assert user.has_perm("accounts.view_audit_log")
    assert not user.has_perm("campaigns.view_application")
    assert user.has_perm("accounts.change_user")  # the Django admin's own permissions stay
