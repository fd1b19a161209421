"""The one reader of uploaded workbooks: every bound checked before python-calamine opens the
file (moved here from assessments/spreadsheets.py so that every app importing a sheet — the
maturity results, the enterprise registry — reads through it)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineError, CalamineWorkbook

from factorytiers.domain.archives import (
    HIDDEN,
    VERY_HIDDEN,
    Problem,
    ProblemKind,
    SheetInfo,
    WorkbookInfo,
    WorkbookUnreadable,
    check_archive,
    declared_dimension,
    sheet_extent,
    workbook_info,
)

from . import limits


class SheetError(ValueError):
    """The file cannot be read as a workbook, or is past a bound; the message says which."""


_UNREADABLE = _("无法读取Excel文件：文件已损坏，或不是有效的Excel(.xlsx)工作簿")


def read_workbook(
    upload, *, wanted: Sequence[str] = (), max_rows: int | None = None
) -> dict[str, list[list[object]]]:
    """The rows of the sheets an import reads, keeping empty rows and columns so that positions
    are Excel's (``rows[0]`` is row 1): the first of ``wanted`` present, else the first sheet,
    then the other ``wanted`` sheets present; the main one comes first.

    Everything that could make a reader unpack or allocate without bound is checked before
    python-calamine opens the file: the package (domain/archives.py, ARCHIVE_* settings), then
    each sheet read: visible, and no cell past IMPORT_MAX_ROWS × IMPORT_MAX_COLUMNS (its
    declared dimension first, then the cells themselves). ``max_rows`` replaces IMPORT_MAX_ROWS
    for an import with its own bound (the enterprise registry). A refusal is a ``SheetError``
    whose message names the limit."""
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    max_columns = settings.IMPORT_MAX_COLUMNS
    upload.seek(0)
    try:
        problem = check_archive(upload, limits.archive_limits())
        if problem is not None:
            raise SheetError(limits.problem_message(problem))
        with zipfile.ZipFile(upload) as archive:
            chosen = _sheets_read(workbook_info(archive), wanted)
            for sheet in chosen:
                problem = _sheet_problem(archive, sheet, max_rows, max_columns)
                if problem is not None:
                    raise SheetError(limits.problem_message(problem))
        upload.seek(0)
        book = CalamineWorkbook.from_filelike(upload)
        sheets = {}
        for sheet in chosen:
            data = book.get_sheet_by_name(sheet.name)
            end = data.end or (0, 0)
            if end[0] >= max_rows or end[1] >= max_columns:  # never, after the scan above
                raise SheetError(_UNREADABLE)
            sheets[sheet.name] = data.to_python(skip_empty_area=False, nrows=max_rows)
        return sheets
    except SheetError:
        raise
    except (CalamineError, WorkbookUnreadable, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetError(_UNREADABLE) from None
    finally:
        upload.seek(0)


def _sheets_read(info: WorkbookInfo, wanted: Sequence[str]) -> list[SheetInfo]:
    if not info.sheets:
        raise SheetError(_("无法读取Excel文件：工作簿中没有工作表"))
    present = [info.sheet(name) for name in wanted if info.sheet(name) is not None]
    main = present[0] if present else info.sheets[0]
    return [main, *(sheet for sheet in present if sheet is not main)]


def _sheet_problem(archive, sheet: SheetInfo, max_rows: int, max_columns: int) -> Problem | None:
    if sheet.state == HIDDEN:
        return Problem(ProblemKind.HIDDEN_SHEET, name=sheet.name)
    if sheet.state == VERY_HIDDEN:
        return Problem(ProblemKind.VERY_HIDDEN_SHEET, name=sheet.name)
    if sheet.part not in archive.namelist():
        return Problem(ProblemKind.NO_SHEET, name=sheet.name)
    declared = declared_dimension(archive, sheet.part) or (0, 0)
    extent = sheet_extent(archive, sheet.part, max_rows=max_rows, max_columns=max_columns)
    rows, columns = max(declared[0], extent.rows), max(declared[1], extent.columns)
    if rows > max_rows:
        return Problem(ProblemKind.TOO_MANY_ROWS, rows, max_rows, sheet.name)
    if columns > max_columns:
        return Problem(ProblemKind.TOO_MANY_COLUMNS, columns, max_columns, sheet.name)
    return None
