"""The operator's pages of machine tokens: the list, issuing (the secret shown once) and
revoking. Each change goes through ``services``."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.http import refusals_go_back
from factorytiers.accounts.writes import Refused

from . import services
from .forms import IssueTokenForm
from .models import ApiToken


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("api.manage_tokens")
def token_list(request):
    form = IssueTokenForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = services.issue_token(
                    actor=request.user,
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                )
            except Refused as exc:
                form.add_error(None, str(exc))
        if issued is None:
            status = 400
        else:
            form = IssueTokenForm()
    tokens = ApiToken.objects.visible_to(request.user).select_related("user", "created_by")
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "issued": issued},
        status=status,
    )


@require_POST
@permission_required("api.manage_tokens")
@refusals_go_back(lambda request, pk: reverse("apitokens:list"))
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("已吊销接口令牌“%(token)s”。") % {"token": token})
    return redirect("apitokens:list")
