"""The notice's tables drawn straight to PDF: lines that fit their cells and lose nothing, rows
that are never parted, the header on every page, the notes after the last row, page labels."""

import io
import re
import subprocess
from collections import defaultdict
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from factorytiers.rendering.pdf import join, render_pdf
from factorytiers.rendering.table_pdf import (
    _CLOSING,
    _OPENING,
    BODY_SIZE,
    SERIF_NAME,
    HeaderCell,
    PrintColumn,
    PrintTable,
    _Measure,
    table_pdf,
    wrap,
    wrap_pieces,
)
from tests.documents.inspect_files import (
    pdf_fonts,
    pdf_page_size_mm,
    pdf_page_texts,
    pdf_runs,
)

MEASURE = _Measure(SERIF_NAME, BODY_SIZE)
TEXT = st.text(
    alphabet=st.sampled_from(list("智能工厂山西太原有限公司ABCxyz0123456789 -.，。、（）《》")),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.floats(min_value=12, max_value=200))
def test_every_line_fits_and_the_lines_make_up_the_text(text, width):
    lines = wrap(text, width, MEASURE)
    assert lines
    for line in lines:
        # Only a single character wider than the cell may stand out of it.
        assert MEASURE(line) <= width + 1e-6 or len(line) == 1, (line, width)
    # Nothing is lost but the spaces a line was broken at.
    assert "".join(lines).replace(" ", "") == re.sub(r"\s", "", text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.floats(min_value=40, max_value=200))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text, width):
    lines = wrap(text, width, MEASURE)
    for before, after in pairwise(lines):
        if not before or not after:
            continue
        # Unless the piece was wider than the whole cell and broken between its characters.
        # (A Latin full stop or hyphen may begin a word or number: “.5”, “-1”.)
        if MEASURE(before + after[0]) <= width and after[0] not in ".-":
            assert after[0] not in _CLOSING, (before, after)
        assert before[-1] not in _OPENING or len(before) == 1, (before, after)


def test_a_latin_word_or_number_is_not_broken_when_it_fits_a_line():
    lines = wrap("山西晋华重工有限公司ISO9001认证", MEASURE("山西晋华重工有") + 1, MEASURE)
    assert any("ISO9001" in line for line in lines)
    assert not any(line.endswith("ISO") for line in lines)


def test_white_space_collapses_as_in_the_print_preview():
    assert wrap(" 第一行\n\n第二行\t 第三行 ", 500, MEASURE) == ["第一行 第二行 第三行"]
    assert wrap("全角\u3000空格", 500, MEASURE) == ["全角\u3000空格"]


def test_header_pieces_are_put_on_lines_whole():
    assert wrap_pieces([30, 30, 30], 65) == [[0, 1], [2]]
    assert wrap_pieces([80, 10], 50) == [[0], [1]]  # too wide: on its own line, not cut


COLUMNS = (
    PrintColumn(HeaderCell(("序号",)), 7, centered=True),
    PrintColumn(HeaderCell(("企业名称",)), 20),
    PrintColumn(HeaderCell(("所属", "行业"), note="1"), 11),
    PrintColumn(HeaderCell(("智能制造典型场景",), suffix="(列举场景名称)"), 22),
)


SEQ_COLUMN_RIGHT = 12 + 273 * 7 / 60  # mm: the page margin and the 序号 column


def _table(rows, notes=("注: 1. 所属行业请填写:原材料、电子信息、装备制造、消费品;",)):
    return PrintTable(
        label="附件1",
        title="先进级智能工厂名单汇总表",
        title_note="",
        unit_line="报送单位（盖章）：太原市",
        columns=COLUMNS,
        rows=rows,
        notes=notes,
    )


def _rows(count, scenario="产品数字化设计"):
    return [[str(n), f"山西第{n}号重工有限公司", "装备制造", scenario] for n in range(1, count + 1)]


