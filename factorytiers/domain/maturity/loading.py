"""Loading a maturity model from its TOML file (or from parsed data) and validating it.

Every check raises ``ModelError`` naming the first bad entry. Nothing here depends on Django.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from .model import (
    LEVEL_RULES,
    Domain,
    Element,
    Grade,
    Item,
    Level,
    ManufacturingType,
    MaturityModel,
    ModelError,
    SubDomain,
)

DEFAULT_MODEL_PATH: Final = (
    Path(__file__).resolve().parents[2] / "data" / "maturity" / "gbt39116-2020.toml"
)


def load_model(source: str | Path) -> MaturityModel:
    """Load a model from a TOML file (a ``Path``, or a ``str`` path) or from TOML text.

    A ``str`` holding a line break is read as TOML text, any other ``str`` as a path.
    """
    if isinstance(source, Path) or "\n" not in source:
        path = Path(source)
        if not path.is_file():
            raise ModelError(f"找不到成熟度模型文件“{source}”")
        text = path.read_text(encoding="utf-8")
    else:
        text = source
    try:
        # TOML floats become Decimals: 0.8 stays exactly 0.8.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"模型文件不是合法的 TOML：{exc}") from exc
    return build_model(data)


_TOP_KEYS = {
    "edition",
    "version",
    "title",
    "method",
    "level_rule",
    "met_threshold",
    "bands",
    "grades",
    "levels",
    "manufacturing_types",
    "elements",
    "domains",
    "sub_domains",
}


def build_model(data: Mapping[str, Any]) -> MaturityModel:
    """Build and validate a model from parsed data (the TOML file's shape).

    Decimals may be given as ``Decimal``, ``int`` or numeric strings, never as ``float``.
    Raises ``ModelError`` naming the first bad entry.
    """
    _check_keys(data, _TOP_KEYS, "模型")
    edition = _text(data, "edition", "模型")
    version = _text(data, "version", "模型")
    title = _text(data, "title", "模型", required=False)
    method = _text(data, "method", "模型", required=False)

    level_rule = _text(data, "level_rule", "模型")
    if level_rule not in LEVEL_RULES:
        raise ModelError(f"level_rule 为“{level_rule}”，只能是 band 或 met_levels")

    levels = _read_levels(data)
    max_level = len(levels)

    met_threshold = _decimal(_require(data, "met_threshold", "模型"), "met_threshold")
    if not Decimal(0) < met_threshold <= 1:
        raise ModelError(f"达标阈值 met_threshold={met_threshold} 不在 (0, 1] 之间")

    bands = _read_bands(data, max_level)
    grades = _read_grades(data)
    elements = _read_elements(data)
    domains = _read_domains(data, {element.code for element in elements})
    sub_domains, items = _read_sub_domains(data, {domain.code for domain in domains}, max_level)
    types = _read_manufacturing_types(data, [sub.code for sub in sub_domains])

    for element in elements:
        if not any(domain.element == element.code for domain in domains):
            raise ModelError(f"能力要素“{element.code}”下没有能力域")
    for domain in domains:
        if not any(sub.domain == domain.code for sub in sub_domains):
            raise ModelError(f"能力域“{domain.code}”下没有能力子域")
    for level in levels:
        if not any(level.number in sub.levels for sub in sub_domains):
            raise ModelError(f"第 {level.number} 级没有任何能力子域的条目，无法评分")

    return MaturityModel(
        edition=edition,
        version=version,
        title=title,
        method=method,
        level_rule=level_rule,
        met_threshold=met_threshold,
        grades=grades,
        levels=levels,
        bands=bands,
        elements=elements,
        domains=domains,
        sub_domains=sub_domains,
        items=items,
        manufacturing_types=types,
    )


def _read_levels(data: Mapping[str, Any]) -> tuple[Level, ...]:
    levels = []
    entries = _tables(data, "levels", "模型")
    if not entries:
        raise ModelError("模型没有定义任何等级（levels）")
    for position, entry in enumerate(entries, start=1):
        where = f"第 {position} 个等级"
        _check_keys(entry, {"number", "name", "meaning"}, where)
        number = _int(_require(entry, "number", where), f"{where}的 number")
        if number != position:
            raise ModelError(f"等级编号应依次为 1…{len(entries)}，{where}的编号是 {number}")
        levels.append(
            Level(
                number=number,
                name=_text(entry, "name", where),
                meaning=_text(entry, "meaning", where, required=False),
            )
        )
    return tuple(levels)


def _read_bands(data: Mapping[str, Any], max_level: int) -> tuple[Decimal, ...]:
    raw = _require(data, "bands", "模型")
    if not isinstance(raw, list):
        raise ModelError("bands 应是一个数组")
    bands = tuple(_decimal(value, f"bands 第 {i} 项") for i, value in enumerate(raw, start=1))
    if len(bands) != max_level:
        raise ModelError(f"bands 有 {len(bands)} 项，应与等级数 {max_level} 相同")
    previous = Decimal(0)
    for number, bound in enumerate(bands, start=1):
        if bound <= previous:
            raise ModelError(f"bands 第 {number} 项 {bound} 应大于前一项 {previous}（且大于 0）")
        previous = bound
    if bands[-1] > max_level:
        raise ModelError(f"bands 最后一项 {bands[-1]} 超过满分 {max_level}")
    return bands


def _read_grades(data: Mapping[str, Any]) -> tuple[Grade, ...]:
    entries = _tables(data, "grades", "模型")
    if not entries:
        raise ModelError("模型没有定义任何评分等级（grades）")
    grades: list[Grade] = []
    labels: set[str] = set()
    values: set[Decimal] = set()
    for position, entry in enumerate(entries, start=1):
        where = f"第 {position} 个评分等级"
        _check_keys(entry, {"key", "name", "value"}, where)
        key = _text(entry, "key", where)
        where = f"评分等级“{key}”"
        name = _text(entry, "name", where)
        value = _decimal(_require(entry, "value", where), f"{where}的 value")
        for label in (key, name):
            if label in labels:
                raise ModelError(f"评分等级“{label}”重复")
            labels.add(label)
        if not Decimal(0) <= value <= 1:
            raise ModelError(f"{where}的分值 {value} 不在 0 到 1 之间")
        if value in values:
            raise ModelError(f"{where}的分值 {value} 与另一评分等级相同")
        values.add(value)
        grades.append(Grade(key=key, name=name, value=value))
    return tuple(grades)


def _read_elements(data: Mapping[str, Any]) -> tuple[Element, ...]:
    elements = []
    seen: set[str] = set()
    for position, entry in enumerate(_tables(data, "elements", "模型"), start=1):
        where = f"第 {position} 个能力要素"
        _check_keys(entry, {"code", "name"}, where)
        code = _unique_code(entry, where, seen, "能力要素")
        elements.append(Element(code=code, name=_text(entry, "name", f"能力要素“{code}”")))
    if not elements:
        raise ModelError("模型没有定义任何能力要素（elements）")
    return tuple(elements)


def _read_domains(data: Mapping[str, Any], element_codes: set[str]) -> tuple[Domain, ...]:
    domains = []
    seen: set[str] = set()
    for position, entry in enumerate(_tables(data, "domains", "模型"), start=1):
        where = f"第 {position} 个能力域"
        _check_keys(entry, {"code", "name", "element"}, where)
        code = _unique_code(entry, where, seen, "能力域")
        where = f"能力域“{code}”"
        element = _text(entry, "element", where)
        if element not in element_codes:
            raise ModelError(f"{where}的上级能力要素“{element}”不存在")
        domains.append(Domain(code=code, name=_text(entry, "name", where), element=element))
    if not domains:
        raise ModelError("模型没有定义任何能力域（domains）")
    return tuple(domains)


def _read_sub_domains(
    data: Mapping[str, Any], domain_codes: set[str], max_level: int
) -> tuple[tuple[SubDomain, ...], tuple[Item, ...]]:
    sub_domains: list[SubDomain] = []
    items: list[Item] = []
    seen: set[str] = set()
    item_codes: set[str] = set()
    for position, entry in enumerate(_tables(data, "sub_domains", "模型"), start=1):
        where = f"第 {position} 个能力子域"
        _check_keys(entry, {"code", "name", "domain", "levels", "items"}, where)
        code = _unique_code(entry, where, seen, "能力子域")
        where = f"能力子域“{code}”"
        domain = _text(entry, "domain", where)
        if domain not in domain_codes:
            raise ModelError(f"{where}的上级能力域“{domain}”不存在")
        raw_levels = _require(entry, "levels", where)
        if not isinstance(raw_levels, list) or not raw_levels:
            raise ModelError(f"{where}的 levels 应是非空数组")
        levels = []
        for value in raw_levels:
            level = _int(value, f"{where}的 levels")
            if not 1 <= level <= max_level:
                raise ModelError(f"{where}声明的等级 {level} 不在 1…{max_level} 之间")
            if level in levels:
                raise ModelError(f"{where}重复声明了等级 {level}")
            levels.append(level)
        levels.sort()

        own_items = []
        for item_position, raw in enumerate(_tables(entry, "items", where), start=1):
            item_where = f"{where}的第 {item_position} 个条目"
            _check_keys(raw, {"code", "level", "text", "weight"}, item_where)
            item_code = _unique_code(raw, item_where, item_codes, "条目")
            item_where = f"条目“{item_code}”"
            level = _int(_require(raw, "level", item_where), f"{item_where}的 level")
            if not 1 <= level <= max_level:
                raise ModelError(f"{item_where}的等级 {level} 不在 1…{max_level} 之间")
            if level not in levels:
                raise ModelError(f"{item_where}的等级 {level} 不在{where}声明的等级 {levels} 中")
            weight = _weight(raw.get("weight", 1), f"{item_where}的权重")
            own_items.append(
                Item(
                    code=item_code,
                    sub_domain=code,
                    level=level,
                    text=_text(raw, "text", item_where),
                    weight=weight,
                )
            )
        for level in levels:
            if not any(item.level == level for item in own_items):
                raise ModelError(f"{where}声明了第 {level} 级，但该级没有条目")
        sub_domains.append(
            SubDomain(
                code=code,
                name=_text(entry, "name", where),
                domain=domain,
                levels=tuple(levels),
            )
        )
        items.extend(own_items)
    if not sub_domains:
        raise ModelError("模型没有定义任何能力子域（sub_domains）")
    return tuple(sub_domains), tuple(items)


def _read_manufacturing_types(
    data: Mapping[str, Any], sub_domain_codes: list[str]
) -> tuple[ManufacturingType, ...]:
    types = []
    labels: set[str] = set()
    for position, entry in enumerate(_tables(data, "manufacturing_types", "模型"), start=1):
        where = f"第 {position} 个制造类型"
        _check_keys(entry, {"code", "name", "weights"}, where)
        code = _text(entry, "code", where)
        name = _text(entry, "name", f"制造类型“{code}”")
        where = f"制造类型“{code}”（{name}）"
        for label in (code, name):
            if label in labels:
                raise ModelError(f"制造类型“{label}”重复")
            labels.add(label)
        raw_weights = entry.get("weights", {})
        if not isinstance(raw_weights, Mapping):
            raise ModelError(f"{where}的 weights 应是一个表")
        for sub in raw_weights:
            if sub not in sub_domain_codes:
                raise ModelError(f"{where}的权重指向不存在的能力子域“{sub}”")
        # A sub-domain the table does not mention weighs 1, so no weights means equal weights.
        weights = {
            sub: _weight(raw_weights.get(sub, 1), f"{where}中能力子域“{sub}”的权重")
            for sub in sub_domain_codes
        }
        types.append(ManufacturingType(code=code, name=name, weights=MappingProxyType(weights)))
    if not types:
        raise ModelError("模型没有定义任何制造类型（manufacturing_types）")
    return tuple(types)


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ModelError(f"{where}有未知的键：{'、'.join(unknown)}")


def _require(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ModelError(f"{where}缺少“{key}”")
    return table[key]


def _text(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    if key not in table and not required:
        return ""
    value = _require(table, key, where)
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"{where}的“{key}”应是非空文字")
    return value.strip()


def _tables(table: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = _require(table, key, where)
    if not isinstance(value, list) or not all(isinstance(entry, Mapping) for entry in value):
        raise ModelError(f"{where}的“{key}”应是由表组成的数组")
    return value


def _unique_code(entry: Mapping[str, Any], where: str, seen: set[str], kind: str) -> str:
    code = _text(entry, "code", where)
    if code in seen:
        raise ModelError(f"{kind}编码“{code}”重复")
    seen.add(code)
    return code


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelError(f"{where}应是整数，而不是“{value}”")
    return value


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise ModelError(f"{where}的值“{value}”应写成字符串或 Decimal，不能是浮点数")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ModelError(f"{where}的值“{value}”不是数字") from None
    else:
        raise ModelError(f"{where}的值“{value}”不是数字")
    if not result.is_finite():
        raise ModelError(f"{where}的值“{value}”不是有限数字")
    return result


def _weight(value: Any, where: str) -> Decimal:
    weight = _decimal(value, where)
    if weight <= 0:
        raise ModelError(f"{where}为 {weight}，应大于 0")
    return weight
