"""The notice's tables as XLSX and PDF: 附件1, 附件2's attached table, 附件4, 附件5.

Each form is described once (:class:`FormSpec`: label, title, the 盖章 line, columns, notes, all
copied from the notice character for character, punctuation included — the notice itself prints
full-width “（盖章）：” on 附件1 and 附件4 and half-width “(盖章):” on 附件2's table and 附件5) and
rendered by one XLSX writer, one PDF drawer (:mod:`factorytiers.rendering.table_pdf`, fast at
thousands of rows) and one print template, the in-browser preview, which the PDF follows in
fonts, sizes, rules and margins. A unit's form lists its rows; the province's
roll-up (``rollup=True``) lists every unit's rows with a 报送单位 column after 序号, units in
the order given; each row keeps its unit's own 序号 (the rank in the unit's recommendation), so a
roll-up row is found under the same number in the unit's form and material folder names.

Header cells of the notice that break over several lines (“能力成熟度 自评估得分”, “所属 行业”)
are written on one line in the XLSX: 能力成熟度自评估得分. In the PDF a header cell breaks only
between the pieces of ``Column.parts`` — where the notice breaks it, or between whole words —
never inside a word (“能力成熟/度自评估/得分”); the column widths leave room for the widest piece.
A note marker (the superscript 1–4 after 所属行业 …) is a superscript run in the XLSX cell and a
<sup> in the PDF, so the cell's text reads e.g. 所属行业1.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Final

import xlsxwriter

from factorytiers.documents.rows import (
    Form1Row,
    Form2Row,
    Form4Row,
    Form5Row,
    PublicityRow,
    join_scenarios,
)
from factorytiers.domain.document_names import document_file_name
from factorytiers.domain.spreadsheet import starts_like_formula
from factorytiers.rendering.table_pdf import HeaderCell, PrintColumn, PrintTable, table_pdf

ROLLUP_UNIT_COLUMN: Final = "报送单位"


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # XLSX character units
    note: str = ""  # superscript note marker
    suffix: str = ""  # text after the marker, e.g. “(500字以内)”
    kind: str = "text"  # text / seq / integer / money / score
    parts: tuple[str, ...] = ()  # the title's pieces a printed header may break between

    def __post_init__(self) -> None:
        if self.parts and "".join(self.parts) != self.title:
            raise ValueError(f"parts {self.parts!r} do not make up {self.title!r}")

    @property
    def pieces(self) -> tuple[str, ...]:
        """The title as pieces never broken inside (the whole title when it has no parts)."""
        return self.parts or (self.title,)

    @property
    def text(self) -> str:
        """The cell's text as a reader extracts it (marker inline)."""
        return f"{self.title}{self.note}{self.suffix}"


@dataclass(frozen=True)
class FormSpec:
    key: str  # form1 / form2 / form4 / form5
    label: str  # 附件1 / 附 / 附件4 / 附件5
    title: str
    title_note: str
    unit_label: str  # the 盖章 line, as the notice prints it
    columns: tuple[Column, ...]
    notes: tuple[str, ...]
    values: Callable[[Any], list[Any]]

    @property
    def header(self) -> list[str]:
        return [column.text for column in self.columns]

    def rollup_columns(self) -> tuple[Column, ...]:
        unit = Column(ROLLUP_UNIT_COLUMN, 12, parts=("报送", "单位"))
        return (self.columns[0], unit, *self.columns[1:])


FORM1 = FormSpec(
    key="form1",
    label="附件1",
    title="先进级智能工厂名单汇总表",
    title_note="",
    unit_label="报送单位（盖章）：",
    columns=(
        Column("序号", 6, kind="seq"),
        Column("企业名称", 32),
        Column("工厂名称", 32),
        Column("智能制造典型场景（名称）", 60),
    ),
    notes=(),
    values=lambda row: [
        row.seq,
        row.enterprise_name,
        row.factory_name,
        join_scenarios(row.scenario_names),
    ],
)

