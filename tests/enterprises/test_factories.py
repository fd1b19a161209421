from django.urls import reverse

from factorytiers.enterprises.models import Factory
from factorytiers.reference.models import Country


def test_an_enterprise_user_adds_an_overseas_factory(client, users, enterprise_a):
    client.force_login(users["enterprise_a"])
    kz = Country.objects.get(iso2="KZ")
    response = client.post(
        reverse("enterprises:factory_create", args=[enterprise_a.pk]),
        {"name": "阿拉木图工厂", "location": "阿拉木图", "is_overseas": "on", "country": kz.pk},
    )
    assert response.status_code == 302
    factory = Factory.objects.get(name="阿拉木图工厂")
    assert factory.country == kz and factory.is_overseas
    detail = client.get(reverse("enterprises:detail", args=[enterprise_a.pk])).content.decode()
    assert "哈萨克斯坦" in detail
    assert "一带一路" in detail and "金砖" in detail


def test_an_overseas_factory_needs_a_country(client, users, enterprise_a):
    client.force_login(users["enterprise_a"])
    response = client.post(
        reverse("enterprises:factory_create", args=[enterprise_a.pk]),
        {"name": "海外工厂", "location": "某地", "is_overseas": "on"},
    )
    assert "所在国家：海外工厂须选择所在国家" in response.content.decode()
    assert not Factory.objects.exists()


def test_a_domestic_factory_drops_a_country(client, users, enterprise_a):
    client.force_login(users["enterprise_a"])
    client.post(
        reverse("enterprises:factory_create", args=[enterprise_a.pk]),
        {"name": "二厂", "location": "太原", "country": Country.objects.get(iso2="DE").pk},
    )
    assert Factory.objects.get(name="二厂").country is None


def test_factory_edit_conflict(client, users, factory_a):
    client.force_login(users["city_a"])
    url = reverse("enterprises:factory_edit", args=[factory_a.pk])
    assert client.post(url, {"name": "新名", "location": "太原", "version": 1}).status_code == 302
    response = client.post(url, {"name": "另一个名", "location": "太原", "version": 1})
    assert "已被他人修改" in response.content.decode()
    factory_a.refresh_from_db()
    assert factory_a.name == "新名"


def test_another_units_officer_cannot_add_a_factory(client, users, enterprise_b):
    client.force_login(users["city_a"])
    response = client.post(
        reverse("enterprises:factory_create", args=[enterprise_b.pk]),
        {"name": "x", "location": "y"},
    )
    assert response.status_code == 404
    assert not Factory.objects.exists()
