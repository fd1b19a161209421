"""附件2 关于YYYY年度智能工厂梯度培育情况的报告, as DOCX (python-docx) and PDF.

Section 一、整体情况 is written by the product from the statistics (sentences, tables and a
chart, all as of the report's 截至 date), followed by the officer's own account of the unit's
progress; sections 二、推进举措 and 三、下一步工作考虑 are the officer's prose; the attached
基础级、先进级智能工厂名单汇总表 follows on landscape pages. The DOCX follows GB/T 9704-2012 as
far as a generated file can: A4, margins 37/35/28/26 mm, title in 方正小标宋简体 二号, first-level
headings in 黑体 三号, body in 仿宋_GB2312 三号 with 28 pt line spacing; each East Asian font
name is set on ``w:eastAsia`` and, where the machine lacks it, Word and WPS fall back to the
alternative named in the font table (宋体, 黑体, 仿宋). The PDF embeds Noto Serif SC / Noto Sans SC.

Both outputs take their wording from :func:`overview` so the DOCX and the PDF always say the same
figures, and the figures are those of :mod:`factorytiers.domain.statistics`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

from factorytiers.documents.forms import (
    FORM2_TABLE,
    FormTable,
    build_table,
    form_context,
    print_table,
)
from factorytiers.documents.rows import Form2Row
from factorytiers.domain.control_chars import strip_control_characters
from factorytiers.domain.rounding import percentages
from factorytiers.domain.statistics import (
    GROUP_LABELS,
    LEVEL_NAMES,
    TIERS,
    Ratio,
    Statistics,
    format_score,
)
from factorytiers.rendering import charts
from factorytiers.rendering.pdf import (
    collector_paused,
    join,
    page_count,
    png_data_uri,
    render_pdf,
)
from factorytiers.rendering.table_pdf import table_pdf

TITLE_FONT: Final = "方正小标宋简体"
HEADING_FONT: Final = "黑体"
BODY_FONT: Final = "仿宋_GB2312"
FONT_ALTERNATIVES: Final = {TITLE_FONT: "宋体", HEADING_FONT: "SimHei", BODY_FONT: "仿宋"}
LATIN_FONT: Final = "Times New Roman"

SECTION_HEADINGS: Final = ("一、整体情况", "二、推进举措", "三、下一步工作考虑")
ATTACHMENT_LINE: Final = "附：基础级、先进级智能工厂名单汇总表"
SIGNATURE_UNIT_LABEL: Final = "报送单位(盖章)："  # as the notice prints it under the report
EMPTY_PROSE: Final = "（待填写）"
# Room for the unit's seal (about 42 mm across), which is pressed over the signature and the
# date: two blank lines above the signature, both lines four characters from the right margin
# (GB/T 9704), and wide blanks in the date for month and day written by hand.
STAMP_SPACE_BEFORE: Final = Pt(56)
SIGNATURE_RIGHT_INDENT: Final = Pt(64)
HAND_DATE_BLANK: Final = "\u3000\u3000"  # ideographic spaces: they keep their width in print
ATTACHED_UNIT_LINE_SPACE_AFTER: Final = Pt(48)


def report_title(year: int) -> str:
    return f"关于{year}年度智能工厂梯度培育情况的报告"


@dataclass(frozen=True)
class ReportData:
    year: int
    unit_name: str  # 报送单位, its full name (太原市): in the sentences, the 盖章 lines
    statistics: Statistics
    measures: str  # 二、推进举措 (officer's prose; paragraphs separated by line breaks)
    next_steps: str  # 三、下一步工作考虑
    attached_rows: Sequence[Form2Row] = field(default_factory=tuple)
    report_date: date | None = None  # blank “年 月 日” for the officer to date by hand
    as_of: date | None = None  # the day the figures speak of (截至); None: “截至目前”
    progress: str = ""  # 一's account beside the figures (officer's prose; may be empty)
    # 成熟度水平分析 by 所属行业 and by 行业大类: the statistics page's groups (``compute_by``).
    by_sector: Mapping[str, Statistics] = field(default_factory=dict)
    by_division: Mapping[str, Statistics] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.statistics.year != self.year:
            raise ValueError(
                f"统计数据的年度（{self.statistics.year}）与报告年度（{self.year}）不一致"
            )


@dataclass(frozen=True)
class FigureTable:
    """One table of section 一, as the DOCX and the PDF print it."""

    caption: str
    # Each header cell as the pieces it may break between (“未达”“一级”), never inside one.
    header: tuple[tuple[str, ...], ...]
    rows: list[list[str]]  # the 合计 row last, where there is one
    widths: tuple[int, ...]  # relative column widths
    font_size: float = 12  # points

    @property
    def header_texts(self) -> list[str]:
        return ["".join(parts) for parts in self.header]

    @property
    def percents(self) -> list[str]:
        total = sum(self.widths)
        return [f"{width * 100 / total:.2f}" for width in self.widths]


@dataclass(frozen=True)
class Overview:
    """Section 一 as text and tables, shared by the DOCX and the PDF."""

    tiers_paragraph: str
    assessment_paragraph: str
    maturity_paragraph: str
    tables: tuple[FigureTable, ...]  # tiers, levels, by 所属行业, by 行业大类
    chart_png: bytes
    chart_caption: str


def _share(ratio: Ratio) -> str:
    return "—" if ratio.percent is None else f"{ratio.percent}%"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def as_of_text(data: ReportData) -> str:
    """“截至2026年5月22日” (or “截至目前” when no day is given)."""
    return "截至目前" if data.as_of is None else f"截至{chinese_date(data.as_of)}"


def overview(data: ReportData) -> Overview:
    stats = data.statistics
    area = data.unit_name
    as_of = as_of_text(data)
    in_force = "、".join(f"{tier}智能工厂{stats.in_force[tier].value}家" for tier in TIERS)
    new = "、".join(f"{tier}{stats.recognized_in_year[tier].value}家" for tier in TIERS)
    tiers_paragraph = f"{as_of}，{area}现有在有效期内的{in_force}；{data.year}年度新认定{new}。"

    assessed = stats.assessed.value
    above = stats.above_scale.value
    covered = stats.above_scale_assessed.value
    if above:
        coverage = (
            f"本地区规模以上制造企业共{above}家，其中{covered}家完成自评估，"
            f"规模以上制造企业自评估覆盖度为{_share(stats.coverage)}"
        )
        penetration = (
            f"达到成熟度二级及以上的规上企业{stats.penetration.numerator.value}家，"
            f"智能工厂普及率（达到成熟度二级及以上的规上企业数量/规上企业总数）为"
            f"{_share(stats.penetration)}"
        )
    else:
        coverage = "本地区暂无规模以上制造企业，不计算规模以上制造企业自评估覆盖度"
        penetration = "不计算智能工厂普及率"
    assessment_paragraph = (
        f"{as_of}，{data.year}年度{area}共有{assessed}家制造企业参加智能制造能力成熟度自评估。"
        f"{coverage}。"
    )
    distribution = "、".join(f"{name}{stats.distribution[name].value}家" for name in LEVEL_NAMES)
    if assessed:
        scores = f"自评估平均得分{stats.scores.mean}分，中位数{stats.scores.median}分"
    else:
        scores = "暂无自评估得分"
    maturity_paragraph = f"从成熟度水平看，{distribution}；{scores}。{penetration}。"

    tier_table = FigureTable(
        caption=f"表1 {area}智能工厂数量（{as_of}）",
        header=(("智能工厂级别",), ("在有效期内（家）",), (f"{data.year}年度新认定（家）",)),
        rows=[
            [tier, str(stats.in_force[tier].value), str(stats.recognized_in_year[tier].value)]
            for tier in TIERS
        ],
        widths=(3, 3, 4),
    )
    counts = [stats.distribution[name].value for name in LEVEL_NAMES]
    level_table = FigureTable(
        caption=f"表2 {area}智能制造能力成熟度等级分布（{as_of}）",
        header=(("成熟度等级",), ("企业数（家）",), ("占比",)),
        rows=[
            *(
                [name, str(count), share]
                for name, count, share in zip(LEVEL_NAMES, counts, _shares(counts), strict=True)
            ),
            ["合计", str(assessed), "100.00%" if assessed else "—"],
        ],
        widths=(1, 1, 1),
    )
    groups = (("3", "sector", data.by_sector), ("4", "division", data.by_division))
    group_tables = tuple(
        _group_table(
            f"表{number} {area}成熟度水平分析（按{GROUP_LABELS[by]}，{as_of}）", by, g, stats
        )
        for number, by, g in groups
    )

    caption = f"图1 {area}{data.year}年度智能制造能力成熟度等级分布（{as_of}）"
    chart = charts.pie_or_distribution_chart(
        list(LEVEL_NAMES), [stats.distribution[name].value for name in LEVEL_NAMES]
    )
    return Overview(
        tiers_paragraph=tiers_paragraph,
        assessment_paragraph=assessment_paragraph,
        maturity_paragraph=maturity_paragraph,
        tables=(tier_table, level_table, *group_tables),
        chart_png=chart,
        chart_caption=caption,
    )


def _shares(counts: Sequence[int]) -> list[str]:
    """Shares of a column printed above its 合计 of 100.00%: rounded so that they add up to it."""
    shares = percentages(counts)
    return ["—"] * len(counts) if shares is None else [f"{share}%" for share in shares]


GROUP_TABLE_HEADER: Final = (
    ("自评估", "企业数"),
    ("占比",),
    ("未达", "一级"),
    *((name,) for name in LEVEL_NAMES[1:]),
    ("平均", "得分"),
    ("得分", "中位数"),
)


def _group_table(
    caption: str, by: str, groups: Mapping[str, Statistics], total: Statistics
) -> FigureTable:
    """The level distribution, mean and median per group, with the figures of the statistics
    page's table of the same grouping; 占比 is the group's share of the assessed enterprises."""
    assessed = [group.assessed.value for group in groups.values()]
    rows = [
        _group_row(name, group, share)
        for (name, group), share in zip(groups.items(), _shares(assessed), strict=True)
    ]
    rows.append(_group_row("合计", total, "100.00%" if total.assessed.value else "—"))
    return FigureTable(
        caption=caption,
        header=((GROUP_LABELS[by],), *GROUP_TABLE_HEADER),
        rows=rows,
        widths=(30, 14, 18, *(11,) * len(LEVEL_NAMES), 12, 14),
        font_size=10.5,
    )


def _group_row(name: str, stats: Statistics, share: str) -> list[str]:
    return [
        name,
        str(stats.assessed.value),
        share,
        *(str(stats.distribution[level].value) for level in LEVEL_NAMES),
        format_score(stats.scores.mean),
        format_score(stats.scores.median),
    ]


def paragraphs(prose: str, *, empty: str = EMPTY_PROSE) -> list[str]:
    lines = [line.strip() for line in prose.replace("\r\n", "\n").split("\n")]
    return [line for line in lines if line] or ([empty] if empty else [])


def progress_paragraphs(data: ReportData) -> list[str]:
    """The officer's account in section 一: nothing when none was written (the figures stand
    on their own there, unlike the empty sections 二 and 三)."""
    return paragraphs(data.progress, empty="")


def date_line(data: ReportData) -> str:
    if data.report_date is None:
        return f"{data.year}年{HAND_DATE_BLANK}月{HAND_DATE_BLANK}日"
    return chinese_date(data.report_date)


# -- PDF -------------------------------------------------------------------------------------


def report_pdf(data: ReportData, *, on_page: Callable[[int], None] | None = None) -> bytes:
    """The report's text, tables and chart from the print template (WeasyPrint), then the
    attached table on landscape pages (drawn as the forms are: thousands of rows in seconds),
    the pages numbered on from the text's."""
    body = render_pdf(
        "documents/report.html", report_pdf_context(data, attached=False), on_page=on_page
    )
    first = page_count(body)
    attached = table_pdf(
        print_table(_attached(data)),
        page_label=lambda number, _total: f"— {first + number} —",
        on_page=None if on_page is None else lambda number: on_page(first + number),
    )
    return join(body, attached)


