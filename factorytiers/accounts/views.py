from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import audit
from .decorators import permission_required
from .forms import LoginForm
from .models import AuditAction, AuditEntry


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
