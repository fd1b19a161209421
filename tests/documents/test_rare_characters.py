"""Rare characters of GB 18030 (CJK extension B and beyond) in names: stored as typed and
written into every kind of document, never refused or replaced.

'𠀀' (U+20000) and '𪚥' (U+2A6A5) are CJK extension B, '𰻞' (U+30EDE, the biáng of biángbiáng
noodles) extension G: outside the Basic Multilingual Plane, so four bytes in UTF-8 and a
surrogate pair in UTF-16 (Excel's and Word's own encoding).
"""

import io
from dataclasses import replace
from datetime import date

import docx
import openpyxl
import pytest
from django.urls import reverse

from factorytiers.documents import forms, report
from factorytiers.documents.rows import Form1Row
from factorytiers.domain.statistics import compute, compute_by
from factorytiers.enterprises.models import Enterprise
from factorytiers.rendering.fonts import FACES
from tests.conftest import make_enterprise
from tests.documents.form_data import demo_data, form2_rows
from tests.documents.inspect_files import font_covers, pdf_text

RARE = "𠀀𪚥𰻞"
NAME = f"山西{RARE}重工有限公司"
NO_GLYPHS = (
    "No available CJK font has glyphs for 𠀀 (U+20000) and 𪚥 (U+2A6A5): neither the "
    "bundled Noto Serif SC / Noto Sans SC nor Debian's fonts-noto-cjk (checked with "
    "fontTools); a PDF prints them as empty boxes until a font covering CJK extension B "
    "(e.g. 思源宋体 extension files, 花园明朝, TH-Tshyn) is bundled."
)


@pytest.fixture
def rare_enterprise(unit_a):
    return make_enterprise(unit_a, name=NAME, body="MA0R0001")


def test_the_name_is_stored_and_read_back_as_typed(rare_enterprise):
    stored = Enterprise.objects.get(pk=rare_enterprise.pk)
    assert stored.name == NAME
    assert Enterprise.objects.filter(name__contains="𪚥").get() == stored


def test_the_enterprise_page_shows_the_name(client, users, rare_enterprise):
    client.force_login(users["city_a"])
    page = client.get(reverse("enterprises:detail", args=[rare_enterprise.pk]))
    assert page.status_code == 200
    assert NAME in page.content.decode()


def test_the_xlsx_list_holds_the_name(client, users, rare_enterprise):
    client.force_login(users["city_a"])
    response = client.get(reverse("enterprises:export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert NAME in {cell.value for row in sheet.iter_rows() for cell in row}


def test_a_form_xlsx_holds_the_name():
    content = forms.form_xlsx(
        forms.FORM1, [Form1Row(1, NAME, "一厂", ["产品数字化设计"])], unit_name="太原市"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert NAME in {cell.value for row in sheet.iter_rows() for cell in row}


def _report_data():
    rows = demo_data(40)
    return report.ReportData(
        year=2026,
        unit_name="太原市",
        statistics=compute(rows, 2026),
        by_sector=compute_by(rows, 2026, "sector"),
        by_division=compute_by(rows, 2026, "division"),
        measures=f"一是支持{NAME}建设智能工厂。",
        next_steps="下一步……",
        attached_rows=[replace(form2_rows()[0], enterprise_name=NAME)],
        report_date=date(2026, 5, 20),
        as_of=date(2026, 5, 22),
        progress="",
    )


def test_the_report_docx_holds_the_name_in_prose_and_table():
    document = docx.Document(io.BytesIO(report.report_docx(_report_data())))
    prose = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert NAME in prose
    assert NAME in cells


@pytest.mark.xfail(
    strict=True,
    reason=NO_GLYPHS + " WeasyPrint then sets the run in a fallback font whose text pypdf "
    "cannot read back, so the whole name is lost from the PDF's text.",
)
def test_the_pdf_text_holds_the_name():
    content = forms.form_pdf(
        forms.FORM1, [Form1Row(1, NAME, "一厂", ["产品数字化设计"])], unit_name="太原市"
    )
    assert NAME in pdf_text(content).replace("\n", "")


@pytest.mark.xfail(strict=True, reason=NO_GLYPHS)
@pytest.mark.parametrize("face", FACES, ids=[f"{f.family}-{f.weight}" for f in FACES])
def test_the_embedded_pdf_fonts_have_glyphs_for_the_rare_characters(face):
    assert font_covers(face.path, RARE) == set()
