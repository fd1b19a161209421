"""The campaign card on every role's home page: the year's notice and unread notifications (the
tasks and their deadlines are the home page's to-do list, ``dashboards/todo.py``)."""

from django import template

from factorytiers.campaigns import notify, selectors
from factorytiers.campaigns.workflow import STATES
from factorytiers.campaigns.workflow import state_label as label_of

register = template.Library()


@register.inclusion_tag("campaigns/home_card.html", takes_context=True)
def campaign_home_card(context):
    user = context["user"]
    return {
        "campaign": selectors.campaigns_for(user).first(),
        "unread": selectors.notifications_for(user).filter(is_read=False).count(),
        "perms": context.get("perms"),
    }


@register.filter
def state_label(code: str, for_enterprise: bool = False) -> str:
    """An application state as the reader sees it: the enterprise's or the officer's label."""
    return label_of(code, for_enterprise=for_enterprise) if code in STATES else code


@register.filter
def notification_text(notification) -> str:
    """A notification written in the reader's language."""
    return notify.message(notification)
