"""The notice's tables as PDF, drawn directly with ReportLab: fast at any length.

A table of the notice (附件1, 附件2's attached table, 附件4, 附件5, a 公示 list) can run to
thousands of rows: the attached table of a city at national size holds about 10,000 factories,
which WeasyPrint lays out at about 10 ms a row (its cascade and its general table layout), over a
minute and a half. A table of fixed columns needs none of that: each cell's text is broken into
lines by the font's own advance widths, each row is as tall as its tallest cell, and the rows
fill the page under the repeated header row. So the tables are drawn here, with the same fonts
(Noto Serif SC / Noto Sans SC, embedded as subsets), sizes, rules, padding and margins as the
print template (``documents/print_base.html``), which stays the in-browser print preview.

Lines break where the print template's would (its white space collapsed as HTML collapses it): anywhere between two Chinese characters, between
Latin words or numbers (never inside one, unless it is wider than the whole cell), never before
closing or after opening punctuation; a header cell breaks only between its pieces. A row is
never split over two pages unless it is taller than a whole page.

The text is written as PDF text operators on the page (``Canvas.addLiteral``) in the font
subsets ReportLab assigns, each text's operators made once per document: through ReportLab's own
text objects (some 50 µs a line in Python) 10,000 rows took 10.6 s to draw, against about 3 s
for the whole table here.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from factorytiers.rendering.fonts import SANS, SERIF, face
from factorytiers.rendering.pdf import collector_paused

# The print template's measures (``documents/print_base.html``), in points.
PAGE_WIDTH: Final = 297 * mm  # A4 landscape
PAGE_HEIGHT: Final = 210 * mm
MARGIN_TOP: Final = 15 * mm
MARGIN_RIGHT: Final = 12 * mm
MARGIN_BOTTOM: Final = 16 * mm
MARGIN_LEFT: Final = 12 * mm
LINE_HEIGHT: Final = 1.6  # times the font size
BODY_SIZE: Final = 10.5
LABEL_SIZE: Final = 14
TITLE_SIZE: Final = 18
UNIT_SIZE: Final = 12
PAGE_NUMBER_SIZE: Final = 9
NOTE_SCALE: Final = 0.6  # a superscript's size
CELL_PADDING: Final = 1.5 * mm
RULE: Final = 0.6
LABEL_SPACE_AFTER: Final = 2 * mm
TITLE_SPACE_AFTER: Final = 6 * mm
UNIT_SPACE_AFTER: Final = 16 * mm  # room for the unit's seal
NOTES_SPACE_BEFORE: Final = 3 * mm
LANGUAGE: Final = "zh-Hans"  # the document's language, for readers and screen readers

# Not at the start of a line (closing punctuation) / not at its end (opening punctuation).
_CLOSING: Final = frozenset("，。、；：！？）》」』】〕〉”’,.;:!?)]}%…·")
_OPENING: Final = frozenset("（《「『【〔〈“‘([{")


@dataclass(frozen=True)
class HeaderCell:
    pieces: tuple[str, ...]  # each never broken inside
    note: str = ""  # a superscript marker after the last piece
    suffix: str = ""  # one more piece after the marker


@dataclass(frozen=True)
class PrintColumn:
    header: HeaderCell
    share: float  # relative width
    centered: bool = False


@dataclass(frozen=True)
class PrintTable:
    label: str  # 附件1 …, "" for none
    title: str
    title_note: str
    unit_line: str  # the 盖章 line
    columns: Sequence[PrintColumn]
    rows: Sequence[Sequence[str]]
    notes: Sequence[str]


# -- fonts ------------------------------------------------------------------------------------

SERIF_NAME: Final = "FT-Serif"
SERIF_BOLD_NAME: Final = "FT-Serif-Bold"
SANS_NAME: Final = "FT-Sans"
_FONT_FACES: Final = {
    SERIF_NAME: (SERIF, 400),
    SERIF_BOLD_NAME: (SERIF, 700),
    SANS_NAME: (SANS, 400),
}
_lock = threading.Lock()  # ReportLab keeps a font's subsets per document in the shared font


@cache
def _font(name: str) -> TTFont:
    """The registered face, loaded once per process (about 0.2 s each)."""
    family, weight = _FONT_FACES[name]
    font = TTFont(name, str(face(family, weight).path))
    pdfmetrics.registerFont(font)
    return font


class _Measure:
    """Advance widths of one font at one size, in points (cached by character and by text)."""

    def __init__(self, font_name: str, size: float) -> None:
        font = _font(font_name)
        self.widths = font.face.charWidths
        self.default = font.face.defaultWidth
        self.scale = size / 1000
        self.chars: dict[str, float] = {}
        self.texts: dict[str, float] = {}

    def char(self, char: str) -> float:
        width = self.chars.get(char)
        if width is None:
            width = self.chars[char] = self.widths.get(ord(char), self.default) * self.scale
        return width

    def __call__(self, text: str) -> float:
        width = self.texts.get(text)
        if width is None:
            try:
                width = sum(map(self.chars.__getitem__, text))
            except KeyError:
                width = sum(map(self.char, text))
            if len(self.texts) < 100_000:  # the texts of a few columns repeat: 先进级, 民营企业 …
                self.texts[text] = width
        return width


# -- line breaking ----------------------------------------------------------------------------


# A Latin word or number (never broken inside), or any one character.
_PIECES: Final = re.compile(r"[A-Za-z0-9._\-/&@#+']+|.", re.DOTALL)
_GLUED: Final = _CLOSING | _OPENING
_WHITE_SPACE: Final = re.compile(r"[ \t\n\r\f]+")  # HTML's (not the ideographic space)


def _units(text: str) -> list[str]:
    """The text as pieces a line may break between: each Chinese character, each Latin word or
    number, each space; punctuation kept with the piece it may not be parted from."""
    pieces = _PIECES.findall(text)
    if _GLUED.isdisjoint(text):
        return pieces
    units: list[str] = []
    glue = False  # the last unit ends with opening punctuation: the next joins it
    for piece in pieces:
        if piece in _CLOSING and units:
            if units[-1] == " " and len(units) > 1:  # nor after a space before it
                units.pop()
                piece = " " + piece
            units[-1] += piece
        elif glue:  # spaces after opening punctuation join it too
            units[-1] += piece
        else:
            units.append(piece)
        glue = piece in _OPENING or (glue and piece == " ")
    return units


def wrap(text: str, width: float, measure: _Measure) -> list[str]:
    """``text`` broken into lines no wider than ``width``; white space (line breaks and tabs
    too) collapsed into one space and trimmed, as the print template's HTML does."""
    text = _WHITE_SPACE.sub(" ", text).strip(" ")
    if measure(text) <= width:
        return [text]
    return _wrap_units(_units(text), width, measure)


