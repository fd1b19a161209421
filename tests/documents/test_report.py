"""附件2 report as DOCX and PDF: title, sections, figures from the statistics, attached table."""

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from factorytiers.documents import report
from factorytiers.domain.statistics import (
    LEVEL_NAMES,
    TIERS,
    compute,
    compute_by,
    counted_from_rows,
)
from factorytiers.rendering.fonts import FACES, SANS, SERIF
from tests.documents.form_data import demo_data, form2_rows
from tests.documents.inspect_files import (
    pdf_fonts,
    pdf_page_count,
    pdf_page_size_mm,
    pdf_page_texts,
    pdf_runs,
    pdf_text,
    text_width_mm,
)

TITLE = "关于2026年度智能工厂梯度培育情况的报告"
MEASURES = "一是加强组织领导，成立工作专班。\n\n二是强化政策支持，落实奖补资金。"
NEXT_STEPS = "持续推进基础级智能工厂培育，做好先进级智能工厂申报指导。"
PROGRESS = "全市智能工厂梯度培育工作稳步推进。\n重点企业均已完成诊断评估。"
FORM2_HEADER = [
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
]
FORM2_NOTES = [
    "注: 1. 所属行业请填写:原材料、电子信息、装备制造、消费品;",
    "2. 企业性质请填写:中央企业、地方国企、民营企业、三资企业;",
    "3. 企业类型请填写:大型企业、中型企业、小型企业、微型企业;",
    "4. 行业中类、行业小类参考《国民经济行业分类》(GB/T4754-2017)填写。",
]


@pytest.fixture(scope="module")
def rows():
    return demo_data(3000)


@pytest.fixture(scope="module")
def statistics(rows):
    return compute(rows, 2026)


@pytest.fixture(scope="module")
def groups(rows):
    return {by: compute_by(rows, 2026, by) for by in ("sector", "division")}


@pytest.fixture(scope="module")
def data(statistics, groups):
    return report.ReportData(
        year=2026,
        unit_name="太原市",
        statistics=statistics,
        by_sector=groups["sector"],
        by_division=groups["division"],
        measures=MEASURES,
        next_steps=NEXT_STEPS,
        attached_rows=form2_rows(),
        report_date=date(2026, 5, 20),
        as_of=date(2026, 5, 22),
        progress=PROGRESS,
    )


@pytest.fixture(scope="module")
def document(data):
    return docx.Document(io.BytesIO(report.report_docx(data)))


@pytest.fixture(scope="module")
def pdf(data):
    return report.report_pdf(data)


def _texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def expected_sentences(stats) -> list[str]:
    """The figures, written out independently of the renderer."""
    in_force = "、".join(f"{tier}智能工厂{stats.in_force[tier].value}家" for tier in TIERS)
    new = "、".join(f"{tier}{stats.recognized_in_year[tier].value}家" for tier in TIERS)
    distribution = "、".join(f"{name}{stats.distribution[name].value}家" for name in LEVEL_NAMES)
    return [
        f"截至2026年5月22日，太原市现有在有效期内的{in_force}；2026年度新认定{new}。",
        f"截至2026年5月22日，2026年度太原市共有{stats.assessed.value}家制造企业参加"
        "智能制造能力成熟度自评估。"
        f"本地区规模以上制造企业共{stats.above_scale.value}家，其中"
        f"{stats.above_scale_assessed.value}家完成自评估，规模以上制造企业自评估覆盖度为"
        f"{stats.coverage.percent}%。",
        f"从成熟度水平看，{distribution}；自评估平均得分{stats.scores.mean}分，"
        f"中位数{stats.scores.median}分。达到成熟度二级及以上的规上企业"
        f"{stats.penetration.numerator.value}家，智能工厂普及率（达到成熟度二级及以上的规上企业"
        f"数量/规上企业总数）为{stats.penetration.percent}%。",
    ]


def test_the_demo_data_set_is_large_and_its_figures_add_up(statistics):
    assert statistics.enterprises.value == 3000
    assert sum(c.value for c in statistics.distribution.values()) == statistics.assessed.value
    assert statistics.assessed.value > 1000 and statistics.above_scale.value > 1000


def test_the_docx_has_the_title_and_the_three_sections_in_order(document):
    texts = _texts(document)
    assert texts[0] == TITLE
    positions = [
        texts.index(heading) for heading in ("一、整体情况", "二、推进举措", "三、下一步工作考虑")
    ]
    assert positions == sorted(positions)


