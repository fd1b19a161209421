"""Reads of the campaign workflow; every one starts from the model's ``visible_to(user)``.

A read never writes: a unit that has not yet reported a task is shown an unsaved
``Submission`` (``submission_of``); the row is created by the first service that needs it.
The rows of the official forms are built in ``documents.selectors``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from factorytiers.accounts.scope import reporting_units_for
from factorytiers.assessments.selectors import counted_assessments
from factorytiers.domain.campaign_settings import next_year_title, shift_year
from factorytiers.domain.tier_conditions import ScenarioFact, check_conditions
from factorytiers.enterprises.models import Enterprise, TierRecognition
from factorytiers.enterprises.selectors import enterprises_for
from factorytiers.reference.models import Region

from .models import (
    MATURITY_SOURCES,
    Application,
    Campaign,
    ExpertAssignment,
    Material,
    Notification,
    OverseasRecommendation,
    Publicity,
    State,
    Submission,
    Task,
)
from .workflow import SENT_STATES


def campaigns_for(user):
    return Campaign.objects.visible_to(user).select_related("province")


def campaign_for(user, pk) -> Campaign:
    return get_object_or_404(campaigns_for(user), pk=pk)


def province_of(user) -> Region | None:
    """The province a province officer creates campaigns for: the province of the officer's
    unit, else the province of the latest campaign, else the only province."""
    if user.unit is not None and user.unit.level == Region.Level.PROVINCE:
        return user.unit
    latest = Campaign.objects.select_related("province").order_by("-year").first()
    if latest is not None:
        return latest.province
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code").first()


def new_campaign_defaults(province) -> tuple[dict, list[dict]]:
    """What the form for a new campaign starts from: the province's latest campaign and its
    tasks moved on by a year (deadlines on the same dates), or an empty form."""
    previous = (
        Campaign.objects.filter(province=province).order_by("-year").first() if province else None
    )
    if previous is None:
        return {}, []
    initial = {
        "year": previous.year + 1,
        "title": next_year_title(previous.title, previous.year),
        "issued_on": shift_year(previous.issued_on),
        "issuer": previous.issuer,
        "contact_name": previous.contact_name,
        "contact_department": previous.contact_department,
        "contact_phone": previous.contact_phone,
        "free_statement": previous.free_statement,
    }
    tasks = [
        {
            "kind": t.kind,
            "title": next_year_title(t.title, previous.year),
            "deadline": shift_year(t.deadline) if t.deadline else None,
            "deadline_note": t.deadline_note,
            "deliverable": next_year_title(t.deliverable, previous.year),
            "instructions": next_year_title(t.instructions, previous.year),
        }
        for t in previous.tasks.order_by("order", "pk")
    ]
    return initial, tasks


def tasks_for(user):
    return Task.objects.visible_to(user).select_related("campaign__province")


def task_for(user, pk) -> Task:
    return get_object_or_404(tasks_for(user), pk=pk)


def applications_for(user, *, task=None, unit=None):
    qs = Application.objects.visible_to(user).select_related(
        "enterprise", "factory", "unit", "task", "campaign"
    )
    if task is not None:
        qs = qs.filter(task=task)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def application_list(user, filters: dict):
    """The officers' list: the user's applications (city: its unit; province: all), filtered by
    state, unit, kind, task, year and a search in the enterprise's name, the project's name or
    the start of the credit code."""
    qs = applications_for(user)
    if q := " ".join((filters.get("q") or "").split()):
        qs = qs.filter(
            Q(enterprise__name__icontains=q)
            | Q(project_name__icontains=q)
            | Q(enterprise__credit_code__startswith=q.upper())
        )
    for key, lookup in (
        ("state", "state"),
        ("tier", "kind"),
        ("unit", "unit_id"),
        ("task", "task_id"),
    ):
        if value := filters.get(key):
            qs = qs.filter(**{lookup: value})
    if year := filters.get("year"):
        qs = qs.filter(campaign__year=year)
    return qs.order_by("-campaign__year", "task__order", "unit__code", "city_rank", "pk")


def listed_tasks(user):
    """The tasks that gather applications, for the list's task filter (newest year first)."""
    return (
        tasks_for(user)
        .filter(kind__in=list(Task.APPLICATION_KINDS))
        .order_by("-campaign__year", "order", "pk")
    )


