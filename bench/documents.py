"""Documents at size: the 附件2 report (DOCX, PDF) for one city and the three XLSX exports.

Run: FACTORYTIERS_DEV=1 .venv/bin/python bench/documents.py [--unit 140100] [--fresh 3000]
Times, for the data in the database (``--fresh N``: a throw-away SQLite database with the demo
data of N enterprises), the median of 5 runs of: the city's 附件2 report as DOCX and as PDF, the
province's assessment overview export, enterprise export and statistics export (each written as
its background job writes it). Beside them, in the same process, the references: the report PDF
on the first --reference-rows attached rows with the table laid out by WeasyPrint from the print
template (as it was before the tables were drawn by ``rendering.table_pdf``); the PDF with
the garbage collector running through WeasyPrint's work (as before it was paused there), and the
same with the fonts subset by fontTools too, as WeasyPrint does where the system library
HarfBuzz-subset (Debian ``libharfbuzz-subset0``) is missing (the PDF as it was); the attached
table written the old way (``table.cell(r, c)`` per cell, on the first --reference-rows rows
only, since it grows with the square of the rows) against the current writer on the same rows,
and the report's chart drawn afresh against taken from the cache; the report DOCX with its
attached rows built as elements by python-docx (before they were written as XML text) and the
PDF with its text and table joined by pypdf's ``append`` (before ``rendering.pdf.join``).

``--pdf-rows 100,400``: the PDF with that many attached rows (the city's rows repeated), median
of 3 runs, and its time per row beyond the report without attached rows, then the same with the
collector running. ``--pdf-only``: the report's figures only (no exports, no DOCX or chart
references). Each figure is printed with the CPU time the process spent, the figure to read on a
loaded machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Timing(float):
    """The median wall-clock seconds of the runs, and (``cpu``) the median CPU seconds this
    process spent in them: the figure to read when other work loads the machine."""

    cpu: float


def timed(fn, repeat: int = 5) -> Timing:
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    timing = Timing(statistics.median(walls))
    timing.cpu = statistics.median(cpus)
    return timing


def pdf_subsetter() -> str:
    """What WeasyPrint subsets the embedded fonts with on this machine (its own test)."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz

    if fonts.harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0):
        return "HarfBuzz-subset"
    return "fontTools"


@contextmanager
def fonttools_subsetting():
    """WeasyPrint as on a machine without HarfBuzz-subset: the fonts subset by fontTools."""
    import logging

    from weasyprint.pdf import fonts

    saved = fonts.harfbuzz_subset
    logger = logging.getLogger("weasyprint")
    level = logger.level
    fonts.harfbuzz_subset = None
    logger.setLevel(logging.ERROR)  # its warning, once per font and document
    try:
        yield
    finally:
        fonts.harfbuzz_subset = saved
        logger.setLevel(level)


@contextmanager
def collector_running():
    """The PDF rendered as before the collector was paused around WeasyPrint."""
    from factorytiers.rendering import pdf

    saved = pdf.collector_paused
    pdf.collector_paused = nullcontext
    try:
        yield
    finally:
        pdf.collector_paused = saved


def with_rows(data, count: int):
    """The report with ``count`` attached rows: the city's rows over and over, numbered on."""
    rows = data.attached_rows or ()
    if not rows:
        return data
    return replace(
        data,
        attached_rows=tuple(replace(rows[n % len(rows)], seq=n + 1) for n in range(count)),
    )


def element_rows(prototype, rows) -> bytes:
    """The attached table's rows as they were written before they were XML text (in place of
    ``report._rows_xml``): a copy of the formatted row per row, each cell's text put in as an
    element, all of them built and then serialised by python-docx."""
    from copy import deepcopy

    from factorytiers.documents import report
    from factorytiers.domain.control_chars import strip_control_characters

    tbl = prototype.getparent()
    for values in rows:
        tr = deepcopy(prototype)
        for tc, text in zip(tr.iterchildren(report.W_TC), values, strict=True):
            run = tc.find(report.W_P).find(report.W_R)
            report._set_run_text(run, strip_control_characters(text))
        tbl.append(tr)
    return b""


