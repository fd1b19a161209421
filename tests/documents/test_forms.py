"""附件1, 附件2's attached table, 附件4 and 附件5 as XLSX and PDF, against the notice."""

import io
import re

import openpyxl
import pytest

from factorytiers.documents import forms
from factorytiers.rendering.fonts import FACES, SANS, SERIF
from tests.documents.form_data import ROWS, form1_rows, form2_rows, form4_rows, form5_rows
from tests.documents.inspect_files import (
    pdf_fonts,
    pdf_page_size_mm,
    pdf_page_texts,
    pdf_runs,
    pdf_text,
    text_width_mm,
)

# Copied from the notice (shared seed notice-2026-shanxi.md). Header cells that the notice breaks
# over lines are joined; a superscript note marker follows its header text.
EXPECTED = {
    "form1": {
        "label": "附件1",
        "title": "先进级智能工厂名单汇总表",
        "unit_label": "报送单位（盖章）：",
        "header": ["序号", "企业名称", "工厂名称", "智能制造典型场景（名称）"],
        "notes": [],
    },
    "form2": {
        "label": "附",
        "title": "基础级、先进级智能工厂名单汇总表",
        "unit_label": "报送单位(盖章):",
        "header": [
            "序号",
            "企业名称",
            "工厂名称",
            "能力成熟度自评估得分",
            "工厂级别(基础级、先进级)",
            "所属行业1",
            "企业性质2",
            "企业类型3",
            "行业中类4",
            "行业小类4",
            "智能制造典型场景(列举场景名称)",
        ],
        "notes": [
            "注: 1. 所属行业请填写:原材料、电子信息、装备制造、消费品;",
            "2. 企业性质请填写:中央企业、地方国企、民营企业、三资企业;",
            "3. 企业类型请填写:大型企业、中型企业、小型企业、微型企业;",
            "4. 行业中类、行业小类参考《国民经济行业分类》(GB/T4754-2017)填写。",
        ],
    },
    "form4": {
        "label": "附件4",
        "title": "智能制造示范工厂揭榜单位验收推荐表",
        "unit_label": "推荐单位（盖章）：",
        "header": ["序号", "揭榜单位名称", "揭榜项目名称"],
        "notes": [],
    },
    "form5": {
        "label": "附件5",
        "title": "海外智能工厂培育名单1",
        "unit_label": "报送单位(盖章):",
        "header": [
            "序号",
            "企业名称",
            "海外智能工厂名称",
            "自评级别",
            "所属行业2",
            "从业人数",
            "营业收入(万元)",
            "海外智能工厂简介3(500字以内)",
            "企业联系人及联系方式",
        ],
        "notes": [
            "注: 1. 可重点推荐位于金砖国家、“一带一路”国家和地区的海外智能工厂项目;",
            "2. 所属行业请填写:原材料、电子信息、装备制造、消费品;",
            "3. 简介中请主要介绍主营业务、智能工厂建设总体情况、先进性与特色、实施成效等内容。",
        ],
    },
}
UNIT = "太原市工业和信息化局"
FORM_KEYS = list(EXPECTED)


def _sheet(xlsx: bytes):
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert len(book.worksheets) == 1
    return book.worksheets[0]


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("key", FORM_KEYS)
def test_the_xlsx_has_the_notices_label_title_unit_line_header_and_notes(key):
    expected = EXPECTED[key]
    rows = ROWS[key]()
    sheet = _sheet(forms.form_xlsx(forms.SPECS[key], rows, unit_name=UNIT))
    cells = _rows(sheet)
    assert cells[0][0] == expected["label"]
    assert cells[1][0] == expected["title"]
    assert cells[2][0] == expected["unit_label"] + UNIT
    assert cells[3] == expected["header"]
    data = cells[4 : 4 + len(rows)]
    assert [row[0] for row in data] == [row.seq for row in rows]
    notes = [row[0] for row in cells[4 + len(rows) :]]
    assert notes == expected["notes"]


@pytest.mark.parametrize("key", FORM_KEYS)
def test_the_xlsx_prints_a4_landscape_with_the_header_repeated_and_fitted_to_the_width(key):
    sheet = _sheet(forms.form_xlsx(forms.SPECS[key], ROWS[key](), unit_name=UNIT))
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0  # as many pages tall as needed
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default and omitted
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert all(width and width > 4 for width in widths)


