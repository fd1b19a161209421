"""附件2's attached table: each factory once, with its one tier in force and the scenarios of its
recognized application; the report's tier counts are its own table's."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from factorytiers.campaigns.models import (
    Application,
    ApplicationScenario,
    Campaign,
    FactoryScenario,
    Scenario,
)
from factorytiers.documents import generate, selectors
from factorytiers.enterprises.models import Factory, TierRecognition

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def campaign(db):
    return Campaign.objects.get(year=2026)


@pytest.fixture
def scenarios(campaign):
    return list(Scenario.objects.filter(edition=campaign.scenario_edition).order_by("number")[:4])


def recognize(factory, tier, recognized_on, **fields):
    return TierRecognition.objects.create(
        factory=factory,
        tier=tier,
        year=recognized_on.year,
        recognized_by="unit" if tier == "基础级" else "province",
        document_number=f"测试〔{recognized_on.year}〕{factory.pk}号",
        recognized_on=recognized_on,
        **fields,
    )


@pytest.fixture
def factories(users, campaign, scenarios, enterprise_a, factory_a):
    """晋华一厂 holds 基础级 (2025) and 先进级 (2026, through an application); 晋华二厂 holds
    基础级 with its own built scenarios; 晋华三厂's 基础级 was revoked."""
    recognize(factory_a, "基础级", date(2025, 3, 1))
    advanced = recognize(factory_a, "先进级", date(2026, 4, 1))
    application = Application.objects.create(
        campaign=campaign,
        task=campaign.tasks.get(kind="advanced"),
        kind="先进级",
        enterprise=enterprise_a,
        unit=enterprise_a.unit,
        factory=factory_a,
        project_name="晋华智能工厂项目",
        state="recognized",
        city_rank=1,
        created_by=users["enterprise_a"],
        other_scenarios="重型铸件智能浇注\n\n  远程运维服务  ",
        recognition=advanced,
    )
    for scenario in scenarios[:2]:
        ApplicationScenario.objects.create(application=application, scenario=scenario)
    FactoryScenario.objects.create(factory=factory_a, scenario=scenarios[3])  # not listed

    second = Factory.objects.create(enterprise=enterprise_a, name="晋华二厂", location="太原市")
    recognize(second, "基础级", date(2026, 2, 1))
    FactoryScenario.objects.create(factory=second, scenario=scenarios[2])

    third = Factory.objects.create(enterprise=enterprise_a, name="晋华三厂", location="太原市")
    recognize(third, "基础级", date(2025, 3, 1), revoked=True, revoked_on=date(2026, 1, 5))
    return factory_a, second, third


def test_each_factory_appears_once_with_its_highest_tier_and_its_applications_scenarios(
    users, campaign, unit_a, scenarios, factories
):
    rows = selectors.form2_rows(users["city_a"], campaign, [unit_a])[0][1]
    assert [(row.seq, row.factory_name, row.tier) for row in rows] == [
        (1, "晋华二厂", "基础级"),
        (2, "晋华一厂", "先进级"),
    ]
    assert list(rows[0].scenario_names) == [scenarios[2].name]  # its own built scenario
    assert list(rows[1].scenario_names) == [
        scenarios[0].name,
        scenarios[1].name,
        "重型铸件智能浇注",
        "远程运维服务",
    ]


def test_the_reports_tier_counts_are_its_attached_tables_rows(
    client, users, campaign, unit_a, factories
):
    data = generate.report_data(users["city_a"], campaign, unit_a)
    tiers = [row.tier for row in data.attached_rows]
    table = {tier: tiers.count(tier) for tier in ("基础级", "先进级")}
    counts = {tier: data.statistics.in_force[tier].value for tier in ("基础级", "先进级")}
    assert counts == table == {"基础级": 1, "先进级": 1}

    client.force_login(users["city_a"])
    task = campaign.tasks.get(kind="report")
    response = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "docx"]))
    document = Document(io.BytesIO(response.content))
    tier_table, attached = document.tables[0], document.tables[-1]
    in_force = {row.cells[0].text: row.cells[1].text for row in tier_table.rows[1:]}
    assert (in_force["基础级"], in_force["先进级"]) == ("1", "1")
    assert [row.cells[4].text for row in attached.rows[1:]] == ["基础级", "先进级"]
    assert attached.rows[2].cells[10].text.startswith(f"{_scenario_names(campaign)[0]}、")


def _scenario_names(campaign):
    return list(
        Scenario.objects.filter(edition=campaign.scenario_edition)
        .order_by("number")
        .values_list("name", flat=True)[:2]
    )
