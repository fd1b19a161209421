"""Bounds of an uploaded ZIP package (DOCX, XLSX) and of a spreadsheet inside it, checked before
any library unpacks or materialises it.

A few kilobytes can declare gigabytes: a member padded with a gigabyte of zeros compresses to a
megabyte (a “zip bomb”), and one cell written at XFD1048576 makes a reader that pads the sheet
from A1 allocate 17 billion cells. So, in this order:

1. ``check_archive``: the central directory (member count, declared sizes, compression ratio,
   names that climb out with ``..`` or start at the root, encryption), then every member is
   streamed once to confirm that it unpacks to no more than it declares (a member that lies
   about its size fails its CRC check);
2. ``workbook_info``: the sheets of an XLSX in order, with their state (``visible``,
   ``hidden``, ``veryHidden``) and the part holding each, and the active tab;
3. ``declared_dimension``: the ``<dimension ref=…>`` at the start of a sheet (a bounded read);
4. ``sheet_extent``: the last row and column really used, by streaming the sheet's XML (a
   dimension may be missing or lie); it stops as soon as a limit is passed.

Problems are values (a kind and the numbers), never messages: the caller words them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO, Final
from xml.etree import ElementTree

CHUNK: Final = 64 * 1024
# Below this size a member's compression ratio says nothing (a blank part compresses 100:1).
RATIO_FLOOR_BYTES: Final = 1024 * 1024
# workbook.xml and its relationships are a few kilobytes even with hundreds of sheets.
MAX_WORKBOOK_PART_BYTES: Final = 4 * 1024 * 1024
# The longest tag the sheet scan accepts (a cell's or a row's start tag is under 200 bytes).
MAX_TAG_BYTES: Final = 64 * 1024
MAX_EXCEL_ROWS: Final = 1_048_576
MAX_EXCEL_COLUMNS: Final = 16_384


class ProblemKind(StrEnum):
    NOT_AN_ARCHIVE = "not_an_archive"  # not a ZIP package, or truncated
    DAMAGED = "damaged"  # a member that does not unpack to what it declares
    ENCRYPTED = "encrypted"
    UNSAFE_NAME = "unsafe_name"  # a member name with “..” or starting at the root
    TOO_MANY_MEMBERS = "too_many_members"
    UNPACKED_TOO_LARGE = "unpacked_too_large"  # all members together
    MEMBER_TOO_LARGE = "member_too_large"
    RATIO_TOO_HIGH = "ratio_too_high"
    NO_SHEET = "no_sheet"  # not a workbook with a worksheet
    HIDDEN_SHEET = "hidden_sheet"
    VERY_HIDDEN_SHEET = "very_hidden_sheet"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_unpacked_bytes: int
    max_member_bytes: int
    max_ratio: float


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    found: int | float = 0
    limit: int | float = 0
    name: str = ""  # the member or sheet concerned


def unsafe_name(name: str) -> bool:
    """A member name that would leave the folder it is unpacked into."""
    normal = name.replace("\\", "/")
    return (
        normal.startswith("/")
        or re.match(r"^[A-Za-z]:", normal) is not None
        or ".." in normal.split("/")
        or "\x00" in normal
    )


def check_archive(
    stream: BinaryIO, limits: ArchiveLimits, *, verify: bool = True
) -> Problem | None:
    """The first problem of a ZIP package against ``limits``, or None when it is within them.

    ``verify`` streams every member once (bounded by the declared sizes already checked) so that
    a member lying about its unpacked size is caught before another reader trusts it."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            problem = _check_directory(archive.infolist(), limits)
            if problem is None and verify:
                problem = _verify_members(archive)
            return problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return Problem(ProblemKind.NOT_AN_ARCHIVE)
    finally:
        stream.seek(0)


def _check_directory(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> Problem | None:
    if len(members) > limits.max_members:
        return Problem(ProblemKind.TOO_MANY_MEMBERS, len(members), limits.max_members)
    total = 0
    for info in members:
        if unsafe_name(info.filename):
            return Problem(ProblemKind.UNSAFE_NAME, name=info.filename)
        if info.flag_bits & 0x1:
            return Problem(ProblemKind.ENCRYPTED, name=info.filename)
        if info.file_size > limits.max_member_bytes:
            return Problem(
                ProblemKind.MEMBER_TOO_LARGE,
                info.file_size,
                limits.max_member_bytes,
                info.filename,
            )
        if info.file_size > RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                return Problem(
                    ProblemKind.RATIO_TOO_HIGH, round(ratio), limits.max_ratio, info.filename
                )
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            return Problem(ProblemKind.UNPACKED_TOO_LARGE, total, limits.max_unpacked_bytes)
    return None


def _verify_members(archive: zipfile.ZipFile) -> Problem | None:
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while member.read(CHUNK):
                    pass
        # Whatever reading the member raises (a bad CRC, a truncated stream, an unsupported
        # method, a decompressor's own zlib.error or lzma.LZMAError), the file is damaged.
        except Exception:
            return Problem(ProblemKind.DAMAGED, name=info.filename)
    return None


# --------------------------------------------------------------------------------------------
# Spreadsheets (XLSX)
# --------------------------------------------------------------------------------------------

VISIBLE: Final = "visible"
HIDDEN: Final = "hidden"
VERY_HIDDEN: Final = "veryHidden"
_WORKBOOK: Final = "xl/workbook.xml"
_WORKBOOK_RELS: Final = "xl/_rels/workbook.xml.rels"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # VISIBLE, HIDDEN or VERY_HIDDEN
    part: str  # the member holding the sheet, e.g. xl/worksheets/sheet1.xml ("" if unknown)


@dataclass(frozen=True)
class WorkbookInfo:
    sheets: tuple[SheetInfo, ...]
    active: int  # index into sheets of the tab open when the file was saved

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)