def pypdf_append(front: bytes, back: bytes) -> bytes:
    """The report's two PDFs joined as they were before ``rendering.pdf.join``: pypdf's
    ``append`` of both, every object of both parsed and written again."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for number, document in enumerate((front, back)):
        reader = PdfReader(io.BytesIO(document))
        writer.append(reader)
        if number == 0:
            writer.add_metadata(reader.metadata or {})
            language = reader.trailer["/Root"].get("/Lang")
            if language is not None:
                writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@contextmanager
def patched(module, name: str, replacement):
    current = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield
    finally:
        setattr(module, name, current)


def quadratic_attached_table(document, data) -> bytes:
    """The attached table as it was written before: ``table.cell(r, c)`` for every cell."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm
    from lxml import etree

    from factorytiers.documents import report
    from factorytiers.documents.forms import FORM2_TABLE, build_table, form_context

    table_data = build_table(FORM2_TABLE, list(data.attached_rows), unit_name=data.unit_name)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    columns = table_data.columns
    table = document.add_table(rows=1 + len(table_data.rows), cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(column.width for column in columns)
    for c, column in enumerate(columns):
        report._cell_text(table.cell(0, c), column.title, report.HEADING_FONT, 10.5)
        for cell in table.columns[c].cells:
            cell.width = int(Mm(267) * column.width / total)
    for r, row in enumerate(form_context(table_data)["rows"], start=1):
        for c, cell in enumerate(row):
            report._cell_text(
                table.cell(r, c),
                cell["text"],
                report.BODY_FONT,
                10.5,
                center=cell["kind"] != "text",
            )
    table._tbl.append(etree.Comment(report.ROWS_MARK))  # where the current writer's rows go
    return b""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unit", default="140100", help="the city of the report (code)")
    parser.add_argument("--fresh", type=int, default=0, help="demo enterprises in a new database")
    parser.add_argument("--reference-rows", type=int, default=200)
    parser.add_argument(
        "--pdf-rows", default="", help="attached rows of extra PDF runs, e.g. 100,400,1600"
    )
    parser.add_argument("--pdf-only", action="store_true", help="the report's DOCX and PDF only")
    args = parser.parse_args()
    if args.fresh:
        os.environ["FACTORYTIERS_VAR_DIR"] = tempfile.mkdtemp(prefix="ft-bench-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factorytiers.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.http import QueryDict

    if args.fresh:
        call_command("migrate", verbosity=0)
        call_command("load_demo", enterprises=args.fresh, verbosity=0)

    from factorytiers.accounts.exports import EXPORTERS
    from factorytiers.accounts.models import Role, User
    from factorytiers.campaigns.models import Campaign
    from factorytiers.documents import generate, report, selectors
    from factorytiers.documents.summary import summary_xlsx
    from factorytiers.domain.statistics import compute, compute_by
    from factorytiers.enterprises.models import Enterprise
    from factorytiers.reference.models import Region
    from factorytiers.rendering import charts
    from factorytiers.rendering.pdf import render_pdf

    province = User(username="bench-province", role=Role.PROVINCE, is_active=True)
    unit = Region.objects.get(code=args.unit)
    from django.utils import timezone

    this_year = timezone.localdate().year
    campaign = Campaign.objects.filter(year__lte=this_year).order_by("-year").first()
    data = generate.report_data(province, campaign, unit)
    print(
        f"{Enterprise.objects.count():,} enterprises; report of {unit.name} {campaign.year} "
        f"with {len(data.attached_rows):,} attached rows; median of 5 runs; PDF fonts "
        f"subset by {pdf_subsetter()}"
    )
    figures = []

    def row(label: str, seconds: Timing) -> None:
        figures.append((label, seconds))
        print(
            f"{label:<58} {seconds * 1000:>10.1f} ms   CPU {seconds.cpu * 1000:>10.1f} ms",
            flush=True,
        )

    row("附件2 report DOCX", timed(lambda: report.report_docx(data)))
    with patched(report, "_rows_xml", element_rows):
        row(
            "same, its rows built as elements (reference: as before)",
            timed(lambda: report.report_docx(data)),
        )
    row("附件2 report PDF", timed(lambda: report.report_pdf(data)))
    with patched(report, "join", pypdf_append):
        row(
            "same, text and table joined by pypdf (reference: as before)",
            timed(lambda: report.report_pdf(data)),
        )
    with collector_running():
        row(
            "附件2 report PDF, garbage collector running (reference)",
            timed(lambda: report.report_pdf(data)),
        )
        with fonttools_subsetting():
            row(
                "same, fonts subset by fontTools too (as before)",
                timed(lambda: report.report_pdf(data)),
            )
    if args.pdf_rows:
        empty = replace(data, attached_rows=())
        for reference, label in ((nullcontext, ""), (collector_running, ", collector running")):
            with reference():
                base = timed(lambda: report.report_pdf(empty), 3)
                row(f"report PDF, no attached rows{label} (median of 3)", base)
                for count in (int(n) for n in args.pdf_rows.split(",")):
                    many = with_rows(data, count)
                    seconds = timed(lambda many=many: report.report_pdf(many), 3)
                    row(f"report PDF, {count:,} attached rows{label} (median of 3)", seconds)
                    per_row = (seconds - base) / count
                    per_row_cpu = (seconds.cpu - base.cpu) / count
                    print(
                        f"{'  per row beyond no rows':<58} {per_row * 1000:>10.1f} ms   "
                        f"CPU {per_row_cpu * 1000:>10.1f} ms",
                        flush=True,
                    )

    if args.pdf_only:
        return
    folder = Path(tempfile.mkdtemp(prefix="ft-bench-exports-"))
    for kind in ("overview", "enterprises"):
        export = EXPORTERS[kind].prepare(province, QueryDict())
        target = folder / f"{kind}.xlsx"
        count = export.count()
        row(
            f"{EXPORTERS[kind].label} export, {count:,} rows",
            timed(lambda e=export, t=target: e.write(str(t), lambda done: None)),
        )

    def statistics_export() -> bytes:
        units = list(selectors.units_for(province))
        counted = selectors.statistics_counted(province, campaign.year, units, groupings=["unit"])
        order = [selectors.unit_label(u) for u in units]
        groups = compute_by(counted, campaign.year, "unit", order=order)
        return summary_xlsx("统计", groups, compute(counted, campaign.year))

    row("statistics export (by unit, province)", timed(statistics_export))

    # References in the same process.
    few = replace(data, attached_rows=tuple(data.attached_rows[: args.reference_rows]))
    if len(few.attached_rows) < args.reference_rows and few.attached_rows:
        first = few.attached_rows[0]
        few = replace(
            few,
            attached_rows=tuple(replace(first, seq=n) for n in range(1, args.reference_rows + 1)),
        )
    rows_label = f"{len(few.attached_rows)} attached rows"
    row(f"report PDF, {rows_label}, table drawn (table_pdf)", timed(lambda: report.report_pdf(few)))
    row(
        f"report PDF, {rows_label}, table laid out by WeasyPrint (reference)",
        timed(lambda: render_pdf("documents/report.html", report.report_pdf_context(few))),
    )
    row(f"report DOCX, {rows_label}, one-pass writer", timed(lambda: report.report_docx(few)))
    with patched(report, "_attached_table", quadratic_attached_table):
        row(
            f"report DOCX, {rows_label}, cell(r, c) reference",
            timed(lambda: report.report_docx(few), 1),
        )

    levels = list(report.LEVEL_NAMES)
    counts = [data.statistics.distribution[name].value for name in levels]

    def fresh_chart() -> None:
        charts._pie_or_distribution_chart.cache_clear()
        charts._bar_chart.cache_clear()  # an all-zero distribution is drawn as bars
        charts.pie_or_distribution_chart(levels, counts)

    row("report chart, drawn afresh (reference)", timed(fresh_chart))
    charts.pie_or_distribution_chart(levels, counts)
    row(
        "report chart, from the cache",
        timed(lambda: charts.pie_or_distribution_chart(levels, counts)),
    )


if __name__ == "__main__":
    main()