def _wrap_units(units: Sequence[str], width: float, measure: _Measure) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for unit in units:
        size = measure(unit)
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0.0
            if unit == " ":
                continue
        if not line and size > width:  # wider than the cell: broken between its characters
            for char in unit:
                step = measure.char(char)
                if line and used + step > width:
                    lines.append(line)
                    line, used = "", 0.0
                line += char
                used += step
            continue
        line += unit
        used += size
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def wrap_pieces(widths: Sequence[float], width: float) -> list[list[int]]:
    """Pieces of these widths (never broken inside) on lines no wider than ``width``: the
    indexes of the pieces on each line; a piece wider than the line stands on its own."""
    lines: list[list[int]] = [[]]
    used = 0.0
    for index, piece_width in enumerate(widths):
        if lines[-1] and used + piece_width > width:
            lines.append([])
            used = 0.0
        lines[-1].append(index)
        used += piece_width
    return lines


# -- layout -----------------------------------------------------------------------------------


@dataclass
class _Row:
    cells: list[list[str]]  # each cell's lines
    height: float


@dataclass(frozen=True)
class _Geometry:
    lefts: list[float]  # each column's left edge
    widths: list[float]

    @property
    def right(self) -> float:
        return self.lefts[-1] + self.widths[-1]


def _geometry(columns: Sequence[PrintColumn]) -> _Geometry:
    total = sum(column.share for column in columns)
    usable = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    widths = [usable * column.share / total for column in columns]
    lefts, x = [], MARGIN_LEFT
    for width in widths:
        lefts.append(x)
        x += width
    return _Geometry(lefts, widths)


def _baseline(size: float) -> float:
    """From the top of a line box to the text's baseline (the half-leading above the ascent)."""
    line = size * LINE_HEIGHT
    return (line - size) / 2 + size * 0.88


# -- drawing ----------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.2f}"


