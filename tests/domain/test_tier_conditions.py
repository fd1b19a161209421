import json
from decimal import Decimal
from pathlib import Path

import pytest

from factorytiers.domain.tier_conditions import (
    Outcome,
    ScenarioFact,
    SettingsError,
    ai_share,
    check_conditions,
)

SETTINGS = json.loads(
    (Path(__file__).parents[2] / "factorytiers/campaigns/seed/settings_defaults.json").read_text(
        encoding="utf-8"
    )
)


def facts(*links, ai=0):
    return [ScenarioFact(link, i < ai) for i, link in enumerate(links)]


def outcomes(**kwargs):
    base = {"maturity_level": 2, "above_scale": True, "settings": SETTINGS}
    base.update(kwargs)
    return {r.code: r.outcome for r in check_conditions(**base)}


def test_an_advanced_application_covering_the_three_links_meets_the_conditions():
    result = outcomes(tier="先进级", scenarios=facts("生产作业", "生产管理", "运营管理"))
    assert result["coverage"] == Outcome.MET
    assert result["maturity"] == Outcome.MET
    assert result["above_scale"] == Outcome.MET
    assert result["basic_requirements"] == Outcome.TO_JUDGE


def test_a_missing_link_is_not_met_and_named():
    results = check_conditions(
        tier="先进级",
        scenarios=facts("生产作业"),
        maturity_level=2,
        above_scale=True,
        settings=SETTINGS,
    )
    coverage = next(r for r in results if r.code == "coverage")
    assert coverage.outcome == Outcome.NOT_MET
    assert "生产管理、运营管理" in coverage.detail


def test_excellent_coverage_is_for_the_officer_to_judge():
    result = outcomes(tier="卓越级", maturity_level=3, scenarios=facts("生产作业", ai=1))
    assert result["coverage"] == Outcome.TO_JUDGE
    assert result["ai_share"] == Outcome.MET


def test_leading_needs_sixty_percent_ai():
    five = ("工厂建设", "研发设计", "生产作业", "生产管理", "运营管理")
    assert (
        outcomes(tier="领航级", maturity_level=4, scenarios=facts(*five, ai=3))["ai_share"]
        == Outcome.MET
    )
    assert (
        outcomes(tier="领航级", maturity_level=4, scenarios=facts(*five, ai=2))["ai_share"]
        == Outcome.NOT_MET
    )


def test_maturity_below_the_minimum_is_not_met_and_unknown_is_to_judge():
    assert outcomes(tier="卓越级", maturity_level=2, scenarios=[])["maturity"] == Outcome.NOT_MET
    assert (
        outcomes(tier="先进级", maturity_level=None, scenarios=[])["maturity"] == Outcome.TO_JUDGE
    )


def test_a_small_enterprise_is_not_met_and_unknown_is_to_judge():
    assert (
        outcomes(tier="基础级", above_scale=False, scenarios=[])["above_scale"] == Outcome.NOT_MET
    )
    assert (
        outcomes(tier="基础级", above_scale=None, scenarios=[])["above_scale"] == Outcome.TO_JUDGE
    )


def test_other_scenarios_are_for_a_person_to_judge():
    assert (
        outcomes(tier="先进级", scenarios=[ScenarioFact(None, False)])["other_scenarios"]
        == Outcome.TO_JUDGE
    )


def test_settings_are_data_a_province_may_lower_the_basic_minimum():
    lowered = json.loads(json.dumps(SETTINGS))
    lowered["tiers"]["基础级"]["min_maturity_level"] = 1
    result = outcomes(
        tier="基础级", maturity_level=1, scenarios=facts("生产作业"), settings=lowered
    )
    assert result["maturity"] == Outcome.MET


def test_extra_disqualifiers_appear_as_conditions_to_judge():
    changed = json.loads(json.dumps(SETTINGS))
    changed["tiers"]["先进级"]["extra_disqualifiers"] = ["近三年无质量事故"]
    results = check_conditions(
        tier="先进级", scenarios=[], maturity_level=2, above_scale=True, settings=changed
    )
    assert any(r.label == "近三年无质量事故" and r.outcome == Outcome.TO_JUDGE for r in results)


def test_bad_settings_are_refused_naming_the_entry():
    with pytest.raises(SettingsError, match="缺少“金级”"):
        outcomes(tier="金级", scenarios=[])
    bad = json.loads(json.dumps(SETTINGS))
    bad["tiers"]["先进级"]["required_links"] = ["炼钢"]
    with pytest.raises(SettingsError, match="炼钢"):
        outcomes(tier="先进级", scenarios=[], settings=bad)


def test_ai_share_is_exact_and_none_without_scenarios():
    assert ai_share(facts("生产作业", "生产管理", "运营管理", ai=1)) == Decimal("0.3333")
    assert ai_share([]) is None


def test_the_maturity_detail_names_where_the_level_comes_from():
    def detail(**kwargs):
        results = check_conditions(
            tier="先进级",
            scenarios=facts("生产作业"),
            above_scale=True,
            settings=SETTINGS,
            **kwargs,
        )
        return next(r.detail for r in results if r.code == "maturity")

    assert (
        detail(maturity_level=3, maturity_source="国家平台结果") == "自评估为三级（国家平台结果）。"
    )
    assert detail(maturity_level=1, maturity_source="企业申报") == "自评估为一级（企业申报）。"
    assert detail(maturity_level=2) == "自评估为二级。"