def _attached(data: ReportData) -> FormTable:
    return build_table(FORM2_TABLE, list(data.attached_rows), unit_name=data.unit_name)


def report_pdf_context(data: ReportData, *, attached: bool = True) -> dict[str, Any]:
    """The print template's context (also the in-browser print preview, with the attached
    table; the PDF draws that table on its own pages)."""
    parts = overview(data)
    return {
        "document_title": report_title(data.year),
        "title": report_title(data.year),
        "headings": SECTION_HEADINGS,
        "overview": parts,
        "progress": progress_paragraphs(data),
        "chart_uri": png_data_uri(parts.chart_png),
        "measures": paragraphs(data.measures),
        "next_steps": paragraphs(data.next_steps),
        "attachment_line": ATTACHMENT_LINE,
        "signature_unit": SIGNATURE_UNIT_LABEL + data.unit_name,
        "date_line": date_line(data),
        "attached": form_context(_attached(data)) if attached else None,
    }


# -- DOCX ------------------------------------------------------------------------------------


def report_docx(data: ReportData) -> bytes:
    # The collector paused, as for a PDF: the document's many small objects (python-docx's
    # elements, the attached table's rows as text) would be traversed again and again.
    with collector_paused():
        return _report_docx(data)


def _report_docx(data: ReportData) -> bytes:
    parts = overview(data)
    document = Document()
    _setup_fonts(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)

    _paragraph(document, report_title(data.year), TITLE_FONT, 22, center=True, indent=False)
    _paragraph(document, SECTION_HEADINGS[0], HEADING_FONT, 16, indent=True)
    for text in (parts.tiers_paragraph, parts.assessment_paragraph, parts.maturity_paragraph):
        _paragraph(document, text, BODY_FONT, 16)
    for text in progress_paragraphs(data):
        _paragraph(document, text, BODY_FONT, 16)
    for table in parts.tables:
        _figure_table(document, table)
    document.add_picture(io.BytesIO(parts.chart_png), width=Cm(13))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, parts.chart_caption, BODY_FONT, 12, center=True, indent=False)
    _paragraph(document, SECTION_HEADINGS[1], HEADING_FONT, 16, indent=True)
    for text in paragraphs(data.measures):
        _paragraph(document, text, BODY_FONT, 16)
    _paragraph(document, SECTION_HEADINGS[2], HEADING_FONT, 16, indent=True)
    for text in paragraphs(data.next_steps):
        last = _paragraph(document, text, BODY_FONT, 16)
    blank = _paragraph(document, "", BODY_FONT, 16, indent=False)
    attachment = _paragraph(document, ATTACHMENT_LINE, BODY_FONT, 16)
    signature = _paragraph(
        document, SIGNATURE_UNIT_LABEL + data.unit_name, BODY_FONT, 16, right=True
    )
    signature.paragraph_format.space_before = STAMP_SPACE_BEFORE
    dated = _paragraph(document, date_line(data), BODY_FONT, 16, right=True)
    for paragraph in (signature, dated):
        paragraph.paragraph_format.right_indent = SIGNATURE_RIGHT_INDENT
    # The signature block never stands alone on a page: it goes with the last paragraph.
    for paragraph in (last, blank, attachment, signature):
        paragraph.paragraph_format.keep_with_next = True

    rows = _attached_table(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return _rows_put_in(buffer.getvalue(), rows)


def _setup_fonts(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    _add_font_alternatives(document)


def _add_font_alternatives(document: Any) -> None:
    """Name an alternative for each Chinese font in the font table (w:altName), so a machine
    without 仿宋_GB2312 or 方正小标宋简体 uses 仿宋 or 宋体 rather than an arbitrary font."""
    for rel in document.part.rels.values():
        if rel.reltype != RT.FONT_TABLE:
            continue
        part = rel.target_part  # python-docx keeps this part as raw XML
        fonts = etree.fromstring(part.blob)
        for name, alternative in FONT_ALTERNATIVES.items():
            font = etree.SubElement(fonts, qn("w:font"))
            font.set(qn("w:name"), name)
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alternative)
            etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _east_asian(r_pr: Any, font_name: str) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font_name)