@dataclass(frozen=True)
class Extent:
    rows: int  # the last row used (1-based, as Excel numbers it); 0 when empty
    columns: int  # the last column used (A = 1)
    complete: bool = True  # False when the scan stopped early, past a limit


class WorkbookUnreadable(ValueError):
    """workbook.xml or its relationships cannot be read."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as part:
            data = part.read(limit + 1)
    except KeyError as exc:
        raise WorkbookUnreadable(name) from exc
    if len(data) > limit:
        raise WorkbookUnreadable(name)
    return data


def _parse(data: bytes, name: str) -> ElementTree.Element:
    # OOXML parts never carry a DTD; one here could only be an entity expansion trick.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise WorkbookUnreadable(name)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise WorkbookUnreadable(name) from exc


def workbook_info(archive: zipfile.ZipFile) -> WorkbookInfo:
    """The sheets of an XLSX package in workbook order, their state and part, the active tab."""
    root = _parse(_read_part(archive, _WORKBOOK, MAX_WORKBOOK_PART_BYTES), _WORKBOOK)
    targets: dict[str, str] = {}
    if _WORKBOOK_RELS in archive.namelist():
        rels = _parse(_read_part(archive, _WORKBOOK_RELS, MAX_WORKBOOK_PART_BYTES), _WORKBOOK_RELS)
        for rel in rels.iter():
            if _local(rel.tag) == "Relationship" and rel.get("Id") and rel.get("Target"):
                targets[rel.get("Id", "")] = _part_path(rel.get("Target", ""))
    sheets = []
    active = 0
    for element in root.iter():
        local = _local(element.tag)
        if local == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            state = element.get("state", VISIBLE)
            if state not in (HIDDEN, VERY_HIDDEN):
                state = VISIBLE
            sheets.append(SheetInfo(element.get("name", ""), state, targets.get(rel_id, "")))
        elif local == "workbookView" and active == 0:
            try:
                active = max(int(element.get("activeTab", "0")), 0)
            except ValueError:
                active = 0
    if active >= len(sheets):
        active = 0
    return WorkbookInfo(tuple(sheets), active)


def _part_path(target: str) -> str:
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


_DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*["']([^"']*)["']"""
)
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,7})\$?(\d{1,10})$")


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column) of a cell reference such as ``XFD1048576`` (1-based), None if not one."""
    match = _CELL_REF.match(ref.strip())
    if match is None:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


def parse_dimension(ref: str) -> tuple[int, int] | None:
    """(last row, last column) of a ``<dimension ref>`` such as ``A1:F120`` or ``A1``."""
    corners = [cell_position(part) for part in ref.split(":")]
    if not corners or len(corners) > 2 or any(c is None for c in corners):
        return None
    return max(c[0] for c in corners if c), max(c[1] for c in corners if c)


def declared_dimension(
    archive: zipfile.ZipFile, part: str, *, head_bytes: int = CHUNK
) -> tuple[int, int] | None:
    """The (rows, columns) a sheet declares in its ``<dimension>``, reading only its first
    ``head_bytes``; None when it declares none there."""
    with archive.open(part) as sheet:
        head = sheet.read(head_bytes)
    match = _DIMENSION.search(head)
    return parse_dimension(match.group(1).decode("ascii", "replace")) if match else None


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    with archive.open(part) as sheet:
        while chunk := sheet.read(CHUNK):
            yield chunk


def sheet_extent(archive: zipfile.ZipFile, part: str, *, max_rows: int, max_columns: int) -> Extent:
    """The last row and column a sheet really uses, as a reader places its cells (a row or a
    cell without ``r`` follows the one before). Stops at the first row or column past a
    limit (``complete`` False). A start tag longer than ``MAX_TAG_BYTES`` counts as past
    both limits: no real sheet has one."""
    return scan_extent(_chunks(archive, part), max_rows=max_rows, max_columns=max_columns)


def scan_extent(chunks: Iterator[bytes], *, max_rows: int, max_columns: int) -> Extent:
    rows = columns = 0
    row = column = 0
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut != -1 and data.find(b">", cut) == -1:
            data, carry = data[:cut], data[cut:]
        else:
            carry = b""
        if len(carry) > MAX_TAG_BYTES:
            return Extent(max(rows, max_rows + 1), max(columns, max_columns + 1), False)
        for match in _TAG.finditer(data):
            r = _R_ATTRIBUTE.search(match.group(2))
            if match.group(1) == b"row":
                number = _int(r.group(1)) if r else None
                row = number if number is not None else row + 1
                column = 0
            else:
                position = _fast_position(r.group(1)) if r else None
                if position is None:
                    column += 1
                else:
                    row, column = max(row, position[0]), position[1]
            rows, columns = max(rows, row), max(columns, column)
            if rows > max_rows or columns > max_columns:
                return Extent(rows, columns, False)
    return Extent(rows, columns)


_PLAIN_REF = re.compile(rb"\s*\$?([A-Za-z]{1,3})\$?(\d{1,10})\s*")
_COLUMNS: dict[bytes, int] = {}  # column letters (at most three) → number, filled as met


def _fast_position(ref: bytes) -> tuple[int, int] | None:
    """``cell_position`` of a reference as the sheet's bytes have it; the usual ``B12`` without
    decoding it or counting its letters again (the same answer, bounded cache)."""
    match = _PLAIN_REF.fullmatch(ref)
    if match is None:
        return cell_position(ref.decode("ascii", "replace"))
    letters = match.group(1)
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for letter in letters.upper():
            column = column * 26 + letter - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = column
    return int(match.group(2)), column


def _int(value: bytes) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 10 else None
