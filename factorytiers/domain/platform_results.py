"""Results of the national self-assessment platform (智能制造评估评价公共服务平台).

An enterprise enters the score and level it obtained there, or a city officer imports many at
once from a spreadsheet. This module reads and checks the cells of such rows; it knows nothing of
the database: the caller passes the credit codes of the enterprises the user may report for.

Rules:

- 统一社会信用代码: a valid code (GB 32100-2015) of an enterprise in the caller's scope; a code
  outside it gets the same answer as an unknown one (nothing tells of other units' enterprises);
- 年度: a whole number from ``FIRST_YEAR`` to the current year;
- 评估得分: 0 to the model's top level, at most two decimals;
- 成熟度等级: 未达一级, 一级 … (the model's levels), consistent with the score under the model's
  ``level_rule`` (``maturity.score_matches_level``);
- 评估日期: a real date, not in the future, within the 年度;
- one row per enterprise and year in a file.

Row numbers in messages are the spreadsheet's (the header is row 1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final

from .credit_code import check_credit_code
from .maturity import (
    LEVEL_RULE_BAND,
    MaturityModel,
    level_for_score,
    level_name,
    score_matches_level,
)

FIRST_YEAR: Final = 2020  # GB/T 39116/39117 were published in October 2020
MAX_ROWS: Final = 20_000
HEADERS: Final = ("统一社会信用代码", "年度", "评估得分", "成熟度等级", "评估日期")
OPTIONAL_HEADERS: Final = ("企业名称",)
ERROR_HEADER: Final = "错误原因"
_EXCEL_EPOCH: Final = date(1899, 12, 30)
_DATE_PATTERN: Final = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ResultError(ValueError):
    """A value of a result is wrong; the message (Chinese) names the field and the problem."""


@dataclass(frozen=True)
class ResultRow:
    row: int
    credit_code: str
    enterprise_id: int
    year: int
    score: Decimal
    level: int
    assessed_on: date


@dataclass(frozen=True)
class BadRow:
    row: int
    cells: tuple[object, ...]  # the row as read, in the file's column order
    errors: tuple[str, ...]

    @property
    def message(self) -> str:
        return "；".join(self.errors)


@dataclass(frozen=True)
class RowCheck:
    header: tuple[str, ...]
    file_errors: tuple[str, ...]  # problems with the file as a whole (header, size)
    good: tuple[ResultRow, ...]
    bad: tuple[BadRow, ...]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad


def level_choices(model: MaturityModel) -> list[tuple[int, str]]:
    """(number, name) for 未达一级 and every level of the model."""
    return [(number, level_name(number)) for number in range(model.max_level + 1)]


def parse_level(value: object, *, model: MaturityModel) -> int:
    text = _text(value).replace(" ", "")
    for number, name in level_choices(model):
        if text == name:
            return number
    names = "、".join(name for _, name in level_choices(model))
    raise ResultError(f"成熟度等级“{text}”无效，应为{names}之一")


def parse_score(value: object, *, model: MaturityModel) -> Decimal:
    if isinstance(value, bool):
        raise ResultError(f"评估得分“{value}”不是数字")
    if isinstance(value, float):
        text = repr(value)
    else:
        text = _text(value)
    if not text:
        raise ResultError("评估得分为空")
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ResultError(f"评估得分“{text}”不是数字") from None
    if not score.is_finite():
        raise ResultError(f"评估得分“{text}”不是数字")
    if score.as_tuple().exponent < -2 and score != score.quantize(Decimal("0.01")):
        raise ResultError(f"评估得分“{text}”最多保留两位小数")
    if not 0 <= score <= model.max_level:
        raise ResultError(f"评估得分 {text} 不在 0 到 {model.max_level} 之间")
    return score.quantize(Decimal("0.01"))


def parse_year(value: object, *, today: date) -> int:
    text = _text(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not (text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= today.year:
        raise ResultError(f"年度“{text}”无效，应为{FIRST_YEAR}至{today.year}之间的年份")
    return int(text)


def parse_date(value: object, *, today: date) -> date:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell without a date format reaches us as Excel's serial day number.
        if not 1 <= value < 2_958_466 or not float(value).is_integer():
            raise ResultError(f"评估日期“{value}”不是日期")
        day = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = _text(value)
        if not text:
            raise ResultError("评估日期为空")
        match = _DATE_PATTERN.match(text)
        if not match:
            raise ResultError(f"评估日期“{text}”不是日期，请写成“2026-03-15”的形式")
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ResultError(f"评估日期“{text}”不是有效的日期") from None
    if day > today:
        raise ResultError(f"评估日期 {day:%Y-%m-%d} 晚于今天")
    return day


def check_consistency(score: Decimal, level: int, *, model: MaturityModel) -> None:
    """Raise ResultError when the score and level cannot belong together (rule 6)."""
    if score_matches_level(score, level, model=model):
        return
    if model.level_rule == LEVEL_RULE_BAND:
        expected = level_name(level_for_score(score, model=model))
        raise ResultError(
            f"评估得分 {score} 与成熟度等级“{level_name(level)}”不符：按分数带应为{expected}"
        )
    raise ResultError(
        f"评估得分 {score} 与成熟度等级“{level_name(level)}”不符：按连续达标等级数判定，"
        f"该得分不可能对应{level_name(level)}"
    )


def check_result(
    *,
    score: object,
    level: object,
    year: object,
    assessed_on: object,
    model: MaturityModel,
    today: date,
) -> tuple[Decimal, int, int, date]:
    """Check one result's values (an enterprise's own entry); raises ResultError naming the
    first problem. Returns (score, level, year, date)."""
    if isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= model.max_level:
        level = level_name(level)
    values = _check_values(score, level, year, assessed_on, model=model, today=today)
    if isinstance(values, list):
        raise ResultError(values[0])
    return values


def _check_values(
    score: object,
    level: object,
    year: object,
    assessed_on: object,
    *,
    model: MaturityModel,
    today: date,
    checked: dict[tuple[Decimal, int], str] | None = None,
) -> tuple[Decimal, int, int, date] | list[str]:
    """The values checked; ``checked`` (optional) remembers the answer of the score and level
    check per pair, the same for every row of a file (a few hundred pairs at most)."""
    problems: list[str] = []

    def attempt(parse, value, **kwargs):
        try:
            return parse(value, **kwargs)
        except ResultError as exc:
            problems.append(str(exc))
            return None

    the_year = attempt(parse_year, year, today=today)
    the_score = attempt(parse_score, score, model=model)
    the_level = attempt(parse_level, level, model=model)
    the_date = attempt(parse_date, assessed_on, today=today)
    if the_score is not None and the_level is not None:
        pair = (the_score, the_level)
        problem = checked.get(pair) if checked is not None else None
        if problem is None:
            try:
                check_consistency(the_score, the_level, model=model)
                problem = ""
            except ResultError as exc:
                problem = str(exc)
            if checked is not None:
                checked[pair] = problem
        if problem:
            problems.append(problem)
    if the_date is not None and the_year is not None and the_date.year != the_year:
        problems.append(f"评估日期 {the_date:%Y-%m-%d} 不在{the_year}年度内")
    if problems:
        return problems
    return the_score, the_level, the_year, the_date


def check_rows(
    rows: Sequence[Sequence[object]],
    *,
    enterprises: Mapping[str, int],
    model: MaturityModel,
    today: date,
) -> RowCheck:
    """Check every row of an import (``rows[0]`` is the header, spreadsheet row 1).

    ``enterprises`` maps the credit codes of the enterprises the importer may report for to their
    ids. Columns are found by their header, in any order; empty rows are skipped.
    """
    if not rows:
        return RowCheck((), ("文件是空的：第1行应为表头",), (), ())
    header = tuple(_text(cell) for cell in rows[0])
    missing = [name for name in HEADERS if name not in header]
    if missing:
        expected = "、".join(HEADERS)
        return RowCheck(
            header,
            (f"第1行表头缺少列：{'、'.join(missing)}（应包含：{expected}）",),
            (),
            (),
        )
    if len(rows) - 1 > MAX_ROWS:
        return RowCheck(header, (f"一次最多导入{MAX_ROWS}行，文件中有{len(rows) - 1}行",), (), ())
    column = {name: header.index(name) for name in HEADERS}
    good: list[ResultRow] = []
    bad: list[BadRow] = []
    first_seen: dict[tuple[str, int], int] = {}
    checked: dict[tuple[Decimal, int], str] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = tuple(raw)
        if all(not _text(cell) for cell in cells):
            continue
        problems: list[str] = []
        code_result = check_credit_code(_text(_cell(cells, column["统一社会信用代码"])))
        enterprise_id = None
        if not code_result.ok:
            problems.append(code_result.message)
        else:
            enterprise_id = enterprises.get(code_result.code)
            if enterprise_id is None:
                problems.append(f"本单位企业名录中没有统一社会信用代码为“{code_result.code}”的企业")
        values = _check_values(
            _cell(cells, column["评估得分"]),
            _cell(cells, column["成熟度等级"]),
            _cell(cells, column["年度"]),
            _cell(cells, column["评估日期"]),
            model=model,
            today=today,
            checked=checked,
        )
        if isinstance(values, list):
            problems.extend(values)
        elif enterprise_id is not None:
            key = (code_result.code, values[2])
            if key in first_seen:
                problems.append(f"与第{first_seen[key]}行重复：同一企业同一年度只能有一条结果")
            else:
                first_seen[key] = number
        if problems or enterprise_id is None or isinstance(values, list):
            bad.append(BadRow(number, cells, tuple(problems)))
            continue
        score, level, year, assessed_on = values
        good.append(
            ResultRow(number, code_result.code, enterprise_id, year, score, level, assessed_on)
        )
    if not good and not bad:
        return RowCheck(header, ("文件中没有数据行（第2行起每行一条结果）",), (), ())
    return RowCheck(header, (), tuple(good), tuple(bad))


def _cell(row: Sequence[object], position: int) -> object:
    return row[position] if position < len(row) else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()
