from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from . import audit, exports, passwords
from .decorators import login_only, permission_required
from .forms import LoginForm, PasswordResetRequestForm
from .job_pages import JobPages
from .models import AuditAction, AuditEntry, ExportJob


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class _RefusedFormAnswers400:
    """A form sent back with its errors answers 400: nothing was saved."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordChangeView(_RefusedFormAnswers400, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        passwords.set_password(
            actor=self.request.user,
            user=form.user,
            password=form.cleaned_data["new_password1"],
            action=AuditAction.PASSWORD_CHANGE,
        )
        update_session_auth_hash(self.request, form.user)  # this session stays logged in
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(_RefusedFormAnswers400, auth_views.PasswordResetView):
    """The same answer whether or not an account has the address (the form sends only when
    one does)."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(_RefusedFormAnswers400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        passwords.set_password(
            actor=None,
            user=form.user,
            password=form.cleaned_data["new_password1"],
            action=AuditAction.PASSWORD_RESET,
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


password_change = login_only(PasswordChangeView.as_view())
password_change_done = login_only(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@require_GET
@permission_required("accounts.view_audit_log")
def audit_log(request):
    qs = AuditEntry.objects.visible_to(request.user).select_related("actor", "unit")
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "kind": audit.target_kind(entry), "changes": audit.describe(entry)}
        for entry in page
    ]
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "rows": rows, "actions": AuditAction.choices, "action": action},
    )


# -- background exports -----------------------------------------------------------------------

EXPORTS = JobPages(
    ExportJob,
    permission="accounts.follow_exports",  # the scope finds only the user's own exports
    template="accounts/export.html",
    progress_template="accounts/partials/export_progress.html",
    context=lambda job: {"label": exports.label(job)},
)
export_detail, export_progress, export_download = EXPORTS.page, EXPORTS.progress, EXPORTS.download
