from .models import IndustryCode


def industry_picker_context() -> dict:
    """The 小类 list for the searchable industry picker and the 大类→sector suggestions."""
    classes = IndustryCode.objects.filter(level=IndustryCode.Level.CLASS).only("code", "name")
    divisions = dict(
        IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION)
        .exclude(suggested_sector="")
        .values_list("code", "suggested_sector")
    )
    return {"industry_options": classes, "division_sectors": divisions}
