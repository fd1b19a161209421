"""The operator keeps the Django admin for reference data (the typical-scenario guide); the
campaign's business data is not there: it changes only through the services, under the rules."""

import pytest
from django.urls import NoReverseMatch, reverse

from factorytiers.campaigns.models import Scenario


@pytest.mark.parametrize("model", ["scenarioedition", "scenario"])
def test_the_scenario_guide_has_an_admin_list(client, users, model):
    client.force_login(users["admin"])
    assert client.get(reverse(f"admin:campaigns_{model}_changelist")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "campaign",
        "task",
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
def test_business_data_is_not_in_the_admin(model):
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:campaigns_{model}_changelist")


def test_the_operator_corrects_a_scenario_name(client, users):
    scenario = Scenario.objects.order_by("pk").first()
    client.force_login(users["admin"])
    page = client.get(reverse("admin:campaigns_scenario_change", args=[scenario.pk]))
    assert page.status_code == 200 and scenario.name in page.content.decode()


def test_other_roles_do_not_reach_the_admin(client, users):
    client.force_login(users["province"])
    response = client.get(reverse("admin:campaigns_scenario_changelist"))
    assert response.status_code == 302
