"""The home page of each role: what needs doing now, in the user's scope."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from factorytiers.enterprises import selectors as enterprise_selectors

from . import services
from .decorators import login_only, permission_required
from .models import Registration, Role


@require_GET
@login_only
def home(request):
    user = request.user
    context = {"role": user.role}
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        context["enterprise"] = enterprise_selectors.enterprise_for(user, user.enterprise_id)
        context["factories"] = context["enterprise"].factories.select_related("country")
    elif user.role in (Role.CITY, Role.PROVINCE, Role.ADMIN) or user.is_superuser:
        summary = enterprise_selectors.unit_summary(user)
        context["unit_summary"] = summary
        context["total"] = sum(row["total"] for row in summary)
        context["above_scale"] = sum(row["above_scale"] for row in summary)
        context["pending_registrations"] = (
            services.registrations_for(user).filter(status=Registration.Status.PENDING).count()
        )
    return render(request, "home.html", context)


@require_GET
@permission_required("enterprises.view_own_enterprise")
def my_enterprise(request):
    if not request.user.enterprise_id:  # a superuser passes every permission but has none
        raise Http404
    return redirect("enterprises:detail", pk=request.user.enterprise_id)