def test_the_docx_writes_the_computed_figures_as_sentences(document, statistics):
    texts = _texts(document)
    for sentence in expected_sentences(statistics):
        assert sentence in texts


def test_the_officers_account_follows_the_computed_sentences_in_section_one(document, pdf):
    texts = _texts(document)
    maturity = next(i for i, text in enumerate(texts) if text.startswith("从成熟度水平看"))
    assert texts[maturity + 1 : maturity + 3] == PROGRESS.split("\n")
    assert texts.index("二、推进举措") > maturity + 2
    text = re.sub(r"\s+", "", pdf_text(pdf))
    sentence = text.index("智能工厂普及率（达到成熟度二级及以上")
    account = text.index("全市智能工厂梯度培育工作稳步推进。重点企业均已完成诊断评估。")
    assert sentence < account < text.index("二、推进举措")


def test_the_docx_tables_hold_the_tier_counts_and_the_level_distribution(document, statistics):
    tiers, levels, _by_sector, _by_division, _attached = document.tables
    assert [cell.text for cell in tiers.rows[0].cells] == [
        "智能工厂级别",
        "在有效期内（家）",
        "2026年度新认定（家）",
    ]
    assert [[cell.text for cell in row.cells] for row in tiers.rows[1:]] == [
        [tier, str(statistics.in_force[tier].value), str(statistics.recognized_in_year[tier].value)]
        for tier in TIERS
    ]
    counts = {row.cells[0].text: row.cells[1].text for row in levels.rows[1:]}
    assert counts == {
        **{name: str(statistics.distribution[name].value) for name in LEVEL_NAMES},
        "合计": str(statistics.assessed.value),
    }


def _percent(text: str) -> Decimal:
    assert text.endswith("%") and len(text.split(".")[1]) == 3, text
    return Decimal(text[:-1])


def test_every_share_column_adds_up_to_its_total_row(document):
    _tiers, levels, by_sector, by_division, _attached = document.tables
    for table in (levels, by_sector, by_division):
        column = [cell.text for cell in table.columns[2].cells]
        assert column[0] == "占比"
        assert column[-1] == "100.00%"
        assert sum(_percent(text) for text in column[1:-1]) == Decimal("100.00"), column


def test_the_maturity_analysis_by_sector_and_by_division_are_tables(document, statistics, groups):
    captions = [text for text in _texts(document) if text.startswith("表")]
    assert captions == [
        "表1 太原市智能工厂数量（截至2026年5月22日）",
        "表2 太原市智能制造能力成熟度等级分布（截至2026年5月22日）",
        "表3 太原市成熟度水平分析（按所属行业，截至2026年5月22日）",
        "表4 太原市成熟度水平分析（按行业大类，截至2026年5月22日）",
    ]
    header = ["自评估企业数", "占比", *LEVEL_NAMES, "平均得分", "得分中位数"]
    for table, by, label in zip(
        document.tables[2:4], ("sector", "division"), ("所属行业", "行业大类"), strict=True
    ):
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        assert cells[0] == [label, *header]
        expected = [
            [
                name,
                str(stats.assessed.value),
                *(str(stats.distribution[level].value) for level in LEVEL_NAMES),
                str(stats.scores.mean),
                str(stats.scores.median),
            ]
            for name, stats in [*groups[by].items(), ("合计", statistics)]
        ]
        assert [[row[0], row[1], *row[3:]] for row in cells[1:]] == expected


def test_the_docx_carries_the_officers_prose_paragraph_by_paragraph(document):
    texts = _texts(document)
    start = texts.index("二、推进举措")
    assert texts[start + 1 : start + 3] == [
        "一是加强组织领导，成立工作专班。",
        "二是强化政策支持，落实奖补资金。",
    ]
    assert texts[texts.index("三、下一步工作考虑") + 1] == NEXT_STEPS


def test_the_docx_ends_with_the_attachment_line_unit_and_date_then_the_attached_table(document):
    texts = _texts(document)
    assert "附：基础级、先进级智能工厂名单汇总表" in texts
    assert "报送单位(盖章)：太原市" in texts
    assert "2026年5月20日" in texts
    attached = document.tables[-1]
    assert [cell.text for cell in attached.rows[0].cells] == FORM2_HEADER
    assert attached.rows[1].cells[1].text == "山西晋华重工有限公司"
    assert attached.rows[1].cells[3].text == "2.46"
    assert texts[-4:] == FORM2_NOTES
    assert "基础级、先进级智能工厂名单汇总表" in texts
    assert "报送单位(盖章):太原市" in texts


