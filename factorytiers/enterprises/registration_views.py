"""Pages of enterprise self-registration and of its review by the city officer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.models import Registration
from factorytiers.reference.selectors import industry_picker_context

from . import registrations
from .forms import RegistrationForm, ReviewForm


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registrations.submit_registration(data=form.cleaned_data)
        return render(
            request, "registrations/register_done.html", {"unit": form.cleaned_data["unit"]}
        )
    return render(
        request, "registrations/register.html", {"form": form, **industry_picker_context()}
    )


@require_GET
@permission_required("accounts.view_registrations")
def registration_list(request):
    status = request.GET.get("status", Registration.Status.PENDING)
    qs = registrations.registrations_for(request.user)
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registrations/registration_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Registration.Status.choices,
            "review_form": ReviewForm(),
            "can_review": request.user.has_perm("accounts.review_registrations"),
        },
    )


def _review(request, pk: int, decide):
    registration = get_object_or_404(registrations.registrations_for(request.user), pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        decide(registration, form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("registrations:list")


@require_POST
@permission_required("accounts.review_registrations")
def registration_approve(request, pk: int):
    def approve(registration, _reason):
        user = registrations.approve_registration(actor=request.user, registration=registration)
        messages.success(
            request, _("已通过，企业用户“%(name)s”可以登录。") % {"name": user.username}
        )

    return _review(request, pk, approve)


@require_POST
@permission_required("accounts.review_registrations")
def registration_reject(request, pk: int):
    def reject(registration, reason):
        registrations.reject_registration(
            actor=request.user, registration=registration, reason=reason
        )
        messages.success(request, _("已驳回该申请。"))

    return _review(request, pk, reject)
