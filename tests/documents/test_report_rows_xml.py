"""The 附件2 report's DOCX writes its attached table's body rows as XML text
(``report._rows_xml``) and puts them into the saved file (``report._rows_put_in``): the rows are
the same elements as a copy of the formatted row per row with each cell's text put in by
python-docx's way (``report._set_run_text``), whatever the text holds, and python-docx reads
every cell back."""

import io
from copy import deepcopy

from docx import Document
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from factorytiers.documents import report
from factorytiers.domain.control_chars import strip_control_characters

COLUMNS = 4
cell_text = st.text(
    alphabet=st.sampled_from(list("智能工厂AZaz09 &<>\"'\t\n\r\x00\x07\u3000（）；")),
    max_size=12,
)


def _prototype():
    document = Document()
    table = document.add_table(rows=1, cols=COLUMNS)
    for number, cell in enumerate(table.rows[0].cells):
        report._cell_text(cell, "", report.BODY_FONT, 10.5, center=number % 2 == 0)
    return document, table


def _as_elements(xml: bytes) -> list:
    return list(etree.fromstring(f"<w:tbl {nsdecls('w')}>".encode() + xml + b"</w:tbl>"))


def _canonical(element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=COLUMNS, max_size=COLUMNS), max_size=5))
def test_the_rows_written_as_text_are_the_rows_made_as_elements(rows):
    _document, table = _prototype()
    prototype = table.rows[0]._tr
    written = _as_elements(report._rows_xml(prototype, rows))
    assert len(written) == len(rows)
    for element, values in zip(written, rows, strict=True):
        expected = deepcopy(prototype)
        for tc, text in zip(expected.iterchildren(report.W_TC), values, strict=True):
            run = tc.find(report.W_P).find(report.W_R)
            report._set_run_text(run, strip_control_characters(text))
        assert _canonical(element) == _canonical(expected)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=COLUMNS, max_size=COLUMNS), min_size=1, max_size=4))
def test_python_docx_reads_back_every_cell_of_the_rows_put_in(rows):
    document, table = _prototype()
    prototype = table.rows[0]._tr
    xml = report._rows_xml(prototype, rows)
    table._tbl.remove(prototype)
    table._tbl.append(etree.Comment(report.ROWS_MARK))
    buffer = io.BytesIO()
    document.save(buffer)
    read = Document(io.BytesIO(report._rows_put_in(buffer.getvalue(), xml)))
    expected = Document()
    check = expected.add_table(rows=0, cols=COLUMNS)
    for values in rows:
        cells = check.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(strip_control_characters(text))
    got = [[cell.text for cell in row.cells] for row in read.tables[0].rows]
    assert got == [[cell.text for cell in row.cells] for row in check.rows]
