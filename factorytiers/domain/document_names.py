"""File names of generated documents: `太原市-附件1-先进级智能工厂名单汇总表.xlsx`.

Names are built from the unit's name and the notice's attachment label and title, so officials
find each file by the name the notice gives it; every part is checked against what Windows
refuses (see ``naming``), and a bad part raises rather than being rewritten.
"""

from __future__ import annotations

from typing import Final

from factorytiers.domain.naming import UnsafeArchivePath, safe_archive_path

EXTENSIONS: Final = frozenset({"xlsx", "docx", "pdf", "zip"})
ROLLUP_SUFFIX: Final = "（全省汇总）"


class InvalidFileName(ValueError):
    """The name cannot be used as a file name; the message (Chinese) says why."""


def document_file_name(
    unit: str, label: str, title: str, extension: str, *, rollup: bool = False
) -> str:
    """`<unit>-<label>-<title>[（全省汇总）].<extension>`; the label may be empty."""
    if extension not in EXTENSIONS:
        raise InvalidFileName(f"不支持的文件类型“{extension}”")
    parts = [unit.strip(), label.strip(), title.strip() + (ROLLUP_SUFFIX if rollup else "")]
    stem = "-".join(part for part in parts if part)
    if not unit.strip():
        raise InvalidFileName("文件名缺少报送单位名称")
    name = f"{stem}.{extension}"
    try:
        safe_archive_path(name)
    except UnsafeArchivePath as error:
        raise InvalidFileName(error.message.replace("压缩包内路径第1段", "文件名")) from error
    return name
