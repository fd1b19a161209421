"""The home page of each role: what needs doing now, in the user's scope."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from factorytiers.accounts.decorators import login_only, permission_required
from factorytiers.accounts.models import Registration
from factorytiers.enterprises import selectors as enterprise_selectors
from factorytiers.enterprises.registrations import registrations_for


@require_GET
@login_only
def home(request):
    user = request.user
    context = {}
    if user.has_perm("enterprises.view_own_enterprise"):
        context["enterprise"] = enterprise_selectors.enterprise_for(user, user.enterprise_id)
        context["factories"] = context["enterprise"].factories.select_related("country")
    elif user.has_perm("enterprises.list_enterprises"):
        summary = enterprise_selectors.unit_summary(user)
        context["unit_summary"] = summary
        context["total"] = sum(row["total"] for row in summary)
        context["above_scale"] = sum(row["above_scale"] for row in summary)
    if user.has_perm("accounts.view_registrations"):
        context["pending_registrations"] = (
            registrations_for(user).filter(status=Registration.Status.PENDING).count()
        )
    return render(request, "dashboards/home.html", context)


@require_GET
@permission_required("enterprises.view_own_enterprise")
def my_enterprise(request):
    if not request.user.enterprise_id:
        raise Http404
    return redirect("enterprises:detail", pk=request.user.enterprise_id)