class _Page:
    """The operators of one page's text and rules, written as one literal block."""

    def __init__(self, canvas: Canvas, shown: dict) -> None:
        self.canvas = canvas
        self.doc = canvas._doc  # the document the font subsets are numbered in
        self.shown = shown  # (font, text) → its operators, for the document
        self.text: list[str] = []
        self.rules: list[str] = [f"{_n(RULE)} w 0 G"]
        self.current: tuple[str, float] | None = None

    def show(self, text: str, x: float, y: float, font_name: str, size: float) -> None:
        if not text:
            return
        # The operators of (font, size, text) are made once for the document, with and
        # without the font set first (the font in use is kept from one text object to the next).
        key = (font_name, size, text)
        shown = self.shown.get(key)
        if shown is None:
            shown = self.shown[key] = self._operators(font_name, size, text)
        first, with_font, without_font, last = shown
        # One text object a line, so that a reader takes each cell's line as a run of its own.
        operators = without_font if first == self.current else with_font
        self.text.append(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {operators} ET")
        self.current = last

    def _operators(self, font_name: str, size: float, text: str) -> tuple:
        font = _font(font_name)
        chunks = [
            (font.getSubsetInternalName(subset, self.doc), f"({escapePDF(chunk)}) Tj")
            for subset, chunk in font.splitString(text, self.doc)
        ]
        parts, current = [], chunks[0][0]
        for name, shown in chunks:
            if name != current:
                parts.append(f"{name} {_n(size)} Tf")
                current = name
            parts.append(shown)
        first = chunks[0][0]
        without_font = " ".join(parts)
        return (first, size), f"{first} {_n(size)} Tf {without_font}", without_font, (current, size)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.rules.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l")

    def finish(self) -> None:
        self.rules.append("S")
        self.canvas.addLiteral("\n".join(self.text))
        self.canvas.addLiteral("\n".join(self.rules))
        self.canvas.showPage()


class _TableWriter:
    def __init__(self, table: PrintTable) -> None:
        self.table = table
        self.geometry = _geometry(table.columns)
        self.body = _Measure(SERIF_NAME, BODY_SIZE)
        self.head = _Measure(SANS_NAME, BODY_SIZE)
        self.head_note = _Measure(SANS_NAME, BODY_SIZE * NOTE_SCALE)
        self.line = BODY_SIZE * LINE_HEIGHT
        self.rooms = [width - 2 * CELL_PADDING - RULE for width in self.geometry.widths]
        self.centered = [column.centered for column in table.columns]
        # The header's operators by the height it is drawn at (see ``_draw_header``).
        self.headers: dict[float, tuple[list[str], list[str], tuple | None]] = {}

    # The header: each cell's lines as runs of (text, is the note).
    def header_lines(self) -> list[list[list[tuple[str, bool]]]]:
        cells = []
        for column, room in zip(self.table.columns, self.rooms, strict=True):
            header = column.header
            pieces: list[list[tuple[str, bool]]] = [[(piece, False)] for piece in header.pieces]
            if header.note:
                pieces[-1].append((header.note, True))
            if header.suffix:
                pieces.append([(header.suffix, False)])
            widths = [self._runs_width(runs) for runs in pieces]
            lines = wrap_pieces(widths, room)
            cells.append([[run for index in line for run in pieces[index]] for line in lines])
        return cells

    def _runs_width(self, runs: Sequence[tuple[str, bool]]) -> float:
        return sum((self.head_note if note else self.head)(text) for text, note in runs)

    def rows(self) -> Iterator[_Row]:
        rooms, body, line = self.rooms, self.body, self.line
        wrapped: dict[tuple[str, float], list[str]] = {}  # the texts of a few columns repeat

        def lines(text: str, room: float) -> list[str]:
            found = wrapped.get((text, room))
            if found is None:
                found = wrap(text, room, body)
                if len(wrapped) < 100_000:
                    wrapped[text, room] = found
            return found

        for values in self.table.rows:
            cells = [lines(text, room) for text, room in zip(values, rooms, strict=True)]
            tallest = max((len(lines) for lines in cells), default=1)
            yield _Row(cells, tallest * line + 2 * CELL_PADDING)


@dataclass
class _PageRows:
    rows: list[_Row]
    left: float  # the height still free under the last row


def _paginate(rows: Iterable[_Row], first: float, room: float, line: float) -> list[_PageRows]:
    """The rows on pages: ``first`` the height under the header on the first page, ``room`` on
    the others. A row goes whole to the next page when it does not fit what is left; a row
    taller than a whole page is cut between its lines, its first piece filling what is left."""
    pages = [_PageRows([], first)]
    for row in rows:
        page = pages[-1]
        if row.height > page.left and (row.height <= room or page.left < 2 * CELL_PADDING + line):
            if page.rows or page.left < room:  # not an empty page as tall as any other
                page = _PageRows([], room)
                pages.append(page)
        if row.height <= page.left:
            page.rows.append(row)
            page.left -= row.height
            continue
        lines = max(len(cell) for cell in row.cells)
        start = 0
        while start < lines:
            count = max(1, int((page.left - 2 * CELL_PADDING) // line))
            cells = [cell[start : start + count] for cell in row.cells]
            piece = _Row(cells, max(len(cell) for cell in cells) * line + 2 * CELL_PADDING)
            page.rows.append(piece)
            page.left -= piece.height
            start += count
            if start < lines:
                page = _PageRows([], room)
                pages.append(page)
    return pages


def table_pdf(
    table: PrintTable,
    *,
    page_label: Callable[[int, int], str] = lambda n, total: f"第 {n} 页，共 {total} 页",
    on_page: Callable[[int], None] | None = None,
) -> bytes:
    """The table on A4 landscape pages: the label, title and 盖章 line on the first, the header
    row on every one, the notes after the last row; ``page_label(n, total)`` at each page's
    foot; ``on_page(n)`` as page n is drawn."""
    with _lock, collector_paused():  # a long table's many small objects: see rendering.pdf
        return _table_pdf(table, page_label, on_page)


def _table_pdf(
    table: PrintTable,
    page_label: Callable[[int, int], str],
    on_page: Callable[[int], None] | None,
) -> bytes:
    writer = _TableWriter(table)
    line = writer.line
    top = PAGE_HEIGHT - MARGIN_TOP
    bottom = MARGIN_BOTTOM
    usable = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

    # The first page's head: label, title, 盖章 line.
    title = _Measure(SERIF_BOLD_NAME, TITLE_SIZE)
    title_note = _Measure(SERIF_BOLD_NAME, TITLE_SIZE * NOTE_SCALE)
    unit = _Measure(SERIF_NAME, UNIT_SIZE)
    head_lines = writer.header_lines()
    header_height = max(len(lines) for lines in head_lines) * line + 2 * CELL_PADDING
    room = top - bottom - header_height

    # Pagination first, so that each page can say how many there are.
    first_top = top
    if table.label:
        first_top -= LABEL_SIZE * LINE_HEIGHT + LABEL_SPACE_AFTER
    title_lines = wrap(table.title, usable - title_note(table.title_note), title)
    first_top -= len(title_lines) * TITLE_SIZE * LINE_HEIGHT + TITLE_SPACE_AFTER
    unit_lines = wrap(table.unit_line, usable, unit)
    first_top -= len(unit_lines) * UNIT_SIZE * LINE_HEIGHT + UNIT_SPACE_AFTER
    pages = _paginate(writer.rows(), first_top - bottom - header_height, room, line)
    # The notes follow the last row, the lines that do not fit under it on pages of their own.
    notes = [text for note in table.notes for text in wrap(note, usable, writer.body)]
    under = pages[-1].left - NOTES_SPACE_BEFORE
    fits = max(0, min(len(notes), int(under // line)))
    per_page = max(1, int((top - bottom) // line))
    note_pages = [notes[start : start + per_page] for start in range(fits, len(notes), per_page)]
    total = len(pages) + len(note_pages)

    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        initialFontName=SERIF_NAME,  # not Helvetica: every font of the document is embedded
        initialFontSize=BODY_SIZE,
        lang=LANGUAGE,
    )
    canvas.setTitle(table.title)
    canvas.setAuthor("")  # not ReportLab's “anonymous”
    canvas.setSubject("")
    canvas.setCreator("Factory Tiers")
    page_number = _Measure(SERIF_NAME, PAGE_NUMBER_SIZE)
    shown: dict = {}
    for index, laid in enumerate(pages, start=1):
        page = _Page(canvas, shown)
        y = top
        if index == 1:
            if table.label:
                page.show(
                    table.label, MARGIN_LEFT, y - _baseline(LABEL_SIZE), SANS_NAME, LABEL_SIZE
                )
                y -= LABEL_SIZE * LINE_HEIGHT + LABEL_SPACE_AFTER
            for number, text in enumerate(title_lines):
                extra = table.title_note if number == len(title_lines) - 1 else ""
                width = title(text) + title_note(extra)
                x = MARGIN_LEFT + (usable - width) / 2
                baseline = y - _baseline(TITLE_SIZE)
                page.show(text, x, baseline, SERIF_BOLD_NAME, TITLE_SIZE)
                if extra:
                    raise_by = TITLE_SIZE * 0.35
                    small = TITLE_SIZE * NOTE_SCALE
                    page.show(extra, x + title(text), baseline + raise_by, SERIF_BOLD_NAME, small)
                y -= TITLE_SIZE * LINE_HEIGHT
            y -= TITLE_SPACE_AFTER
            for text in unit_lines:
                page.show(text, MARGIN_LEFT, y - _baseline(UNIT_SIZE), SERIF_NAME, UNIT_SIZE)
                y -= UNIT_SIZE * LINE_HEIGHT
            y -= UNIT_SPACE_AFTER
        table_top = y
        y = _draw_header(page, writer, head_lines, y, header_height)
        for row in laid.rows:
            _draw_row(page, writer, row, y)
            y -= row.height
        _draw_rules(page, writer.geometry, table_top, y)
        if index == len(pages) and fits:
            _draw_notes(page, notes[:fits], y - NOTES_SPACE_BEFORE, BODY_SIZE)
        _draw_page_label(page, page_label(index, total), page_number)
        if on_page is not None:
            on_page(index)
        page.finish()
    for index, lines in enumerate(note_pages, start=len(pages) + 1):
        page = _Page(canvas, shown)
        _draw_notes(page, lines, top, BODY_SIZE)
        _draw_page_label(page, page_label(index, total), page_number)
        if on_page is not None:
            on_page(index)
        page.finish()
    canvas.save()
    return buffer.getvalue()


def _draw_header(
    page: _Page, writer: _TableWriter, head_lines: list, y: float, height: float
) -> float:
    """The header row under ``y``: drawn once for each place it takes (the first page's and
    the others'), then its operators repeated page after page."""
    drawn = writer.headers.get(y)
    if drawn is None:
        texts, rules = len(page.text), len(page.rules)
        page.current = None  # the operators set their font themselves
        _draw_header_once(page, writer, head_lines, y, height)
        drawn = writer.headers[y] = (page.text[texts:], page.rules[rules:], page.current)
    else:
        page.text += drawn[0]
        page.rules += drawn[1]
        page.current = drawn[2]
    return y - height


def _draw_header_once(
    page: _Page, writer: _TableWriter, head_lines: list, y: float, height: float
) -> None:
    geometry, line = writer.geometry, writer.line
    for left, width, lines in zip(geometry.lefts, geometry.widths, head_lines, strict=True):
        content = len(lines) * line
        text_top = y - (height - content) / 2
        for runs in lines:
            used = writer._runs_width(runs)
            x = left + (width - used) / 2
            baseline = text_top - _baseline(BODY_SIZE)
            for text, note in runs:
                if note:
                    size = BODY_SIZE * NOTE_SCALE
                    page.show(text, x, baseline + BODY_SIZE * 0.35, SANS_NAME, size)
                    x += writer.head_note(text)
                else:
                    page.show(text, x, baseline, SANS_NAME, BODY_SIZE)
                    x += writer.head(text)
            text_top -= line
    _draw_rule_under(page, geometry, y)
    _draw_rule_under(page, geometry, y - height)


def _draw_row(page: _Page, writer: _TableWriter, row: _Row, y: float) -> None:
    # The hot loop of a long table (some 170,000 lines for 10,000 rows): names bound once.
    line, body, show, height = writer.line, writer.body, page.show, row.height
    baseline = _baseline(BODY_SIZE)
    for left, width, lines, centered in zip(
        writer.geometry.lefts, writer.geometry.widths, row.cells, writer.centered, strict=True
    ):
        text_top = y - (height - len(lines) * line) / 2 - baseline
        for text in lines:
            x = left + (width - body(text)) / 2 if centered else left + CELL_PADDING
            show(text, x, text_top, SERIF_NAME, BODY_SIZE)
            text_top -= line
    _draw_rule_under(page, writer.geometry, y - height)


def _draw_rules(page: _Page, geometry: _Geometry, top: float, bottom: float) -> None:
    """The grid of rows between ``top`` and ``bottom``: the column rules, each one line."""
    for x in [*geometry.lefts, geometry.right]:
        page.line(x, top, x, bottom)


def _draw_rule_under(page: _Page, geometry: _Geometry, y: float) -> None:
    page.line(geometry.lefts[0], y, geometry.right, y)


def _draw_notes(page: _Page, notes: Sequence[str], y: float, size: float) -> None:
    for text in notes:
        page.show(text, MARGIN_LEFT, y - _baseline(size), SERIF_NAME, size)
        y -= size * LINE_HEIGHT


def _draw_page_label(page: _Page, text: str, measure: _Measure) -> None:
    x = (PAGE_WIDTH - measure(text)) / 2
    y = MARGIN_BOTTOM / 2 - PAGE_NUMBER_SIZE / 3
    page.show(text, x, y, SERIF_NAME, PAGE_NUMBER_SIZE)
