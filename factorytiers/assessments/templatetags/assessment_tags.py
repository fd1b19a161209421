"""Template helpers of the self-assessment: level names, sources, and the home-page card."""

from django import template
from django.utils import timezone

from factorytiers.domain.maturity import level_name as _level_name
from factorytiers.enterprises.models import Enterprise

from .. import selectors
from ..models import Assessment

register = template.Library()


@register.filter
def level_name(level) -> str:
    """3 → 三级, 0 → 未达一级; empty for None."""
    if level in (None, ""):
        return ""
    return _level_name(int(level))


@register.filter
def source_label(source) -> str:
    return selectors.SOURCE_LABELS.get(source or "", "")


@register.inclusion_tag("assessments/home_card.html", takes_context=True)
def assessment_home_card(context) -> dict:
    """This year's self-assessment on the home page: an enterprise's own state, an officer's
    counts (from the same scope as the overview)."""
    user = context["user"]
    year = timezone.localdate().year
    data = {"year": year, "kind": None}
    if user.has_perm("assessments.take_assessment"):
        data["kind"] = "enterprise"
        data["counted"] = (
            selectors.with_counted_result(Enterprise.objects.visible_to(user), year)
            .values("counted_source", "counted_score", "counted_level", "counted_on")
            .first()
        )
        data["draft"] = (
            Assessment.objects.visible_to(user)
            .filter(year=year, status=Assessment.Status.DRAFT)
            .first()
        )
    elif user.has_perm("assessments.view_overview"):
        data["kind"] = "officer"
        data["summary"] = selectors.overview_summary(user, year, {})["totals"]
    return data
