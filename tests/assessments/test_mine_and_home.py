"""The enterprise's own self-assessment page, the navigation, and the home-page card."""

from datetime import date

from django.urls import reverse

from tests.assessments.conftest import platform_result, submitted


def test_the_enterprise_page_lists_assessments_and_platform_results(
    ent_client, ent_user, enterprise_a, frozen
):
    submitted(ent_user, enterprise_a, year=2025)
    platform_result(enterprise_a, year=2026, score="2.40", level=2, on=date(2026, 3, 2))
    content = ent_client.get(reverse("assessments:mine")).content.decode()
    assert "2026年度计入统计的结果" in content
    assert '<span class="fs-4 fw-semibold">2.40</span>' in content and "二级" in content
    assert "国家平台结果 · 2026-03-02" in content
    assert "<td>2025</td><td>已提交</td>" in content and "查看结果" in content
    assert 'id="start-form"' in content and "录入平台结果" in content


def test_without_results_the_page_says_so(ent_client, frozen):
    content = ent_client.get(reverse("assessments:mine")).content.decode()
    assert "本年度尚无已提交的自评估或国家平台结果" in content and "尚未开始自评估" in content


def test_navigation_and_home_card_by_role(client, users, ent_client, draft):
    home = ent_client.get(reverse("home")).content.decode()
    assert "成熟度自评估</a>" in home and "自评估情况</a>" not in home
    assert "自评估正在填写中，尚未提交" in home and "继续自评估" in home
    client.force_login(users["city_a"])
    home = client.get(reverse("home")).content.decode()
    assert "自评估情况</a>" in home and "成熟度模型</a>" not in home
    assert 'href="/assessments/overview/?year=2026&status=assessed" id="home-assessed">0<' in home
    assert 'id="home-not-assessed"' in home
    client.force_login(users["admin"])
    assert "成熟度模型</a>" in client.get(reverse("home")).content.decode()
    client.force_login(users["expert"])
    assert 'id="assessment-home-card"' not in client.get(reverse("home")).content.decode()


def test_a_submitted_result_shows_on_the_home_card(ent_client, ent_user, enterprise_a, frozen):
    submitted(ent_user, enterprise_a)
    home = ent_client.get(reverse("home")).content.decode()
    assert "<strong>3.80</strong>" in home and "<strong>四级</strong>" in home
