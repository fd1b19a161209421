"""Statistics summary table (by unit, sector or 大类) as XLSX: the province's overview sheet.

One row per group and a 合计 row computed over all enterprises (not by adding up rounded shares),
so the shares in the 合计 row are exact for the whole scope.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Final

import xlsxwriter

from factorytiers.domain.spreadsheet import starts_like_formula
from factorytiers.domain.statistics import LEVEL_NAMES, TIERS, Statistics

TOTAL_LABEL: Final = "合计"


def summary_header(group_label: str, year: int) -> list[str]:
    return [
        group_label,
        "企业数",
        "规上企业数",
        "自评估企业数",
        "规上自评估企业数",
        "规上企业自评估覆盖度",
        *LEVEL_NAMES,
        "平均得分",
        "得分中位数",
        "二级及以上规上企业数",
        "智能工厂普及率",
        *(f"{tier}（在有效期内）" for tier in TIERS),
        *(f"{tier}（{year}年度新认定）" for tier in TIERS),
    ]


def summary_values(name: str, stats: Statistics) -> list[Any]:
    return [
        name,
        stats.enterprises.value,
        stats.above_scale.value,
        stats.assessed.value,
        stats.above_scale_assessed.value,
        stats.coverage.value,
        *(stats.distribution[level].value for level in LEVEL_NAMES),
        stats.scores.mean,
        stats.scores.median,
        stats.penetration.numerator.value,
        stats.penetration.value,
        *(stats.in_force[tier].value for tier in TIERS),
        *(stats.recognized_in_year[tier].value for tier in TIERS),
    ]


def summary_xlsx(
    title: str,
    groups: Mapping[str, Statistics],
    total: Statistics,
    *,
    group_label: str = "报送单位",
) -> bytes:
    header = summary_header(group_label, total.year)
    buffer = io.BytesIO()
    # Rows go out in order (title, header, groups, 合计): only the current one is kept.
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("统计汇总")
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1}
    formats = {
        "title": book.add_format(
            {"font_name": "宋体", "font_size": 16, "bold": True, "align": "center"}
        ),
        "header": book.add_format(
            {
                **base,
                "font_name": "黑体",
                "text_wrap": True,
                "align": "center",
                "bg_color": "#F2F2F2",
            }
        ),
        "text": book.add_format(base),
        "literal": book.add_format({**base, "quote_prefix": True}),
        "int": book.add_format({**base, "num_format": "0"}),
        "share": book.add_format({**base, "num_format": "0.00%"}),
        "score": book.add_format({**base, "num_format": "0.00"}),
        "total": book.add_format({**base, "bold": True}),
    }
    sheet.merge_range(0, 0, 0, len(header) - 1, title, formats["title"])
    sheet.set_row(0, 30)
    for col, text in enumerate(header):
        sheet.write_string(1, col, text, formats["header"])
    sheet.set_row(1, 48)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, len(header) - 1, 9)
    share_columns = {header.index("规上企业自评估覆盖度"), header.index("智能工厂普及率")}
    score_columns = {header.index("平均得分"), header.index("得分中位数")}
    rows = [*groups.items(), (TOTAL_LABEL, total)]
    for row, (name, stats) in enumerate(rows, start=2):
        is_total = row == len(rows) + 1
        for col, value in enumerate(summary_values(name, stats)):
            if value is None:
                sheet.write_string(row, col, "—", formats["text"])
            elif col == 0:
                style = "total" if is_total else "literal" if starts_like_formula(value) else "text"
                sheet.write_string(row, col, value, formats[style])
            elif col in share_columns:
                sheet.write_number(row, col, float(value), formats["share"])
            elif col in score_columns:
                sheet.write_number(row, col, float(value), formats["score"])
            else:
                sheet.write_number(row, col, value, formats["int"])
    sheet.freeze_panes(2, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(1)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    book.close()
    return buffer.getvalue()