FORM2_TABLE = FormSpec(
    key="form2",
    label="附",
    title="基础级、先进级智能工厂名单汇总表",
    title_note="",
    unit_label="报送单位(盖章):",
    # Widths leave each header piece its line, in the unit's table and in the roll-up's.
    columns=(
        Column("序号", 7, kind="seq"),
        Column("企业名称", 17),
        Column("工厂名称", 14),
        Column("能力成熟度自评估得分", 14, kind="score", parts=("能力成熟度", "自评估得分")),
        Column("工厂级别(基础级、先进级)", 12, parts=("工厂级别", "(基础级、", "先进级)")),
        Column("所属行业", 11, note="1", parts=("所属", "行业")),
        Column("企业性质", 11, note="2", parts=("企业", "性质")),
        Column("企业类型", 11, note="3", parts=("企业", "类型")),
        Column("行业中类", 16, note="4", parts=("行业", "中类")),
        Column("行业小类", 16, note="4", parts=("行业", "小类")),
        Column("智能制造典型场景(列举场景名称)", 22, parts=("智能制造典型场景", "(列举场景名称)")),
    ),
    notes=(
        "注: 1. 所属行业请填写:原材料、电子信息、装备制造、消费品;",
        "2. 企业性质请填写:中央企业、地方国企、民营企业、三资企业;",
        "3. 企业类型请填写:大型企业、中型企业、小型企业、微型企业;",
        "4. 行业中类、行业小类参考《国民经济行业分类》(GB/T4754-2017)填写。",
    ),
    values=lambda row: [
        row.seq,
        row.enterprise_name,
        row.factory_name,
        row.score,
        row.tier,
        row.sector,
        row.nature,
        row.size_class,
        row.industry_group,
        row.industry_class,
        join_scenarios(row.scenario_names),
    ],
)

FORM4 = FormSpec(
    key="form4",
    label="附件4",
    title="智能制造示范工厂揭榜单位验收推荐表",
    title_note="",
    unit_label="推荐单位（盖章）：",
    columns=(
        Column("序号", 8, kind="seq"),
        Column("揭榜单位名称", 50),
        Column("揭榜项目名称", 60),
    ),
    notes=(),
    values=lambda row: [row.seq, row.enterprise_name, row.project_name],
)

FORM5 = FormSpec(
    key="form5",
    label="附件5",
    title="海外智能工厂培育名单",
    title_note="1",
    unit_label="报送单位(盖章):",
    columns=(
        Column("序号", 7, kind="seq"),
        Column("企业名称", 20),
        Column("海外智能工厂名称", 20, parts=("海外智能工厂", "名称")),
        Column("自评级别", 9, parts=("自评", "级别")),
        Column("所属行业", 9, note="2", parts=("所属", "行业")),
        Column("从业人数", 9, kind="integer", parts=("从业", "人数")),
        Column("营业收入(万元)", 14, kind="money", parts=("营业收入", "(万元)")),
        Column("海外智能工厂简介", 48, note="3", suffix="(500字以内)"),
        Column("企业联系人及联系方式", 18, parts=("企业联系人", "及联系方式")),
    ),
    notes=(
        "注: 1. 可重点推荐位于金砖国家、“一带一路”国家和地区的海外智能工厂项目;",
        "2. 所属行业请填写:原材料、电子信息、装备制造、消费品;",
        "3. 简介中请主要介绍主营业务、智能工厂建设总体情况、先进性与特色、实施成效等内容。",
    ),
    values=lambda row: [
        row.seq,
        row.enterprise_name,
        row.factory_name,
        row.self_assessed_level,
        row.sector,
        row.employees,
        row.revenue_wan,
        row.introduction,
        row.contact,
    ],
)

# A 公示 list, as the province publishes it: not one of the notice's forms, so the title is
# the batch's (see :func:`publicity_spec`) and the line under it gives the 公示 period.
PUBLICITY_LIST = FormSpec(
    key="publicity",
    label="",
    title="",
    title_note="",
    unit_label="公示期：",
    columns=(
        Column("序号", 7, kind="seq"),
        Column("所在地市", 18, parts=("所在", "地市")),
        Column("企业名称", 36),
        Column("工厂（项目）名称", 40, parts=("工厂", "（项目）", "名称")),
        Column("申报类别", 12, parts=("申报", "类别")),
    ),
    notes=(
        "注：公示期间如有异议，请以书面形式向省工业和信息化主管部门反映，并提供必要的证明材料。",
    ),
    values=lambda row: [row.seq, row.unit_name, row.enterprise_name, row.factory_name, row.kind],
)
# What a task's 公示 lists: the applications the province recognizes, or recommends onwards.
PUBLICITY_SUBJECTS: Final = {
    "advanced": "先进级智能工厂拟认定名单",
    "excellent": "卓越级智能工厂拟推荐名单",
    "leading": "领航级智能工厂拟推荐名单",
    "pilot_acceptance": "智能制造示范工厂揭榜单位拟推荐验收名单",
}


def publicity_spec(year: int, province: str, task_kind: str, number: int) -> FormSpec:
    """The 公示 list of one batch, e.g. “2026年山西省先进级智能工厂拟认定名单（第1批）”."""
    subject = PUBLICITY_SUBJECTS.get(task_kind, "智能工厂拟认定名单")
    return replace(PUBLICITY_LIST, title=f"{year}年{province}{subject}（第{number}批）")


