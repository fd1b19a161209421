"""The tier conditions checked on an application, against the campaign's settings (data).

Every condition comes out as met, not met, or to be judged by a person; officers decide. The
settings are a plain mapping (stored per campaign, snapshotted on each application), never
constants of the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

CONSTRUCTION_LINKS: tuple[str, ...] = ("工厂建设", "研发设计", "生产作业", "生产管理", "运营管理")
LEVEL_NAMES = {0: "未达一级", 1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    TO_JUDGE = "to_judge"

    @property
    def label(self) -> str:
        return {"met": "满足", "not_met": "不满足", "to_judge": "待人工判断"}[self.value]


@dataclass(frozen=True)
class ScenarioFact:
    """One scenario of an application: its construction 环节 (None for "其他") and AI use."""

    construction_link: str | None
    uses_ai: bool


@dataclass(frozen=True)
class ConditionResult:
    code: str
    label: str
    outcome: Outcome
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "label": self.label,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


class SettingsError(ValueError):
    """The settings mapping lacks an entry or holds a bad value; the message names it."""


def _tier_settings(settings: Mapping[str, Any], tier: str) -> Mapping[str, Any]:
    tiers = settings.get("tiers")
    if not isinstance(tiers, Mapping) or tier not in tiers:
        raise SettingsError(f"条件设置中缺少“{tier}”的设置")
    return tiers[tier]


def ai_share(scenarios: Iterable[ScenarioFact]) -> Decimal | None:
    items = list(scenarios)
    if not items:
        return None
    share = Decimal(sum(1 for s in items if s.uses_ai)) / Decimal(len(items))
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def check_conditions(
    *,
    tier: str,
    scenarios: Iterable[ScenarioFact],
    maturity_level: int | None,
    above_scale: bool | None,
    settings: Mapping[str, Any],
    maturity_source: str | None = None,
) -> list[ConditionResult]:
    """``maturity_source`` says where the level comes from (for example "系统内自评估", or
    "企业申报" when there is no counted assessment); it is named in the result's detail."""
    tier_settings = _tier_settings(settings, tier)
    scenarios = list(scenarios)
    results = [
        _above_scale(above_scale, tier_settings),
        _maturity(maturity_level, tier_settings, maturity_source),
        _coverage(scenarios, tier_settings),
    ]
    if tier_settings.get("min_ai_share") is not None:
        results.append(_ai(scenarios, Decimal(str(tier_settings["min_ai_share"]))))
    if any(s.construction_link is None for s in scenarios):
        results.append(
            ConditionResult(
                "other_scenarios",
                "其他场景",
                Outcome.TO_JUDGE,
                "申报中填写了“其他”场景，其所属环节由审核人判断。",
            )
        )
    results.append(
        ConditionResult(
            "basic_requirements",
            "基本要求",
            Outcome.TO_JUDGE,
            "近三年经营和财务状况良好、无不良信用记录、无较大及以上安全环保事故、关键装备和软件"
            "安全可控、有智能制造组织和人员，由审核人依据材料判断。",
        )
    )
    for extra in tier_settings.get("extra_disqualifiers") or []:
        results.append(
            ConditionResult("extra", str(extra), Outcome.TO_JUDGE, "本省设置的附加条件。")
        )
    return results


def _above_scale(above_scale: bool | None, tier_settings: Mapping[str, Any]) -> ConditionResult:
    label = "规模以上工业企业"
    if not tier_settings.get("require_above_scale", True):
        return ConditionResult("above_scale", label, Outcome.MET, "本级别不要求规上企业。")
    if above_scale is None:
        return ConditionResult("above_scale", label, Outcome.TO_JUDGE, "规上情况未知。")
    if above_scale:
        return ConditionResult("above_scale", label, Outcome.MET, "企业为规上企业。")
    return ConditionResult("above_scale", label, Outcome.NOT_MET, "企业不是规上企业。")


def _maturity(
    level: int | None, tier_settings: Mapping[str, Any], source: str | None = None
) -> ConditionResult:
    minimum = tier_settings.get("min_maturity_level")
    if not isinstance(minimum, int) or not 1 <= minimum <= 5:
        raise SettingsError(f"最低成熟度等级设置有误：{minimum!r}")
    label = f"智能制造能力成熟度{LEVEL_NAMES[minimum]}及以上"
    if level is None:
        return ConditionResult("maturity", label, Outcome.TO_JUDGE, "尚无成熟度自评估结果。")
    found = f"自评估为{LEVEL_NAMES.get(level, str(level))}" + (
        f"（{source}）。" if source else "。"
    )
    outcome = Outcome.MET if level >= minimum else Outcome.NOT_MET
    return ConditionResult("maturity", label, outcome, found)


def _coverage(scenarios: list[ScenarioFact], tier_settings: Mapping[str, Any]) -> ConditionResult:
    required = list(tier_settings.get("required_links") or [])
    unknown = [link for link in required if link not in CONSTRUCTION_LINKS]
    if unknown:
        raise SettingsError(f"建设环节设置中有未知环节：{'、'.join(unknown)}")
    covered = {s.construction_link for s in scenarios if s.construction_link}
    missing = [link for link in required if link not in covered]
    label = f"覆盖建设环节：{'、'.join(required)}" if required else "覆盖建设环节"
    if not missing:
        return ConditionResult("coverage", label, Outcome.MET, "所需环节均已覆盖。")
    detail = f"未覆盖：{'、'.join(missing)}。"
    # "In principle" coverage (卓越级) is for the officer to weigh, not a refusal.
    if tier_settings.get("coverage_rule", "strict") == "judge":
        return ConditionResult(
            "coverage", label, Outcome.TO_JUDGE, detail + "原则上应覆盖，由审核人判断。"
        )
    return ConditionResult("coverage", label, Outcome.NOT_MET, detail)


def _ai(scenarios: list[ScenarioFact], minimum: Decimal) -> ConditionResult:
    label = f"应用人工智能的场景占比不低于{minimum * 100:.0f}%"
    share = ai_share(scenarios)
    if share is None:
        return ConditionResult("ai_share", label, Outcome.NOT_MET, "未填写任何场景。")
    detail = f"当前占比{share * 100:.1f}%。"
    return ConditionResult(
        "ai_share", label, Outcome.MET if share >= minimum else Outcome.NOT_MET, detail
    )
