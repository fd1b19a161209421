"""Readers used by the document tests: PDF text and fonts, page images, XLSX cells."""

from __future__ import annotations

import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from factorytiers.rendering.fonts import SANS, SERIF

KNOWN_FAMILIES = {family.replace(" ", ""): family for family in (SERIF, SANS)}


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str  # e.g. "ABCDEF+Noto-Serif-SC"
    program: bytes  # the embedded font file (FontFile2 / FontFile3), b"" when not embedded
    to_unicode: bytes = b""  # the ToUnicode CMap (glyph → text), b"" when there is none

    @property
    def family(self) -> str:
        """The name without the subset tag, as the family is written ("Noto Serif SC Bold"),
        whether the PDF names it so (Noto-Serif-SC-Bold) or by its PostScript name
        (NotoSerifSC-Bold, NotoSerifSC-Regular)."""
        name = self.base_font.split("+", 1)[-1].removesuffix("-Regular")
        bold = name.endswith("Bold")
        bare = name.removesuffix("Bold").replace("-", "").replace(" ", "")
        family = KNOWN_FAMILIES.get(bare, name.replace("-", " ").removesuffix(" Bold"))
        return f"{family} Bold" if bold else family


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@dataclass(frozen=True)
class TextRun:
    page: int  # 0-based
    y: float  # mm from the bottom edge of the page (baseline)
    x: float  # mm from the left edge
    text: str


def pdf_runs(pdf: bytes) -> list[TextRun]:
    """Every run of text with where it is printed, page by page, in reading order."""
    runs: list[TextRun] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(TextRun(number, y * 25.4 / 72, x * 25.4 / 72, text.strip()))

        page.extract_text(visitor_text=visit)
    return runs


def pdf_fonts(pdf: bytes) -> list[EmbeddedFont]:
    """Every font used on any page, with its embedded font program."""
    fonts: dict[str, EmbeddedFont] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            base_font = str(font["/BaseFont"]).lstrip("/")
            descriptor_owner = font
            if font.get("/Subtype") == "/Type0":
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            descriptor = descriptor_owner.get("/FontDescriptor")
            program = b""
            if descriptor is not None:
                descriptor = descriptor.get_object()
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    if key in descriptor:
                        program = descriptor[key].get_object().get_data()
                        break
            to_unicode = font.get("/ToUnicode")
            fonts[base_font] = EmbeddedFont(
                base_font, program, to_unicode.get_object().get_data() if to_unicode else b""
            )
    return list(fonts.values())


def pdf_page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdf_page_size_mm(pdf: bytes, page: int = 0) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4))


def render_page_png(pdf: bytes, page: int = 1, dpi: int = 60) -> bytes:
    """Render one page (1-based) with poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            capture_output=True,
        )
        return (Path(folder) / "page.png").read_bytes()


def font_covers(font_file: Path | bytes, text: str) -> set[str]:
    """Return the characters of ``text`` (other than white space) the font has no glyph for."""
    source = io.BytesIO(font_file) if isinstance(font_file, bytes) else str(font_file)
    cmap = TTFont(source, lazy=True).getBestCmap()
    return {char for char in text if not char.isspace() and ord(char) not in cmap}


def text_width_mm(font_file: Path, text: str, size_pt: float) -> float:
    """How wide ``text`` prints in the font at ``size_pt`` (advance widths, no kerning)."""
    font = TTFont(str(font_file), lazy=True)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = sum(metrics[cmap[ord(char)]][0] for char in text)
    return units / font["head"].unitsPerEm * size_pt * 25.4 / 72