def publicity_period(starts_on: date, ends_on: date) -> str:
    """The text after “公示期：”, e.g. 2026年10月9日至2026年10月15日."""

    def day(value: date) -> str:
        return f"{value.year}年{value.month}月{value.day}日"

    return f"{day(starts_on)}至{day(ends_on)}"


def publicity_file_name(spec: FormSpec, province: str, extension: str) -> str:
    """E.g. `山西省-2026年山西省先进级智能工厂拟认定名单（第1批）.xlsx`."""
    return document_file_name(province, "", spec.title, extension)


SPECS: Final = {spec.key: spec for spec in (FORM1, FORM2_TABLE, FORM4, FORM5)}
# The label in file names: the attached table of 附件2 is printed under “附” in the notice.
FILE_LABELS: Final = {"form1": "附件1", "form2": "附件2附表", "form4": "附件4", "form5": "附件5"}
ROW_TYPES: Final = {
    "form1": Form1Row,
    "form2": Form2Row,
    "form4": Form4Row,
    "form5": Form5Row,
    "publicity": PublicityRow,
}


@dataclass(frozen=True)
class FormTable:
    """What a renderer draws: the spec, the columns in use, the 盖章 line and the cell values."""

    spec: FormSpec
    columns: tuple[Column, ...]
    unit_line: str
    rows: list[list[Any]]
    rollup: bool


def build_table(
    spec: FormSpec,
    rows: Sequence[Any] | Sequence[tuple[str, Sequence[Any]]],
    *,
    unit_name: str = "",
    rollup: bool = False,
) -> FormTable:
    """Cell values of a unit's form, or of the province roll-up.

    For a unit, ``rows`` are the form's row objects in their order (序号 as given). For the roll-up,
    ``rows`` are ``(unit name, that unit's rows)`` pairs; each row keeps its unit's 序号.
    """
    row_type = ROW_TYPES[spec.key]
    values: list[list[Any]] = []
    if rollup:
        for unit, unit_rows in rows:  # type: ignore[misc]
            for row in unit_rows:
                _check_type(row, row_type)
                cells = spec.values(row)
                values.append([cells[0], unit, *cells[1:]])
        columns = spec.rollup_columns()
    else:
        for row in rows:
            _check_type(row, row_type)
            values.append(spec.values(row))
        columns = spec.columns
    return FormTable(spec, columns, spec.unit_label + unit_name, values, rollup)


def _check_type(row: Any, row_type: type) -> None:
    if not isinstance(row, row_type):
        raise TypeError(f"expected {row_type.__name__}, got {type(row).__name__}")


def form_file_name(spec: FormSpec, unit: str, extension: str, *, rollup: bool = False) -> str:
    """E.g. `太原市-附件1-先进级智能工厂名单汇总表.xlsx`."""
    return document_file_name(unit, FILE_LABELS[spec.key], spec.title, extension, rollup=rollup)


# -- XLSX ------------------------------------------------------------------------------------

# The 盖章 line is a tall row (points; about 21 mm): the seal is pressed there, over the unit's
# name and the blank below it.
UNIT_ROW_HEIGHT: Final = 60
TITLE_FONT: Final = "宋体"  # 方正小标宋简体 is not on every machine; 宋体 is, bold stands in
HEADING_FONT: Final = "黑体"
BODY_FONT: Final = "宋体"


def form_xlsx(
    spec: FormSpec,
    rows: Sequence[Any],
    *,
    unit_name: str = "",
    rollup: bool = False,
) -> bytes:
    """The form as an XLSX workbook: A4 landscape, header row repeated, fitted to the page width."""
    table = build_table(spec, rows, unit_name=unit_name, rollup=rollup)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    _write_sheet(book, table)
    book.close()
    return buffer.getvalue()


