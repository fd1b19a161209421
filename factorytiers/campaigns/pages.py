"""What the campaign pages show, read for one user: selectors of their own, so the views only
parse, call and render. What a role sees is asked of the permission layer (``has_perm``), never
by comparing roles."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import people

from . import selectors, workflow
from .forms import (
    PARTS,
    ApplicationFilterForm,
    BulkActionForm,
    FactoryScenariosForm,
    MinistryResultForm,
    OverrideForm,
    RevokeForm,
    UnitFilesForm,
)
from .models import LEVEL_CHOICES, ApplicationKind, State, Task
from .services.bulk import ACTIONS


def for_enterprise(user) -> bool:
    """Whether the user reads the enterprise's labels of the states."""
    return user.has_perm("campaigns.act_as_enterprise")


def campaign_page(user, campaign) -> dict:
    now = timezone.now()
    tasks = [{"task": t, "status": t.status(now)} for t in campaign.tasks.all()]
    return {"campaign": campaign, "tasks": tasks}


def task_page(user, task, *, state: str | None = None) -> dict:
    """``state``: show only the applications in this state (the home pages' to-do links)."""
    applications = selectors.applications_for(user, task=task)
    enterprise = selectors.enterprise_of(user)
    can_apply = (
        task.application_kind is not None
        and not task.is_closed
        and user.has_perm("campaigns.create_application")
    )
    if task.application_kind == ApplicationKind.ACCEPTANCE and enterprise is not None:
        can_apply = can_apply and enterprise.is_pilot_winner  # offered to 揭榜 units only
    context = {
        "task": task,
        "campaign": task.campaign,
        "status": task.status(),
        "for_enterprise": for_enterprise(user),
        "applications": applications,
        "can_apply": can_apply,
        # An enterprise whose unit has already reported the task is told before it starts.
        "unit_reported": enterprise is not None
        and selectors.unit_has_reported(task, enterprise.unit),
        "can_propose_overseas": task.kind == Task.Kind.OVERSEAS
        and not task.is_closed
        and user.has_perm("campaigns.act_as_enterprise"),
        "is_overseas": task.kind == Task.Kind.OVERSEAS,
        # The province fixes a list and publicises it for the tier it recognizes itself.
        "has_province_list": task.application_kind == ApplicationKind.ADVANCED,
    }
    if user.has_perm("campaigns.act_as_city"):
        submission = selectors.submission_of(user, task, user.unit)
        context["submission"] = submission
        context["can_edit_unit"] = not submission.is_locked and user.has_perm(
            "campaigns.rank_applications", submission
        )
        context["recommended"] = applications.filter(state=State.RECOMMENDED).order_by(
            "city_rank", "pk"
        )
        # Applications the province already holds or decided keep their 序号 (after a return).
        context["decided"] = applications.filter(
            state__in=workflow.SENT_STATES - {State.RECOMMENDED}
        ).order_by("city_rank", "pk")
        context["unit_files_form"] = UnitFilesForm(
            initial={
                "paper_copies": submission.paper_copies,
                "paper_sent_on": submission.paper_sent_on,
                "version": submission.version,
            }
        )
        if task.kind == Task.Kind.OVERSEAS:
            context["overseas"] = selectors.overseas_for(user, task=task)
    elif user.has_perm("campaigns.act_as_province"):
        reviewing = applications.filter(state__in=workflow.AT_PROVINCE_STATES)
        context["progress"] = selectors.unit_progress(user, task)
        context["reviewing"] = reviewing
        context["reviewing_ids"] = ",".join(
            str(pk) for pk in reviewing.values_list("pk", flat=True)
        )
        context["experts"] = people.experts()
        context["publicities"] = selectors.publicities_of(user, task)
        context["listed"] = applications.filter(state=State.LISTED)
        if task.kind == Task.Kind.OVERSEAS:
            context["overseas"] = selectors.overseas_for(user, task=task).filter(selected=True)
    elif task.kind == Task.Kind.OVERSEAS:
        context["overseas"] = selectors.overseas_for(user, task=task)
    if state in State.values:
        context["applications"] = applications.filter(state=state)
        context["state_filter"] = state
    return context


