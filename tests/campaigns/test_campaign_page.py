"""The seeded 2026 campaign and its page: tasks, deadlines, statement, platforms, contact."""

from datetime import date

import time_machine
from django.urls import reverse

from factorytiers.campaigns.models import Campaign, Scenario

DEADLINES = [
    ("overseas", date(2026, 3, 10)),
    ("self_assessment", date(2026, 4, 15)),
    ("pilot_acceptance", date(2026, 4, 15)),
    ("advanced", date(2026, 5, 6)),
    ("report", date(2026, 5, 22)),
    ("excellent", date(2026, 6, 1)),
    ("leading", None),
    ("ongoing", None),
]


def test_the_2026_campaign_is_seeded_from_the_notice(db):
    campaign = Campaign.objects.get(year=2026, province__code="140000")
    assert campaign.issued_on == date(2026, 3, 8)
    assert campaign.document_number == ""
    assert (campaign.contact_name, campaign.contact_phone) == ("梁智渊", "0351-3183088")
    assert [(t.kind, t.deadline) for t in campaign.tasks.all()] == DEADLINES
    assert campaign.tasks.get(kind="ongoing").deadline_note == "全年"
    assert campaign.settings["publicity_working_days"] == 5


def test_the_scenario_guide_has_forty_scenarios_in_eight_links(db):
    assert Scenario.objects.filter(edition__code="2025").count() == 40
    assert Scenario.objects.values("link").distinct().count() == 8
    assert Scenario.objects.get(number=17).name_variant


@time_machine.travel("2026-05-01 10:00 +0800", tick=False)
def test_the_page_shows_tasks_with_days_left_statement_platforms_and_contact(
    client, users, campaign
):
    client.force_login(users["enterprise_a"])
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "先进级智能工厂推荐" in content and "剩余5天" in content
    assert "已逾期52天" in content  # 海外智能工厂培育推荐, 03-10
    assert "全年" in content
    assert "均不收取任何费用" in content
    assert "www.miit-imps.com" in content and "www.c3mep.cn" in content
    assert "梁智渊 0351-3183088" in content


def test_it_refuses_post(client, users, campaign):
    client.force_login(users["province"])
    assert client.post(reverse("campaigns:detail", args=[campaign.pk])).status_code == 405
