"""A city officer picks the enterprise (searchable, only the unit's) for a 附件5 row instead of
typing its id into the address."""

from django.urls import reverse

from factorytiers.campaigns.models import OverseasRecommendation
from tests.conftest import make_enterprise

from .test_overseas import form, overseas_factory


def overseas_task(campaign):
    return campaign.tasks.get(kind="overseas")


def test_the_picker_lists_only_the_units_enterprises_with_their_overseas_factories(
    client, users, campaign, enterprise_a, enterprise_b, unit_a
):
    overseas_factory(enterprise_a)
    overseas_factory(enterprise_b)
    make_enterprise(unit_a, name="太原无海外工厂有限公司", body="MA0A0009")
    client.force_login(users["city_a"])
    task = overseas_task(campaign)
    response = client.get(reverse("campaigns:overseas_pick", args=[task.pk]))
    assert response.status_code == 200
    rows = [(e.name, e.overseas_count, e.listed_count) for e in response.context["page"]]
    assert rows == [("太原晋华重工有限公司", 1, 0), ("太原无海外工厂有限公司", 0, 0)]
    page = response.content.decode()
    assert f"?enterprise={enterprise_a.pk}" in page
    assert "大同云冈机械有限公司" not in page
    assert "尚未登记海外工厂" in page


def test_the_picker_searches_by_name_and_credit_code(client, users, campaign, enterprise_a, unit_a):
    other = make_enterprise(unit_a, name="太原钢铁装备有限公司", body="MA0A0010")
    client.force_login(users["city_a"])
    url = reverse("campaigns:overseas_pick", args=[overseas_task(campaign).pk])
    names = [e.name for e in client.get(url, {"q": "钢铁"}).context["page"]]
    assert names == ["太原钢铁装备有限公司"]
    names = [e.name for e in client.get(url, {"q": enterprise_a.credit_code}).context["page"]]
    assert names == ["太原晋华重工有限公司"]
    response = client.get(url, {"q": "不存在的企业"})
    assert list(response.context["page"]) == [] and "没有找到符合条件的企业" in (
        response.content.decode()
    )
    assert other.pk  # the other enterprise is in the unit, only filtered out by the search


def test_the_form_without_an_enterprise_sends_the_officer_to_the_picker(client, users, campaign):
    task = overseas_task(campaign)
    client.force_login(users["city_a"])
    for query in ({}, {"enterprise": "abc"}):
        response = client.get(reverse("campaigns:overseas_create", args=[task.pk]), query)
        assert response.status_code == 302
        assert response["Location"] == reverse("campaigns:overseas_pick", args=[task.pk])


def test_the_city_adds_a_row_for_the_picked_enterprise(
    client, users, campaign, enterprise_a, unit_a
):
    factory = overseas_factory(enterprise_a)
    task = overseas_task(campaign)
    client.force_login(users["city_a"])
    url = reverse("campaigns:overseas_create", args=[task.pk]) + f"?enterprise={enterprise_a.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "更换企业" in page.content.decode()
    response = client.post(url, form(factory))
    assert response.status_code == 302
    row = OverseasRecommendation.objects.get()
    assert (row.enterprise, row.unit, row.created_by) == (enterprise_a, unit_a, users["city_a"])
    picker = client.get(reverse("campaigns:overseas_pick", args=[task.pk]))
    assert [(e.overseas_count, e.listed_count) for e in picker.context["page"]] == [(1, 1)]
    assert "海外工厂均已在名单中" in picker.content.decode()


def test_another_units_enterprise_cannot_be_picked(client, users, campaign, enterprise_b):
    factory = overseas_factory(enterprise_b)
    task = overseas_task(campaign)
    client.force_login(users["city_a"])
    url = reverse("campaigns:overseas_create", args=[task.pk]) + f"?enterprise={enterprise_b.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, form(factory)).status_code == 404
    assert not OverseasRecommendation.objects.exists()


def test_the_picker_is_only_for_the_overseas_task_and_officers(client, users, campaign):
    client.force_login(users["city_a"])
    advanced = campaign.tasks.get(kind="advanced")
    assert client.get(reverse("campaigns:overseas_pick", args=[advanced.pk])).status_code == 404
    client.force_login(users["enterprise_a"])
    url = reverse("campaigns:overseas_pick", args=[overseas_task(campaign).pk])
    assert client.get(url).status_code == 403
    client.force_login(users["city_a"])
    assert client.post(url).status_code == 405
