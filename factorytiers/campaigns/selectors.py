"""Reads of the campaign workflow; every one starts from the model's ``visible_to(user)``.

The functions at the end return plain data for the official forms (附件1, 附件4, 附件5).
"""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from factorytiers.accounts.models import Role
from factorytiers.domain.campaign_settings import next_year_title, shift_year
from factorytiers.domain.naming import InvalidName, application_folder_name
from factorytiers.enterprises.models import TierRecognition
from factorytiers.reference.models import Region

from .models import (
    Application,
    ApplicationScenario,
    Campaign,
    ExpertAssignment,
    Material,
    Notification,
    OverseasRecommendation,
    Submission,
    Task,
)


def campaigns_for(user):
    return (
        Campaign.objects.select_related("province")
        if user.is_authenticated
        else Campaign.objects.none()
    )


def campaign_for(user, pk) -> Campaign:
    return get_object_or_404(campaigns_for(user), pk=pk)


def province_of(user) -> Region | None:
    """The province a province officer (or the operator) creates campaigns for."""
    if user.role == Role.PROVINCE and user.unit and user.unit.level == Region.Level.PROVINCE:
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
        }
        for t in previous.tasks.order_by("order", "pk")
    ]
    return initial, tasks


def task_for(user, pk) -> Task:
    return get_object_or_404(Task.objects.select_related("campaign"), pk=pk)


def applications_for(user, *, task=None, unit=None):
    qs = Application.objects.visible_to(user).select_related(
        "enterprise", "factory", "unit", "task", "campaign"
    )
    if task is not None:
        qs = qs.filter(task=task)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def application_for(user, pk) -> Application:
    return get_object_or_404(applications_for(user), pk=pk)


def material_for(user, pk) -> Material:
    return get_object_or_404(Material.objects.visible_to(user).select_related("application"), pk=pk)


def submission_for(user, pk) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(user).select_related("task", "unit"), pk=pk
    )


def unit_progress(user, task) -> list[dict]:
    """Every reporting unit's submission for a task with its application counts (province)."""
    submissions = {s.unit_id: s for s in Submission.objects.visible_to(user).filter(task=task)}
    counts = {
        row["unit_id"]: row
        for row in applications_for(user, task=task)
        .values("unit_id")
        .annotate(
            total=Count("id"),
            recommended=Count(
                "id",
                filter=Q(
                    state__in=[
                        "recommended",
                        "at_province",
                        "under_review",
                        "listed",
                        "publicity",
                        "province_recommended",
                        "recognized",
                    ]
                ),
            ),
        )
    }
    units = Region.objects.filter(is_reporting_unit=True).order_by("code")
    return [
        {
            "unit": unit,
            "submission": submissions.get(unit.pk),
            "total": counts.get(unit.pk, {}).get("total", 0),
            "recommended": counts.get(unit.pk, {}).get("recommended", 0),
        }
        for unit in units
    ]


def assignments_for(user):
    return (
        ExpertAssignment.objects.visible_to(user)
        .select_related("application__enterprise", "application__factory", "application__task")
        .prefetch_related("score")
    )


def assignment_for(user, pk) -> ExpertAssignment:
    return get_object_or_404(assignments_for(user), pk=pk)


def recognition_for(user, pk) -> TierRecognition:
    return get_object_or_404(
        TierRecognition.objects.visible_to(user).select_related("factory__enterprise"), pk=pk
    )


def notifications_for(user):
    return Notification.objects.visible_to(user)


def overseas_candidates(user, *, task, q: str = ""):
    """Enterprises of the user's scope for the 附件5 picker (name or credit code search), with
    their overseas factories and how many of them are already on the task's list."""
    from factorytiers.enterprises.selectors import enterprises_for

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


def overseas_for(user, *, task, unit=None):
    qs = (
        OverseasRecommendation.objects.visible_to(user)
        .filter(task=task)
        .select_related("enterprise", "factory__country", "unit")
    )
    return qs.filter(unit=unit) if unit is not None else qs


# ---------------------------------------------------------------- plain data for the forms
def _scenario_names(application) -> list[str]:
    names = [s.scenario.name for s in application.scenarios.all()]
    names += [line.strip() for line in application.other_scenarios.splitlines() if line.strip()]
    return names


def _folder_name(application) -> str | None:
    try:
        return application_folder_name(
            unit=application.unit.short_name or application.unit.name,
            rank=application.city_rank,
            enterprise=application.enterprise.name,
            project=application.project_name,
        )
    except InvalidName:
        return None


SENT_STATES = [
    "recommended",
    "at_province",
    "under_review",
    "listed",
    "not_selected",
    "publicity",
    "province_recommended",
    "recognized",
]


def _ranked(user, campaign, unit, kind):
    return (
        applications_for(user, unit=unit)
        .filter(campaign=campaign, kind=kind, state__in=SENT_STATES, city_rank__isnull=False)
        .prefetch_related(
            Prefetch("scenarios", queryset=ApplicationScenario.objects.select_related("scenario"))
        )
        .order_by("city_rank")
    )


def recommended_applications(user, campaign, unit, tier: str) -> list[dict]:
    """附件1 rows of a unit: rank (序号), enterprise, factory, scenario names, folder name."""
    return [
        {
            "rank": a.city_rank,
            "application_id": a.pk,
            "enterprise_name": a.enterprise.name,
            "factory_name": a.factory.name if a.factory else "",
            "project_name": a.project_name,
            "scenario_names": _scenario_names(a),
            "folder_name": _folder_name(a),
            "state": a.state,
        }
        for a in _ranked(user, campaign, unit, tier)
    ]


def pilot_acceptances(user, campaign, unit) -> list[dict]:
    """附件4 rows of a unit: rank (序号), 揭榜单位名称, 揭榜项目名称, and the four parts' text."""
    return [
        {
            "rank": a.city_rank,
            "application_id": a.pk,
            "enterprise_name": a.enterprise.name,
            "project_name": a.project_name,
            "parts": dict(a.parts),
            "folder_name": _folder_name(a),
        }
        for a in _ranked(user, campaign, unit, "揭榜验收")
    ]


def overseas_recommendations(user, campaign, unit) -> list[dict]:
    """附件5 rows of a unit, in the city's order (selected rows only)."""
    rows = (
        OverseasRecommendation.objects.visible_to(user)
        .filter(task__campaign=campaign, unit=unit, selected=True)
        .select_related("enterprise", "factory__country")
        .order_by("rank")
    )
    return [
        {
            "rank": r.rank,
            "enterprise_name": r.enterprise.name,
            "factory_name": r.factory.name,
            "country": r.factory.country.name_zh if r.factory.country else "",
            "brics": bool(r.factory.country and r.factory.country.brics),
            "belt_and_road": bool(r.factory.country and r.factory.country.belt_and_road),
            "self_assessed_level": r.self_assessed_level,
            "sector": r.sector,
            "employees": r.employees,
            "revenue_wan": r.revenue_wan,
            "introduction": r.introduction,
            "contact": r.contact,
        }
        for r in rows
    ]
