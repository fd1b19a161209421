"""The officers' card on the home page: this year's forms to hand in and the statistics."""

from django import template

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