def test_a_long_table_has_its_header_on_every_page_and_its_rows_in_order():
    pdf = table_pdf(_table(_rows(120)))
    pages = pdf_page_texts(pdf)
    assert len(pages) > 3
    assert pdf_page_size_mm(pdf) == (297, 210)
    for number, page in enumerate(pages, start=1):
        assert "企业名称" in page and "所属行业1" in page.replace("\n", "")
        assert f"第 {number} 页，共 {len(pages)} 页" in page
    text = "".join(pages).replace("\n", "")
    positions = [text.find(f"山西第{n}号重工有限公司") for n in range(1, 121)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert text.find("注: 1.") > positions[-1]
    assert "附件1" in pages[0] and "报送单位（盖章）：太原市" in pages[0]


def test_a_row_is_never_parted_between_two_pages():
    # Rows of various heights: every cell of a row lands on the page of its 序号.
    rows = [
        [str(n), "山西重工有限公司" * (1 + n % 5), "装备制造", "场景" * (n % 7)]
        for n in range(1, 90)
    ]
    runs = pdf_runs(table_pdf(_table(rows)))
    pages_of = defaultdict(set)
    for run in runs:
        if re.fullmatch(r"\d+", run.text) and run.x < SEQ_COLUMN_RIGHT:
            pages_of[run.text].add(run.page)
    assert len(pages_of) == 89
    assert all(len(pages) == 1 for pages in pages_of.values())
    assert len({page for pages in pages_of.values() for page in pages}) > 1


def test_a_row_taller_than_a_page_is_continued_on_the_next_without_losing_text():
    long_name = "".join(f"第{n}分厂" for n in range(400))
    pdf = table_pdf(_table([["1", long_name, "装备制造", "场景"], ["2", "短", "消费品", ""]]))
    pages = pdf_page_texts(pdf)
    assert len(pages) >= 2
    text = "".join(page for page in pages).replace("\n", "")
    for n in (0, 199, 399):
        assert f"第{n}分厂" in text


def test_the_notes_go_on_the_next_page_when_the_last_page_is_full():
    # Fill pages until the notes no longer fit under the last row.
    notes = tuple(f"注{n}: 一条很长的填表说明。" for n in range(12))
    for count in range(8, 30):
        pages = pdf_page_texts(table_pdf(_table(_rows(count), notes=notes)))
        last_row = next(i for i, page in enumerate(pages) if f"山西第{count}号" in page)
        first_note = next(i for i, page in enumerate(pages) if "注0:" in page)
        assert first_note in (last_row, last_row + 1)
        if first_note == last_row + 1:
            assert "企业名称" not in pages[first_note]  # a page of notes: no header row
            assert f"共 {len(pages)} 页" in pages[-1]
            return
    raise AssertionError("the notes never moved to a page of their own")


def test_an_empty_table_prints_its_header_and_notes():
    pages = pdf_page_texts(table_pdf(_table([])))
    assert len(pages) == 1
    assert "企业名称" in pages[0] and "注: 1." in pages[0]


def test_page_labels_and_progress_are_given_by_the_caller():
    announced = []
    pdf = table_pdf(
        _table(_rows(40)),
        page_label=lambda number, total: f"— {10 + number} —",
        on_page=announced.append,
    )
    pages = pdf_page_texts(pdf)
    assert announced == list(range(1, len(pages) + 1))
    for number, page in enumerate(pages, start=11):
        assert f"— {number} —" in page


def test_only_the_embedded_noto_fonts_are_used():
    fonts = pdf_fonts(table_pdf(_table(_rows(3))))
    assert {font.family.removesuffix(" Bold") for font in fonts} == {
        "Noto Serif SC",
        "Noto Sans SC",
    }
    assert all(font.program and font.to_unicode for font in fonts)


def test_text_is_left_in_text_columns_and_centred_in_the_others():
    runs = pdf_runs(table_pdf(_table(_rows(1))))
    seq = next(run for run in runs if run.text == "1" and run.x < SEQ_COLUMN_RIGHT)
    name = next(run for run in runs if run.text.startswith("山西第1号"))
    assert abs(name.x - (SEQ_COLUMN_RIGHT + 1.5)) < 0.5  # the cell's padding from its rule
    middle = (12 + SEQ_COLUMN_RIGHT) / 2
    assert abs(seq.x + 1 - middle) < 1  # “1” is about 2 mm wide, centred in its column


def test_pdf_syntax_in_a_cell_is_printed_as_text():
    name = "山西(ABC)\\公司) Tj ET (x"
    text = "".join(pdf_page_texts(table_pdf(_table([["1", name, "装备制造", "—"]]))))
    assert "山西(ABC)\\公司) Tj ET (x" in text.replace("\n", "")


@settings(max_examples=12, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=1500), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=40),
)
def test_every_line_is_printed_inside_the_page_margins(lengths, note_count):
    """Rows of any height, the first one too (the first page has less room under the title),
    and any number of note lines: nothing is printed in the margins or off the page, and no
    text is lost."""
    rows = [[str(n), "鑫" * length, "装备制造", ""] for n, length in enumerate(lengths, start=1)]
    notes = tuple(f"注{n}: 填表说明。" for n in range(note_count))
    pdf = table_pdf(_table(rows, notes=notes))
    runs = pdf_runs(pdf)
    for run in runs:
        if run.text.startswith("第 ") and "页" in run.text:
            continue  # the page label, in the bottom margin by design
        assert 16 <= run.y <= 210 - 15, run
        assert 12 <= run.x <= 297 - 12, run
    text = "".join(run.text for run in runs)
    assert text.count("鑫") == sum(lengths)
    assert all(f"注{n}:" in text for n in range(note_count))
    pages = pdf_page_texts(pdf)
    assert all(page.strip() for page in pages)  # no empty page