def chosen_applications(user, pks) -> dict[int, Application]:
    """The applications chosen on the list, by id; Http404 when one of them is not in the
    user's scope (another unit's application is never found, never named)."""
    found = applications_for(user).in_bulk(list(pks))
    if len(found) != len(set(pks)):
        raise Http404
    return found


def application_for(user, pk) -> Application:
    return get_object_or_404(applications_for(user), pk=pk)


def material_for(user, pk) -> Material:
    return get_object_or_404(Material.objects.visible_to(user).select_related("application"), pk=pk)


def submission_for(user, pk) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(user).select_related("task", "unit"), pk=pk
    )


def submission_of(user, task, unit) -> Submission:
    """The unit's report of the task as stored, or, before its first write, an unsaved one
    in the draft state (a read creates nothing)."""
    stored = Submission.objects.visible_to(user).filter(task=task, unit=unit).first()
    return stored or Submission(task=task, unit=unit)


def unit_has_reported(task, unit) -> bool:
    """Whether the unit's report of the task is with the province (a fact the unit's
    enterprises are told before they apply; the report itself stays the officers')."""
    return Submission.objects.filter(
        task=task, unit=unit, state=Submission.State.SUBMITTED
    ).exists()


def unit_progress(user, task) -> list[dict]:
    """Every reporting unit's submission for a task with its application counts (province)."""
    submissions = {s.unit_id: s for s in Submission.objects.visible_to(user).filter(task=task)}
    counts = {
        row["unit_id"]: row
        for row in applications_for(user, task=task)
        .values("unit_id")
        .annotate(
            total=Count("id"),
            recommended=Count("id", filter=Q(state__in=SENT_STATES - {State.NOT_SELECTED})),
        )
    }
    return [
        {
            "unit": unit,
            "submission": submissions.get(unit.pk),
            "total": counts.get(unit.pk, {}).get("total", 0),
            "recommended": counts.get(unit.pk, {}).get("recommended", 0),
        }
        for unit in reporting_units_for(user)
    ]


def assignments_for(user):
    return (
        ExpertAssignment.objects.visible_to(user)
        .select_related("application__enterprise", "application__factory", "application__task")
        .prefetch_related("score")
    )


def waiting_assignments(assignments):
    """Assignments still to be scored: no score yet, the application under review."""
    return assignments.filter(score__isnull=True, application__state=State.UNDER_REVIEW)


def assignment_for(user, pk) -> ExpertAssignment:
    return get_object_or_404(assignments_for(user), pk=pk)


def recognition_for(user, pk) -> TierRecognition:
    return get_object_or_404(
        TierRecognition.objects.visible_to(user).select_related("factory__enterprise"), pk=pk
    )


def recognitions_of(user, factory):
    return (
        TierRecognition.objects.visible_to(user)
        .filter(factory=factory)
        .select_related("recognizing_unit", "replaced_by")
    )


def notifications_for(user):
    return Notification.objects.visible_to(user)


def overseas_candidates(user, *, task, q: str = ""):
    """Enterprises of the user's scope for the 附件5 picker (name or credit code search), with
    their overseas factories and how many of them are already on the task's list."""
    return (
        enterprises_for(user, filters={"q": q})
        .annotate(
            overseas_count=Count("factories", filter=Q(factories__is_overseas=True), distinct=True),
            listed_count=Count(
                "overseasrecommendation",
                filter=Q(overseasrecommendation__task=task),
                distinct=True,
            ),
        )
        .order_by("-overseas_count", "name", "pk")
    )


def overseas_entry_for(user, pk) -> OverseasRecommendation:
    return get_object_or_404(
        OverseasRecommendation.objects.visible_to(user).select_related(
            "task", "enterprise", "factory", "unit"
        ),
        pk=pk,
    )


