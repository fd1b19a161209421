"""XLSX export of an enterprise list (the rows come from a scoped selector)."""

import io

import xlsxwriter

from factorytiers.domain.spreadsheet import starts_like_formula

from .selectors import level_label

COLUMNS = [
    ("统一社会信用代码", 22),
    ("企业名称", 36),
    ("地市", 12),
    ("所属行业", 10),
    ("企业性质", 10),
    ("企业类型", 10),
    ("规上企业", 8),
    ("行业中类", 28),
    ("行业小类", 28),
    ("从业人数", 10),
    ("营业收入(万元)", 14),
    ("企业联系人及联系方式", 26),
    ("智能工厂级别", 12),
    ("{year}年成熟度等级", 16),
]


def enterprise_list_xlsx(enterprises, *, year: int) -> bytes:
    """The rows of ``selectors.enterprise_list`` (its tier in force and counted level of
    ``year`` annotated)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("企业名录")
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = book.add_format({"num_format": "#,##0.00"})
    # Text that starts like a formula is stored as text and marked so (Excel's quotePrefix),
    # so the cell shows the value as typed and never runs it.
    literal = book.add_format({"quote_prefix": True})

    def write_text(row: int, col: int, value: str) -> None:
        sheet.write_string(row, col, value, literal if starts_like_formula(value) else None)

    for col, (title, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write(0, col, title.format(year=year), header)
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0)
    for row, e in enumerate(enterprises.iterator(chunk_size=2000), start=1):
        group = e.industry.parent
        values = [
            e.credit_code,
            e.name,
            e.unit.name,
            e.sector,
            e.nature,
            e.size_class,
            "是" if e.is_above_scale else "否",
            f"{group.code} {group.name}",
            f"{e.industry.code} {e.industry.name}",
        ]
        for col, value in enumerate(values):
            write_text(row, col, value)
        sheet.write_number(row, 9, e.employees)
        sheet.write_number(row, 10, float(e.revenue_wan), money)
        write_text(row, 11, f"{e.contact_name} {e.contact_phone}")
        write_text(row, 12, e.tier_in_force or "未认定")
        write_text(row, 13, level_label(e.counted_level))
    book.close()
    return buffer.getvalue()