def test_the_docx_is_a4_with_gbt9704_margins_and_a_landscape_attached_table(document):
    body, attached = document.sections
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert (round(body.top_margin.mm), round(body.left_margin.mm)) == (37, 28)
    assert (round(attached.page_width.mm), round(attached.page_height.mm)) == (297, 210)


def test_the_docx_names_the_official_chinese_fonts_on_east_asian_text(document):
    title = document.paragraphs[0].runs[0]
    heading = next(p for p in document.paragraphs if p.text == "一、整体情况").runs[0]
    body = next(p for p in document.paragraphs if p.text.startswith("截至")).runs[0]

    def east_asian(run):
        return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asian(title) == "方正小标宋简体"
    assert east_asian(heading) == "黑体"
    assert east_asian(body) == "仿宋_GB2312"
    assert body.font.size.pt == 16  # 三号
    assert title.font.size.pt == 22  # 二号


def test_the_docx_contains_the_chart_image(document):
    assert len(document.inline_shapes) == 1
    assert any("成熟度等级分布" in text for text in _texts(document))


def test_the_pdf_says_the_same_as_the_docx(pdf, statistics):
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert TITLE in text
    for sentence in expected_sentences(statistics):
        assert sentence in text
    for piece in ["一、整体情况", "二、推进举措", "三、下一步工作考虑", NEXT_STEPS]:
        assert piece in text
    assert "附：基础级、先进级智能工厂名单汇总表" in text
    for note in FORM2_NOTES:
        assert note.replace(" ", "") in text
    position = 0
    for header in FORM2_HEADER:
        position = text.find(header, position)
        assert position >= 0, header


def test_the_pdf_is_a4_with_a_landscape_attached_table_and_embedded_noto_fonts(pdf):
    assert pdf_page_size_mm(pdf, 0) == (210, 297)
    assert pdf_page_size_mm(pdf, pdf_page_count(pdf) - 1) == (297, 210)
    fonts = pdf_fonts(pdf)
    assert {font.family.removesuffix(" Bold") for font in fonts} <= {SERIF, SANS}
    assert all(font.program for font in fonts)


def _shuozhou(measures="", next_steps="", attached_rows=()):
    """A report of a unit with no enterprises, with the prose and attached rows given."""
    return report.ReportData(
        year=2026,
        unit_name="朔州市",
        statistics=compute(counted_from_rows([], [], 2026), 2026),
        measures=measures,
        next_steps=next_steps,
        attached_rows=attached_rows,
    )


def test_an_empty_unit_gets_sentences_without_shares():
    data = _shuozhou()
    parts = report.overview(data)
    assert (
        "本地区暂无规模以上制造企业，不计算规模以上制造企业自评估覆盖度"
        in parts.assessment_paragraph
    )
    assert "暂无自评估得分" in parts.maturity_paragraph
    document = docx.Document(io.BytesIO(report.report_docx(data)))
    assert "（待填写）" in _texts(document)
    assert "2026年\u3000\u3000月\u3000\u3000日" in _texts(document)
    # Without a day the figures speak of today; an empty account prints nothing in section 一.
    assert parts.tiers_paragraph.startswith("截至目前，朔州市现有")
    texts = _texts(document)
    maturity = next(i for i, text in enumerate(texts) if text.startswith("从成熟度水平看"))
    between = texts[maturity + 1 : texts.index("二、推进举措")]
    assert all(text == "" or text.startswith(("图", "表")) for text in between)


def test_statistics_of_another_year_are_refused(statistics):
    with pytest.raises(ValueError, match="年度"):
        report.ReportData(
            year=2025,
            unit_name="太原市",
            statistics=statistics,
            measures="",
            next_steps="",
        )


def test_the_signature_and_the_date_leave_room_for_the_seal(document):
    paragraphs = document.paragraphs
    position = [p.text for p in paragraphs].index("报送单位(盖章)：太原市")
    signature, dated = paragraphs[position], paragraphs[position + 1]
    assert dated.text == "2026年5月20日"
    assert signature.paragraph_format.space_before.pt >= 56  # two blank lines above
    for paragraph in (signature, dated):
        assert paragraph.paragraph_format.right_indent.pt == 64  # four characters (GB/T 9704)
    unit_line = next(p for p in paragraphs if p.text == "报送单位(盖章):太原市")
    assert unit_line.paragraph_format.space_after.pt >= 40
    # Kept with the last paragraph of 三 on one page: last paragraph, blank, 附 line, signature.
    assert paragraphs[position - 3].text == NEXT_STEPS
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[position - 3 : position + 1])


