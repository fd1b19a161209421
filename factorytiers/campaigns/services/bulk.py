"""Steps over many applications chosen on the officers' list, in one transaction: each
application goes through the same service as on its own page (its version checked, its audit
entry, its notification after the commit). One application that cannot take the step stops
them all — nothing is written — and the refusal names it."""

from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, Refused, lock

from .. import workflow
from ..errors import ServiceError
from ..models import Application
from .applications import take_step
from .evaluation import assign_expert

# The bulk actions, each with the label the list and the confirmation show.
ACTIONS = {
    "return": workflow.PAGE_STEPS["return"].label,
    "assign": gettext_lazy("分配评审专家"),
}

# (the application as the page listed it, the version the page showed)
Rows = Sequence[tuple[Application, int]]


def _row_name(number: int, application: Application) -> str:
    return _("第%(n)s项（%(name)s）") % {"n": number, "name": application}


class RowRefused(ServiceError):
    """One chosen application could not take the step; nothing was written."""

    def __init__(self, number: int, application: Application, reason: str):
        self.number, self.application = number, application
        super().__init__(
            _("%(row)s：%(reason)s 本次批量操作未执行，所有申报均未改动。")
            % {"row": _row_name(number, application), "reason": reason}
        )


class RowConflict(EditConflict):
    """One chosen application was changed after the list was opened; nothing was written."""

    def __init__(self, number: int, application: Application, current):
        super().__init__(current)
        self.number, self.application = number, application
        self.args = (
            _(
                "%(row)s：该申报在您打开列表后已被他人修改。本次批量操作未执行，"
                "所有申报均未改动；请刷新列表后重新选择。"
            )
            % {"row": _row_name(number, application)},
        )


def _each(rows: Rows, act: Callable[[Application, int], object]) -> int:
    with transaction.atomic():
        for number, (application, version) in enumerate(rows, start=1):
            try:
                act(application, version)
            except EditConflict as exc:
                raise RowConflict(number, application, exc.current) from exc
            except Refused as exc:
                raise RowRefused(number, application, str(exc)) from exc
    return len(rows)


def return_applications(*, actor, rows: Rows, comment: str) -> int:
    """The city returns the chosen applications to 退回修改 with one comment: the page's
    ``return`` step on each (``applications.take_step``)."""
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError(_("退回意见：请填写。"))
    return _each(
        rows,
        lambda application, version: take_step(
            actor=actor,
            application=application,
            step_name="return",
            comment=comment,
            version=version,
        ),
    )


def assign_expert_to_applications(*, actor, rows: Rows, expert, due_on=None) -> int:
    """The province assigns one expert to the chosen applications, each score due ``due_on``
    (``evaluation.assign_expert`` on each, after its version is checked)."""
    if expert is None:
        raise ServiceError(_("专家：请选择一位评审专家。"))

    def act(application, version):
        require(actor, "campaigns.assign_experts", application)
        lock(Application, application.pk, version)  # a row changed since the list: refused
        assign_expert(actor=actor, application=application, expert=expert, due_on=due_on)

    return _each(rows, act)


def run(*, actor, action: str, rows: Rows, comment: str = "", expert=None, due_on=None) -> int:
    if action == "return":
        return return_applications(actor=actor, rows=rows, comment=comment)
    if action == "assign":
        return assign_expert_to_applications(actor=actor, rows=rows, expert=expert, due_on=due_on)
    raise ServiceError(_("操作：未知的操作。"))
