"""The application workflow as data: states with the officer's and the enterprise's label,
who acts in each, and the transitions with their permissions. ``transition`` is the only
place that changes an application's state; it writes the Transition row."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.predicates import require

from .models import TIERS, Application, Transition

ACCEPTANCE = "揭榜验收"
ALL_KINDS = frozenset([*TIERS, ACCEPTANCE])
RECOMMENDED_KINDS = frozenset(["先进级", "卓越级", "领航级", ACCEPTANCE])
MINISTRY_KINDS = frozenset(["卓越级", "领航级", ACCEPTANCE])


@dataclass(frozen=True)
class State:
    code: str
    officer_label: str
    enterprise_label: str
    acted_on_by: tuple[str, ...]  # roles that may move it on from here
    enterprise_may_edit: bool = False


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    permission: str
    label: str
    kinds: frozenset[str] = ALL_KINDS
    comment_required: bool = False


STATES: dict[str, State] = {
    s.code: s
    for s in [
        State("draft", _("草稿"), _("草稿，尚未提交"), ("enterprise",), True),
        State("submitted", _("待市级审核"), _("已提交，市级审核中"), ("city",)),
        State(
            "returned", _("已退回修改"), _("已退回，请按意见修改后重新提交"), ("enterprise",), True
        ),
        State("rejected", _("市级审核未通过"), _("未通过市级审核"), ()),
        State("recommended", _("市级拟推荐"), _("已通过市级审核，等待报送省级"), ("city",)),
        State("at_province", _("已报送省级"), _("已报送省级，省级评审中"), ("province",)),
        State("under_review", _("专家评审中"), _("已报送省级，省级评审中"), ("province",)),
        State("listed", _("拟认定"), _("已报送省级，省级评审中"), ("province",)),
        State("not_selected", _("未入选"), _("未入选"), ()),
        State("publicity", _("公示中"), _("公示中"), ("province",)),
        State(
            "province_recommended",
            _("已推荐至部级"),
            _("已由省级推荐至工业和信息化部"),
            ("province",),
        ),
        State("recognized", _("已认定"), _("已认定"), ()),
    ]
}

STEPS: list[Step] = [
    Step(
        "submit",
        frozenset({"draft", "returned"}),
        "submitted",
        "campaigns.submit_application",
        _("提交"),
    ),
    Step(
        "return",
        frozenset({"submitted", "recommended"}),
        "returned",
        "campaigns.review_application",
        _("退回修改"),
        comment_required=True,
    ),
    Step(
        "reject",
        frozenset({"submitted"}),
        "rejected",
        "campaigns.review_application",
        _("不予推荐"),
        comment_required=True,
    ),
    Step(
        "recommend",
        frozenset({"submitted"}),
        "recommended",
        "campaigns.review_application",
        _("同意推荐"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "unrecommend",
        frozenset({"recommended"}),
        "submitted",
        "campaigns.review_application",
        _("撤回推荐"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "recognize_basic",
        frozenset({"submitted"}),
        "recognized",
        "campaigns.recognize_basic",
        _("认定基础级"),
        kinds=frozenset({"基础级"}),
    ),
    Step(
        "send",
        frozenset({"recommended"}),
        "at_province",
        "campaigns.submit_recommendation",
        _("报送省级"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "return_to_unit",
        frozenset({"at_province", "under_review"}),
        "recommended",
        "campaigns.return_submission",
        _("退回市级"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "start_review",
        frozenset({"at_province"}),
        "under_review",
        "campaigns.assign_experts",
        _("开始专家评审"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "list",
        frozenset({"at_province", "under_review"}),
        "listed",
        "campaigns.fix_list",
        _("列入拟认定名单"),
        kinds=frozenset({"先进级"}),
    ),
    Step(
        "not_select",
        frozenset({"at_province", "under_review", "listed"}),
        "not_selected",
        "campaigns.fix_list",
        _("不列入名单"),
        kinds=RECOMMENDED_KINDS,
    ),
    Step(
        "publicize",
        frozenset({"listed"}),
        "publicity",
        "campaigns.open_publicity",
        _("公示"),
        kinds=frozenset({"先进级"}),
    ),
    Step(
        "withdraw",
        frozenset({"publicity"}),
        "not_selected",
        "campaigns.fix_list",
        _("因异议撤出名单"),
        kinds=frozenset({"先进级"}),
        comment_required=True,
    ),
    Step(
        "recognize",
        frozenset({"publicity"}),
        "recognized",
        "campaigns.record_recognition",
        _("认定"),
        kinds=frozenset({"先进级"}),
    ),
    Step(
        "recommend_to_ministry",
        frozenset({"at_province", "under_review"}),
        "province_recommended",
        "campaigns.fix_list",
        _("推荐至部级"),
        kinds=MINISTRY_KINDS,
    ),
    Step(
        "record_ministry_result",
        frozenset({"province_recommended"}),
        "recognized",
        "campaigns.record_recognition",
        _("登记部级认定结果"),
        kinds=MINISTRY_KINDS,
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}


class WorkflowError(ValueError):
    """The requested move is not in the table for this application; nothing was written."""


def state_label(code: str, *, for_enterprise: bool) -> str:
    state = STATES[code]
    return str(state.enterprise_label if for_enterprise else state.officer_label)


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
    """Move ``application`` to ``to``: permission, table check, transition row, version bump.

    Call it inside the service's ``transaction.atomic()`` on a row locked for update.
    """
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
    application.version += 1
    application.save(update_fields=["state", "version"])
    return row
