"""The assessment overview (who has assessed, who has not) as an XLSX export, declared to
``accounts.exports`` so a big one is written by a background job."""

from __future__ import annotations

from django.utils import timezone

from factorytiers.accounts.exports import Export, Exporter, register

from . import selectors, spreadsheets
from .forms import OverviewFilterForm
from .models import MaturityModelEdition

CHUNK = 2000


def overview_filters(user, query):
    """The overview's filter form, its valid filters, the year and the active model."""
    model = MaturityModelEdition.objects.active().model
    show_unit = user.has_perm("enterprises.choose_unit")
    form = OverviewFilterForm(query or None, show_unit=show_unit, model=model)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = filters.get("year") or timezone.localdate().year
    return form, filters, year, model


def overview_export(user, query) -> Export:
    _form, filters, year, _model = overview_filters(user, query)
    rows = selectors.overview_rows(user, year, filters).select_related("unit")
    return Export(
        count=rows.count,
        file_name=f"{year}年度自评估情况.xlsx",
        ascii_name=f"assessment-status-{year}.xlsx",
        write=lambda target, progress: spreadsheets.overview_file(
            rows.iterator(chunk_size=CHUNK),
            source_labels=selectors.SOURCE_LABELS,
            target=target,
            progress=progress,
            every=CHUNK,
        ),
    )


register(Exporter("overview", "自评估情况", "assessments.view_overview", overview_export))
