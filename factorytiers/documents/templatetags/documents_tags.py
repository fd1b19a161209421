"""The officers' card on the home page (this year's forms to hand in and the statistics) and
the statistics page's figure links."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from factorytiers.campaigns.models import Campaign
from factorytiers.documents import selectors

register = template.Library()


@register.inclusion_tag("documents/home_card.html", takes_context=True)
def documents_home_card(context):
    user = context["user"]
    if not user.has_perm("documents.open_unit_forms"):
        return {"show": False}
    campaign = Campaign.objects.visible_to(user).filter(year=selectors.default_year()).first()
    tasks = [t for t in campaign.tasks.all() if t.kind in selectors.TASK_FORMS] if campaign else []
    return {"show": True, "campaign": campaign, "tasks": tasks}


@register.simple_tag(takes_context=True)
def figure_link(context, figure, params):
    """A figure as the link to the list behind it. A tag, not an included template: the
    statistics page draws a few thousand of them (an include and a ``{% url %}`` each cost
    about 30 µs); the list's URL is reversed once per page."""
    cache = context.render_context
    if "figure_list_url" not in cache:
        cache["figure_list_url"] = reverse("documents:statistics_list")
    return format_html(
        '<a class="figure-link" data-figure="{}" href="{}?{}&amp;figure={}" title="{}：{}">{}</a>',
        figure.key,
        cache["figure_list_url"],
        params,
        figure.key,
        figure.label,
        figure.count,
        figure.value,
    )
