"""Spreadsheets of the maturity self-assessment: reading uploads (python-calamine) and writing
templates, bad-row files and lists (xlsxwriter)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from factorytiers.accounts.workbooks import SheetError, read_workbook
from factorytiers.domain.maturity import MaturityModel, level_name
from factorytiers.domain.maturity_bank import BANK_HEADERS, WEIGHT_SHEET, bank_rows, weight_rows
from factorytiers.domain.platform_results import ERROR_HEADER, HEADERS, OPTIONAL_HEADERS
from factorytiers.domain.spreadsheet import starts_like_formula

# The guarded reader of uploads lives in accounts/workbooks.py; imported from here as before.
__all__ = ["SheetError", "read_workbook"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Book:
    def __init__(self, target=None, *, streamed: bool = False) -> None:
        """A workbook in memory, or written to ``target`` (a path or a binary file); a
        ``streamed`` one keeps only the current row in memory (rows written in order)."""
        self.target = target
        self.buffer = io.BytesIO() if target is None else target
        options = {"constant_memory": True} if streamed else {"in_memory": True}
        self.book = xlsxwriter.Workbook(self.buffer, options)
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.note = self.book.add_format({"italic": True, "font_color": "#595959"})
        self.error = self.book.add_format({"font_color": "#C00000", "text_wrap": True})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.score = self.book.add_format({"num_format": "0.00"})
        self.literal = self.book.add_format({"quote_prefix": True})

    def sheet(self, name: str, headers: Sequence[tuple[str, int]]):
        sheet = self.book.add_worksheet(name)
        for col, (title, width) in enumerate(headers):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, self.header)
        sheet.freeze_panes(1, 0)
        return sheet

    def cell(self, sheet, row: int, col: int, value: object, fmt=None) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_string(row, col, str(value), fmt)
        elif isinstance(value, datetime | date):
            sheet.write_datetime(row, col, value, fmt or self.date)
        elif isinstance(value, Decimal):
            sheet.write_number(row, col, float(value), fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
        else:
            text = str(value)
            # Text that starts like a formula is kept as text, never run.
            sheet.write_string(row, col, text, self.literal if starts_like_formula(text) else fmt)

    def close(self) -> bytes | None:
        self.book.close()
        return self.buffer.getvalue() if self.target is None else None


RESULT_WIDTHS = {
    "统一社会信用代码": 22,
    "年度": 8,
    "评估得分": 10,
    "成熟度等级": 12,
    "评估日期": 12,
}


def platform_template(*, year: int, example_code: str = "", example_name: str = "") -> bytes:
    """The import template: the columns, one example row, and a sheet explaining them."""
    book = _Book()
    columns = [(name, RESULT_WIDTHS[name]) for name in HEADERS] + [(OPTIONAL_HEADERS[0], 36)]
    sheet = book.sheet("平台自评估结果", columns)
    if example_code:
        for col, value in enumerate([example_code, year, Decimal("2.35"), "二级"], start=0):
            book.cell(sheet, 1, col, value, book.score if col == 2 else None)
        book.cell(sheet, 1, 4, date(year, 3, 15))
        book.cell(sheet, 1, 5, example_name)
    notes = book.sheet("填写说明", [("列", 18), ("说明", 90)])
    rows = [
        ("统一社会信用代码", "18位，须是本单位企业名录中已登记的企业"),
        ("年度", "结果所属年度，如 2026"),
        ("评估得分", "国家平台给出的总分，0–5，最多两位小数，如 3.55"),
        ("成熟度等级", "未达一级、一级、二级、三级、四级、五级之一，须与得分相符"),
        ("评估日期", "国家平台出具结果的日期，如 2026-03-15，须在该年度内且不晚于今天"),
        ("企业名称", "可选，仅便于核对，不参与导入"),
        ("说明", "第1行为表头，第2行起每行一条结果；同一企业同一年度只能有一行。"),
    ]
    for row, (column, text) in enumerate(rows, start=1):
        book.cell(notes, row, 0, column)
        book.cell(notes, row, 1, text)
    return book.close()


def bad_rows_file(header: Sequence[str], bad_rows: Iterable) -> bytes:
    """The bad rows as they were read, with their row number and an 错误原因 column."""
    book = _Book()
    columns = [("原行号", 8)] + [(str(name) or "", 16) for name in header] + [(ERROR_HEADER, 60)]
    sheet = book.sheet("有误的行", columns)
    for row, bad in enumerate(bad_rows, start=1):
        book.cell(sheet, row, 0, bad.row)
        for col, value in enumerate(bad.cells[: len(header)], start=1):
            book.cell(sheet, row, col, value)
        book.cell(sheet, row, len(header) + 1, bad.message, book.error)
    return book.close()


def item_bank_file(model: MaturityModel) -> bytes:
    """A model's item bank in the import format (also the template of the import)."""
    book = _Book()
    widths = dict(zip(BANK_HEADERS, (10, 12, 14, 8, 16, 90, 8), strict=True))
    sheet = book.sheet("条目", [(name, widths[name]) for name in BANK_HEADERS])
    for row, values in enumerate(bank_rows(model), start=1):
        for col, value in enumerate(values):
            book.cell(sheet, row, col, value)
    weights = weight_rows(model)
    weight_sheet = book.sheet(WEIGHT_SHEET, [(str(name), 14) for name in weights[0]])
    for row, values in enumerate(weights[1:], start=1):
        for col, value in enumerate(values):
            book.cell(weight_sheet, row, col, value)
    return book.close()


OVERVIEW_COLUMNS = [
    ("统一社会信用代码", 22),
    ("企业名称", 36),
    ("地市", 12),
    ("所属行业", 10),
    ("企业类型", 10),
    ("规上企业", 8),
    ("自评估情况", 12),
    ("来源", 14),
    ("得分", 8),
    ("等级", 10),
    ("日期", 12),
    ("企业联系人及联系方式", 26),
]


def overview_file(
    rows, *, source_labels: dict[str, str], target=None, progress=None, every: int = 2000
) -> bytes | None:
    """The overview's rows (streamed; ``progress(rows written)`` every ``every`` rows)."""
    book = _Book(target, streamed=True)
    sheet = book.sheet("自评估情况", OVERVIEW_COLUMNS)
    for row, e in enumerate(rows, start=1):
        if progress and row % every == 0:
            progress(row)
        if e.counted_source:
            status = "已完成"
        elif e.has_draft:
            status = "填写中未提交"
        else:
            status = "未完成"
        values = [
            e.credit_code,
            e.name,
            e.unit.name,
            e.sector,
            e.size_class,
            "是" if e.is_above_scale else "否",
            status,
            source_labels.get(e.counted_source or "", ""),
            e.counted_score,
            "" if e.counted_level is None else level_name(e.counted_level),
            e.counted_on,
            f"{e.contact_name} {e.contact_phone}",
        ]
        for col, value in enumerate(values):
            book.cell(sheet, row, col, value, book.score if col == 8 else None)
    return book.close()
