"""render_pdf: A4 pages, Chinese text, the Noto CJK fonts embedded, no missing glyphs."""

import gc
import logging
import threading

import pytest
import weasyprint
import weasyprint.pdf.fonts
import weasyprint.text.ffi

from factorytiers.rendering import charts
from factorytiers.rendering.fonts import FACES, SANS, SERIF, face
from factorytiers.rendering.pdf import (
    ResourceRefused,
    _LocalOnlyFetcher,
    collector_paused,
    png_data_uri,
    render_pdf,
)
from tests.documents.inspect_files import (
    font_covers,
    pdf_fonts,
    pdf_page_size_mm,
    pdf_text,
    render_page_png,
)

TITLE = "关于2026年度智能工厂梯度培育情况的报告"
BODY = "规上企业自评估覆盖度为百分之八十五，智能工厂普及率（达到成熟度二级及以上的规上企业数量/规上企业总数）稳步提升。"
HEADING = "一、整体情况"


@pytest.fixture
def sample_pdf(sample_templates, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(
            "rendering_test/sample.html",
            {"document_title": TITLE, "body": BODY, "heading": HEADING},
        )
    return pdf


def test_the_pdf_holds_the_chinese_text_and_page_numbers(sample_pdf):
    text = pdf_text(sample_pdf).replace("\n", "")
    assert TITLE in text
    assert BODY in text
    assert HEADING in text
    assert "第 1 页，共 1 页" in text


def test_the_page_is_a4_portrait_by_default(sample_pdf):
    assert pdf_page_size_mm(sample_pdf) == (210, 297)


def test_only_the_noto_cjk_fonts_are_used_and_they_are_embedded(sample_pdf):
    fonts = pdf_fonts(sample_pdf)
    families = {font.family.removesuffix(" Bold") for font in fonts}
    # Serif for the body and the title, sans (黑体-like) for the heading; no system fallback font.
    assert families == {SERIF, SANS}
    for font in fonts:
        assert font.program, f"{font.base_font} is not embedded"


def test_every_character_maps_to_a_glyph_of_the_embedded_font(sample_pdf):
    fonts = {font.family: font for font in pdf_fonts(sample_pdf)}
    assert font_covers(fonts[SERIF].program, BODY) == set()
    assert font_covers(fonts[f"{SERIF} Bold"].program, TITLE) == set()


def test_the_font_files_cover_every_character_used(sample_pdf):
    for item in FACES:
        assert font_covers(item.path, TITLE + BODY + HEADING) == set()


def _harfbuzz_subset_installed() -> bool:
    ffi = weasyprint.text.ffi
    return bool(ffi.harfbuzz_subset) and ffi.harfbuzz.hb_version_atleast(4, 1, 0)


@pytest.mark.parametrize("subsetter", ["HarfBuzz-subset", "fontTools"])
def test_the_fonts_are_subset_and_keep_the_text_extractable(
    sample_templates, monkeypatch, subsetter
):
    # WeasyPrint subsets with the system library HarfBuzz-subset (Debian libharfbuzz-subset0)
    # where it is installed, else with fontTools: both must embed small fonts whose glyphs map
    # back to the Chinese text.
    if subsetter == "fontTools":
        monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    elif not _harfbuzz_subset_installed():
        pytest.skip("HarfBuzz-subset (libharfbuzz-subset0) is not installed")
    pdf = render_pdf(
        "rendering_test/sample.html", {"document_title": TITLE, "body": BODY, "heading": HEADING}
    )
    text = pdf_text(pdf).replace("\n", "")
    assert TITLE in text and BODY in text and HEADING in text
    fonts = pdf_fonts(pdf)
    assert len(fonts) == 3  # serif (the body), serif bold (the title), sans bold (the heading)
    for font in fonts:
        assert b"beginbfchar" in font.to_unicode or b"beginbfrange" in font.to_unicode
        family = font.family.removesuffix(" Bold")
        full = face(family, 400 if family == font.family else 700).path.stat().st_size
        assert len(font.program) < full / 10, font.base_font


def test_no_missing_glyph_is_reported_while_rendering(sample_pdf, caplog):
    assert not [record for record in caplog.records if "notdef" in record.getMessage()]


def test_a_missing_glyph_would_be_reported_and_drawn_differently(sample_templates, caplog):
    # The check above is meaningful: a character no font has is logged, and rendered as a box
    # whose image differs from the real glyphs'.
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        boxes = render_pdf("rendering_test/missing_glyph.html", {"body": "\ue000\ue001\ue002"})
    assert [record for record in caplog.records if "notdef" in record.getMessage()]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        glyphs = render_pdf("rendering_test/missing_glyph.html", {"body": "智能工"})
    assert not [record for record in caplog.records if "notdef" in record.getMessage()]
    blank = render_pdf("rendering_test/missing_glyph.html", {"body": ""})
    glyph_image = render_page_png(glyphs)
    assert glyph_image != render_page_png(boxes)
    assert glyph_image != render_page_png(blank)


def test_a_rendered_page_is_not_blank(sample_pdf, sample_templates):
    blank = render_pdf(
        "rendering_test/sample.html", {"document_title": "", "body": "", "heading": ""}
    )
    assert render_page_png(sample_pdf) != render_page_png(blank)


def test_a_chart_image_is_embedded_from_a_data_uri(sample_templates, caplog):
    png = charts.pie_or_distribution_chart(["一级", "二级"], [3, 1], title="成熟度等级分布")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(
            "rendering_test/sample.html",
            {"document_title": TITLE, "body": BODY, "heading": HEADING, "image": png_data_uri(png)},
        )
    assert not caplog.records
    assert b"/Subtype /Image" in pdf


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/chart.png", "https://example.invalid/font.ttf", "file:///etc/passwd"],
)
def test_print_templates_cannot_fetch_from_the_network_or_outside_the_project(url):
    with pytest.raises(ResourceRefused):
        _LocalOnlyFetcher().fetch(url)


def test_the_project_fonts_are_found():
    assert face(SERIF, 400).path.is_file()
    assert face(SANS, 700).path.is_file()


def test_the_garbage_collector_is_paused_while_weasyprint_renders_and_runs_again_after(
    sample_templates, monkeypatch
):
    seen = []
    write_pdf = weasyprint.HTML.write_pdf

    def recording(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", recording)
    assert gc.isenabled()
    pdf = render_pdf(
        "rendering_test/sample.html", {"document_title": TITLE, "body": BODY, "heading": HEADING}
    )
    assert seen == [False]
    assert gc.isenabled()
    assert TITLE in pdf_text(pdf)


def test_the_garbage_collector_runs_again_when_rendering_fails(sample_templates, monkeypatch):
    def failing(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError):
        render_pdf("rendering_test/sample.html", {"document_title": "", "body": "", "heading": ""})
    assert gc.isenabled()


def test_the_garbage_collector_stays_off_until_the_last_of_two_threads_is_done():
    inside, leave = threading.Event(), threading.Event()

    def other_thread():
        with collector_paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_thread)
    thread.start()
    try:
        assert inside.wait(5)
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other thread is still rendering
    finally:
        leave.set()
        thread.join(5)
    assert gc.isenabled()


def test_a_garbage_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