def _write_sheet(book: xlsxwriter.Workbook, table: FormTable) -> None:
    spec = table.spec
    sheet = book.add_worksheet(spec.title[:31])
    last_col = len(table.columns) - 1
    base = {"font_name": BODY_FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
    cell = {**base, "border": 1}
    formats = {
        "label": book.add_format({**base, "font_name": HEADING_FONT, "font_size": 14}),
        "title": book.add_format(
            {**base, "font_name": TITLE_FONT, "font_size": 18, "bold": True, "align": "center"}
        ),
        "title_note": book.add_format(
            {"font_name": TITLE_FONT, "font_size": 18, "bold": True, "font_script": 1}
        ),
        "unit": book.add_format({**base, "font_size": 12, "valign": "top"}),
        "header": book.add_format(
            {**cell, "font_name": HEADING_FONT, "align": "center", "bg_color": "#F2F2F2"}
        ),
        "header_note": book.add_format(
            {"font_name": HEADING_FONT, "font_size": 11, "font_script": 1}
        ),
        "text": book.add_format(cell),
        "literal": book.add_format({**cell, "quote_prefix": True}),
        "seq": book.add_format({**cell, "align": "center"}),
        "integer": book.add_format({**cell, "num_format": "0"}),
        "money": book.add_format({**cell, "num_format": "#,##0.00"}),
        "score": book.add_format({**cell, "num_format": "0.00", "align": "center"}),
        "note": book.add_format({**base, "font_size": 10}),
    }

    if spec.label:
        sheet.write_string(0, 0, spec.label, formats["label"])
    if spec.title_note:
        sheet.merge_range(1, 0, 1, last_col, "", formats["title"])
        sheet.write_rich_string(
            1, 0, spec.title, formats["title_note"], spec.title_note, formats["title"]
        )
    else:
        sheet.merge_range(1, 0, 1, last_col, spec.title, formats["title"])
    sheet.set_row(1, 36)
    sheet.merge_range(2, 0, 2, last_col, table.unit_line, formats["unit"])
    sheet.set_row(2, UNIT_ROW_HEIGHT)
    header_row = 3
    for col, column in enumerate(table.columns):
        sheet.set_column(col, col, column.width)
        if column.note:
            parts: list[Any] = [column.title, formats["header_note"], column.note]
            if column.suffix:
                parts.append(column.suffix)
            sheet.write_rich_string(header_row, col, *parts, formats["header"])
        else:
            sheet.write_string(header_row, col, column.title, formats["header"])
    sheet.set_row(header_row, 42)

    row_index = header_row
    for row_index, values in enumerate(table.rows, start=header_row + 1):
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            _write_cell(sheet, formats, row_index, col, column, value)

    for offset, note in enumerate(spec.notes, start=1):
        note_row = row_index + offset
        sheet.merge_range(note_row, 0, note_row, last_col, note, formats["note"])

    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.center_horizontally()
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)  # fit the width to one page, as many pages tall as needed
    sheet.set_footer("&C第 &P 页，共 &N 页")
    sheet.print_area(0, 0, row_index + len(spec.notes), last_col)


def _write_cell(sheet, formats, row: int, col: int, column: Column, value: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, formats["text"])
    elif column.kind == "seq" and isinstance(value, int):
        sheet.write_number(row, col, value, formats["seq"])
    elif column.kind == "integer":
        sheet.write_number(row, col, value, formats["integer"])
    elif column.kind == "money":
        sheet.write_number(row, col, float(value), formats["money"])
    elif column.kind == "score":
        sheet.write_number(row, col, float(value), formats["score"])
    else:
        text = str(value)
        # Text that starts like a formula is stored as text and marked so (quotePrefix).
        fmt = formats["literal"] if starts_like_formula(text) else formats["text"]
        sheet.write_string(row, col, text, fmt)


# -- PDF -------------------------------------------------------------------------------------


def form_pdf(
    spec: FormSpec,
    rows: Sequence[Any],
    *,
    unit_name: str = "",
    rollup: bool = False,
) -> bytes:
    """The form as a PDF (A4 landscape, header row repeated on every page)."""
    table = build_table(spec, rows, unit_name=unit_name, rollup=rollup)
    return table_pdf(print_table(table))


def print_table(table: FormTable) -> PrintTable:
    """The table as the PDF renderer draws it: the same texts as the print preview."""
    spec = table.spec
    columns = [
        PrintColumn(
            HeaderCell(column.pieces, column.note, column.suffix),
            column.width,
            centered=column.kind != "text",
        )
        for column in table.columns
    ]
    rows = [
        [_display(value, column) for column, value in zip(table.columns, values, strict=True)]
        for values in table.rows
    ]
    return PrintTable(
        spec.label, spec.title, spec.title_note, table.unit_line, columns, rows, spec.notes
    )


def form_context(table: FormTable) -> dict[str, Any]:
    total = sum(column.width for column in table.columns)
    columns = [
        {
            "title": column.title,
            "parts": column.pieces,
            "note": column.note,
            "suffix": column.suffix,
            "percent": f"{column.width * 100 / total:.2f}",
            "kind": column.kind,
        }
        for column in table.columns
    ]
    rows = [
        [
            {"text": _display(value, column), "kind": column.kind}
            for column, value in zip(table.columns, values, strict=True)
        ]
        for values in table.rows
    ]
    return {
        "document_title": table.spec.title,
        "spec": table.spec,
        "unit_line": table.unit_line,
        "columns": columns,
        "rows": rows,
    }


def _display(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "money":
        return f"{Decimal(value):,.2f}"
    if column.kind == "score":
        return f"{Decimal(value):.2f}"
    return str(value)
