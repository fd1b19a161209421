"""附件5 rows: an enterprise proposes its overseas factory; the city selects and orders them."""

from django.urls import reverse

from factorytiers.campaigns.models import OverseasRecommendation
from factorytiers.documents.selectors import form5_rows
from factorytiers.enterprises.models import Factory
from factorytiers.reference.models import Country
from tests.campaigns.conftest import unit_submission


def overseas_factory(enterprise):
    return Factory.objects.create(
        enterprise=enterprise,
        name="晋华印尼工厂",
        location="雅加达",
        is_overseas=True,
        country=Country.objects.get(iso2="ID"),
    )


def form(factory, **overrides):
    data = {
        "factory": factory.pk,
        "self_assessed_level": "先进级",
        "sector": "装备制造",
        "employees": 320,
        "revenue_wan": "18000.00",
        "introduction": "主营矿山装备。",
        "contact": "张伟 13912345678",
    }
    data.update(overrides)
    return data


def test_an_introduction_over_500_characters_is_refused(client, users, campaign, enterprise_a):
    factory = overseas_factory(enterprise_a)
    client.force_login(users["enterprise_a"])
    url = reverse("campaigns:overseas_create", args=[campaign.tasks.get(kind="overseas").pk])
    response = client.post(url, form(factory, introduction="智" * 501))
    assert response.status_code == 400 and "海外智能工厂简介：" in response.content.decode()
    assert not OverseasRecommendation.objects.exists()
    assert client.post(url, form(factory, introduction="智" * 500)).status_code == 302


def test_the_city_selects_and_the_selector_returns_the_rows(
    client, users, campaign, enterprise_a, unit_a
):
    task = campaign.tasks.get(kind="overseas")
    factory = overseas_factory(enterprise_a)
    client.force_login(users["enterprise_a"])
    client.post(reverse("campaigns:overseas_create", args=[task.pk]), form(factory))
    row = OverseasRecommendation.objects.get()
    client.force_login(users["city_a"])
    page = client.get(reverse("campaigns:task", args=[task.pk])).content.decode()
    assert "晋华印尼工厂" in page and "金砖" in page and "一带一路" in page
    client.post(
        reverse("campaigns:overseas_select", args=[task.pk]),
        {f"rank_{row.pk}": "1", "version": unit_submission(task, unit_a).version},
    )
    [(_unit, rows)] = form5_rows(users["province"], campaign, [unit_a])
    assert [(r.seq, r.factory_name) for r in rows] == [(1, "晋华印尼工厂")]
    assert form5_rows(users["city_b"], campaign, [unit_a]) == [("太原市", [])]
