from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.reference.selectors import industry_picker_context

from . import services
from .decorators import permission_required
from .forms import LoginForm, RegistrationForm, ReviewForm
from .models import AuditEntry, Registration


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.submit_registration(data=form.cleaned_data)
        return render(request, "accounts/register_done.html", {"unit": form.cleaned_data["unit"]})
    return render(request, "accounts/register.html", {"form": form, **industry_picker_context()})


@require_GET
@permission_required("accounts.view_registrations")
def registration_list(request):
    status = request.GET.get("status", Registration.Status.PENDING)
    qs = services.registrations_for(request.user)
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/registration_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Registration.Status.choices,
            "review_form": ReviewForm(),
        },
    )


def _review(request, pk: int, action):
    registration = get_object_or_404(services.registrations_for(request.user), pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        action(registration, form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:registrations")


@require_POST
@permission_required("accounts.view_registrations")
def registration_approve(request, pk: int):
    def approve(registration, _reason):
        user = services.approve_registration(actor=request.user, registration=registration)
        messages.success(
            request, _("已通过，企业用户“%(name)s”可以登录。") % {"name": user.username}
        )

    return _review(request, pk, approve)


@require_POST
@permission_required("accounts.view_registrations")
def registration_reject(request, pk: int):
    def reject(registration, reason):
        services.reject_registration(actor=request.user, registration=registration, reason=reason)
        messages.success(request, _("已驳回该申请。"))

    return _review(request, pk, reject)


@require_GET
@permission_required("accounts.view_audit_log")
def audit_log(request):
    qs = AuditEntry.objects.select_related("actor", "unit")
    if action := request.GET.get("action"):
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page})
