"""Starting a self-assessment: one draft per enterprise and year, copied from the last one."""

import pytest
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.assessments import services
from factorytiers.assessments.models import Assessment, MaturityModelEdition
from factorytiers.domain.maturity_bank import model_to_data
from tests.assessments.conftest import submitted


def test_an_enterprise_user_starts_this_years_draft(ent_client, ent_user, enterprise_a, frozen):
    response = ent_client.post(
        reverse("assessments:start"), {"year": 2026, "manufacturing_type": "PROCESS"}
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:section", args=[assessment.pk, "STRATEGY"])
    assert (assessment.enterprise, assessment.year, assessment.status) == (
        enterprise_a,
        2026,
        "draft",
    )
    assert assessment.manufacturing_type == "PROCESS"
    assert assessment.edition == MaturityModelEdition.objects.active()
    assert assessment.answers == {} and assessment.created_by == ent_user
    entry = AuditEntry.objects.get(action="assessment.create")
    assert entry.actor == ent_user and entry.unit == enterprise_a.unit


def test_starting_again_opens_the_same_draft(ent_client, draft):
    response = ent_client.post(
        reverse("assessments:start"), {"year": 2026, "manufacturing_type": "DISCRETE"}
    )
    assert response.status_code == 302
    assert Assessment.objects.count() == 1
    assert "正在填写中" in ent_client.get(reverse("assessments:mine")).content.decode()


def test_next_year_starts_from_a_copy_of_the_last_submitted(ent_user, enterprise_a, frozen):
    last = submitted(ent_user, enterprise_a, year=2025, left_out={"LOGISTICS": "无自有物流"})
    last.evidence = {"STRAT.L1.1": "《智能制造规划》"}
    Assessment.objects.filter(pk=last.pk).update(evidence=last.evidence)
    new, created = services.start_assessment(actor=ent_user, enterprise=enterprise_a, year=2026)
    assert created and new.copied_from == last
    assert new.answers == last.answers and new.left_out == {"LOGISTICS": "无自有物流"}
    assert new.evidence == {"STRAT.L1.1": "《智能制造规划》"}
    assert new.status == "draft" and new.score is None
    last.refresh_from_db()
    assert last.status == "submitted"  # the old one is untouched


def test_a_copy_keeps_only_what_exists_in_the_new_edition(ent_user, enterprise_a, edition, frozen):
    last = submitted(ent_user, enterprise_a, year=2025)
    data = model_to_data(edition.model)
    data["version"] = "2.0.0"
    data["sub_domains"][0]["items"][0]["code"] = "STRAT.NEW.1"
    MaturityModelEdition.objects.filter(pk=edition.pk).update(is_active=False)
    newer = MaturityModelEdition.objects.create(
        edition=data["edition"], version="2.0.0", definition=data, source="测试", is_active=True
    )
    new, _ = services.start_assessment(actor=ent_user, enterprise=enterprise_a, year=2026)
    assert new.edition == newer
    assert "STRAT.L1.1" not in new.answers and "STRAT.NEW.1" not in new.answers
    assert len(new.answers) == len(last.answers) - 1
    last.refresh_from_db()
    assert last.edition == edition  # the old assessment keeps the model it was answered on


def test_a_bad_year_is_refused_and_nothing_started(ent_client, frozen):
    response = ent_client.post(
        reverse("assessments:start"), {"year": 2020, "manufacturing_type": "DISCRETE"}
    )
    assert response.status_code == 302
    assert not Assessment.objects.exists()
    assert "年度：" in ent_client.get(reverse("assessments:mine")).content.decode()


@pytest.mark.parametrize("role", ["city_a", "province", "expert"])
def test_only_enterprise_users_start_assessments(client, users, role):
    client.force_login(users[role])
    response = client.post(reverse("assessments:start"), {"year": 2026})
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_get_is_not_allowed(ent_client):
    assert ent_client.get(reverse("assessments:start")).status_code == 405


def test_the_service_refuses_another_enterprise(users, enterprise_b, frozen):
    with pytest.raises(Exception, match="assess_enterprise"):
        services.start_assessment(actor=users["enterprise_a"], enterprise=enterprise_b, year=2026)
    assert not Assessment.objects.exists()
