"""The statistics bureau's list of 规上 enterprises (规上企业名录) read into the registry.

Pure rules, no database: the caller passes the reference rows (industry codes, units) and the
enterprises already registered as plain dicts.

- **Columns by header**, never by position: :data:`FIELD_HEADERS` holds the bureau's usual
  header names and their synonyms; a header matches after NFKC (full-width brackets), without
  spaces, a leading ``*`` or a trailing colon. The header row is the first of the first
  :data:`HEADER_SEARCH_ROWS` rows that names the credit code column (a title row above it is
  allowed). Columns the file does not have are left as they are on enterprises already
  registered; a blank cell likewise.
- **A row** is parsed cell by cell (:func:`parse_row`); every problem names its column as the
  file calls it and says what is wrong, in Chinese. A row with any problem is refused whole.
- **Duplicates**: a credit code seen on an earlier row refuses the later rows, naming the first.
- **The plan** (:func:`plan_import`) compares each good row with the registry: 新增 / 变更
  (field by field, old → new) / 无变化 / 不导入. A new enterprise needs every required field; a
  credit code registered outside the importer's scope, or a unit outside it, is refused. The
  plan's :meth:`Plan.fingerprint` lets the apply step refuse when anything changed since the
  dry run.
- **CSV** (:func:`decode_csv`): UTF-8 (with or without BOM), else GBK; other bytes are refused.
- **The checked rows kept** (:func:`dump_check` / :func:`load_check`): the dry run's
  :class:`RowsCheck` as compact bytes (zlib-compressed JSON, without the cells as read) with
  the key of the reference rows it was checked against (:func:`lookups_key`), so the apply step
  compares them with the registry again without parsing the file a second time.

Row numbers are the file's (the header's row number + 1 is the first data row).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from .control_chars import strip_control_characters
from .credit_code import check_credit_code
from .naming import name_problem
from .phone import check_phone
from .sectors import EnterpriseNature
from .text import clean_name

# -- columns ----------------------------------------------------------------------------------

# Field → the headers that name it (the first one is the name this product prints).
FIELD_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码"),
    "name": ("企业名称", "单位详细名称", "单位名称", "详细名称", "企业(单位)名称"),
    "unit": ("所在地市", "行政区划代码", "地市", "所在地区", "区划代码", "报送单位"),
    "industry": (
        "行业代码",
        "国民经济行业代码",
        "国民经济行业分类代码",
        "行业小类代码",
        "行业小类",
    ),
    "employees": ("从业人员", "从业人员期末人数", "从业人数", "从业人员平均人数"),
    "revenue_wan": ("营业收入(万元)", "营业收入"),
    "main_business_revenue_wan": ("主营业务收入(万元)", "主营业务收入"),
    "nature": ("企业性质", "登记注册类型", "登记注册类型代码"),
    "above_scale_official": ("是否规上", "是否规模以上", "规上企业", "规模以上企业"),
    "address": ("地址", "详细地址", "单位地址", "通讯地址"),
    "contact_name": ("企业联系人", "联系人"),
    "contact_phone": ("联系电话", "电话"),
    "contact_email": ("电子邮箱", "邮箱"),
}
LABELS: Final[dict[str, str]] = {name: headers[0] for name, headers in FIELD_HEADERS.items()}
LABELS["sector"] = "所属行业"
# What a new enterprise cannot do without (the unit may come from the importer's own unit).
REQUIRED_FOR_NEW: Final = ("name", "unit", "industry", "employees", "revenue_wan", "nature")
HEADER_SEARCH_ROWS: Final = 10
ERROR_HEADERS: Final = ("原行号", "错误原因")

MAX_NAME: Final = 128
MAX_ADDRESS: Final = 200
MAX_CONTACT: Final = 64
MAX_EMAIL: Final = 254
MAX_EMPLOYEES: Final = 2_147_483_647
MAX_AMOUNT: Final = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)
_CENT: Final = Decimal("0.01")
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_INDUSTRY: Final = re.compile(r"[A-Z]?\s*([0-9]{4})(?:\s.*)?")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalize_header(value: object) -> str:
    text = _text(value)
    # Removing a space can let a combining mark compose with the character before it (“A´”
    # is “A”, a space, U+0301 after NFKC), so normalise until nothing changes.
    for _round in range(4):
        normal = unicodedata.normalize("NFKC", text)
        normal = "".join(char for char in normal if not char.isspace()).lstrip("*").rstrip(":")
        if normal == text:
            break
        text = normal
    return text


_HEADER_FIELD: Final[dict[str, str]] = {
    normalize_header(header): name for name, headers in FIELD_HEADERS.items() for header in headers
}


class RegistryFileError(ValueError):
    """The file as a whole cannot be imported; the message (Chinese) says why."""


@dataclass(frozen=True)
class Columns:
    header_row: int  # the file's row number of the header
    header: tuple[str, ...]  # the header cells as the file has them
    positions: dict[str, int]  # field → column index

    def label(self, name: str) -> str:
        """The column as the file calls it (else the product's name of the field)."""
        if name in self.positions:
            return self.header[self.positions[name]] or LABELS[name]
        return LABELS.get(name, name)


def find_columns(rows: Sequence[Sequence[object]], *, needs_unit: bool) -> Columns:
    """The header row and the column of each field; raises RegistryFileError when the file has
    no header row, a field twice, or lacks a column every row needs."""
    if not any(any(_text(cell) for cell in row) for row in rows[:HEADER_SEARCH_ROWS]):
        raise RegistryFileError("文件是空的：没有表头行，也没有数据行")
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = [_HEADER_FIELD.get(normalize_header(cell)) for cell in row]
        if "credit_code" not in fields:
            continue
        header = tuple(_text(cell) for cell in row)
        positions: dict[str, int] = {}
        for column, name in enumerate(fields):
            if name is None:
                continue
            if name in positions:
                raise RegistryFileError(
                    f"第{index + 1}行表头中“{header[positions[name]]}”与“{header[column]}”"
                    f"都是{LABELS[name]}，只能保留一列"
                )
            positions[name] = column
        missing = [LABELS[name] for name in ("name",) if name not in positions]
        if needs_unit and "unit" not in positions:
            missing.append(LABELS["unit"])
        if missing:
            raise RegistryFileError(
                f"第{index + 1}行表头缺少列：{'、'.join(missing)}（可用的列名见导入页面的说明）"
            )
        return Columns(index + 1, header, positions)
    raise RegistryFileError(
        f"没有找到表头行：前{HEADER_SEARCH_ROWS}行中没有“统一社会信用代码”（或“信用代码”）列。"
        "请确认第1行是表头（列名），数据从下一行开始"
    )


# -- the reference rows a row is checked against -----------------------------------------------


@dataclass(frozen=True)
class Lookups:
    """Reference rows as plain dicts. ``units`` maps a region code, name or short name (a county
    too) to its reporting unit's id; ``allowed_units`` is None for the province (every unit)."""

    industries: Mapping[str, tuple[int, str]]  # 小类 code → (id, suggested sector or "")
    units: Mapping[str, int]
    unit_names: Mapping[int, str]
    allowed_units: frozenset[int] | None = None
    default_unit: int | None = None  # a city officer's rows without a unit are its own


# -- one row ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    row: int
    credit_code: str
    values: dict[str, object]  # only the fields the row gives (non-blank cells)
    cells: Sequence[object] = field(default=(), compare=False, repr=False)  # as read


@dataclass(frozen=True)
class RefusedRow:
    row: int
    cells: tuple[object, ...]  # the row as read, in the file's column order
    problems: tuple[tuple[str, str], ...]  # (column, reason)
    credit_code: str = ""

    @property
    def message(self) -> str:
        return "；".join(f"{column}：{reason}" for column, reason in self.problems)


class CellError(ValueError):
    """One cell is wrong; the message says what (without the column, which the caller adds)."""


def parse_code(value: object) -> str:
    result = check_credit_code(_text(value))
    if not result.ok:
        raise CellError(result.message)
    return result.code


def parse_name(value: object) -> str:
    name = clean_name(_text(value))
    if name is None:
        raise CellError("企业名称为空")
    if len(name) > MAX_NAME:
        raise CellError(f"企业名称最多{MAX_NAME}个字，当前为{len(name)}个")
    problem = name_problem(name, "企业名称")
    if problem:
        raise CellError(problem)
    return name


def parse_industry(value: object, industries: Mapping[str, tuple[int, str]]) -> int:
    text = unicodedata.normalize("NFKC", _text(value)).upper()
    match = _INDUSTRY.fullmatch(text)
    found = industries.get(match.group(1)) if match else None
    if found is None:
        raise CellError(f"“{text}”不是GB/T 4754-2017制造业（C门类）的小类代码（4位数字，如3311）")
    return found[0]


def parse_unit(value: object, lookups: Lookups) -> int:
    text = unicodedata.normalize("NFKC", _text(value)).replace(" ", "")
    unit = lookups.units.get(text)
    if unit is None and text.isascii() and text.isdigit() and len(text) in (6, 9, 12):
        # A township or village code of the bureau starts with its county's six digits, and a
        # county's code (GB/T 2260) with its city's four.
        unit = lookups.units.get(text[:6]) or lookups.units.get(text[:4] + "00")
    if unit is None:
        raise CellError(f"“{text}”不是本省的地市、示范区或其下属县区（可填名称或行政区划代码）")
    if lookups.allowed_units is not None and unit not in lookups.allowed_units:
        own = "、".join(sorted(lookups.unit_names.get(u, "") for u in lookups.allowed_units))
        raise CellError(
            f"企业属于{lookups.unit_names.get(unit, text)}，不在本单位（{own}）范围内，不能导入"
        )
    return unit


def parse_count(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{value}”不是整数（人数）")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = unicodedata.normalize("NFKC", _text(value)).replace(",", "")
        if text.endswith("人"):
            text = text[:-1].strip()
        if not re.fullmatch(r"-?[0-9]+", text):
            raise CellError(f"“{_text(value)}”不是整数（人数）")
        number = int(text)
    if number < 0:
        raise CellError(f"人数不能为负数，当前为{number}")
    if number > MAX_EMPLOYEES:
        raise CellError(f"人数{number}过大")
    return number


def parse_amount(value: object) -> Decimal:
    """万元, rounded half up to two decimals."""
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    text = (
        repr(value)
        if isinstance(value, float)
        else unicodedata.normalize("NFKC", _text(value)).replace(",", "")
    )
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{_text(value)}”不是数字（万元）") from None
    if not amount.is_finite():
        raise CellError(f"“{_text(value)}”不是数字（万元）")
    if amount < 0:
        raise CellError(f"金额不能为负数，当前为{_text(value)}")
    if amount > MAX_AMOUNT:
        raise CellError(f"金额{_text(value)}万元过大")
    amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount > MAX_AMOUNT:
        raise CellError(f"金额{_text(value)}万元过大")
    return amount


# 登记注册类型 words and codes (统计上的登记注册类型, 2011; 2023 codes share the first digit).
_NATURE_WORDS: Final[tuple[tuple[str, EnterpriseNature], ...]] = (
    ("中央企业", EnterpriseNature.CENTRAL_SOE),
    ("央企", EnterpriseNature.CENTRAL_SOE),
    ("地方国企", EnterpriseNature.LOCAL_SOE),
    ("国有", EnterpriseNature.LOCAL_SOE),
    ("三资", EnterpriseNature.FOREIGN_INVESTED),
    ("外商", EnterpriseNature.FOREIGN_INVESTED),
    ("外资", EnterpriseNature.FOREIGN_INVESTED),
    ("港澳台", EnterpriseNature.FOREIGN_INVESTED),
    ("中外合资", EnterpriseNature.FOREIGN_INVESTED),
    ("中外合作", EnterpriseNature.FOREIGN_INVESTED),
    ("民营", EnterpriseNature.PRIVATE),
    ("私营", EnterpriseNature.PRIVATE),
    ("集体", EnterpriseNature.PRIVATE),
    ("股份合作", EnterpriseNature.PRIVATE),
    ("联营", EnterpriseNature.PRIVATE),
    ("有限责任", EnterpriseNature.PRIVATE),
    ("股份有限", EnterpriseNature.PRIVATE),
    ("个人独资", EnterpriseNature.PRIVATE),
    ("合伙", EnterpriseNature.PRIVATE),
    ("内资", EnterpriseNature.PRIVATE),
)


def parse_nature(value: object) -> str:
    text = unicodedata.normalize("NFKC", _text(value)).replace(" ", "")
    if re.fullmatch(r"[1-3][0-9]{2}", text):
        if text[0] in "23":
            return EnterpriseNature.FOREIGN_INVESTED.value
        return (EnterpriseNature.LOCAL_SOE if text[:2] == "11" else EnterpriseNature.PRIVATE).value
    for word, nature in _NATURE_WORDS:
        if word in text:
            return nature.value
    names = "、".join(n.value for n in EnterpriseNature)
    raise CellError(f"“{text}”无法识别为企业性质（{names}，或统计登记注册类型及其代码）")


_YES: Final = frozenset({"是", "y", "yes", "1", "true", "规上", "√"})
_NO: Final = frozenset({"否", "n", "no", "0", "false", "规下"})


def parse_flag(value: object) -> bool:
    text = unicodedata.normalize("NFKC", _text(value)).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{_text(value)}”应为“是”或“否”")


def parse_address(value: object) -> str:
    text = " ".join(strip_control_characters(_text(value)).split())
    if len(text) > MAX_ADDRESS:
        raise CellError(f"最多{MAX_ADDRESS}个字，当前为{len(text)}个")
    return text


def parse_contact(value: object) -> str:
    name = clean_name(_text(value))
    if name is None:
        return ""
    if len(name) > MAX_CONTACT:
        raise CellError(f"最多{MAX_CONTACT}个字，当前为{len(name)}个")
    return name


def parse_phone(value: object) -> str:
    result = check_phone(_text(value))
    if not result.ok:
        raise CellError(result.message)
    return result.normalized


def parse_email(value: object) -> str:
    text = unicodedata.normalize("NFKC", _text(value))
    if len(text) > MAX_EMAIL or not _EMAIL.fullmatch(text):
        raise CellError(f"“{text}”不是有效的电子邮箱地址")
    return text


def parse_row(number: int, cells: Sequence[object], columns: Columns, lookups: Lookups):
    """A data row → :class:`ParsedRow`, or :class:`RefusedRow` naming every problem."""
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {}

    def cell(name: str) -> object:
        position = columns.positions.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    code = ""
    try:
        code = parse_code(cell("credit_code"))
    except CellError as error:
        problems.append((columns.label("credit_code"), str(error)))
    for name, parse in _PARSERS:
        if name not in columns.positions:
            continue
        raw = cell(name)
        if not _text(raw):
            continue
        try:
            values[name] = parse(raw, lookups)
        except CellError as error:
            problems.append((columns.label(name), str(error)))
    if (
        "unit" not in values
        and lookups.default_unit is not None
        and not any(label == columns.label("unit") for label, _ in problems)
    ):
        values["unit"] = lookups.default_unit
    if problems:
        return RefusedRow(number, tuple(cells), tuple(problems), code)
    return ParsedRow(number, code, values, cells)


_PARSERS: Final = (
    ("name", lambda v, _: parse_name(v)),
    ("unit", parse_unit),
    ("industry", lambda v, lookups: parse_industry(v, lookups.industries)),
    ("employees", lambda v, _: parse_count(v)),
    ("revenue_wan", lambda v, _: parse_amount(v)),
    ("main_business_revenue_wan", lambda v, _: parse_amount(v)),
    ("nature", lambda v, _: parse_nature(v)),
    ("above_scale_official", lambda v, _: parse_flag(v)),
    ("address", lambda v, _: parse_address(v)),
    ("contact_name", lambda v, _: parse_contact(v)),
    ("contact_phone", lambda v, _: parse_phone(v)),
    ("contact_email", lambda v, _: parse_email(v)),
)


@dataclass(frozen=True)
class RowsCheck:
    columns: Columns
    parsed: tuple[ParsedRow, ...]
    refused: tuple[RefusedRow, ...]


def check_rows(
    rows: Iterable[Sequence[object]],
    lookups: Lookups,
    *,
    progress=None,
) -> RowsCheck:
    """Every row of the file (``rows`` from row 1): the header found, each data row parsed, and
    a credit code repeated on a later row refused there. Blank rows are skipped. ``progress``
    (optional) is called with the number of rows done every 5,000 rows."""
    if not isinstance(rows, Sequence):
        rows = list(rows)
    columns = find_columns(rows, needs_unit=lookups.default_unit is None)
    parsed: list[ParsedRow] = []
    refused: list[RefusedRow] = []
    first_seen: dict[str, int] = {}
    for number in range(columns.header_row + 1, len(rows) + 1):
        cells = rows[number - 1]
        if progress is not None and number % 5000 == 0:
            progress(number)
        if not any(_text(value) for value in cells):
            continue
        result = parse_row(number, cells, columns, lookups)
        code = result.credit_code
        if code:
            if code in first_seen:
                problem = (
                    columns.label("credit_code"),
                    f"与第{first_seen[code]}行的统一社会信用代码重复（同一企业只能有一行）",
                )
                problems = (result.problems if isinstance(result, RefusedRow) else ()) + (problem,)
                refused.append(RefusedRow(number, tuple(cells), problems, code))
                continue
            first_seen[code] = number
        if isinstance(result, RefusedRow):
            refused.append(result)
        else:
            parsed.append(result)
    if not parsed and not refused:
        raise RegistryFileError(f"文件中没有数据行（第{columns.header_row + 1}行起每行一家企业）")
    return RowsCheck(columns, tuple(parsed), tuple(refused))


# -- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Changed:
    row: ParsedRow
    changes: tuple[Change, ...]


@dataclass
class Plan:
    new: list[ParsedRow] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unchanged: list[ParsedRow] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "refused": len(self.refused),
        }

    def fingerprint(self) -> str:
        """A digest of everything the plan would write and refuse, with the old values: equal
        for two plans exactly when applying either writes the same."""
        digest = hashlib.sha256()
        for line in self._lines():
            digest.update(line.encode())
            digest.update(b"\n")
        return digest.hexdigest()

    def _lines(self) -> Iterator[str]:
        for row in self.new:
            yield f"N{row.row}|{row.credit_code}|{_canonical(row.values)}"
        for item in self.changed:
            changes = ";".join(f"{c.field}={c.old!r}>{c.new!r}" for c in item.changes)
            yield f"C{item.row.row}|{item.row.credit_code}|{changes}"
        for row in self.unchanged:
            yield f"U{row.row}|{row.credit_code}"
        for bad in self.refused:
            yield f"R{bad.row}|{bad.message}"


def plan_import(
    check: RowsCheck,
    existing: Mapping[str, Mapping[str, object]],
    *,
    taken: frozenset[str] | set[str] = frozenset(),
    sectors: Mapping[int, str],
) -> Plan:
    """Compare each good row with the registry. ``existing`` maps the credit codes of the
    enterprises in the importer's scope to their current field values; ``taken`` holds credit
    codes registered outside that scope; ``sectors`` maps an industry id to its suggested
    所属行业 (a new enterprise's sector; an existing one keeps its own)."""
    plan = Plan(refused=list(check.refused))
    columns = check.columns
    for row in check.parsed:
        current = existing.get(row.credit_code)
        if current is None:
            if row.credit_code in taken:
                plan.refused.append(
                    _refuse(
                        row, columns, "credit_code", "该统一社会信用代码已由其他单位登记，不能导入"
                    )
                )
                continue
            missing = [columns.label(name) for name in REQUIRED_FOR_NEW if name not in row.values]
            if missing:
                plan.refused.append(
                    _refuse(row, columns, None, f"新登记的企业须填写：{'、'.join(missing)}")
                )
                continue
            sector = sectors.get(row.values["industry"])  # type: ignore[call-overload]
            if not sector:
                plan.refused.append(
                    _refuse(row, columns, "industry", "无法由该行业代码确定所属行业")
                )
                continue
            plan.new.append(
                ParsedRow(row.row, row.credit_code, {**row.values, "sector": sector}, row.cells)
            )
            continue
        changes = tuple(
            Change(name, current.get(name), value)
            for name, value in row.values.items()
            if not _same(current.get(name), value)
        )
        if changes:
            plan.changed.append(Changed(row, changes))
        else:
            plan.unchanged.append(row)
    plan.refused.sort(key=lambda bad: bad.row)
    return plan


def _refuse(row: ParsedRow, columns: Columns, name: str | None, reason: str) -> RefusedRow:
    label = columns.label(name) if name else "—"
    return RefusedRow(row.row, tuple(row.cells), ((label, reason),), row.credit_code)


def _same(old: object, new: object) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return old is not None and new is not None and Decimal(old) == Decimal(new)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError):
            return False
    return old == new


