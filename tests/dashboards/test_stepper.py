"""The enterprise's steps of an application: every state of every kind has a place, who acts
next comes from the workflow table, and an application that ended says so."""

import pytest

from factorytiers.campaigns.models import ApplicationKind, State
from factorytiers.campaigns.workflow import STEPS
from factorytiers.dashboards.stepper import STEPS_BY_KIND, progress

REACHABLE = sorted(
    {(kind, state) for step in STEPS for kind in step.kinds for state in step.sources}
    | {(kind, step.target) for step in STEPS for kind in step.kinds}
)


@pytest.mark.parametrize(("kind", "state"), REACHABLE)
def test_every_reachable_state_has_a_step(kind, state):
    result = progress(kind, state)
    assert len(result.steps) == len(STEPS_BY_KIND[kind])
    assert sum(s.status in ("current", "stopped") for s in result.steps) <= 1
    assert result.ended == (result.who == "")


def test_who_acts_next_follows_the_application():
    advanced = ApplicationKind.ADVANCED
    assert progress(advanced, State.DRAFT).who == "本企业"
    assert progress(advanced, State.SUBMITTED).who == "市级主管部门"
    assert progress(advanced, State.RECOMMENDED).waiting == "等待市级向省级报送推荐名单"
    assert progress(advanced, State.UNDER_REVIEW).who == "省级主管部门"
    assert progress(advanced, State.RETURNED).waiting == "等待本企业按退回意见修改后重新提交"


def test_an_ended_application_shows_where_it_stopped_or_that_it_is_recognized():
    rejected = progress(ApplicationKind.ADVANCED, State.REJECTED)
    assert rejected.ended and [s.status for s in rejected.steps][:3] == ["done", "stopped", "todo"]
    recognized = progress(ApplicationKind.EXCELLENT, State.RECOGNIZED)
    assert recognized.ended and {s.status for s in recognized.steps} == {"done"}
    failed = progress(ApplicationKind.LEADING, State.MINISTRY_NOT_PASSED)
    assert failed.steps[4].status == "stopped" and failed.steps[4].label == "工业和信息化部评审"