def publicity_for(user, pk) -> Publicity:
    return get_object_or_404(Publicity.objects.visible_to(user).select_related("task"), pk=pk)


def publicities_of(user, task):
    return (
        Publicity.objects.visible_to(user)
        .filter(task=task)
        .prefetch_related("applications__enterprise", "applications__unit")
    )


def overseas_for(user, *, task, unit=None):
    qs = (
        OverseasRecommendation.objects.visible_to(user)
        .filter(task=task)
        .select_related("enterprise", "factory__country", "unit")
    )
    return qs.filter(unit=unit) if unit is not None else qs


def enterprise_of(user) -> Enterprise | None:
    """An enterprise user's own enterprise (None for every other role)."""
    return Enterprise.objects.visible_to(user).filter(pk=user.enterprise_id).first()


# ---------------------------------------------------------------- maturity and conditions
@dataclass(frozen=True)
class Maturity:
    """An application's maturity level and where it comes from."""

    source: str  # "assessment" / "platform" (the counted result), "declared", or ""
    level: int | None
    score: Decimal | None = None
    assessed_on: date | None = None
    record_id: int | None = None

    @property
    def counted(self) -> bool:
        return self.source in ("assessment", "platform")

    @property
    def source_label(self) -> str:
        return str(dict(MATURITY_SOURCES).get(self.source, ""))


def counted_maturity(user, enterprise_id: int, year: int) -> Maturity | None:
    """The enterprise's counted assessment of ``year`` (the assessments app's selector), in
    the user's scope; None when there is none."""
    row = (
        counted_assessments(user, year)
        .filter(pk=enterprise_id)
        .values(
            "counted_source",
            "counted_level",
            "counted_score",
            "counted_on",
            "counted_assessment_id",
            "counted_platform_result_id",
        )
        .first()
    )
    if row is None or not row["counted_source"]:
        return None
    return Maturity(
        source=row["counted_source"],
        level=row["counted_level"],
        score=row["counted_score"],
        assessed_on=row["counted_on"],
        record_id=row["counted_assessment_id"] or row["counted_platform_result_id"],
    )


def current_maturity(user, application) -> Maturity:
    """What the application's level is now: the counted assessment of the campaign year, or
    the level the enterprise declared when there is none."""
    counted = counted_maturity(user, application.enterprise_id, application.campaign.year)
    if counted is not None:
        return counted
    if application.maturity_level is None:
        return Maturity("", None)
    return Maturity("declared", application.maturity_level, application.maturity_score)


def stored_maturity(application) -> Maturity:
    return Maturity(
        application.maturity_source,
        application.maturity_level,
        application.maturity_score,
        application.maturity_assessed_on,
        application.maturity_record_id,
    )


def material_slots(application) -> list[dict]:
    return application.campaign.settings.get("material_slots", {}).get(application.kind, [])


def missing_materials(application) -> list[str]:
    present = set(application.materials.values_list("slot", flat=True))
    return [
        s["label"] for s in material_slots(application) if s["required"] and s["key"] not in present
    ]


def check_application(application, maturity: Maturity | None = None) -> list[dict]:
    """The tier conditions against the campaign's current settings (met / not met / judge),
    with the application's stored maturity level unless another is given."""
    if application.tier is None:
        return []
    maturity = maturity or stored_maturity(application)
    facts = [
        ScenarioFact(s.scenario.construction_link, s.uses_ai)
        for s in application.scenarios.select_related("scenario")
    ]
    facts += [
        ScenarioFact(None, False)
        for line in application.other_scenarios.splitlines()
        if line.strip()
    ]
    results = check_conditions(
        tier=application.tier,
        scenarios=facts,
        maturity_level=maturity.level,
        above_scale=application.enterprise.is_above_scale,
        settings=application.campaign.settings,
        maturity_source=maturity.source_label or None,
    )
    return [r.as_dict() for r in results]
