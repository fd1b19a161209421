"""Every step of the workflow, from every state (and kind) it starts in, posted by every role
over HTTP with valid data: the role the step belongs to moves the application, every other
role changes nothing at all (the whole database is compared)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from factorytiers.campaigns import workflow
from factorytiers.campaigns.models import (
    Application,
    ExpertAssignment,
    Material,
    Publicity,
    Submission,
    Task,
)
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, REDIRECT, ROLES, database_rows, everyone

# Whose each step is (the rules must say the same).
OWNER = {
    "submit": "enterprise_a",
    "return": "city_a",
    "reject": "city_a",
    "recommend": "city_a",
    "unrecommend": "city_a",
    "withdraw": "province",
    "recommend_to_ministry": "province",
}
TASK_OF_KIND = {
    "基础级": Task.Kind.ONGOING,
    "先进级": Task.Kind.ADVANCED,
    "卓越级": Task.Kind.EXCELLENT,
    "领航级": Task.Kind.LEADING,
    "揭榜验收": Task.Kind.PILOT_ACCEPTANCE,
}
PAGE_CASES = [
    (name, source, kind, role)
    for name, step in workflow.PAGE_STEPS.items()
    for source in sorted(step.sources)
    for kind in sorted(step.kinds)
    for role in ROLES
]


def _application(campaign, enterprise, factory, user, *, state, kind):
    application = Application.objects.create(
        campaign=campaign,
        task=campaign.tasks.get(kind=TASK_OF_KIND[kind]),
        kind=kind,
        enterprise=enterprise,
        unit=enterprise.unit,
        factory=factory,
        project_name="晋华一厂智能工厂",
        state=state,
        created_by=user,
        # The conditions are checked elsewhere (test_guards); here they do not stand in the way.
        condition_override="条件已由市级另行核实",
    )
    for slot in campaign.settings["material_slots"][kind]:
        if slot["required"]:
            Material.objects.create(
                application=application,
                slot=slot["key"],
                number=1,
                file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="m.pdf"),
                original_name="材料.pdf",
                kind=slot["kinds"][0],
                size=15,
                sha256="0" * 64,
                uploaded_by=user,
            )
    return application


def _expected(owner):
    # Who cannot see the application finds nothing; who sees it and may not act is refused.
    codes = everyone(
        NOT_FOUND,
        anonymous=LOGIN,
        admin=FORBIDDEN,
        enterprise_a=FORBIDDEN,
        city_a=FORBIDDEN,
        province=FORBIDDEN,
    )
    return {**codes, owner: REDIRECT}


@pytest.mark.parametrize(
    ("name", "source", "kind", "role"),
    PAGE_CASES,
    ids=[f"{n}-{s}-{k}-{r}" for n, s, k, r in PAGE_CASES],
)
def test_a_step_is_taken_by_its_role_only(
    client, users, campaign, enterprise_a, factory_a, name, source, kind, role
):
    step = workflow.PAGE_STEPS[name]
    application = _application(
        campaign, enterprise_a, factory_a, users["enterprise_a"], state=source, kind=kind
    )
    if role != "anonymous":
        client.force_login(users[role])
    before = database_rows()
    response = client.post(
        reverse("campaigns:application_action", args=[application.pk]),
        {"action": name, "comment": "意见", "version": application.version},
    )
    want = _expected(OWNER[name])[role]
    if want == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want
    application.refresh_from_db()
    if role == OWNER[name]:
        assert application.state == step.target
        assert application.transitions.get().to_state == step.target
    else:
        assert application.state == source
        assert database_rows() == before


# Steps taken over many applications at once, by their own URLs: each from every state.
def _unit_report(campaign, enterprise, state):
    return Submission.objects.create(
        task=campaign.tasks.get(kind=Task.Kind.ADVANCED),
        unit=enterprise.unit,
        state=state,
        recommendation_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="r.pdf"),
    )


BULK = {
    "send": ("city_a", "campaigns:submit_recommendation"),
    "return_to_unit": ("province", "campaigns:return_submission"),
    "start_review": ("province", "campaigns:assign_expert"),
    "list": ("province", "campaigns:fix_list"),
    "publicize": ("province", "campaigns:open_publicity"),
    "recognize": ("province", "campaigns:record_recognition"),
}
BULK_CASES = [
    (name, source, role)
    for name in BULK
    for source in sorted(workflow.STEPS_BY_NAME[name].sources)
    for role in ROLES
]


def _bulk_request(name, application, campaign, users, enterprise):
    task = application.task
    if name == "send":
        application.city_rank = 1
        application.save()
        report = _unit_report(campaign, enterprise, Submission.State.DRAFT)
        return reverse("campaigns:submit_recommendation", args=[task.pk]), {
            "version": report.version
        }
    if name == "return_to_unit":
        report = _unit_report(campaign, enterprise, Submission.State.SUBMITTED)
        return reverse("campaigns:return_submission", args=[report.pk]), {
            "comment": "请补充",
            "version": report.version,
        }
    if name == "start_review":
        return reverse("campaigns:assign_expert", args=[application.pk]), {
            "expert": users["expert"].pk
        }
    if name == "list":
        return reverse("campaigns:fix_list", args=[task.pk]), {
            "selected": [application.pk],
            "shown": str(application.pk),
        }
    if name == "publicize":
        return reverse("campaigns:open_publicity", args=[task.pk]), {"starts_on": "2026-06-11"}
    batch = Publicity.objects.create(
        task=task, starts_on="2026-06-11", ends_on="2026-06-17", opened_by=users["province"]
    )
    Application.objects.filter(pk=application.pk).update(publicity=batch)
    return reverse("campaigns:record_recognition", args=[batch.pk]), {
        "document_number": "晋工信装备字〔2026〕88号",
        "recognized_on": "2026-06-22",
    }


@pytest.mark.parametrize(
    ("name", "source", "role"), BULK_CASES, ids=[f"{n}-{s}-{r}" for n, s, r in BULK_CASES]
)
def test_a_step_over_a_list_is_taken_by_its_role_only(
    client, users, campaign, enterprise_a, factory_a, name, source, role
):
    step = workflow.STEPS_BY_NAME[name]
    owner, _url = BULK[name]
    application = _application(
        campaign, enterprise_a, factory_a, users["enterprise_a"], state=source, kind="先进级"
    )
    url, data = _bulk_request(name, application, campaign, users, enterprise_a)
    if role != "anonymous":
        client.force_login(users[role])
    before = database_rows()
    response = client.post(url, data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    application.refresh_from_db()
    if role == owner:
        assert response.status_code == 302
        assert application.state == step.target
    else:
        assert response.status_code in (302, 400, 403, 404, 409)
        assert application.state == source
        assert database_rows() == before
    if name == "start_review" and role == owner:
        assert ExpertAssignment.objects.filter(application=application).exists()