def _canonical(values: Mapping[str, object]) -> str:
    return ";".join(f"{key}={values[key]!r}" for key in sorted(values))


# -- CSV --------------------------------------------------------------------------------------

_BOM: Final = b"\xef\xbb\xbf"


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped), else GBK; other bytes, or binary
    content, are refused."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    for encoding in ("utf-8", "gbk"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 0x20 and char not in "\t\r\n" for char in text):
            break  # a NUL or another control byte: not a text file
        return text
    raise RegistryFileError(
        "无法识别文件编码：CSV文件须以UTF-8或GBK编码保存（在Excel中“另存为”CSV UTF-8即可）"
    )


def csv_rows(text: str, *, max_rows: int) -> list[list[str]]:
    """The rows of a CSV text (comma-separated), at most ``max_rows``; more is refused."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > max_rows:
                raise RegistryFileError(f"文件超过{max_rows}行的上限，请分批导入")
    except csv.Error:
        raise RegistryFileError("CSV文件格式有误（引号不成对或字段过长），无法读取") from None
    return rows


# -- the checked rows kept between the dry run and the apply step ----------------------------

CHECK_FORMAT: Final = 1
# Fields whose parsed values are Decimals (kept as text); the others are str, int or bool.
_DECIMAL_FIELDS: Final = frozenset({"revenue_wan", "main_business_revenue_wan"})


def lookups_key(lookups: Lookups, *extra: object) -> str:
    """A digest of everything a row's check depends on besides the row: equal keys check every
    row alike. ``extra`` adds the caller's own bounds (the row limit)."""
    parts = [
        sorted((code, list(value)) for code, value in lookups.industries.items()),
        sorted(lookups.units.items()),
        sorted(lookups.unit_names.items()),
        None if lookups.allowed_units is None else sorted(lookups.allowed_units),
        lookups.default_unit,
        [str(value) for value in extra],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def dump_check(check: RowsCheck, key: str) -> bytes:
    """The checked rows as compact bytes (the cells as read are left out: the error file is
    written by the dry run)."""

    def plain(values: Mapping[str, object]) -> dict[str, object]:
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}

    data = {
        "format": CHECK_FORMAT,
        "key": key,
        "header_row": check.columns.header_row,
        "header": list(check.columns.header),
        "positions": check.columns.positions,
        "parsed": [[row.row, row.credit_code, plain(row.values)] for row in check.parsed],
        "refused": [
            [bad.row, bad.credit_code, [list(p) for p in bad.problems]] for bad in check.refused
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode(), 1)


def load_check(content: bytes, key: str) -> RowsCheck | None:
    """The rows :func:`dump_check` kept, or None when they were checked against other
    reference rows (another ``key``) or the bytes are not such a dump."""
    try:
        data = json.loads(zlib.decompress(content))
        if data.get("format") != CHECK_FORMAT or data.get("key") != key:
            return None
        columns = Columns(int(data["header_row"]), tuple(data["header"]), dict(data["positions"]))
        parsed = tuple(
            ParsedRow(
                number,
                code,
                {k: Decimal(v) if k in _DECIMAL_FIELDS else v for k, v in values.items()},
            )
            for number, code, values in data["parsed"]
        )
        refused = tuple(
            RefusedRow(number, (), tuple((str(c), str(r)) for c, r in problems), code)
            for number, code, problems in data["refused"]
        )
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError, InvalidOperation):
        return None
    return RowsCheck(columns, parsed, refused)


# -- the error file ---------------------------------------------------------------------------


def error_rows(
    check_header: Sequence[str], refused: Iterable[RefusedRow]
) -> Iterator[list[object]]:
    """The refused rows as the error file lists them: 原行号, the row's cells under the file's
    header, 错误原因."""
    width = len(check_header)
    for bad in refused:
        cells = list(bad.cells[:width]) + [""] * max(0, width - len(bad.cells))
        yield [bad.row, *cells, bad.message]
