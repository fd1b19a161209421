"""The home page of each role: what needs doing now, in the user's scope (``todo.py``)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from factorytiers.accounts.decorators import login_only, permission_required
from factorytiers.assessments.selectors import kept_unit_summary
from factorytiers.documents.selectors import default_year, statistics_years
from factorytiers.enterprises import selectors as enterprise_selectors

from . import charts, todo
from . import guide as guide_pages


def _year(request) -> tuple[int, list[int]]:
    years = statistics_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return (year if year in years else default_year()), years


@require_GET
@login_only
def home(request):
    user = request.user
    today = timezone.localdate()
    context = {}
    if user.has_perm("enterprises.view_own_enterprise"):
        context["enterprise_home"] = todo.enterprise_home(user, today)
    elif user.has_perm("campaigns.act_as_city"):
        context["city_home"] = todo.city_home(user, today)
    elif user.has_perm("campaigns.act_as_province"):
        context["province_home"] = todo.province_home(user, today)
        year, years = _year(request)
        context["chart_years"] = years
        context["chart_data"] = charts.province_charts(user, year, years)
    elif user.has_perm("campaigns.act_as_expert"):
        context["expert_home"] = todo.expert_home(user, today)
    else:
        context["admin_home"] = todo.admin_home(user)
    if user.has_perm("enterprises.list_enterprises"):
        summary = kept_unit_summary(user)
        if summary is None:
            summary = enterprise_selectors.unit_summary(user)
        context["unit_summary"] = summary
        context["total"] = sum(row["total"] for row in summary)
        context["above_scale"] = sum(row["above_scale"] for row in summary)
    return render(request, "dashboards/home.html", context)


@require_GET
@permission_required("enterprises.view_own_enterprise")
def my_enterprise(request):
    if not request.user.enterprise_id:
        raise Http404
    return redirect("enterprises:detail", pk=request.user.enterprise_id)


@require_GET
@login_only
def guide(request, chapter: str | None = None):
    page = guide_pages.page(chapter)
    if page is None:
        raise Http404
    chapters = [(slug, guide_pages.page(slug).title) for slug in guide_pages.CHAPTERS]
    return render(
        request,
        "dashboards/guide.html",
        {"page": page, "chapter": chapter, "chapters": chapters},
    )