def bulk_actions(user) -> dict:
    """The bulk actions the user may take on the list (code → label); each application is
    checked again by the service."""
    allowed = {
        "return": user.has_perm("campaigns.act_as_city"),
        "assign": user.has_perm("campaigns.act_as_province"),
    }
    return {code: label for code, label in ACTIONS.items() if allowed[code]}


def application_filter_form(user, data) -> ApplicationFilterForm:
    units = (
        selectors.reporting_units_for(user) if user.has_perm("campaigns.act_as_province") else None
    )
    return ApplicationFilterForm(data or None, units=units, tasks=selectors.listed_tasks(user))


def application_list_page(user, data, *, page_number=None, bulk_form=None) -> dict:
    """The officers' list of applications: the filters (from the query string ``data``), one
    page of rows, and the bulk actions the user may take on them."""
    form = application_filter_form(user, data)
    page = Paginator(selectors.application_list(user, form.filters()), 50).get_page(page_number)
    query = data.copy()
    query.pop("page", None)
    actions = bulk_actions(user)
    return {
        "filter_form": form,
        "page": page,
        "query": query.urlencode(),
        "page_query": data.urlencode(),
        "actions": actions,
        "bulk_form": bulk_form or BulkActionForm(actions=actions),
        "experts": people.experts() if "assign" in actions else [],
    }


def bulk_confirm_page(user, data: dict, rows, *, query: str) -> dict:
    """What the confirmation of a bulk action shows before anything is written."""
    actions = bulk_actions(user)
    expert = people.expert(data.get("expert")) if data["action"] == "assign" else None
    return {
        "action": data["action"],
        "action_label": actions[data["action"]],
        "rows": rows,
        "comment": data.get("comment", ""),
        "expert": expert,
        "due_on": data.get("due_on") if expert else None,
        "query": query,
    }


def application_page(user, application) -> dict:
    enterprise_view = for_enterprise(user)
    materials = list(application.materials.all())
    slots = [
        {**slot, "versions": [m for m in materials if m.slot == slot["key"]]}
        for slot in selectors.material_slots(application)
    ]
    if application.submitted_at is None or application.state in workflow.EDITABLE_STATES:
        # Not fixed yet: the level the application would be submitted with now.
        maturity = selectors.current_maturity(user, application)
    else:
        maturity = selectors.stored_maturity(application)
    if application.condition_results and application.state not in workflow.EDITABLE_STATES:
        conditions = application.condition_results
    else:
        conditions = selectors.check_application(application, maturity)
    unit_reported = selectors.unit_has_reported(application.task, application.unit)
    steps = workflow.available_steps(application, user)
    task_closed = application.task.is_closed
    if task_closed:
        # Nothing more goes into a closed task from the enterprise.
        steps = [s for s in steps if s.name != "submit"]
    if unit_reported:
        # The city acts on a late application only after the province returns the report.
        steps = [s for s in steps if not s.needs_open_unit]
    unmet = [c["label"] for c in conditions if c["outcome"] == "not_met"]
    context = {
        "application": application,
        "state_label": workflow.state_label(application.state, for_enterprise=enterprise_view),
        "unit_reported": unit_reported
        and application.state in (State.SUBMITTED, State.RECOMMENDED),
        "unmet": unmet,
        "needs_override": bool(unmet) and not application.condition_override,
        "for_enterprise": enterprise_view,
        "slots": slots,
        "conditions": conditions,
        "checked_live": conditions is not application.condition_results,
        "maturity": maturity,
        "maturity_level_name": dict(LEVEL_CHOICES).get(maturity.level, ""),
        "for_expert": user.has_perm("campaigns.act_as_expert"),
        "scenarios": application.scenarios.select_related("scenario"),
        "transitions": application.transitions.select_related("actor"),
        "steps": [s for s in steps if s.on_page],
        "can_edit": not task_closed and user.has_perm("campaigns.edit_application", application),
        "task_closed": task_closed,
        "can_recognize_basic": any(s.name == "recognize_basic" for s in steps),
        "can_override": bool(unmet)
        and not unit_reported
        and application.state in (State.DRAFT, State.RETURNED, State.SUBMITTED)
        and user.has_perm("campaigns.review_application", application),
        "override_form": OverrideForm(initial={"version": application.version}),
        "can_record_ministry_result": any(s.name == "record_ministry_result" for s in steps),
        "ministry_form": MinistryResultForm(initial={"version": application.version}),
        "parts": [(label, (application.parts or {}).get(key, "")) for key, label, _h in PARTS]
        if application.is_acceptance
        else [],
        "missing": selectors.missing_materials(application),
    }
    if not enterprise_view:
        context["objections"] = application.objections.all()
    if user.has_perm("campaigns.assign_experts", application):
        context["assignments"] = application.assignments.select_related("expert").prefetch_related(
            "score"
        )
        context["experts"] = people.experts()
        context["is_province"] = True
        context["can_assign"] = application.state in workflow.AT_PROVINCE_STATES
        context["can_object"] = application.state == State.PUBLICITY
    return context


