"""The maturity model as storable data, and a replacement item bank read from spreadsheet rows.

``model_to_data`` turns a ``MaturityModel`` into plain JSON-safe data of the TOML file's shape
(decimals as strings), which ``maturity.build_model`` reads back unchanged; the application stores
every edition of the model in that form.

An administrator may replace the item bank with the official one from a spreadsheet of the
structure documented in ``BANK_HEADERS`` (one row per requirement item). ``bank_to_data`` checks
every row, names each bad one by its spreadsheet row number, and builds a new model version that
keeps the base model's grades, levels, bands, threshold and manufacturing types. Elements,
domains and sub-domains are named in the rows: a name the base model knows keeps its code, a new
name gets a new code, so a regrouped edition (e.g. 5 domains and 25 sub-domains) imports as well.
Nothing here depends on Django.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from .maturity import LEVEL_RULES, MaturityModel, ModelError, build_model, level_name

BANK_HEADERS: Final = ("能力要素", "能力域", "能力子域", "等级", "条目编码", "条目内容", "权重")
REQUIRED_BANK_HEADERS: Final = BANK_HEADERS[:6]
# The optional second sheet: one row per sub-domain, one column per manufacturing type name.
WEIGHT_SHEET: Final = "权重"
WEIGHT_KEY_HEADER: Final = "能力子域"
MAX_CODE_LENGTH: Final = 40


def model_to_data(model: MaturityModel) -> dict[str, Any]:
    """The model as plain data (the TOML file's shape, decimals as strings)."""
    return {
        "edition": model.edition,
        "version": model.version,
        "title": model.title,
        "method": model.method,
        "level_rule": model.level_rule,
        "met_threshold": str(model.met_threshold),
        "bands": [str(bound) for bound in model.bands],
        "grades": [
            {"key": grade.key, "name": grade.name, "value": str(grade.value)}
            for grade in model.grades
        ],
        "levels": [
            {"number": level.number, "name": level.name, "meaning": level.meaning}
            for level in model.levels
        ],
        "manufacturing_types": [
            {
                "code": kind.code,
                "name": kind.name,
                "weights": {code: str(weight) for code, weight in kind.weights.items()},
            }
            for kind in model.manufacturing_types
        ],
        "elements": [{"code": e.code, "name": e.name} for e in model.elements],
        "domains": [{"code": d.code, "name": d.name, "element": d.element} for d in model.domains],
        "sub_domains": [
            {
                "code": sub.code,
                "name": sub.name,
                "domain": sub.domain,
                "levels": list(sub.levels),
                "items": [
                    {
                        "code": item.code,
                        "level": item.level,
                        "text": item.text,
                        "weight": str(item.weight),
                    }
                    for item in model.items
                    if item.sub_domain == sub.code
                ],
            }
            for sub in model.sub_domains
        ],
    }


def bank_rows(model: MaturityModel) -> list[tuple[str, str, str, str, str, str, Decimal]]:
    """The model's item bank as spreadsheet rows in ``BANK_HEADERS`` order (model order)."""
    rows = []
    for item in model.items:
        sub = model.sub_domain(item.sub_domain)
        domain = model.domain(sub.domain)
        element = model.element(domain.element)
        rows.append(
            (
                element.name,
                domain.name,
                sub.name,
                level_name(item.level),
                item.code,
                item.text,
                item.weight,
            )
        )
    return rows


def weight_rows(model: MaturityModel) -> list[tuple[str | Decimal, ...]]:
    """The weight sheet: header, then one row per sub-domain with a weight per type."""
    header: tuple[str | Decimal, ...] = (
        WEIGHT_KEY_HEADER,
        *(kind.name for kind in model.manufacturing_types),
    )
    rows = [header]
    for sub in model.sub_domains:
        rows.append((sub.name, *(kind.weights[sub.code] for kind in model.manufacturing_types)))
    return rows


@dataclass(frozen=True)
class BankResult:
    """Outcome of ``bank_to_data``: the new model data, or the problems (Chinese, by row)."""

    data: dict[str, Any] | None
    errors: tuple[str, ...]
    item_count: int = 0

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


def bank_to_data(
    rows: Sequence[Sequence[object]],
    *,
    base: MaturityModel,
    edition: str,
    version: str,
    level_rule: str | None = None,
    weights: Sequence[Sequence[object]] | None = None,
) -> BankResult:
    """Build a new model version from item-bank rows (the first row is the header).

    ``rows`` are the cells of the item sheet as read from the spreadsheet, row 1 first (row
    numbers in messages are the spreadsheet's). ``weights`` are the optional weight sheet's rows;
    without it the base model's weights carry over by sub-domain code (new sub-domains weigh 1).
    Every row is checked and every problem reported; the data is returned only when none is found
    and the whole model validates.
    """
    errors: list[str] = []
    edition = _clean(edition)
    version = _clean(version)
    if not edition:
        errors.append("请填写模型版本名称（edition）")
    if not version:
        errors.append("请填写版本号（version）")
    rule = base.level_rule if level_rule is None else level_rule
    if rule not in LEVEL_RULES:
        errors.append(f"等级判定规则“{rule}”无效，只能是 band 或 met_levels")
    if not rows:
        return BankResult(None, (*errors, "条目表是空的"))

    header = [_clean(cell) for cell in rows[0]]
    columns = {name: header.index(name) for name in BANK_HEADERS if name in header}
    missing = [name for name in REQUIRED_BANK_HEADERS if name not in columns]
    if missing:
        return BankResult(
            None,
            (*errors, f"第1行表头缺少列：{'、'.join(missing)}（应为：{'、'.join(BANK_HEADERS)}）"),
        )

    levels_by_label = _level_labels(base)
    structure = _Structure(base)
    items_by_sub: dict[str, list[dict[str, Any]]] = {}
    seen_codes: dict[str, int] = {}
    count = 0
    for index, raw in enumerate(rows[1:], start=2):
        cells = {name: _cell(raw, position) for name, position in columns.items()}
        if all(not _clean(value) for value in cells.values()):
            continue
        problems = []
        element, domain, sub = (_clean(cells[name]) for name in BANK_HEADERS[:3])
        code, text = _folded(cells["条目编码"]), _clean(cells["条目内容"])
        for name, value in zip(BANK_HEADERS[:3], (element, domain, sub), strict=True):
            if not value:
                problems.append(f"“{name}”为空")
        level = levels_by_label.get(_folded(cells["等级"]).replace(" ", ""))
        if level is None:
            problems.append(
                f"“等级”为“{_clean(cells['等级'])}”，应为 1–{base.max_level} 或"
                f"“{level_name(1)}”至“{level_name(base.max_level)}”"
            )
        if not code:
            problems.append("“条目编码”为空")
        elif len(code) > MAX_CODE_LENGTH or any(ch.isspace() for ch in code):
            problems.append(f"“条目编码”“{code}”不能含空白，且不超过{MAX_CODE_LENGTH}个字符")
        elif code in seen_codes:
            problems.append(f"“条目编码”“{code}”与第{seen_codes[code]}行重复")
        else:
            seen_codes[code] = index
        if not text:
            problems.append("“条目内容”为空")
        weight = _weight(cells.get("权重"), problems)
        if element and domain and sub:
            problems.extend(structure.place(element, domain, sub, index))
        if problems:
            errors.append(f"第{index}行：{'；'.join(problems)}")
            continue
        count += 1
        sub_code = structure.sub_codes[sub]
        items_by_sub.setdefault(sub_code, []).append(
            {"code": code, "level": level, "text": text, "weight": str(weight)}
        )
    if count == 0 and not errors:
        errors.append("条目表中没有条目（第2行起每行一个条目）")

    type_weights = _type_weights(base, structure, weights, errors)
    if errors:
        return BankResult(None, tuple(errors))

    data = model_to_data(base)
    data.update(
        edition=edition,
        version=version,
        level_rule=rule,
        elements=[{"code": c, "name": n} for n, c in structure.element_codes.items()],
        domains=[
            {"code": c, "name": n, "element": structure.element_codes[structure.domain_parent[n]]}
            for n, c in structure.domain_codes.items()
        ],
        sub_domains=[
            {
                "code": c,
                "name": n,
                "domain": structure.domain_codes[structure.sub_parent[n]],
                "levels": sorted({item["level"] for item in items_by_sub[c]}),
                "items": items_by_sub[c],
            }
            for n, c in structure.sub_codes.items()
        ],
        manufacturing_types=[
            {"code": kind.code, "name": kind.name, "weights": type_weights[kind.code]}
            for kind in base.manufacturing_types
        ],
    )
    try:
        build_model(data)
    except ModelError as exc:
        return BankResult(None, (f"导入后的模型不完整：{exc}",))
    return BankResult(data, (), count)


class _Structure:
    """Elements, domains and sub-domains met in the rows, in order, with their codes."""

    def __init__(self, base: MaturityModel) -> None:
        self.base_elements = {e.name: e.code for e in base.elements}
        self.base_domains = {d.name: d.code for d in base.domains}
        self.base_subs = {s.name: s.code for s in base.sub_domains}
        self.element_codes: dict[str, str] = {}
        self.domain_codes: dict[str, str] = {}
        self.sub_codes: dict[str, str] = {}
        self.domain_parent: dict[str, str] = {}
        self.sub_parent: dict[str, str] = {}
        self.first_row: dict[tuple[str, str], int] = {}

    def place(self, element: str, domain: str, sub: str, row: int) -> list[str]:
        problems = []
        known_element = self.domain_parent.get(domain, element)
        if known_element != element:
            problems.append(
                f"能力域“{domain}”在第{self.first_row['domain', domain]}行属于能力要素“{known_element}”，"
                f"此处却是“{element}”"
            )
        known_domain = self.sub_parent.get(sub, domain)
        if known_domain != domain:
            problems.append(
                f"能力子域“{sub}”在第{self.first_row['sub', sub]}行属于能力域“{known_domain}”，"
                f"此处却是“{domain}”"
            )
        if problems:
            return problems
        self.first_row.setdefault(("domain", domain), row)
        self.first_row.setdefault(("sub", sub), row)
        self.domain_parent[domain] = element
        self.sub_parent[sub] = domain
        _assign(self.element_codes, element, self.base_elements, "E")
        _assign(self.domain_codes, domain, self.base_domains, "D")
        _assign(self.sub_codes, sub, self.base_subs, "S")
        return []


def _assign(codes: dict[str, str], name: str, known: Mapping[str, str], prefix: str) -> None:
    if name in codes:
        return
    code = known.get(name)
    if code is None or code in codes.values():
        number = len(codes) + 1
        while f"{prefix}{number}" in codes.values() or f"{prefix}{number}" in known.values():
            number += 1
        code = f"{prefix}{number}"
    codes[name] = code


def _type_weights(
    base: MaturityModel,
    structure: _Structure,
    rows: Sequence[Sequence[object]] | None,
    errors: list[str],
) -> dict[str, dict[str, str]]:
    result = {
        kind.code: {
            code: str(kind.weights.get(code, Decimal(1))) for code in structure.sub_codes.values()
        }
        for kind in base.manufacturing_types
    }
    if not rows:
        return result
    where = f"“{WEIGHT_SHEET}”表"
    header = [_clean(cell) for cell in rows[0]]
    if WEIGHT_KEY_HEADER not in header:
        errors.append(f"{where}第1行缺少“{WEIGHT_KEY_HEADER}”列")
        return result
    key_column = header.index(WEIGHT_KEY_HEADER)
    type_columns = {
        kind.code: header.index(kind.name)
        for kind in base.manufacturing_types
        if kind.name in header
    }
    if not type_columns:
        names = "、".join(kind.name for kind in base.manufacturing_types)
        errors.append(f"{where}第1行没有制造类型列（应为：{names}）")
        return result
    for index, raw in enumerate(rows[1:], start=2):
        name = _clean(_cell(raw, key_column))
        if not name and all(not _clean(cell) for cell in raw):
            continue
        code = structure.sub_codes.get(name)
        if code is None:
            errors.append(f"{where}第{index}行：能力子域“{name}”不在条目表中")
            continue
        for kind_code, column in type_columns.items():
            problems: list[str] = []
            value = _cell(raw, column)
            weight = _weight(value, problems)
            if problems:
                errors.append(f"{where}第{index}行：{'；'.join(problems)}")
            else:
                result[kind_code][code] = str(weight)
    return result


def _level_labels(model: MaturityModel) -> dict[str, int]:
    labels: dict[str, int] = {}
    for level in model.levels:
        for label in (
            str(level.number),
            f"{level.number}.0",
            f"{level.number}级",
            level_name(level.number),
            level.name,
        ):
            labels[label] = level.number
    return labels


def _weight(value: object, problems: list[str]) -> Decimal:
    text = _folded(value)
    if not text:
        return Decimal(1)
    try:
        weight = Decimal(text)
    except InvalidOperation:
        problems.append(f"“权重”为“{text}”，不是数字")
        return Decimal(1)
    if not weight.is_finite() or weight <= 0:
        problems.append(f"“权重”为“{text}”，应大于 0")
    return weight


def _cell(row: Sequence[object], position: int) -> object:
    return row[position] if position < len(row) else None


def _clean(value: object) -> str:
    """Cell text as written, trimmed; numbers without a spurious ".0" (2.0 → 2)."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return str(value).strip()


def _folded(value: object) -> str:
    """For codes, levels and numbers: full-width characters (Chinese input) folded to ASCII."""
    return unicodedata.normalize("NFKC", _clean(value))
