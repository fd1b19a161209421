"""Where an application stands, as its enterprise reads it: an ordered list of steps per kind of
application, the step it is at, who acts next and what it is waiting for. Derived from the
workflow's states (``campaigns.workflow.STATES``), never stored."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.roles import Role
from factorytiers.campaigns.models import ApplicationKind, State
from factorytiers.campaigns.workflow import MINISTRY_KINDS, STATES

# (label, states in which the application is at this step); the last step is the recognition.
_START = (_("企业填报并提交"), {State.DRAFT, State.RETURNED})
_CITY = (_("市级审核"), {State.SUBMITTED, State.REJECTED})
_SEND = (_("市级报送省级"), {State.RECOMMENDED})
_END = (_("认定"), {State.RECOGNIZED})

STEPS_BY_KIND = {
    ApplicationKind.BASIC: (
        _START,
        (_("市级审核认定"), {State.SUBMITTED, State.RECOMMENDED, State.REJECTED}),
        _END,
    ),
    ApplicationKind.ADVANCED: (
        _START,
        _CITY,
        _SEND,
        (
            _("省级专家评审"),
            {State.AT_PROVINCE, State.UNDER_REVIEW, State.LISTED, State.NOT_SELECTED},
        ),
        (_("公示"), {State.PUBLICITY}),
        _END,
    ),
}
_MINISTRY_STEPS = (
    _START,
    _CITY,
    _SEND,
    (
        _("省级初审推荐"),
        {State.AT_PROVINCE, State.UNDER_REVIEW, State.LISTED, State.NOT_SELECTED},
    ),
    (_("工业和信息化部评审"), {State.PROVINCE_RECOMMENDED, State.MINISTRY_NOT_PASSED}),
    _END,
)
for _kind in MINISTRY_KINDS:
    STEPS_BY_KIND[_kind] = _MINISTRY_STEPS

# States that end the application short of a recognition.
STOPPED = frozenset({State.REJECTED, State.NOT_SELECTED, State.MINISTRY_NOT_PASSED})

# Who moves it on from a state, in the enterprise's words.
ACTORS = {
    Role.ENTERPRISE: _("本企业"),
    Role.CITY: _("市级主管部门"),
    Role.PROVINCE: _("省级主管部门"),
}

# What the application is waiting for, per state (none once it has ended).
WAITING = {
    State.DRAFT: _("等待本企业完善材料并提交"),
    State.RETURNED: _("等待本企业按退回意见修改后重新提交"),
    State.SUBMITTED: _("等待市级审核"),
    State.RECOMMENDED: _("等待市级向省级报送推荐名单"),
    State.AT_PROVINCE: _("等待省级安排专家评审"),
    State.UNDER_REVIEW: _("等待专家评审"),
    State.LISTED: _("等待省级公示拟认定名单"),
    State.PUBLICITY: _("公示期满后由省级发布认定"),
    State.PROVINCE_RECOMMENDED: _("等待工业和信息化部评审结果"),
}


@dataclass(frozen=True)
class StepView:
    label: str
    status: str  # "done" / "current" / "stopped" / "todo"


@dataclass(frozen=True)
class Progress:
    steps: tuple[StepView, ...]
    who: str  # who acts next; "" once the application has ended
    waiting: str  # what it waits for; "" once it has ended
    ended: bool


def progress(kind: str, state: str) -> Progress:
    """The steps of an application of ``kind`` in ``state``."""
    steps = STEPS_BY_KIND[kind]
    at = next(i for i, (_label, states) in enumerate(steps) if state in states)
    recognized = state == State.RECOGNIZED
    views = []
    for index, (label, _states) in enumerate(steps):
        if index < at or (recognized and index == at):
            status = "done"
        elif index == at:
            status = "stopped" if state in STOPPED else "current"
        else:
            status = "todo"
        views.append(StepView(str(label), status))
    roles = STATES[state].acted_on_by
    who = "、".join(str(ACTORS[role]) for role in roles if role in ACTORS)
    return Progress(
        steps=tuple(views),
        who=who,
        waiting=str(WAITING.get(state, "")),
        ended=not roles,
    )
