"""The 附件2 report's DOCX and PDF are built in work linear in their rows: counted, never timed."""

import cProfile
import io
import pstats
import sys
from dataclasses import replace

import docx
import pytest
from docx.oxml.table import CT_Tbl
from docx.table import Table

from factorytiers.documents import report
from factorytiers.domain.statistics import compute, counted_from_rows
from tests.documents.form_data import form2_rows


def _data(count: int) -> report.ReportData:
    first = form2_rows()[0]
    rows = [
        replace(first, seq=seq, enterprise_name=f"山西晋华重工{seq}号有限公司")
        for seq in range(1, count + 1)
    ]
    return report.ReportData(
        year=2026,
        unit_name="朔州市",
        statistics=compute(counted_from_rows([], [], 2026), 2026),
        measures="",
        next_steps="",
        attached_rows=rows,
    )


def _python_calls(count: int) -> int:
    """Python function calls made while the DOCX of ``count`` attached rows is built."""
    data = _data(count)
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        report.report_docx(data)
    finally:
        sys.setprofile(None)
    return calls


@pytest.fixture
def counted_cells(monkeypatch):
    """How often ``Table.cell`` is asked and how many ``<w:tc>`` a walk of a table visits."""
    counts = {"cell": 0, "tc": 0}
    cell, iter_tcs = Table.cell, CT_Tbl.iter_tcs

    def counting_cell(self, row, col):
        counts["cell"] += 1
        return cell(self, row, col)

    def counting_iter_tcs(self):
        for tc in iter_tcs(self):
            counts["tc"] += 1
            yield tc

    monkeypatch.setattr(Table, "cell", counting_cell)
    monkeypatch.setattr(CT_Tbl, "iter_tcs", counting_iter_tcs)
    return counts


def test_no_cell_is_looked_up_by_position_and_no_table_is_walked(counted_cells):
    report.report_docx(_data(50))
    assert counted_cells == {"cell": 0, "tc": 0}


def test_the_work_grows_linearly_with_the_attached_rows():
    _python_calls(0)  # the chart is drawn once, then taken from the cache
    base = _python_calls(0)
    hundred = _python_calls(100) - base
    four_hundred = _python_calls(400) - base
    assert hundred > 0
    # Four times the rows, four times the work (a writer walking the table per cell: 16 times).
    assert four_hundred <= 4.2 * hundred, (hundred, four_hundred)


def test_every_attached_row_is_written_whatever_the_count():
    document = docx.Document(io.BytesIO(report.report_docx(_data(400))))
    table = document.tables[-1]
    assert len(table.rows) == 401
    assert table.rows[400].cells[1].text == "山西晋华重工400号有限公司"
    assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, 401)]


def test_the_docx_has_only_the_header_row_when_nothing_is_attached():
    document = docx.Document(io.BytesIO(report.report_docx(_data(0))))
    assert len(document.tables[-1].rows) == 1


def _pdf_python_calls(count: int) -> int:
    """Python function calls made while the PDF of ``count`` attached rows is rendered."""
    profiler = cProfile.Profile()
    profiler.runcall(report.report_pdf, _data(count))
    return pstats.Stats(profiler).total_calls


def test_the_pdf_work_grows_linearly_with_the_attached_rows():
    _pdf_python_calls(0)  # the fonts are loaded and the chart drawn once
    base = _pdf_python_calls(0)
    ten = _pdf_python_calls(10) - base
    forty = _pdf_python_calls(40) - base
    assert ten > 0
    # Four times the rows (and pages), four times the layout, drawing and writing.
    assert forty <= 4.2 * ten, (ten, forty)
