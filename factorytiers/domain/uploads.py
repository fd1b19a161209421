"""What an uploaded file really is, judged by its content, never by its name.

PDF starts with ``%PDF-``; DOCX and XLSX are ZIP packages holding ``[Content_Types].xml`` and
their main part; images are recognised by ``filetype``. Executables (MZ, ELF, Mach-O, scripts
with a ``#!`` line) are refused whatever the extension says.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import BinaryIO

import filetype

KIND_LABELS = {
    "pdf": "PDF",
    "docx": "WORD(.docx)",
    "xlsx": "Excel(.xlsx)",
    "image": "图片(JPG/PNG)",
}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}
_IMAGE_EXTENSIONS = {"jpg": ".jpg", "png": ".png"}
# The Content-Type a stored file is served with, by the extension of its detected kind (the
# stored name ends in it), never by the name the uploader gave.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"


def content_type(extension: str) -> str:
    """The Content-Type for a detected ``extension`` (“.pdf”); anything else is plain bytes."""
    return CONTENT_TYPES.get(extension.lower(), UNKNOWN_CONTENT_TYPE)


_EXECUTABLE_MAGIC = (
    (b"MZ", "Windows 可执行文件"),
    (b"\x7fELF", "Linux 可执行文件"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行文件"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行文件"),
    (b"\xca\xfe\xba\xbe", "macOS 可执行文件"),
    (b"#!", "脚本文件"),
)
_OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class UploadCheck:
    ok: bool
    kind: str | None
    extension: str
    message: str


def _refuse(message: str, kind: str | None = None) -> UploadCheck:
    return UploadCheck(False, kind, "", message)


def detect_kind(stream: BinaryIO) -> tuple[str | None, str]:
    """(kind, extension) of the content, or (None, reason) when it is not an accepted kind."""
    stream.seek(0)
    head = stream.read(262)
    stream.seek(0)
    for magic, name in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            return None, f"文件内容是{name}，不允许上传"
    if head.startswith(b"%PDF-"):
        return "pdf", ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(stream)
    guess = filetype.guess(head)
    if guess is not None and guess.extension in _IMAGE_EXTENSIONS:
        return "image", _IMAGE_EXTENSIONS[guess.extension]
    if guess is not None:
        return None, f"文件内容为{guess.extension}格式，不是允许的类型"
    return None, "无法识别文件内容的格式"


def _ooxml_kind(stream: BinaryIO) -> tuple[str | None, str]:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, "文件是损坏的压缩包"
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None, "文件是普通压缩包，不是WORD或Excel文档"
    for kind, part in _OOXML_MAIN_PART.items():
        if part in names:
            return kind, EXTENSIONS[kind]
    return None, "文件是Office压缩包，但不是WORD(.docx)或Excel(.xlsx)文档"


def check_upload(
    stream: BinaryIO,
    *,
    size: int,
    allowed_kinds: Collection[str],
    max_bytes: int,
) -> UploadCheck:
    """Check an upload's size and content against the kinds a slot accepts."""
    if size <= 0:
        return _refuse("文件为空")
    if size > max_bytes:
        return _refuse(
            f"文件大小{size / 1024 / 1024:.1f}MB，超过{max_bytes / 1024 / 1024:.0f}MB的上限"
        )
    kind, extension_or_reason = detect_kind(stream)
    if kind is None:
        return _refuse(extension_or_reason)
    if kind not in allowed_kinds:
        wanted = "、".join(KIND_LABELS.get(k, k) for k in allowed_kinds)
        return _refuse(f"文件内容是{KIND_LABELS[kind]}，此处只接受{wanted}", kind=kind)
    return UploadCheck(True, kind, extension_or_reason, "")
