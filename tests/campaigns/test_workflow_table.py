"""The workflow table: every state has both labels, every step is walked, refusals hold."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factorytiers.campaigns import workflow
from factorytiers.campaigns.models import Application, Transition
from factorytiers.enterprises.models import Factory
from tests.conftest import make_user

ROLE_OF_PERMISSION = {
    "campaigns.submit_application": "enterprise_a",
    "campaigns.review_application": "city_a",
    "campaigns.recognize_basic": "city_a",
    "campaigns.submit_recommendation": "city_a",
}


def test_every_state_has_an_officer_and_an_enterprise_label():
    for state in workflow.STATES.values():
        assert state.officer_label and state.enterprise_label
    assert workflow.state_label("submitted", for_enterprise=True) == "已提交，市级审核中"


def test_every_step_leads_between_known_states():
    for step in workflow.STEPS:
        assert step.target in workflow.STATES
        assert step.sources <= set(workflow.STATES)


@pytest.mark.parametrize("step", workflow.STEPS, ids=lambda s: s.name)
def test_each_step_of_the_table_moves_and_records_the_transition(
    step, users, advanced_task, factory_a, enterprise_a
):
    actor = users[ROLE_OF_PERMISSION.get(step.permission, "province")]
    kind = sorted(step.kinds)[0]
    for source in sorted(step.sources):
        application = Application.objects.create(
            campaign=advanced_task.campaign,
            task=advanced_task,
            kind=kind,
            enterprise=enterprise_a,
            unit=enterprise_a.unit,
            factory=factory_a,
            project_name="项目",
            state=source,
            created_by=users["enterprise_a"],
        )
        row = workflow.move(application, to=step.target, actor=actor, comment="意见")
        application.refresh_from_db()
        assert application.state == step.target and application.version == 2
        assert (row.from_state, row.to_state, row.actor, row.comment) == (
            source,
            step.target,
            actor,
            "意见",
        )


def test_a_move_not_in_the_table_is_refused(users, advanced_task, enterprise_a, factory_a):
    application = Application.objects.create(
        campaign=advanced_task.campaign,
        task=advanced_task,
        kind="先进级",
        enterprise=enterprise_a,
        unit=enterprise_a.unit,
        factory=factory_a,
        project_name="项目",
        state="draft",
        created_by=users["enterprise_a"],
    )
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(application, to="recognized", actor=users["province"])
    with pytest.raises(PermissionDenied):
        workflow.transition(application, to="submitted", actor=users["enterprise_b"])
    application.state = "submitted"
    with pytest.raises(workflow.WorkflowError, match="须填写意见"):
        workflow.transition(application, to="returned", actor=users["city_a"], comment=" ")
    assert not Transition.objects.exists()


def test_a_city_officer_of_another_unit_may_not_act(users, advanced_task, enterprise_a, factory_a):
    application = Application.objects.create(
        campaign=advanced_task.campaign,
        task=advanced_task,
        kind="先进级",
        enterprise=enterprise_a,
        unit=enterprise_a.unit,
        factory=factory_a,
        project_name="项目",
        state="submitted",
        created_by=users["enterprise_a"],
    )
    with pytest.raises(PermissionDenied):
        workflow.transition(application, to="recommended", actor=users["city_b"])


def test_transition_comments_can_be_neither_edited_nor_deleted(users, advanced_task, enterprise_a):
    factory = Factory.objects.create(enterprise=enterprise_a, name="二厂", location="太原")
    application = Application.objects.create(
        campaign=advanced_task.campaign,
        task=advanced_task,
        kind="先进级",
        enterprise=enterprise_a,
        unit=enterprise_a.unit,
        factory=factory,
        project_name="项目",
        state="submitted",
        created_by=make_user("e2", "enterprise", enterprise=enterprise_a),
    )
    row = workflow.transition(application, to="returned", actor=users["city_a"], comment="补充材料")
    row.comment = "改过的意见"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    assert Transition.objects.get().comment == "补充材料"
