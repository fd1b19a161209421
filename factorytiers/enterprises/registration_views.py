"""Pages of enterprise self-registration and of its review by the city officer."""

from django.contrib import messages
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
        request,
        "registrations/register.html",
        {"form": form, **industry_picker_context()},
        status=400 if form.is_bound else 200,
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


def _registration(request, pk: int) -> Registration:
    return get_object_or_404(registrations.registrations_for(request.user), pk=pk)


def _detail(request, registration, form, status=200):
    return render(
        request,
        "registrations/registration_detail.html",
        {
            "review": registrations.review_of(request.user, registration),
            "form": form,
            "can_review": request.user.has_perm("accounts.review_registration", registration),
        },
        status=status,
    )


@require_GET
@permission_required("accounts.view_registrations")
def registration_detail(request, pk: int):
    return _detail(request, _registration(request, pk), ReviewForm())


def _review(request, pk: int, decide):
    """A decision on the registration; a refusal shows the page again with the reason (400)."""
    registration = _registration(request, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        decide(registration, form.cleaned_data)
    except registrations.RegistrationRefused as error:
        form.add_error(None, str(error))
        return _detail(request, registration, form, status=400)
    return redirect("registrations:list")


@require_POST
@permission_required("accounts.review_registrations")
def registration_approve(request, pk: int):
    def approve(registration, data):
        user = registrations.approve_registration(
            actor=request.user,
            registration=registration,
            replace=data.get("replace", False),
            reason=data.get("reason", ""),
        )
        messages.success(request, _("已通过，企业用户以“%(name)s”登录。") % {"name": user.username})

    return _review(request, pk, approve)


@require_POST
@permission_required("accounts.review_registrations")
def registration_reject(request, pk: int):
    def reject(registration, data):
        registrations.reject_registration(
            actor=request.user, registration=registration, reason=data.get("reason", "")
        )
        messages.success(request, _("已驳回该申请。"))

    return _review(request, pk, reject)
