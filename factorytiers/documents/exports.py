"""A unit's 附件2 report (DOCX or PDF) declared to ``accounts.exports``: written in the request
when its attached table is short, by a background job when it is long (a city of 40,000
enterprises lists some thousand factories, a city at national size about 10,000: 3 to 5 s).

The export's query names the task, the unit and the format (``task=…&unit=…&format=pdf``); the
job reads them back as the user who asked, through the same scoped selectors as the download.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.exports import Export, Exporter, Progress, register
from factorytiers.campaigns.models import Task

from . import generate, selectors

REPORT_FORMATS = ("docx", "pdf")
# The PDF's progress counts its pages as they are laid out, of about this many: the report's
# text, tables and chart, then the attached table's rows on landscape pages.
REPORT_BODY_PAGES = 3
ATTACHED_ROWS_PER_PAGE = 8
KIND = "report"


def report_query(task: Task, unit_id: int, extension: str) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update({"task": str(task.pk), "unit": str(unit_id), "format": extension})
    return query


def _inline_max(extension: str) -> int:
    if extension == "pdf":
        return settings.REPORT_PDF_INLINE_MAX_ROWS
    return settings.REPORT_DOCX_INLINE_MAX_ROWS


def report_export(user, query: QueryDict) -> Export:
    """The report of ``query``'s task and unit, as the user may read it (another unit, or a task
    that is not a report, is a 404, as on the download's URL)."""
    extension = query.get("format", "")
    task = selectors.task_for(user, query.get("task"))
    if task.kind != Task.Kind.REPORT or extension not in REPORT_FORMATS:
        raise Http404("report")
    unit = selectors.unit_for(user, query.get("unit"))
    campaign = task.campaign

    def write(target, progress: Progress) -> None:
        data = generate.report_data(user, campaign, unit)
        rows = len(data.attached_rows)
        progress(rows // 2)  # the figures and the table are read: half the way
        pages = REPORT_BODY_PAGES + -(-rows // ATTACHED_ROWS_PER_PAGE)

        furthest = [0]  # a layout that starts again (pages remade) never moves back

        def on_page(page: int) -> None:  # the PDF's layout, the other half
            furthest[0] = max(furthest[0], min(page, pages))
            progress(rows // 2 + rows * furthest[0] // (2 * pages))

        content = generate.report_document(data, extension, on_page=on_page)
        if isinstance(target, str):
            with open(target, "wb") as handle:
                handle.write(content)
        else:
            target.write(content)

    return Export(
        count=lambda: selectors.form2_count(user, campaign, unit),
        file_name=generate.report_name(campaign, unit, extension),
        ascii_name=f"report.{extension}",
        write=write,
        extension=extension,
        inline_max=_inline_max(extension),
    )


register(Exporter(KIND, _("附件2 工作报告"), "documents.open_unit_forms", report_export))