def test_the_pdf_leaves_room_for_the_seal_above_the_signature_and_a_blank_date_to_fill_in():
    data = _shuozhou(measures="一是加强组织领导。", next_steps="持续推进。")
    runs = pdf_runs(report.report_pdf(data))
    attachment = next(run for run in runs if run.text == "附：基础级、先进级智能工厂名单汇总表")
    signature = next(run for run in runs if run.text == "报送单位(盖章)：朔州市")
    dated = next(run for run in runs if run.text.startswith("2026年"))
    assert attachment.page == signature.page == dated.page
    assert attachment.y - signature.y >= 25  # mm: the seal's room above the signature
    assert dated.text == "2026年\u3000\u3000月\u3000\u3000日"  # month and day by hand


LONG_LINE = "推进智能工厂梯度培育，组织企业开展智能制造能力成熟度自评估，加强诊断服务和政策宣贯。"


def _attached(count: int):
    first = form2_rows()[0]
    return [
        replace(first, seq=seq, enterprise_name=f"山西晋华重工{seq}号有限公司")
        for seq in range(1, count + 1)
    ]


@pytest.mark.parametrize("lines", range(8))
def test_the_signature_block_never_stands_alone_on_a_page(lines):
    """Section 二 grows line by line, so the end of the report reaches the page's foot."""
    data = _shuozhou(
        measures="\n".join([LONG_LINE] * lines), next_steps=NEXT_STEPS, attached_rows=_attached(30)
    )
    runs = pdf_runs(report.report_pdf(data))
    signature = next(run for run in runs if run.text == "报送单位(盖章)：朔州市")
    last = next(run for run in runs if run.text.startswith(NEXT_STEPS[:10]))
    attachment = next(run for run in runs if run.text == "附：基础级、先进级智能工厂名单汇总表")
    assert signature.page == attachment.page == last.page, lines


def test_the_attached_table_follows_the_text_on_pages_numbered_on_from_it():
    data = _shuozhou(attached_rows=_attached(60))
    pdf = report.report_pdf(data)
    pages = pdf_page_texts(pdf)
    first_table_page = next(n for n, page in enumerate(pages) if "企业名称" in page)
    assert first_table_page >= 1
    assert "附：基础级、先进级智能工厂名单汇总表" in pages[first_table_page - 1]
    for number, page in enumerate(pages, start=1):
        assert f"— {number} —" in page, (number, page[-40:])
        expected = (297, 210) if number > first_table_page else (210, 297)
        assert pdf_page_size_mm(pdf, number - 1) == expected
    text = "".join(pages[first_table_page:]).replace("\n", "")
    assert "报送单位(盖章):朔州市" in text
    # The joined file keeps the text's title and language.
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "关于2026年度智能工厂梯度培育情况的报告"
    assert str(reader.trailer["/Root"]["/Lang"]).lower().startswith("zh")


def test_the_attached_tables_headers_break_only_between_whole_words_on_every_page():
    data = report.ReportData(
        year=2026,
        unit_name="朔州市",
        statistics=compute(counted_from_rows([], [], 2026), 2026),
        measures="",
        next_steps="",
        attached_rows=_attached(60),  # several landscape pages, the header on each
    )
    pages = pdf_page_texts(report.report_pdf(data))
    table_pages = [page for page in pages if "企业名称" in page]
    assert len(table_pages) >= 2
    for page in table_pages:
        lines = [line.strip() for line in page.splitlines()]
        for piece in (
            "序号",
            "能力成熟度",
            "自评估得分",
            "工厂级别",
            "(基础级、",
            "先进级)",
            "智能制造典型场景",
            "(列举场景名称)",
        ):
            assert any(piece in line for line in lines), (piece, lines[:12])
        assert not any(line.endswith(("能力成熟", "所属行", "企业性", "序")) for line in lines)


def test_every_header_piece_of_section_ones_tables_fits_its_column(data):
    bold = next(face.path for face in FACES if face.family == SANS and face.weight == 700)
    body = 210 - 28 - 26  # A4 less the GB/T 9704 side margins
    for table in report.overview(data).tables:
        width = body if len(table.widths) > 3 else body * 0.8
        for parts, share in zip(table.header, table.widths, strict=True):
            room = width * share / sum(table.widths) - (2 * 1 + 0.25)
            for piece in parts:
                printed = text_width_mm(bold, piece, table.font_size)
                assert printed <= room, (table.caption, piece, round(printed, 1), round(room, 1))
