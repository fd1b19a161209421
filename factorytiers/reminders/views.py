"""Pages of the reminders app: a user's preferences and calendar link, the calendar feed
itself (by its private token, no log-in), a city's 督促 of a filtered list, and a campaign's
reminder days."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.http import edit_page, refusal_message
from factorytiers.accounts.writes import Refused
from factorytiers.assessments.forms import OverviewFilterForm
from factorytiers.campaigns.selectors import campaign_for
from factorytiers.domain.deadlines import local_date
from factorytiers.enterprises.forms import EnterpriseFilterForm

from . import feed, selectors, services
from .forms import CampaignRemindersForm, PreferenceForm, UrgeForm
from .models import Urge


@require_http_methods(["GET", "POST"])
@permission_required("reminders.edit_preferences")
def preferences(request):
    preference = selectors.preference_of(request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "email_enabled": preference.email_enabled,
            "language": preference.language,
            "version": preference.version,
        },
    )

    def save():
        services.set_preferences(
            actor=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            language=form.cleaned_data["language"],
            version=form.cleaned_data["version"],
        )

    calendar_url = (
        request.build_absolute_uri(reverse("reminders:calendar", args=[preference.calendar_token]))
        if preference.calendar_token
        else ""
    )
    page = edit_page(
        request,
        "reminders/preferences.html",
        {
            "form": form,
            "forms": [form],
            "preference": preference,
            "calendar_url": calendar_url,
            "has_email": bool(request.user.email),
        },
        save,
    )
    if page is not None:
        return page
    messages.success(request, _("提醒设置已保存。"))
    return redirect("reminders:preferences")


@require_POST
@permission_required("reminders.edit_preferences")
def renew_calendar(request):
    services.renew_calendar_token(actor=request.user)
    messages.success(request, _("已生成新的日历订阅链接，原链接已失效。"))
    return redirect("reminders:preferences")


@require_GET
def calendar(request, token: str):
    """The private feed: the token is the only key (a wrong or replaced one is a 404)."""
    preference = selectors.preference_by_token(token)
    now = timezone.now()
    tasks = selectors.deadlines_of(preference.user, local_date(now))
    content = feed.ics(
        tasks,
        user=preference.user,
        language=preference.language,
        now=now,
        reviews=selectors.reviews_due_of(preference.user),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- 督促 ----------------------------------------------------------------------------------------


class BadFilters(Refused):
    """The list's filters as posted do not read."""


def _urge_context(request):
    """The list the officer was looking at: its source, the filters as the list page's own
    form reads them, the enterprises it shows (scoped), and the way back to it."""
    source = request.POST.get("source")
    show_unit = request.user.has_perm("enterprises.choose_unit")
    if source == selectors.OVERVIEW:
        form = OverviewFilterForm(
            request.POST, show_unit=show_unit, model=selectors.overview_model()
        )
        back = reverse("assessments:overview")
    else:
        source = selectors.ENTERPRISES
        form = EnterpriseFilterForm(request.POST, show_unit=show_unit)
        back = reverse("enterprises:list")
    if not form.is_valid():
        # Never fall back to the whole list: a filter that does not read urges nobody.
        problems = "；".join(
            f"{form.fields[name].label if name in form.fields else name}：{' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        raise BadFilters(_("筛选条件有误，未发送督促：%(problems)s") % {"problems": problems})
    filters = form.cleaned_data
    year = filters.get("year") or local_date(timezone.now()).year
    raw = {
        name: request.POST.get(name, "") for name in form.fields if request.POST.get(name, "") != ""
    }
    campaign = selectors.urge_campaign(request.user, year if source == selectors.OVERVIEW else None)
    tasks = selectors.urge_tasks(request.user, campaign)
    enterprises = selectors.urge_targets(request.user, source=source, filters=filters, year=year)
    return {
        "source": source,
        "raw_filters": raw,
        "enterprises": enterprises,
        "tasks": tasks,
        "back": back + ("?" + urlencode(raw) if raw else ""),
    }


@require_POST
@permission_required("reminders.open_urge")
def urge(request):
    """First POST (from the list, with its filters): the confirmation with the count. Second
    POST (``confirm``): the 督促 is sent."""
    try:
        context = _urge_context(request)
    except BadFilters as exc:
        return render(request, "reminders/urge_refused.html", {"message": str(exc)}, status=400)
    default_task = context["tasks"].filter(kind="self_assessment").first()
    form = UrgeForm(
        request.POST if "confirm" in request.POST else None,
        tasks=context["tasks"],
        initial={"task": default_task},
    )
    if "confirm" in request.POST:
        try:
            if not form.is_valid():
                raise Refused(_("请选择督促事项。"))
            count = services.urge_enterprises(
                actor=request.user,
                task=form.cleaned_data["task"],
                enterprises=context["enterprises"],
                note=form.cleaned_data["note"],
            )
        except Refused as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, _("已向%(count)s家企业发送督促。") % {"count": count})
        return redirect(context["back"])
    total = context["enterprises"].count()
    task = default_task or context["tasks"].first()
    urged_today = (
        Urge.objects.visible_to(request.user)
        .filter(
            task=task,
            sent_on=local_date(timezone.now()),
            enterprise__in=context["enterprises"].values("pk"),
        )
        .count()
        if task
        else 0
    )
    return render(
        request,
        "reminders/urge_confirm.html",
        {**context, "form": form, "total": total, "urged_today": urged_today},
    )


# -- a campaign's reminder days -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("reminders.open_campaign_reminders")
def campaign_reminders(request, pk: int):
    campaign = campaign_for(request.user, pk)
    row = selectors.campaign_reminders_of(request.user, campaign)
    form = CampaignRemindersForm(
        request.POST or None,
        initial={
            "days_before": ",".join(str(d) for d in row.days_before),
            "version": row.version,
        },
    )

    def save():
        services.set_days_before(
            actor=request.user,
            campaign=campaign,
            text=form.cleaned_data["days_before"],
            version=form.cleaned_data["version"],
        )

    page = edit_page(
        request,
        "reminders/campaign_reminders.html",
        {"form": form, "forms": [form], "campaign": campaign},
        save,
    )
    if page is not None:
        return page
    messages.success(request, _("截止前提醒天数已保存。"))
    return redirect("reminders:campaign_reminders", pk=campaign.pk)
