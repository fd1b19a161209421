"""Folder and archive-member names for application materials (`地市-序号-企业名称-项目名称`).

Names are refused, never silently rewritten: a rewritten name would no longer match what
the unit typed on its forms, and reviewers look materials up by that name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from .control_chars import strip_control_characters

NameField = Literal["unit", "rank", "enterprise", "project"]

FIELD_LABELS: dict[NameField, str] = {
    "unit": "地市",
    "rank": "序号",
    "enterprise": "企业名称",
    "project": "项目名称",
}

_FIELD_ORDER: tuple[NameField, ...] = ("unit", "rank", "enterprise", "project")

SEPARATOR = "-"

# Windows Explorer and most unzip tools fail beyond MAX_PATH (260) for the full path, and
# the folder name is nested under the archive's own folder and the user's extract location.
MAX_FOLDER_NAME_LENGTH = 150

# Characters Windows refuses in a path component, plus U+0000–U+001F.
ILLEGAL_CHARACTERS = frozenset('<>:"/\\|?*') | frozenset(chr(code) for code in range(0x20))

# Windows maps these names (with or without an extension) to devices.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{digit}" for digit in range(1, 10)}
    | {f"LPT{digit}" for digit in range(1, 10)}
)

_DRIVE = re.compile(r"[A-Za-z]:")


class InvalidName(ValueError):
    """A part of a folder name is unusable; ``field`` says which part."""

    def __init__(self, field: NameField, message: str) -> None:
        super().__init__(message)
        self.field: NameField = field
        self.message = message


class UnsafeArchivePath(ValueError):
    """A zip member path would escape the archive or fail to extract on Windows.

    ``index`` is the 1-based position of the offending part, or None for the whole path.
    """

    def __init__(self, index: int | None, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


def application_folder_name(*, unit: str, rank: int, enterprise: str, project: str) -> str:
    """Return `地市-序号-企业名称-项目名称`, or raise InvalidName naming the bad part."""
    texts: dict[NameField, str] = {"unit": unit, "enterprise": enterprise, "project": project}
    stripped: dict[NameField, str] = {}
    # Checked in reading order so the first complaint is about the leftmost bad part.
    for field in _FIELD_ORDER:
        if field == "rank":
            _check_rank(rank)
            continue
        value = texts[field].strip()
        problem = _component_problem(value, FIELD_LABELS[field])
        if problem:
            raise InvalidName(field, problem)
        stripped[field] = value

    name = SEPARATOR.join(
        (stripped["unit"], str(rank), stripped["enterprise"], stripped["project"])
    )
    # Only the end of the whole name matters to Windows, and that end is the project name;
    # after stripping it cannot end in a space, only in a dot.
    if name.endswith("."):
        raise InvalidName(
            "project", "项目名称不能以“.”结尾（Windows 不允许文件夹名称以点或空格结尾）"
        )
    if len(name) > MAX_FOLDER_NAME_LENGTH:
        longest = max(stripped, key=lambda field: len(stripped[field]))
        raise InvalidName(
            longest,
            f"文件夹名称共{len(name)}个字符，超过{MAX_FOLDER_NAME_LENGTH}个字符的上限，"
            f"请缩短{FIELD_LABELS[longest]}",
        )
    return name


def safe_archive_path(*parts: str) -> str:
    """Join parts into a relative POSIX zip member path, refusing anything unsafe."""
    if not parts:
        raise UnsafeArchivePath(None, "压缩包内路径不能为空")
    for index, part in enumerate(parts, start=1):
        label = f"压缩包内路径第{index}段"
        if part in {".", ".."}:
            raise UnsafeArchivePath(index, f"{label}“{part}”不允许（不能指向当前或上级目录）")
        if part.startswith(("/", "\\")):
            raise UnsafeArchivePath(index, f"{label}“{part}”不能是绝对路径")
        if _DRIVE.match(part):
            raise UnsafeArchivePath(index, f"{label}“{part}”不能包含盘符")
        problem = _component_problem(part, label)
        if problem:
            raise UnsafeArchivePath(index, problem)
        # Windows drops a trailing dot or space on extraction, so two members could collide.
        if part.endswith((".", " ")):
            raise UnsafeArchivePath(index, f"{label}“{part}”不能以点或空格结尾")
    return "/".join(parts)


def name_problem(value: str, label: str) -> str:
    """Why ``value`` cannot be part of a folder or file name in the package (naming the field
    by ``label``), or '' when it can: the rule the package build applies, for checking a name
    when it is typed or uploaded rather than when the city builds the package."""
    problem = _component_problem(value.strip(), label)
    if not problem and value.strip().endswith("."):
        problem = f"{label}不能以“.”结尾（Windows 不允许文件夹或文件名称以点结尾）"
    return problem


MAX_FILE_STEM_LENGTH = 80


def safe_file_name(original: str, extension: str, *, fallback: str = "文件") -> str:
    """A file name to hand out for an uploaded file: the uploader's name without its folders,
    its extension, and every character that could mislead or break a file system — control
    and bidirectional-formatting characters (a U+202E in “invoice<U+202E>fdp.exe” shows
    it as “invoiceexe.pdf”), path separators and characters Windows refuses — then the
    ``extension`` of the detected content (“.pdf”). A Windows device name (“aux”) gets a “_”;
    an empty stem becomes ``fallback``."""
    base = re.split(r"[\\/]", original)[-1]
    kept = "".join(
        char
        for char in strip_control_characters(base)
        if char not in ILLEGAL_CHARACTERS and unicodedata.category(char) not in ("Cf", "Cc")
    )
    stem = kept.rsplit(".", 1)[0] if "." in kept.lstrip(".") else kept
    stem = " ".join(stem.split()).strip(" .")[:MAX_FILE_STEM_LENGTH].strip(" .")
    if not stem:
        stem = fallback
    if stem.split(".", 1)[0].rstrip(" ").upper() in RESERVED_NAMES:
        stem = f"{stem}_"
    return stem + extension


def _check_rank(rank: int) -> None:
    # bool is an int subclass; True as a rank is a caller bug.
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise InvalidName("rank", f"序号应为整数，收到{rank!r}")
    if rank < 1:
        raise InvalidName("rank", f"序号应从1开始，当前为{rank}")


def _component_problem(value: str, label: str) -> str:
    """Describe why ``value`` cannot be a Windows path component, or return ''."""
    if not value.strip():
        return f"{label}不能为空"
    for char in value:
        if char in ILLEGAL_CHARACTERS:
            if ord(char) < 0x20:
                return f"{label}含有不允许的控制字符（U+{ord(char):04X}）"
            return f"{label}含有文件夹名称不允许的字符“{char}”"
    # Windows treats "CON.txt" like "CON", so the part before the first dot decides.
    stem = value.split(".", 1)[0].rstrip(" ")
    if stem.upper() in RESERVED_NAMES:
        return f"{label}“{value}”是 Windows 保留的设备名，不能用作文件夹或文件名称"
    return ""
