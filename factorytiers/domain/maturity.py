"""Intelligent-manufacturing capability maturity: the model as data, and its scoring.

The model (GB/T 39116-2020 structure) lives in a versioned TOML file under
``factorytiers/data/maturity/``; an admin may replace the item bank with the official one, and a
new edition of the standard is a new file. Nothing here depends on Django.

Scoring follows the project's maturity specification (GB/T 39117-2020 as far as public
sources confirm it):

1. every item is answered on the model's grades (全部满足 1 / 大部分满足 0.8 / 部分满足 0.5 / 不满足 0);
2. a sub-domain's score at a level is the weighted mean of its item grades at that level;
3. a level's score is the weighted mean of the scores of the sub-domains that have items at that
   level and are not left out (weights of the enterprise's manufacturing type, renormalised);
4. levels are evaluated from 1 upward; a level is met when its score reaches ``met_threshold``,
   and the next level is evaluated only when this one is met;
5. the total is the sum of the evaluated level scores (the first unmet level included);
6. the level comes from the total by ``bands`` (``level_rule = "band"``) or is the number of
   consecutive met levels (``level_rule = "met_levels"``); when the two differ the result is a
   borderline case (边界情况) and says so.

Arithmetic is exact: grades and weights are Decimals from the data, sums and means are computed
as fractions, and every decision (met or not, which band) is taken on the exact value. Results
are handed out as Decimals (exact whenever the value has a finite decimal expansion, else to 28
significant digits); the two-decimal total is for display only (``display_score``).

An unanswered item counts as 不满足 (0) and is listed in ``AssessmentScore.unanswered``; a
submitted assessment is expected to answer every item (see ``unanswered_items``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, TypeVar

LEVEL_RULE_BAND: Final = "band"
LEVEL_RULE_MET_LEVELS: Final = "met_levels"
LEVEL_RULES: Final = (LEVEL_RULE_BAND, LEVEL_RULE_MET_LEVELS)

DEFAULT_MODEL_PATH: Final = (
    Path(__file__).resolve().parent.parent / "data" / "maturity" / "gbt39116-2020.toml"
)

DISPLAY_QUANTUM: Final = Decimal("0.01")

_NUMERALS: Final = "一二三四五六七八九十"

_T = TypeVar("_T")


class ModelError(ValueError):
    """The model data is malformed. The message (Chinese) names the bad entry."""


class AnswerError(ValueError):
    """Answers or scoring arguments do not fit the model. The message (Chinese) says which."""


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    key: str  # stable code stored with answers, e.g. "MOSTLY"
    name: str  # 大部分满足
    value: Decimal


@dataclass(frozen=True)
class Level:
    number: int
    name: str  # 规划级 …
    meaning: str


@dataclass(frozen=True)
class Element:
    code: str
    name: str


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    element: str


@dataclass(frozen=True)
class SubDomain:
    code: str
    name: str
    domain: str
    levels: tuple[int, ...]  # the levels at which it has items, ascending


@dataclass(frozen=True)
class Item:
    code: str
    sub_domain: str
    level: int
    text: str
    weight: Decimal


@dataclass(frozen=True)
class ManufacturingType:
    code: str
    name: str  # 离散型 / 流程型
    weights: Mapping[str, Decimal]  # sub-domain code -> weight; every sub-domain present


@dataclass(frozen=True)
class MaturityModel:
    edition: str
    version: str
    title: str
    method: str
    level_rule: str
    met_threshold: Decimal
    grades: tuple[Grade, ...]
    levels: tuple[Level, ...]
    bands: tuple[Decimal, ...]  # lower bound of the total for level 1, 2, …
    elements: tuple[Element, ...]
    domains: tuple[Domain, ...]
    sub_domains: tuple[SubDomain, ...]
    items: tuple[Item, ...]
    manufacturing_types: tuple[ManufacturingType, ...]

    @property
    def max_level(self) -> int:
        return len(self.levels)

    @property
    def grade_values(self) -> Mapping[str, Decimal]:
        return MappingProxyType({grade.key: grade.value for grade in self.grades})

    @property
    def full_grade(self) -> Decimal:
        """The top grade: an item below it is not fully met."""
        return max(grade.value for grade in self.grades)

    def level(self, number: int) -> Level:
        if not 1 <= number <= self.max_level:
            raise AnswerError(f"等级 {number} 不在 1…{self.max_level} 之间")
        return self.levels[number - 1]

    def grade(self, key_or_name: str) -> Grade:
        try:
            return self._grade_index[key_or_name]
        except KeyError:
            raise AnswerError(f"“{key_or_name}”不是已定义的评分等级") from None

    def element(self, code: str) -> Element:
        return _lookup(self._element_index, code, "能力要素")

    def domain(self, code: str) -> Domain:
        return _lookup(self._domain_index, code, "能力域")

    def sub_domain(self, code: str) -> SubDomain:
        return _lookup(self._sub_domain_index, code, "能力子域")

    def item(self, code: str) -> Item:
        return _lookup(self._item_index, code, "条目")

    def manufacturing_type(self, code_or_name: str) -> ManufacturingType:
        try:
            return self._type_index[code_or_name]
        except KeyError:
            raise AnswerError(f"未知的制造类型“{code_or_name}”") from None

    def weights(self, manufacturing_type: str) -> Mapping[str, Decimal]:
        return self.manufacturing_type(manufacturing_type).weights

    def domains_of(self, element: str) -> tuple[Domain, ...]:
        return tuple(domain for domain in self.domains if domain.element == element)

    def sub_domains_of(self, domain: str) -> tuple[SubDomain, ...]:
        return tuple(sub for sub in self.sub_domains if sub.domain == domain)

    def items_at(self, sub_domain: str, level: int) -> tuple[Item, ...]:
        return self._items_by_pair.get((sub_domain, level), ())

    @cached_property
    def _grade_index(self) -> dict[str, Grade]:
        index = {grade.name: grade for grade in self.grades}
        index.update({grade.key: grade for grade in self.grades})
        return index

    @cached_property
    def _element_index(self) -> dict[str, Element]:
        return {element.code: element for element in self.elements}

    @cached_property
    def _domain_index(self) -> dict[str, Domain]:
        return {domain.code: domain for domain in self.domains}

    @cached_property
    def _sub_domain_index(self) -> dict[str, SubDomain]:
        return {sub.code: sub for sub in self.sub_domains}

    @cached_property
    def _item_index(self) -> dict[str, Item]:
        return {item.code: item for item in self.items}

    @cached_property
    def _type_index(self) -> dict[str, ManufacturingType]:
        index = {kind.name: kind for kind in self.manufacturing_types}
        index.update({kind.code: kind for kind in self.manufacturing_types})
        return index

    @cached_property
    def _items_by_pair(self) -> dict[tuple[str, int], tuple[Item, ...]]:
        pairs: dict[tuple[str, int], list[Item]] = {}
        for item in self.items:
            pairs.setdefault((item.sub_domain, item.level), []).append(item)
        return {pair: tuple(items) for pair, items in pairs.items()}


def _lookup(index: Mapping[str, _T], code: str, kind: str) -> _T:
    try:
        return index[code]
    except KeyError:
        raise AnswerError(f"未知的{kind}“{code}”") from None


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

Answer = str | Decimal | int | None


@dataclass(frozen=True)
class AssessmentScore:
    edition: str
    version: str
    manufacturing_type: str  # the type's code
    level_rule: str
    # Exact total (see the module docstring); show it with ``total_display``.
    total: Decimal
    level: int  # 0 = 未达一级; by ``level_rule``
    level_name: str  # 未达一级 / 一级 / …
    level_title: str  # 规划级 / …; empty for 未达一级
    band_level: int  # the level by ``bands``, whatever the rule
    met_levels: int  # number of consecutive met levels from 一级
    evaluated_levels: tuple[int, ...]
    level_scores: Mapping[int, Decimal]  # evaluated levels only
    next_level: int  # level + 1, at most the top level: the radar chart's level
    # level -> code -> score, for every evaluated level and for ``next_level``; a sub-domain
    # (domain) appears at a level only when it has items there and is not left out.
    sub_domain_scores: Mapping[int, Mapping[str, Decimal]]
    domain_scores: Mapping[int, Mapping[str, Decimal]]
    borderline: bool  # 边界情况: band level differs from the number of met levels
    # The two-decimal display total falls in another band than the exact total (e.g. 1.795
    # shows as 1.80 yet is 一级): the report should say the level uses the exact value.
    rounding_changes_band: bool
    left_out: tuple[str, ...]
    unanswered: tuple[str, ...]  # items of the evaluated levels counted as 0, model order

    @property
    def total_display(self) -> Decimal:
        return display_score(self.total)


@dataclass(frozen=True)
class ImprovementItem:
    code: str
    sub_domain: str
    sub_domain_name: str
    level: int
    text: str
    grade: Decimal | None  # None: not answered


@dataclass(frozen=True)
class ImprovementGroup:
    domain: str
    domain_name: str
    items: tuple[ImprovementItem, ...]


def level_name(level: int) -> str:
    """未达一级 for 0, else 一级, 二级, … 十级."""
    if level == 0:
        return "未达一级"
    if 1 <= level <= len(_NUMERALS):
        return f"{_NUMERALS[level - 1]}级"
    raise ValueError(f"等级 {level} 超出范围")


def display_score(value: Decimal) -> Decimal:
    """Two places, half up: how scores are shown and reported."""
    return value.quantize(DISPLAY_QUANTUM, rounding=ROUND_HALF_UP)


def level_for_score(total: Decimal | int | str, *, model: MaturityModel) -> int:
    """The level a total falls in by the model's bands (rule 6), 0 for 未达一级.

    Used to check a result entered from the national platform.
    """
    return _band_level(_score_fraction(total, model), model)


def score_matches_level(total: Decimal | int | str, level: int, *, model: MaturityModel) -> bool:
    """Whether a reported score and level can belong together under the model's level rule.

    Under ``band`` the level must be the band of the score. Under ``met_levels`` the score only
    bounds the number k of met levels: each met level scores at least the threshold t and the
    first unmet one less than t, so t·k ≤ score < k + t (score ≤ top level when all are met).
    """
    exact = _score_fraction(total, model)
    if not 0 <= level <= model.max_level:
        return False
    if model.level_rule == LEVEL_RULE_BAND:
        return _band_level(exact, model) == level
    threshold = Fraction(model.met_threshold)
    if exact < threshold * level:
        return False
    return level == model.max_level or exact < level + threshold


def score_assessment(
    model: MaturityModel,
    answers: Mapping[str, Answer],
    *,
    manufacturing_type: str,
    left_out: Collection[str] = (),
) -> AssessmentScore:
    """Score one assessment by the rules in the module docstring.

    ``answers`` maps item codes to a grade key (or grade name), to a Decimal equal to one of the
    grade values, or to None (not answered); an unknown item code or grade raises AnswerError.
    Answers of left-out sub-domains, and of levels above the first unmet one, do not count.
    ``manufacturing_type`` is a type code or name. ``left_out`` names sub-domains that do not
    apply to the enterprise; they leave every average and the weights are renormalised.
    """
    kind = model.manufacturing_type(manufacturing_type)
    excluded = _left_out(model, left_out)
    grades = _grades(model, answers)
    weights = {code: Fraction(weight) for code, weight in kind.weights.items()}

    included_at: dict[int, list[SubDomain]] = {}
    for level in model.levels:
        included = [
            sub
            for sub in model.sub_domains
            if level.number in sub.levels and sub.code not in excluded
        ]
        if not included:
            raise AnswerError(f"第 {level.number} 级的能力子域都被剔除了，无法评分")
        included_at[level.number] = included

    def sub_scores(level: int) -> dict[str, Fraction]:
        return {
            sub.code: _weighted_mean(
                (Fraction(item.weight), grades.get(item.code, Fraction(0)))
                for item in model.items_at(sub.code, level)
            )
            for sub in included_at[level]
        }

    threshold = Fraction(model.met_threshold)
    level_scores: dict[int, Fraction] = {}
    scores_by_level: dict[int, dict[str, Fraction]] = {}
    met = 0
    for level in range(1, model.max_level + 1):
        scores = sub_scores(level)
        scores_by_level[level] = scores
        level_scores[level] = _weighted_mean(
            (weights[code], score) for code, score in scores.items()
        )
        if level_scores[level] < threshold:
            break
        met += 1

    total = min(sum(level_scores.values(), Fraction(0)), Fraction(model.max_level))
    band = _band_level(total, model)
    level = band if model.level_rule == LEVEL_RULE_BAND else met
    next_level = min(level + 1, model.max_level)
    evaluated = tuple(level_scores)
    if next_level not in scores_by_level:
        scores_by_level[next_level] = sub_scores(next_level)

    reported_levels = sorted({*evaluated, next_level})
    sub_domain_scores = {
        lvl: MappingProxyType({code: _to_decimal(v) for code, v in scores_by_level[lvl].items()})
        for lvl in reported_levels
    }
    domain_scores = {
        lvl: MappingProxyType(_domain_scores(model, scores_by_level[lvl], weights))
        for lvl in reported_levels
    }
    exact_total = _to_decimal(total)
    shown_band = _band_level(Fraction(display_score(exact_total)), model)

    unanswered = tuple(
        item.code
        for item in model.items
        if item.level in level_scores
        and item.sub_domain not in excluded
        and item.code not in grades
    )
    return AssessmentScore(
        edition=model.edition,
        version=model.version,
        manufacturing_type=kind.code,
        level_rule=model.level_rule,
        total=exact_total,
        level=level,
        level_name=level_name(level),
        level_title=model.levels[level - 1].name if level else "",
        band_level=band,
        met_levels=met,
        evaluated_levels=evaluated,
        level_scores=MappingProxyType({lvl: _to_decimal(s) for lvl, s in level_scores.items()}),
        next_level=next_level,
        sub_domain_scores=MappingProxyType(sub_domain_scores),
        domain_scores=MappingProxyType(domain_scores),
        borderline=band != met,
        rounding_changes_band=shown_band != band,
        left_out=tuple(sub.code for sub in model.sub_domains if sub.code in excluded),
        unanswered=unanswered,
    )


def improvement_items(
    model: MaturityModel,
    answers: Mapping[str, Answer],
    *,
    target_level: int,
    left_out: Collection[str] = (),
) -> list[ImprovementGroup]:
    """Items of ``target_level`` not fully met (or not answered), grouped by domain.

    Domains, sub-domains and items keep the model's order; domains with nothing to improve and
    left-out sub-domains are omitted.
    """
    model.level(target_level)
    excluded = _left_out(model, left_out)
    grades = _grades(model, answers)
    full = Fraction(model.full_grade)
    groups = []
    for domain in model.domains:
        found = []
        for sub in model.sub_domains_of(domain.code):
            if sub.code in excluded:
                continue
            for item in model.items_at(sub.code, target_level):
                grade = grades.get(item.code)
                if grade is not None and grade >= full:
                    continue
                found.append(
                    ImprovementItem(
                        code=item.code,
                        sub_domain=sub.code,
                        sub_domain_name=sub.name,
                        level=item.level,
                        text=item.text,
                        grade=None if grade is None else _to_decimal(grade),
                    )
                )
        if found:
            groups.append(
                ImprovementGroup(domain=domain.code, domain_name=domain.name, items=tuple(found))
            )
    return groups


def unanswered_items(
    model: MaturityModel, answers: Mapping[str, Answer], *, left_out: Collection[str] = ()
) -> tuple[str, ...]:
    """Every item of the sub-domains that apply that has no answer yet, in model order."""
    excluded = _left_out(model, left_out)
    grades = _grades(model, answers)
    return tuple(
        item.code
        for item in model.items
        if item.sub_domain not in excluded and item.code not in grades
    )


def _grades(model: MaturityModel, answers: Mapping[str, Answer]) -> dict[str, Fraction]:
    grades: dict[str, Fraction] = {}
    values = {grade.value for grade in model.grades}
    for code, answer in answers.items():
        model.item(code)
        if answer is None:
            continue
        if isinstance(answer, str):
            grade = model._grade_index.get(answer)
            if grade is None:
                raise AnswerError(f"条目“{code}”的答案“{answer}”不是已定义的评分等级")
            grades[code] = Fraction(grade.value)
        elif isinstance(answer, Decimal) or (
            isinstance(answer, int) and not isinstance(answer, bool)
        ):
            value = Decimal(answer)
            if value not in values:
                raise AnswerError(f"条目“{code}”的得分 {value} 不是评分等级的分值之一")
            grades[code] = Fraction(value)
        else:
            raise AnswerError(f"条目“{code}”的答案“{answer!r}”应是评分等级或 Decimal 分值")
    return grades


def _left_out(model: MaturityModel, left_out: Collection[str]) -> frozenset[str]:
    if isinstance(left_out, str):
        raise AnswerError("left_out 应是能力子域编码的集合，而不是单个字符串")
    for code in left_out:
        model.sub_domain(code)
    return frozenset(left_out)


def _weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction:
    total_weight = Fraction(0)
    weighted = Fraction(0)
    for weight, value in pairs:
        total_weight += weight
        weighted += weight * value
    return weighted / total_weight


def _domain_scores(
    model: MaturityModel, sub_scores: Mapping[str, Fraction], weights: Mapping[str, Fraction]
) -> dict[str, Decimal]:
    result = {}
    for domain in model.domains:
        pairs = [
            (weights[sub.code], sub_scores[sub.code])
            for sub in model.sub_domains_of(domain.code)
            if sub.code in sub_scores
        ]
        if pairs:
            result[domain.code] = _to_decimal(_weighted_mean(pairs))
    return result


def _band_level(total: Fraction, model: MaturityModel) -> int:
    return sum(1 for bound in model.bands if total >= Fraction(bound))


def _score_fraction(total: Decimal | int | str, model: MaturityModel) -> Fraction:
    if isinstance(total, bool) or isinstance(total, float):
        raise AnswerError(f"分数“{total}”应是 Decimal 或数字字符串，不能是浮点数")
    try:
        value = Decimal(total)
    except (InvalidOperation, TypeError, ValueError):
        raise AnswerError(f"分数“{total}”不是数字") from None
    if not value.is_finite() or not 0 <= value <= model.max_level:
        raise AnswerError(f"分数 {total} 不在 0 到 {model.max_level} 之间")
    return Fraction(value)


def _to_decimal(value: Fraction) -> Decimal:
    # A local context: the result must not depend on whatever the caller set globally.
    with localcontext() as context:
        context.prec = 28
        context.rounding = ROUND_HALF_EVEN
        return Decimal(value.numerator) / Decimal(value.denominator)
