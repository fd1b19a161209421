"""XLSX export of an enterprise list (the rows come from a scoped selector), streamed: rows are
read 2,000 at a time and written in xlsxwriter's ``constant_memory`` mode. Declared to
``accounts.exports`` so a big list is written by a background job."""

import io

import xlsxwriter
from django.utils import timezone

from factorytiers.accounts.exports import Export, Exporter, Progress, register
from factorytiers.domain.spreadsheet import starts_like_formula

from . import selectors
from .forms import EnterpriseFilterForm
from .selectors import level_label

CHUNK = 2000

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


def enterprise_list_xlsx(
    enterprises, *, year: int, target=None, progress: Progress | None = None
) -> bytes | None:
    """The rows of ``selectors.enterprise_list`` (its tier in force and counted level of
    ``year`` annotated), written to ``target`` (a path or a binary file), or returned."""
    buffer = io.BytesIO() if target is None else target
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
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
    for row, e in enumerate(enterprises.iterator(chunk_size=CHUNK), start=1):
        if progress and row % CHUNK == 0:
            progress(row)
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
    return buffer.getvalue() if target is None else None


def enterprise_export(user, query) -> Export:
    """The enterprise list as the list page filters it for ``user``."""
    form = EnterpriseFilterForm(query or None, show_unit=user.has_perm("enterprises.choose_unit"))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    rows = selectors.enterprise_list(user, filters=filters, on=today)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return Export(
        count=rows.count,
        file_name=f"企业名录-{stamp}.xlsx",
        ascii_name=f"enterprises-{stamp}.xlsx",
        write=lambda target, progress: enterprise_list_xlsx(
            rows, year=today.year, target=target, progress=progress
        ),
    )


register(Exporter("enterprises", "企业名录", "enterprises.export_enterprises", enterprise_export))
