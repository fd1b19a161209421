"""The application workflow as data: states with the officer's and the enterprise's label,
who acts in each, and the steps with their permissions. ``transition`` is the only place that
changes an application's state; it writes the Transition row."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.predicates import require
from factorytiers.accounts.roles import Role
from factorytiers.accounts.writes import Refused

from .models import Application, ApplicationKind, State, Transition

ALL_KINDS = frozenset(ApplicationKind.values)
RECOMMENDED_KINDS = frozenset(
    [
        ApplicationKind.ADVANCED,
        ApplicationKind.EXCELLENT,
        ApplicationKind.LEADING,
        ApplicationKind.ACCEPTANCE,
    ]
)
MINISTRY_KINDS = frozenset(
    [ApplicationKind.EXCELLENT, ApplicationKind.LEADING, ApplicationKind.ACCEPTANCE]
)
ADVANCED_ONLY = frozenset([ApplicationKind.ADVANCED])


@dataclass(frozen=True)
class StateInfo:
    code: State
    enterprise_label: str
    acted_on_by: tuple[str, ...]  # roles that may move it on from here
    enterprise_may_edit: bool = False

    @property
    def officer_label(self) -> str:
        return self.code.label


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: State
    permission: str
    label: str
    kinds: frozenset[str] = ALL_KINDS
    comment_required: bool = False
    # A step taken by its own button on the application page (one application, a comment).
    on_page: bool = False
    # A step of the city's review: only while the unit has not reported the task.
    needs_open_unit: bool = False

    @property
    def audit_action(self) -> str:
        return f"application.{self.name}"


STATES: dict[str, StateInfo] = {
    info.code: info
    for info in [
        StateInfo(State.DRAFT, _("草稿，尚未提交"), (Role.ENTERPRISE,), True),
        StateInfo(State.SUBMITTED, _("已提交，市级审核中"), (Role.CITY,)),
        StateInfo(State.RETURNED, _("已退回，请按意见修改后重新提交"), (Role.ENTERPRISE,), True),
        StateInfo(State.REJECTED, _("未通过市级审核"), ()),
        StateInfo(State.RECOMMENDED, _("已通过市级审核，等待报送省级"), (Role.CITY,)),
        StateInfo(State.AT_PROVINCE, _("已报送省级，省级评审中"), (Role.PROVINCE,)),
        StateInfo(State.UNDER_REVIEW, _("已报送省级，省级评审中"), (Role.PROVINCE,)),
        StateInfo(State.LISTED, _("已报送省级，省级评审中"), (Role.PROVINCE,)),
        StateInfo(State.NOT_SELECTED, _("未入选"), ()),
        StateInfo(State.PUBLICITY, _("公示中"), (Role.PROVINCE,)),
        StateInfo(State.PROVINCE_RECOMMENDED, _("已由省级推荐至工业和信息化部"), (Role.PROVINCE,)),
        StateInfo(State.MINISTRY_NOT_PASSED, _("未通过工业和信息化部评审"), ()),
        StateInfo(State.RECOGNIZED, _("已认定"), ()),
    ]
}

# States an application is in once its unit has recommended it (the forms list these).
SENT_STATES = frozenset(
    [
        State.RECOMMENDED,
        State.AT_PROVINCE,
        State.UNDER_REVIEW,
        State.LISTED,
        State.NOT_SELECTED,
        State.PUBLICITY,
        State.PROVINCE_RECOMMENDED,
        State.MINISTRY_NOT_PASSED,
        State.RECOGNIZED,
    ]
)
AT_PROVINCE_STATES = frozenset([State.AT_PROVINCE, State.UNDER_REVIEW])
EDITABLE_STATES = frozenset(code for code, info in STATES.items() if info.enterprise_may_edit)

STEPS: list[Step] = [
    Step(
        "submit",
        frozenset({State.DRAFT, State.RETURNED}),
        State.SUBMITTED,
        "campaigns.submit_application",
        _("提交"),
        on_page=True,
    ),
    Step(
        "return",
        frozenset({State.SUBMITTED, State.RECOMMENDED}),
        State.RETURNED,
        "campaigns.review_application",
        _("退回修改"),
        comment_required=True,
        on_page=True,
        needs_open_unit=True,
    ),
    Step(
        "reject",
        frozenset({State.SUBMITTED}),
        State.REJECTED,
        "campaigns.review_application",
        _("不予推荐"),
        comment_required=True,
        on_page=True,
        needs_open_unit=True,
    ),
    Step(
        "recommend",
        frozenset({State.SUBMITTED}),
        State.RECOMMENDED,
        "campaigns.review_application",
        _("同意推荐"),
        kinds=RECOMMENDED_KINDS,
        on_page=True,
        needs_open_unit=True,
    ),
    Step(
        "unrecommend",
        frozenset({State.RECOMMENDED}),
        State.SUBMITTED,
        "campaigns.review_application",
        _("撤回推荐"),
        kinds=RECOMMENDED_KINDS,
        on_page=True,
        needs_open_unit=True,
    ),
    Step(
        "recognize_basic",
        frozenset({State.SUBMITTED}),
        State.RECOGNIZED,
        "campaigns.recognize_basic",
        _("认定基础级"),
        kinds=frozenset({ApplicationKind.BASIC}),
        needs_open_unit=True,
    ),
    Step(
        "send",
        frozenset({State.RECOMMENDED}),
        State.AT_PROVINCE,
        "campaigns.submit_recommendation",
        _("报送省级"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "return_to_unit",
        AT_PROVINCE_STATES,
        State.RECOMMENDED,
        "campaigns.return_submission",
        _("退回市级"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "start_review",
        frozenset({State.AT_PROVINCE}),
        State.UNDER_REVIEW,
        "campaigns.assign_experts",
        _("开始专家评审"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "list",
        AT_PROVINCE_STATES,
        State.LISTED,
        "campaigns.fix_list",
        _("列入拟认定名单"),
        kinds=ADVANCED_ONLY,
    ),
    Step(
        "not_select",
        AT_PROVINCE_STATES | {State.LISTED},
        State.NOT_SELECTED,
        "campaigns.fix_list",
        _("不列入名单"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "publicize",
        frozenset({State.LISTED}),
        State.PUBLICITY,
        "campaigns.open_publicity",
        _("公示"),
        kinds=ADVANCED_ONLY,
    ),
    Step(
        "withdraw",
        frozenset({State.PUBLICITY}),
        State.NOT_SELECTED,
        "campaigns.fix_list",
        _("因异议撤出名单"),
        kinds=ADVANCED_ONLY,
        comment_required=True,
        on_page=True,
    ),
    Step(
        "recognize",
        frozenset({State.PUBLICITY}),
        State.RECOGNIZED,
        "campaigns.record_recognition",
        _("认定"),
        kinds=ADVANCED_ONLY,
    ),
    Step(
        "recommend_to_ministry",
        AT_PROVINCE_STATES,
        State.PROVINCE_RECOMMENDED,
        "campaigns.fix_list",
        _("推荐至部级"),
        kinds=MINISTRY_KINDS,
        on_page=True,
    ),
    Step(
        "record_ministry_result",
        frozenset({State.PROVINCE_RECOMMENDED}),
        State.RECOGNIZED,
        "campaigns.record_recognition",
        _("登记部级结果：通过"),
        kinds=MINISTRY_KINDS,
    ),
    Step(
        "record_ministry_failure",
        frozenset({State.PROVINCE_RECOMMENDED}),
        State.MINISTRY_NOT_PASSED,
        "campaigns.record_recognition",
        _("登记部级结果：未通过"),
        kinds=MINISTRY_KINDS,
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}
PAGE_STEPS = {step.name: step for step in STEPS if step.on_page}


class WorkflowError(Refused, ValueError):
    """The requested move is not in the table for this application; nothing was written."""


def state_label(code: str, *, for_enterprise: bool) -> str:
    info = STATES[code]
    return str(info.enterprise_label if for_enterprise else info.officer_label)


def find_step(application: Application, to: str) -> Step:
    for step in STEPS:
        if (
            step.target == to
            and application.state in step.sources
            and application.kind in step.kinds
        ):
            return step
    raise WorkflowError(
        _("当前状态“%(state)s”下不能转为“%(to)s”。")
        % {
            "state": state_label(application.state, for_enterprise=False),
            "to": state_label(to, for_enterprise=False),
        }
    )


def available_steps(application: Application, user) -> list[Step]:
    return [
        step
        for step in STEPS
        if application.state in step.sources
        and application.kind in step.kinds
        and user.has_perm(step.permission, application)
    ]


def transition(application: Application, *, to: str, actor, comment: str = "") -> Transition:
    """Move ``application`` to ``to``: permission, table check, transition row. The caller holds
    the row locked and saves it (the write helper bumps the version); see ``move``."""
    step = find_step(application, to)
    require(actor, step.permission, application)
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise WorkflowError(_("“%(label)s”须填写意见。") % {"label": step.label})
    row = Transition.objects.create(
        application=application,
        from_state=application.state,
        to_state=to,
        actor=actor,
        comment=comment,
    )
    application.state = to
    return row


def move(application: Application, *, to: str, actor, comment: str = "") -> Transition:
    """``transition`` for an application locked by a step over many (a unit's report, the
    province's list): the state is saved and the version bumped here."""
    row = transition(application, to=to, actor=actor, comment=comment)
    application.version += 1
    application.save(update_fields=["state", "version"])
    return row