def recognition_status(recognition, today) -> str:
    """What an entry of the tier history is now, in words."""
    words = {
        "day": recognition.revoked_on and recognition.revoked_on.isoformat(),
        "reason": recognition.revoked_reason,
    }
    later = recognition.replaced_by
    if recognition.revoked and later is not None:
        return _("已降为%(lower)s（%(day)s：%(reason)s）") % {**words, "lower": later.tier}
    if recognition.revoked:
        return _("已撤销（%(day)s：%(reason)s）") % words
    if later is not None:
        return _("已由%(higher)s取代（%(day)s起）") % {
            "higher": later.tier,
            "day": later.recognized_on.isoformat(),
        }
    if recognition.recognized_on > today:
        return _("尚未生效")
    if recognition.valid_until and recognition.valid_until < today:
        return _("已到期")
    if recognition.tier == ApplicationKind.ACCEPTANCE:
        return _("通过验收")
    return _("有效")


def factory_page(user, factory) -> dict:
    built = factory.built_scenarios.select_related("scenario")
    form = FactoryScenariosForm(
        initial={
            "scenarios": [b.scenario_id for b in built],
            "ai_scenarios": [b.scenario_id for b in built if b.uses_ai],
        }
    )
    today = timezone.localdate()
    recognitions = list(selectors.recognitions_of(user, factory))
    for recognition in recognitions:
        recognition.status = recognition_status(recognition, today)
    return {
        "factory": factory,
        "recognitions": recognitions,
        "built": built,
        "form": form,
        "can_edit": user.has_perm("campaigns.change_factory_scenarios", factory),
        "can_revoke": user.has_perm("campaigns.revoke_recognition"),
        "revoke_form": RevokeForm(),
    }


def score_page(user, assignment, *, posted=None, problems=()) -> dict:
    """The score sheet with what the expert typed kept in every field, and the problem of each
    wrong one beside it."""
    application = assignment.application
    posted = posted or {}
    by_label = dict(problems)
    rows = [
        {
            **row,
            "value": posted.get(f"points_{row['key']}", ""),
            "problem": by_label.get(row["label"], ""),
        }
        for row in application.campaign.settings.get("score_sheet", [])
    ]
    return {
        "assignment": assignment,
        "application": application,
        "sheet": rows,
        "existing": getattr(assignment, "score", None),
        "problems": [f"{label}：{problem}" if label else problem for label, problem in problems],
        "comment": posted.get("comment", ""),
        "comment_problem": by_label.get(str(_("评审意见")), ""),
        "scenarios": application.scenarios.select_related("scenario"),
        "materials": application.materials.all(),
    }
