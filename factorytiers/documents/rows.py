"""Plain-data rows of the official forms (附件1, 附件2's attached table, 附件4, 附件5).

Selectors fill these from the models; the renderers never see a model. Each row checks itself
on creation: a value the notice does not allow (a 所属行业 outside the four, an introduction over
500 characters …) raises :class:`FormRowError` naming the row and the column, so a form is never
produced with a value the province would send back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from factorytiers.domain.enterprise_size import SizeClass
from factorytiers.domain.sectors import EnterpriseNature, Sector
from factorytiers.domain.tiers import Tier

INTRODUCTION_MAX_CHARACTERS: Final = 500
ATTACHED_TABLE_TIERS: Final = (Tier.BASIC, Tier.ADVANCED)
SCENARIO_SEPARATOR: Final = "、"


class FormRowError(ValueError):
    """A row cannot go on the form; ``seq`` and ``column`` say where, ``message`` what."""

    def __init__(self, seq: int, column: str, message: str) -> None:
        self.seq = seq
        self.column = column
        self.message = f"序号{seq}（{column}）：{message}"
        super().__init__(self.message)


# The choices, listed once (a table of ten thousand rows checks each row against them).
SECTORS: Final = tuple(sector.value for sector in Sector)
NATURES: Final = tuple(nature.value for nature in EnterpriseNature)
SIZE_CLASSES: Final = tuple(size.value for size in SizeClass)


def _require_text(seq: int, column: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FormRowError(seq, column, "不能为空")


def _require_choice(seq: int, column: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise FormRowError(seq, column, f"“{value}”不是允许的值（{'、'.join(choices)}）")


def _require_seq(seq: int) -> None:
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise FormRowError(seq, "序号", "应为从1开始的整数")


def join_scenarios(names: Sequence[str]) -> str:
    return SCENARIO_SEPARATOR.join(name.strip() for name in names if name.strip())


@dataclass(frozen=True)
class Form1Row:
    """附件1 先进级智能工厂名单汇总表."""

    seq: int
    enterprise_name: str
    factory_name: str
    scenario_names: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _require_seq(self.seq)
        _require_text(self.seq, "企业名称", self.enterprise_name)
        _require_text(self.seq, "工厂名称", self.factory_name)
        object.__setattr__(self, "scenario_names", tuple(self.scenario_names))
        if not join_scenarios(self.scenario_names):
            raise FormRowError(self.seq, "智能制造典型场景（名称）", "至少填写一个场景")


@dataclass(frozen=True)
class Form2Row:
    """附件2 所附 基础级、先进级智能工厂名单汇总表."""

    seq: int
    enterprise_name: str
    factory_name: str
    score: Decimal | None  # 能力成熟度自评估得分; None when the enterprise has none this year
    tier: str  # 基础级 / 先进级
    sector: str
    nature: str
    size_class: str
    industry_group: str  # 行业中类, "341 锅炉及原动设备制造"
    industry_class: str  # 行业小类, "3411 锅炉及辅助设备制造"
    scenario_names: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _require_seq(self.seq)
        _require_text(self.seq, "企业名称", self.enterprise_name)
        _require_text(self.seq, "工厂名称", self.factory_name)
        if self.score is not None and (not self.score.is_finite() or self.score < 0):
            raise FormRowError(self.seq, "能力成熟度自评估得分", f"应为非负数，当前为{self.score}")
        _require_choice(self.seq, "工厂级别", self.tier, ATTACHED_TABLE_TIERS)
        _require_choice(self.seq, "所属行业", self.sector, SECTORS)
        _require_choice(self.seq, "企业性质", self.nature, NATURES)
        _require_choice(self.seq, "企业类型", self.size_class, SIZE_CLASSES)
        _require_text(self.seq, "行业中类", self.industry_group)
        _require_text(self.seq, "行业小类", self.industry_class)
        object.__setattr__(self, "scenario_names", tuple(self.scenario_names))


@dataclass(frozen=True)
class Form4Row:
    """附件4 智能制造示范工厂揭榜单位验收推荐表."""

    seq: int
    enterprise_name: str  # 揭榜单位名称
    project_name: str  # 揭榜项目名称

    def __post_init__(self) -> None:
        _require_seq(self.seq)
        _require_text(self.seq, "揭榜单位名称", self.enterprise_name)
        _require_text(self.seq, "揭榜项目名称", self.project_name)


@dataclass(frozen=True)
class Form5Row:
    """附件5 海外智能工厂培育名单."""

    seq: int
    enterprise_name: str
    factory_name: str  # 海外智能工厂名称
    self_assessed_level: str  # 自评级别
    sector: str
    employees: int  # 从业人数
    revenue_wan: Decimal  # 营业收入(万元)
    introduction: str  # 海外智能工厂简介, 500 characters at most
    contact: str  # 企业联系人及联系方式

    def __post_init__(self) -> None:
        _require_seq(self.seq)
        _require_text(self.seq, "企业名称", self.enterprise_name)
        _require_text(self.seq, "海外智能工厂名称", self.factory_name)
        _require_text(self.seq, "自评级别", self.self_assessed_level)
        _require_choice(self.seq, "所属行业", self.sector, SECTORS)
        if isinstance(self.employees, bool) or not isinstance(self.employees, int):
            raise FormRowError(self.seq, "从业人数", "应为整数")
        if self.employees < 0:
            raise FormRowError(self.seq, "从业人数", f"不能为负数，当前为{self.employees}")
        if not isinstance(self.revenue_wan, Decimal) or not self.revenue_wan.is_finite():
            raise FormRowError(self.seq, "营业收入(万元)", "应为数字")
        if self.revenue_wan < 0:
            raise FormRowError(self.seq, "营业收入(万元)", f"不能为负数，当前为{self.revenue_wan}")
        _require_text(self.seq, "海外智能工厂简介", self.introduction)
        length = introduction_length(self.introduction)
        if length > INTRODUCTION_MAX_CHARACTERS:
            raise FormRowError(
                self.seq,
                "海外智能工厂简介",
                f"共{length}字，超过{INTRODUCTION_MAX_CHARACTERS}字的上限，请删减{length - 500}字",
            )
        _require_text(self.seq, "企业联系人及联系方式", self.contact)


@dataclass(frozen=True)
class PublicityRow:
    """One line of a 公示 list: an application publicised in the batch."""

    seq: int
    unit_name: str  # 所在地市 (the unit that recommended it)
    enterprise_name: str
    factory_name: str  # the factory, or the 揭榜 project
    kind: str  # 申报类别: 先进级 / 卓越级 / 领航级 / 揭榜验收 …

    def __post_init__(self) -> None:
        _require_seq(self.seq)
        _require_text(self.seq, "所在地市", self.unit_name)
        _require_text(self.seq, "企业名称", self.enterprise_name)
        _require_text(self.seq, "工厂（项目）名称", self.factory_name)
        _require_text(self.seq, "申报类别", self.kind)


def introduction_length(text: str) -> int:
    """Characters counted against the 500-character limit: every character but line breaks."""
    return len(text.strip().replace("\r", "").replace("\n", ""))
