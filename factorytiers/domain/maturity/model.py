"""The maturity model as data: grades, levels, elements, domains, sub-domains, items and
manufacturing types, looked up by code; the errors of bad data and of bad answers.

Nothing here depends on Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Final, TypeVar

LEVEL_RULE_BAND: Final = "band"
LEVEL_RULE_MET_LEVELS: Final = "met_levels"
LEVEL_RULES: Final = (LEVEL_RULE_BAND, LEVEL_RULE_MET_LEVELS)

_NUMERALS: Final = "一二三四五六七八九十"

_T = TypeVar("_T")


class ModelError(ValueError):
    """The model data is malformed. The message (Chinese) names the bad entry."""


class AnswerError(ValueError):
    """Answers or scoring arguments do not fit the model. The message (Chinese) says which."""


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


def level_name(level: int) -> str:
    """未达一级 for 0, else 一级, 二级, … 十级."""
    if level == 0:
        return "未达一级"
    if 1 <= level <= len(_NUMERALS):
        return f"{_NUMERALS[level - 1]}级"
    raise ValueError(f"等级 {level} 超出范围")