def test_form1_rows_carry_the_scenarios_joined_with_the_enumeration_comma():
    cells = _rows(_sheet(forms.form_xlsx(forms.FORM1, form1_rows(), unit_name=UNIT)))
    assert cells[4] == [1, "山西晋华重工有限公司", "晋华一厂", "产品数字化设计、数字孪生工厂构建"]


def test_form2_rows_carry_every_column_in_the_notices_order():
    cells = _rows(_sheet(forms.form_xlsx(forms.FORM2_TABLE, form2_rows(), unit_name=UNIT)))
    assert cells[4] == [
        1,
        "山西晋华重工有限公司",
        "晋华一厂",
        2.46,
        "先进级",
        "装备制造",
        "民营企业",
        "大型企业",
        "341 锅炉及原动设备制造",
        "3411 锅炉及辅助设备制造",
        "产品数字化设计、数字孪生工厂构建",
    ]
    # No self-assessment this year: the score cell stays empty, not 0.
    assert cells[5][3] is None


def test_form5_rows_keep_numbers_as_numbers():
    sheet = _sheet(forms.form_xlsx(forms.FORM5, form5_rows(), unit_name=UNIT))
    assert _rows(sheet)[4] == [
        1,
        "山西晋华重工有限公司",
        "泰国罗勇智能工厂",
        "先进级",
        "装备制造",
        1200,
        123456.78,
        "主营重型装备制造，建成数字孪生车间。",
        "张伟 13912345678",
    ]
    assert sheet["G5"].number_format == "#,##0.00"


@pytest.mark.parametrize(
    ("key", "cell"), [("form1", "B6"), ("form1", "C6"), ("form1", "D6"), ("form4", "B6")]
)
def test_cells_that_start_like_a_formula_are_stored_as_literal_text(key, cell):
    sheet = _sheet(forms.form_xlsx(forms.SPECS[key], ROWS[key](), unit_name=UNIT))
    assert sheet[cell].data_type == "s"
    assert sheet[cell].quotePrefix
    assert sheet[cell].value[0] in "=+-@"


def test_the_province_rollup_adds_the_unit_column_and_keeps_each_units_own_seq():
    rows = [("太原市", form1_rows()), ("大同市", form1_rows()[:1])]
    cells = _rows(
        _sheet(forms.form_xlsx(forms.FORM1, rows, unit_name="山西省工业和信息化厅", rollup=True))
    )
    assert cells[1][0] == "先进级智能工厂名单汇总表"
    assert cells[3] == ["序号", "报送单位", "企业名称", "工厂名称", "智能制造典型场景（名称）"]
    assert [row[:3] for row in cells[4:7]] == [
        [1, "太原市", "山西晋华重工有限公司"],
        [2, "太原市", '=HYPERLINK("x")'],
        [1, "大同市", "山西晋华重工有限公司"],
    ]


@pytest.mark.parametrize("key", FORM_KEYS)
def test_the_pdf_carries_the_notices_texts_in_an_embedded_cjk_font(key):
    expected = EXPECTED[key]
    pdf = forms.form_pdf(forms.SPECS[key], ROWS[key](), unit_name=UNIT)
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for piece in [expected["label"], expected["title"], expected["unit_label"] + UNIT]:
        assert piece.replace(" ", "") in text
    position = 0
    for header in expected["header"]:  # in order
        found = text.find(header.replace(" ", ""), position)
        assert found >= 0, header
        position = found
    for note in expected["notes"]:
        assert note.replace(" ", "") in text
    for row in ROWS[key]():
        assert row.enterprise_name.replace(" ", "") in text
    assert pdf_page_size_mm(pdf) == (297, 210)
    families = {font.family.removesuffix(" Bold") for font in pdf_fonts(pdf)}
    assert families <= {SERIF, SANS}
    assert all(font.program for font in pdf_fonts(pdf))


def test_a_long_pdf_repeats_the_header_row_on_every_page():
    rows = [form4_rows()[0].__class__(seq, f"揭榜单位{seq}", f"项目{seq}") for seq in range(1, 80)]
    pdf = forms.form_pdf(forms.FORM4, rows, unit_name=UNIT)
    pages = pdf_page_texts(pdf)
    assert len(pages) > 1
    for page in pages:
        assert "揭榜单位名称" in page and "揭榜项目名称" in page
    assert f"第 1 页，共 {len(pages)} 页" in pages[0]