# -- a document joined before the table (rendering.pdf.join) -----------------------------------


def _joined(sample_templates, rows=60):
    front = render_pdf(
        "rendering_test/sample.html",
        {"document_title": "联合文档的标题", "body": "正文第一段。", "heading": "一、整体情况"},
    )
    back = table_pdf(_table(_rows(rows)))
    return front, back, join(front, back)


def test_a_joined_document_has_the_fronts_pages_then_the_backs_in_order(sample_templates):
    front, back, joined = _joined(sample_templates)
    assert pdf_page_texts(joined) == pdf_page_texts(front) + pdf_page_texts(back)
    # The back's bytes are kept as they are: the front is an update written after them.
    assert joined.startswith(back)


def test_a_joined_document_keeps_the_fronts_title_language_and_page_sizes(sample_templates):
    front, back, joined = _joined(sample_templates)
    reader = PdfReader(io.BytesIO(joined), strict=True)
    assert reader.metadata.title == "联合文档的标题"
    assert (
        reader.trailer["/Root"]["/Lang"] == PdfReader(io.BytesIO(front)).trailer["/Root"]["/Lang"]
    )
    front_pages = len(PdfReader(io.BytesIO(front)).pages)
    assert pdf_page_size_mm(joined, 0) == (210, 297)
    assert pdf_page_size_mm(joined, front_pages) == (297, 210)
    # Every page's parent is the node that lists it, up to one root counting them all.
    root = reader.trailer["/Root"]["/Pages"]
    assert (
        root["/Count"] == len(reader.pages) == front_pages + len(PdfReader(io.BytesIO(back)).pages)
    )
    for kid in root["/Kids"]:
        assert kid.get_object()["/Parent"].get_object() == root


def test_a_joined_document_is_read_by_poppler_too(sample_templates, tmp_path):
    _front, _back, joined = _joined(sample_templates, rows=200)
    path = tmp_path / "joined.pdf"
    path.write_bytes(joined)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Title:           联合文档的标题" in info.stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages == len(pdf_page_texts(joined))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    assert "正文第一段" in text.stdout and "山西第200号重工有限公司" in text.stdout
    assert not text.stderr.strip()
    assert not info.stderr.strip()