def _run(paragraph: Any, text: str, font_name: str, size: float, *, superscript: bool = False):
    # Text stored before control characters were removed on entry would make lxml refuse.
    run = paragraph.add_run(strip_control_characters(text))
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    run.font.superscript = superscript or None
    _east_asian(run._element.get_or_add_rPr(), font_name)
    return run


def _paragraph(
    document: Any,
    text: str,
    font_name: str,
    size: float,
    *,
    center: bool = False,
    right: bool = False,
    indent: bool = True,
):
    paragraph = document.add_paragraph()
    _run(paragraph, text, font_name, size)
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(28 if size >= 16 else max(size * 1.5, 14))
    form.space_before = form.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif indent:
        form.first_line_indent = Pt(size * 2)  # two characters
    return paragraph


def _cell_text(
    cell: Any,
    text: str,
    font_name: str,
    size: float,
    *,
    note: str = "",
    suffix: str = "",
    center: bool = True,
) -> None:
    paragraph = cell.paragraphs[0]
    _run(paragraph, text, font_name, size)
    if note:
        _run(paragraph, note, font_name, size, superscript=True)
    if suffix:
        _run(paragraph, suffix, font_name, size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _figure_table(document: Any, figure: FigureTable) -> None:
    _paragraph(document, figure.caption, HEADING_FONT, 12, center=True, indent=False)
    rows = [figure.header_texts, *figure.rows]
    table = document.add_table(rows=len(rows), cols=len(figure.widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = Mm(156)  # A4 less the GB/T 9704 side margins
    widths = [int(usable * width / sum(figure.widths)) for width in figure.widths]
    # Row by row, each row's own cells: ``table.cell(r, c)`` walks the whole table each time.
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        font = HEADING_FONT if r == 0 else BODY_FONT
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            _cell_text(cell, value, font, figure.font_size)
    _repeat_header(table.rows[0])
    document.add_paragraph()


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _page_number_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", BODY_FONT, 14)
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _run(paragraph, " —", BODY_FONT, 14)


def _attached_table(document: Any, data: ReportData) -> bytes:
    """The attached table's section, its body rows left out: a mark stands where they go, and
    they are returned as XML for :func:`_rows_put_in` (see :func:`_rows_xml`)."""
    table_data = _attached(data)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(15)

    _paragraph(document, FORM2_TABLE.label, HEADING_FONT, 16, indent=False)
    _paragraph(document, FORM2_TABLE.title, TITLE_FONT, 18, center=True, indent=False)
    unit_line = _paragraph(document, table_data.unit_line, BODY_FONT, 12, indent=False)
    unit_line.paragraph_format.space_after = ATTACHED_UNIT_LINE_SPACE_AFTER  # room for the seal
    columns = table_data.columns
    context = form_context(table_data)
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(column.width for column in columns)
    usable = Mm(267)
    widths = [int(usable * column.width / total) for column in columns]
    header, template = table.rows
    for cell, column, width in zip(header.cells, columns, widths, strict=True):
        cell.width = width
        _cell_text(cell, column.title, HEADING_FONT, 10.5, note=column.note, suffix=column.suffix)
    _repeat_header(header)
    # The body rows are copies of one formatted row with the text put in, written as XML
    # text in one pass (``_rows_xml``), where ``table.cell(r, c)`` would walk the whole table
    # for every cell.
    for cell, column, width in zip(template.cells, columns, widths, strict=True):
        cell.width = width
        _cell_text(cell, "", BODY_FONT, 10.5, center=column.kind != "text")
    prototype = template._tr
    rows = _rows_xml(prototype, [[value["text"] for value in row] for row in context["rows"]])
    table._tbl.remove(prototype)
    table._tbl.append(etree.Comment(ROWS_MARK))
    for note in FORM2_TABLE.notes:
        _paragraph(document, note, BODY_FONT, 10.5, indent=False)
    return rows


W_TC, W_P, W_R, W_T = qn("w:tc"), qn("w:p"), qn("w:r"), qn("w:t")
XML_SPACE = qn("xml:space")
ROWS_MARK: Final = "factorytiers:attached-rows"
DOCUMENT_PART: Final = "word/document.xml"


def _rows_xml(prototype: Any, rows: Sequence[Sequence[str]]) -> bytes:
    """The body rows as XML: each a copy of ``prototype`` (one empty run per cell) with its
    cell's text put in the run, as :func:`_set_run_text` puts it into an element; written as
    text from the prototype's own serialisation, cut where each cell's run ends. Ten thousand
    rows are some hundred thousand elements, which python-docx would build and serialise
    again (most of the file's time); as text they take a tenth of it. A row with a tab or a
    line break in a cell is made as an element, python-docx writing those."""
    pieces = _row_text(prototype).split("</w:r>")
    if len(pieces) != len(prototype.findall(W_TC)) + 1:
        raise ValueError("每个单元格应当恰有一个文字段")
    written: list[str] = []
    for values in rows:
        texts = [strip_control_characters(value) for value in values]
        if any("\t" in text or "\n" in text or "\r" in text for text in texts):
            tr = deepcopy(prototype)
            for tc, text in zip(tr.iterchildren(W_TC), texts, strict=True):
                _set_run_text(tc.find(W_P).find(W_R), text)
            written.append(_row_text(tr))
            continue
        written.append(pieces[0])
        for text, piece in zip(texts, pieces[1:], strict=True):
            if text:
                space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
                written.append(f"<w:t{space}>{escape(text)}</w:t>")
            written.append("</w:r>")
            written.append(piece)
    return "".join(written).encode()


_NAMESPACE_DECLARATION: Final = re.compile(r'\s+xmlns:\w+="[^"]*"')


def _row_text(tr: Any) -> str:
    """The row as XML text without its own namespace declarations (the document's root
    declares them)."""
    xml = etree.tostring(tr, encoding="unicode")
    start = xml.index(">")
    return _NAMESPACE_DECLARATION.sub("", xml[:start]) + xml[start:]


def _rows_put_in(docx: bytes, rows: bytes) -> bytes:
    """The DOCX with ``rows`` where the mark of :func:`_attached_table` stands."""
    mark = f"<!--{ROWS_MARK}-->".encode()
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():  # in their order: [Content_Types].xml first
            content = source.read(item)
            if item.filename == DOCUMENT_PART:
                if content.count(mark) != 1:
                    raise ValueError("附件2 表格的位置标记应当恰有一处")
                content = content.replace(mark, rows)
            target.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _set_run_text(r: Any, text: str) -> None:
    """The run's text as python-docx's ``add_run(text)`` writes it into an empty run: one
    ``w:t`` (space-preserving when the text starts or ends with a space), or nothing for "";
    a text with tabs or line breaks goes through python-docx's own setter."""
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text
    elif text:
        t = etree.SubElement(r, W_T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(XML_SPACE, "preserve")


def overview_figures(stats: Statistics) -> Mapping[str, Any]:
    """The figures section 一 prints, keyed for comparison with the statistics page."""
    return {
        "assessed": stats.assessed.value,
        "above_scale": stats.above_scale.value,
        "above_scale_assessed": stats.above_scale_assessed.value,
        "coverage": _share(stats.coverage),
        "penetration": _share(stats.penetration),
        "mean": stats.scores.mean,
        "median": stats.scores.median,
        **{name: stats.distribution[name].value for name in LEVEL_NAMES},
    }
