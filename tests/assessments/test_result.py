"""The result page: score, level, domain and sub-domain scores, radar data, improvement list,
comparison with peers (only over 5 or more), earlier years."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorytiers.assessments.selectors import peer_comparison
from tests.assessments.conftest import bulk_enterprises, platform_result, submitted


@pytest.fixture
def result(ent_user, enterprise_a, frozen):
    return submitted(ent_user, enterprise_a, left_out={"LOGISTICS": "产品由客户自提"})


def page(client, assessment):
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_score_level_and_every_domain(ent_client, result, model):
    content = page(ent_client, result)
    assert re.search(r'id="result-score">3.80<', content)
    assert "四级" in content and "优化级" in content
    for domain in model.domains:
        assert f"<td>{domain.name}</td>" in content
    assert "计入本年度统计" in content
    assert "物流 › 物流：产品由客户自提" in content


def test_the_radar_data_is_for_the_next_level_and_the_page_runs_no_inline_script(
    ent_client, result
):
    content = page(ent_client, result)
    data = json.loads(
        re.search(r'id="radar-data" type="application/json">(.*?)</script>', content).group(1)
    )
    assert len(data["indicators"]) == 11  # 物流 is left out
    assert [s["name"] for s in data["series"]] == ["五级（下一等级）", "四级（当前等级）"]
    assert set(data["series"][0]["values"]) == {0.0} and set(data["series"][1]["values"]) == {0.8}
    scripts = re.findall(r"<script([^>]*)>", content)
    assert all("src=" in attrs or "application/json" in attrs for attrs in scripts)
    assert "vendor/echarts/echarts.min.js" in content and "js/assessment-result.js" in content


def test_the_improvement_list_names_the_next_levels_items_by_domain(ent_client, result, model):
    content = page(ent_client, result)
    assert "改进清单：达到五级尚未全部满足的要求" in content
    improvements = content[
        content.index('id="improvements"') : content.index("不适用的能力子域</h2>")
    ]
    level_five = [i for i in model.items if i.level == 5 and i.sub_domain != "LOGISTICS"]
    assert improvements.count("<li>") == len(level_five)
    assert "[STRAT.L5.1]" in improvements and "[LOG.L5.1]" not in improvements


def test_peers_are_hidden_below_five_enterprises(ent_client, result):
    content = page(ent_client, result)
    assert content.count("已评估企业不足 5 家，不显示") == 3


def test_peer_averages_appear_with_five_enterprises(ent_client, ent_user, result, unit_a, unit_b):
    # Four more in 太原 (same sector and 大类) and five elsewhere in another 大类.
    for n, enterprise in enumerate(bulk_enterprises(unit_a, 4, prefix="MP")):
        platform_result(
            enterprise, score=["1.00", "2.00", "3.00", "4.90"][n], level=[1, 2, 3, 5][n]
        )
    for enterprise in bulk_enterprises(
        unit_b, 5, prefix="MR", industry_code="1311", sector="消费品"
    ):
        platform_result(enterprise, score="0.50", level=0, on=date(2026, 2, 1))
    groups = {g.key: g for g in peer_comparison(result.enterprise, 2026)}
    unit = groups["unit"]
    assert unit.shown and unit.count == 5
    # (3.80 + 1.00 + 2.00 + 3.00 + 4.90) / 5 = 2.94; median 3.00
    assert (unit.mean, unit.median, unit.low, unit.high) == (
        Decimal("2.94"),
        Decimal("3.00"),
        Decimal("2.00"),  # lower and upper quartile of 1.00 2.00 3.00 3.80 4.90: no single peer
        Decimal("3.80"),
    )
    assert groups["sector"].count == 5 and groups["division"].name == "35 专用设备制造业"
    content = page(ent_client, result)
    assert "2.94" in content and content.count("不足 5 家") == 0
    # No peer's name reaches the enterprise.
    assert "测试企业MP" not in content


def test_earlier_years_are_listed(ent_client, result, enterprise_a):
    platform_result(enterprise_a, year=2025, score="2.85", level=3, on=date(2025, 4, 10))
    content = page(ent_client, result)
    table = content[content.index('id="earlier-years"') :]
    assert "<td>2025</td>" in table and "2.85" in table and "三级" in table


def test_an_assessment_not_counted_says_so(ent_client, result, enterprise_a, frozen):
    frozen.shift(60)
    platform_result(enterprise_a, score="3.90", level=4, on=date(2026, 4, 1))
    assert "本年度计入统计的是另一条更晚的结果（国家平台结果）" in page(ent_client, result)


def test_the_city_and_province_see_the_result(client, users, result):
    for role in ("city_a", "province"):
        client.force_login(users[role])
        assert "3.80" in page(client, result)


def test_a_draft_shows_its_summary_instead(client, users, draft):
    client.force_login(users["city_a"])
    content = page(client, draft)
    assert "已答条目" in content and "submit-button" not in content


@settings(
    deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(0, 500), min_size=0, max_size=14))
def test_the_peer_figures_from_the_kept_counts_equal_those_from_the_sorted_scores(
    result, unit_a, cents
):
    from django.db import transaction

    with transaction.atomic():
        for n, enterprise in enumerate(bulk_enterprises(unit_a, len(cents), prefix="KP")):
            score = Decimal(cents[n]) / 100
            platform_result(enterprise, score=str(score), level=min(5, int(score)))
        kept = peer_comparison(result.enterprise, 2026)
        assert kept == peer_comparison(result.enterprise, 2026, kept=False)
        transaction.set_rollback(True)
