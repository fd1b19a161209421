"""The operator sees the campaign data in the Django admin; workflow records are read-only."""

import pytest
from django.urls import reverse

from factorytiers.campaigns.models import Campaign

from .conftest import submitted


@pytest.mark.parametrize(
    "model",
    [
        "campaign",
        "task",
        "scenarioedition",
        "scenario",
        "application",
        "transition",
        "material",
        "submission",
        "expertassignment",
        "score",
        "publicity",
        "objection",
        "overseasrecommendation",
        "notification",
        "factoryscenario",
    ],
)
def test_every_campaign_model_has_an_admin_list(client, users, model):
    client.force_login(users["admin"])
    assert client.get(reverse(f"admin:campaigns_{model}_changelist")).status_code == 200


def test_the_operator_opens_a_campaign_and_an_application(
    client, users, campaign, advanced_task, factory_a
):
    application = submitted(users, advanced_task, factory_a)
    client.force_login(users["admin"])
    page = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    assert page.status_code == 200 and "先进级智能工厂推荐" in page.content.decode()
    page = client.get(reverse("admin:campaigns_application_change", args=[application.pk]))
    assert page.status_code == 200 and "form_pdf" in page.content.decode()


def test_transitions_cannot_be_changed_or_deleted_in_the_admin(
    client, users, advanced_task, factory_a
):
    application = submitted(users, advanced_task, factory_a)
    row = application.transitions.get()
    client.force_login(users["admin"])
    url = reverse("admin:campaigns_transition_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert application.transitions.count() == 1


def test_other_roles_do_not_reach_the_admin(client, users, campaign):
    client.force_login(users["province"])
    response = client.get(reverse("admin:campaigns_campaign_changelist"))
    assert response.status_code == 302
    assert Campaign.objects.count() == 1
