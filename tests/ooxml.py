"""Hand-built OOXML packages for the tests of hostile uploads: every part is written here, so a
sheet can declare any dimension, hold a cell anywhere, be hidden, or a member can lie about its
size, without a library that would refuse to write such a file."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = REL + "/worksheet"


def column_letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sheet_xml(
    rows: Sequence[Sequence[object]] = (),
    *,
    dimension: str | None = None,
    cells: Sequence[tuple[str, object]] = (),
    padding: bytes = b"",
) -> bytes:
    """A worksheet: ``rows`` from A1 (inline strings and numbers), then single ``cells`` at
    given references, then ``padding`` inside the sheet data (e.g. whitespace)."""
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        parts.append(f'<row r="{r}">')
        for c, value in enumerate(row, start=1):
            parts.append(_cell(f"{column_letters(c)}{r}", value))
        parts.append("</row>")
    for ref, value in cells:
        number = "".join(ch for ch in ref if ch.isdigit())
        parts.append(f'<row r="{number}">{_cell(ref, value)}</row>')
    head = "".join(parts).encode()
    return head + padding + b"</sheetData></worksheet>"


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def xlsx_members(sheets: Sequence[tuple[str, bytes, str]], *, active: int = 0) -> dict[str, bytes]:
    """The parts of a workbook: ``sheets`` are (name, sheet XML, state)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    sheet_entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"'
        + (f' state="{state}"' if state != "visible" else "")
        + "/>"
        for n, (name, _xml, state) in enumerate(sheets, start=1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f'<bookViews><workbookView activeTab="{active}"/></bookViews>'
        f"<sheets>{sheet_entries}</sheets></workbook>"
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{SHEET_TYPE}" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        + "</Relationships>"
    )
    members = {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": package_rels.encode(),
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
    }
    for n, (_name, xml, _state) in enumerate(sheets, start=1):
        members[f"xl/worksheets/sheet{n}.xml"] = xml
    return members


def xlsx(sheets: Sequence[tuple[str, bytes, str]], *, active: int = 0) -> bytes:
    return package(xlsx_members(sheets, active=active))


def docx(*, extra: dict[str, bytes] | None = None) -> bytes:
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/content-types"><Default Extension="xml" '
            b'ContentType="application/xml"/></Types>'
        ),
        "word/document.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            + "申报材料".encode()
            + b"</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    members.update(extra or {})
    return package(members)


def package(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _central_entry(raw: bytes | bytearray, member: str) -> int:
    """Where ``member``'s entry starts in the central directory."""
    encoded = member.encode()
    position = 0
    while (central := raw.find(b"PK\x01\x02", position)) != -1:
        name_length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + name_length] == encoded:
            return central
        position = central + 4
    raise KeyError(member)


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """The package with ``member``'s unpacked size rewritten to ``size`` in its local header and
    in the central directory, its real content unchanged: a member that lies."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", raw, info.header_offset + 22, size)
    struct.pack_into("<I", raw, _central_entry(raw, member) + 24, size)
    return bytes(raw)


def mark_encrypted(data: bytes, member: str) -> bytes:
    """The package with ``member`` flagged as encrypted in the central directory."""
    raw = bytearray(data)
    raw[_central_entry(raw, member) + 8] |= 0x1
    return bytes(raw)
