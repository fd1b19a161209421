"""Material packages: one zip per unit and task, laid out as the notice asks.

The notice: "电子版材料汇总到一个文件夹内，文件名称统一为：地市-序号-企业名称-项目名称". The archive holds
one folder for the unit and task (e.g. `太原市-先进级智能工厂推荐申报材料`); in it, the unit's forms
(附件1 …) and, for each application, its 申报书 twice — `地市-序号-企业名称-项目名称.docx` and
`.pdf` (``naming.application_folder_name``) — with its other materials in a subfolder of the
same name. Every member path goes through ``naming.safe_archive_path``, so the zip never holds
an absolute or ``..`` path, or a name Windows would refuse, and two members never differ only by
letter case. Names are stored as UTF-8 with the zip's language-encoding flag (0x800), which
Windows Explorer, 7-Zip and unzip read.

Files are copied in chunks from their source (bytes, a path, or a callable that opens a binary
file) into the archive on disk, so a unit's several hundred megabytes never sit in memory; a
progress callback lets a background task report how far it got. The archive is written under a
temporary name and moved into place only when complete.
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Final

from factorytiers.accounts.writes import Refused
from factorytiers.domain.naming import (
    InvalidName,
    UnsafeArchivePath,
    application_folder_name,
    safe_archive_path,
)

CHUNK_SIZE: Final = 1024 * 1024
WORD_SUFFIXES: Final = frozenset({".doc", ".docx", ".wps"})
PDF_SUFFIXES: Final = frozenset({".pdf"})

Source = bytes | Path | Callable[[], BinaryIO]
Progress = Callable[[int, int], None]


class PackageError(Refused, ValueError):
    """The package cannot be built; the message (Chinese) names the application and the file."""


@dataclass(frozen=True)
class PackageFile:
    name: str  # file name inside its folder, e.g. 申报书.pdf
    source: Source


@dataclass(frozen=True)
class ApplicationFolder:
    """One application's materials: its 申报书 as WORD and PDF, and its other files."""

    unit: str
    rank: int
    enterprise: str
    project: str
    files: Sequence[PackageFile] = field(default_factory=tuple)  # the other materials
    word: PackageFile | None = None  # the 申报书, WORD version
    pdf: PackageFile | None = None  # the 申报书, PDF version

    @property
    def label(self) -> str:
        return f"序号{self.rank}（{self.enterprise}）"


@dataclass(frozen=True)
class Member:
    path: str
    size: int


def member_paths(
    root: str,
    folders: Sequence[ApplicationFolder],
    unit_files: Sequence[PackageFile] = (),
    *,
    require_word_and_pdf: bool = True,
) -> list[tuple[str, PackageFile]]:
    """Every member path with its file, checked; raises PackageError on the first problem."""
    planned: list[tuple[str, PackageFile]] = []
    for item in unit_files:
        planned.append((_path([root], item.name, "报送表格"), item))
    for folder in folders:
        try:
            name = application_folder_name(
                unit=folder.unit,
                rank=folder.rank,
                enterprise=folder.enterprise,
                project=folder.project,
            )
        except InvalidName as error:
            raise PackageError(f"{folder.label}的文件夹名称有误：{error.message}") from error
        if require_word_and_pdf and folder.word is None:
            raise PackageError(f"{folder.label}缺少WORD版申报书（.doc或.docx）")
        if require_word_and_pdf and folder.pdf is None:
            raise PackageError(f"{folder.label}缺少PDF版申报书")
        if folder.word is None and folder.pdf is None and not folder.files:
            raise PackageError(f"{folder.label}没有任何材料文件")
        for item, suffixes, kind in (
            (folder.word, WORD_SUFFIXES, "WORD"),
            (folder.pdf, PDF_SUFFIXES, "PDF"),
        ):
            if item is None:
                continue
            suffix = PurePosixPath(item.name).suffix.lower()
            if suffix not in suffixes:
                raise PackageError(f"{folder.label}的{kind}版申报书“{item.name}”不是{kind}文件")
            planned.append((_path([root], name + suffix, folder.label), item))
        for item in folder.files:
            planned.append((_path([root, name], item.name, folder.label), item))

    seen: dict[str, str] = {}
    for path, _item in planned:
        key = path.casefold()  # Windows file names ignore case
        if key in seen:
            raise PackageError(f"压缩包内有重名文件：“{seen[key]}”与“{path}”")
        seen[key] = path
    return planned


def build_package(
    target: Path,
    root: str,
    folders: Sequence[ApplicationFolder],
    unit_files: Sequence[PackageFile] = (),
    *,
    progress: Progress | None = None,
    require_word_and_pdf: bool = True,
) -> list[Member]:
    """Write the zip to ``target``, everything inside the folder ``root``; return its members.
    Nothing is left at ``target`` on error."""
    planned = member_paths(root, folders, unit_files, require_word_and_pdf=require_word_and_pdf)
    total = len(planned)
    partial = target.with_name(target.name + ".part")
    members: list[Member] = []
    try:
        with zipfile.ZipFile(
            partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
        ) as archive:
            for done, (path, item) in enumerate(planned, start=1):
                members.append(Member(path, _copy_into(archive, path, item)))
                if progress is not None:
                    progress(done, total)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return members


def _path(folders: list[str], name: str, label: str) -> str:
    parts = [*folders, name]
    try:
        return safe_archive_path(*parts)
    except UnsafeArchivePath as error:
        message = error.message.replace(f"压缩包内路径第{len(parts)}段", "文件名")
        raise PackageError(f"{label}的文件“{name}”不能放入压缩包：{message}") from error


def _copy_into(archive: zipfile.ZipFile, path: str, item: PackageFile) -> int:
    info = zipfile.ZipInfo(path, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    source = item.source
    if isinstance(source, bytes):
        with archive.open(info, "w") as destination:
            destination.write(source)
        return len(source)
    size = 0
    try:
        if isinstance(source, Path):
            info.file_size = source.stat().st_size  # lets zipfile choose zip64 for huge files
            opened = source.open("rb")
        else:
            opened = source()  # uploads are size-limited well below zip64's 4 GiB
    except OSError as error:
        raise _unreadable(path, error) from error
    with opened as reader, archive.open(info, "w") as destination:
        while True:
            try:
                chunk = reader.read(CHUNK_SIZE)
            except OSError as error:
                raise _unreadable(path, error) from error
            if not chunk:
                break
            destination.write(chunk)
            size += len(chunk)
    return size


def _unreadable(path: str, error: OSError) -> PackageError:
    """A stored file that cannot be read, named by its place in the package (the storage's own
    English message stays in the log, not on the page)."""
    if isinstance(error, FileNotFoundError):
        return PackageError(f"“{path}”的文件在服务器存储中找不到，请重新上传该材料后再打包")
    return PackageError(f"“{path}”的文件读取失败（服务器存储暂不可用），请稍后重试")