def test_the_rollup_pdf_has_the_unit_column():
    rows = [("太原市", form4_rows()), ("大同市", form4_rows())]
    text = pdf_text(
        forms.form_pdf(forms.FORM4, rows, unit_name="山西省工业和信息化厅", rollup=True)
    )
    assert "报送单位" in text and "大同市" in text


@pytest.mark.parametrize(
    ("key", "unit", "extension", "rollup", "expected"),
    [
        ("form1", "太原市", "xlsx", False, "太原市-附件1-先进级智能工厂名单汇总表.xlsx"),
        ("form2", "大同市", "pdf", False, "大同市-附件2附表-基础级、先进级智能工厂名单汇总表.pdf"),
        (
            "form4",
            "山西转型综改示范区",
            "xlsx",
            False,
            "山西转型综改示范区-附件4-智能制造示范工厂揭榜单位验收推荐表.xlsx",
        ),
        ("form5", "山西省", "xlsx", True, "山西省-附件5-海外智能工厂培育名单（全省汇总）.xlsx"),
    ],
)
def test_file_names_follow_unit_label_title(key, unit, extension, rollup, expected):
    assert forms.form_file_name(forms.SPECS[key], unit, extension, rollup=rollup) == expected


def test_a_row_of_the_wrong_kind_is_refused():
    with pytest.raises(TypeError):
        forms.form_xlsx(forms.FORM1, form4_rows())


@pytest.mark.parametrize("key", FORM_KEYS)
def test_the_stamp_line_has_room_for_the_seal_in_the_xlsx_and_the_pdf(key):
    expected = EXPECTED[key]
    sheet = _sheet(forms.form_xlsx(forms.SPECS[key], ROWS[key](), unit_name=UNIT))
    assert sheet["A3"].value == expected["unit_label"] + UNIT
    assert sheet.row_dimensions[3].height >= 56  # points, about 20 mm
    assert sheet["A3"].alignment.vertical == "top"  # the blank is under the words
    runs = pdf_runs(forms.form_pdf(forms.SPECS[key], ROWS[key](), unit_name=UNIT))
    unit_line = next(run for run in runs if run.text.startswith(expected["unit_label"]))
    header = next(run for run in runs if run.text.startswith("序"))
    assert unit_line.page == header.page
    assert unit_line.y - header.y >= 18  # mm between the 盖章 line and the table


LANDSCAPE_TABLE_MM = 297 - 12 - 12  # A4 landscape less the side margins of the print template
CELL_PADDING_MM = 2 * 1.5 + 0.25  # padding on both sides, and the rule


@pytest.mark.parametrize("key", FORM_KEYS)
@pytest.mark.parametrize("rollup", [False, True])
def test_every_header_piece_fits_on_one_line_of_its_column(key, rollup):
    """A header cell breaks only between its pieces, so each piece must fit its column."""
    sans = next(face.path for face in FACES if face.family == SANS and face.weight == 400)
    spec = forms.SPECS[key]
    columns = spec.rollup_columns() if rollup else spec.columns
    total = sum(column.width for column in columns)
    for column in columns:
        room = column.width / total * LANDSCAPE_TABLE_MM - CELL_PADDING_MM
        pieces = list(column.pieces) + ([column.suffix] if column.suffix else [])
        for index, piece in enumerate(pieces):
            width = text_width_mm(sans, piece, 10.5)
            if index == len(column.pieces) - 1 and column.note:
                width += text_width_mm(sans, column.note, 10.5 * 0.6)
            assert width <= room, (column.title, piece, round(width, 1), round(room, 1))


@pytest.mark.parametrize("key", FORM_KEYS)
def test_the_pdf_header_cells_break_only_between_whole_pieces(key):
    spec = forms.SPECS[key]
    for rollup in (False, True):
        rows = [("太原市", ROWS[key]())] if rollup else ROWS[key]()
        pdf = forms.form_pdf(spec, rows, unit_name=UNIT, rollup=rollup)
        lines = [line.strip() for line in pdf_page_texts(pdf)[0].splitlines()]
        columns = spec.rollup_columns() if rollup else spec.columns
        for column in columns:
            for piece in column.pieces:
                assert any(piece in line for line in lines), (piece, lines[:12])
