"""A factory's built scenarios: saved by the enterprise or its city officer, never overwritten
by a page that is older than the last save."""

from django.urls import reverse

from factorytiers.campaigns.models import FactoryScenario, Scenario


def _post(client, factory, numbers, ai=(), version=None):
    scenarios = Scenario.objects.filter(number__in=numbers)
    data = {
        "scenarios": [s.pk for s in scenarios],
        "ai_scenarios": [s.pk for s in scenarios if s.number in ai],
    }
    if version is not None:
        data["version"] = version
    return client.post(reverse("campaigns:factory_scenarios", args=[factory.pk]), data, follow=True)


def test_the_enterprise_records_its_scenarios(client, users, factory_a):
    client.force_login(users["enterprise_a"])
    _post(client, factory_a, [20, 24, 27], ai=[24], version=factory_a.version)
    rows = FactoryScenario.objects.filter(factory=factory_a).select_related("scenario")
    assert sorted(r.scenario.number for r in rows) == [20, 24, 27]
    assert [r.scenario.number for r in rows if r.uses_ai] == [24]
    factory_a.refresh_from_db()
    assert factory_a.version == 2


def test_a_stale_page_is_told_of_the_conflict_and_nothing_is_overwritten(client, users, factory_a):
    opened = factory_a.version
    client.force_login(users["city_a"])
    _post(client, factory_a, [8, 9], version=opened)
    client.force_login(users["enterprise_a"])
    response = _post(client, factory_a, [30], version=opened)
    assert "已被他人修改" in response.content.decode()
    numbers = FactoryScenario.objects.filter(factory=factory_a).values_list(
        "scenario__number", flat=True
    )
    assert sorted(numbers) == [8, 9]


def test_another_units_officer_cannot_touch_them(client, users, factory_a):
    client.force_login(users["city_b"])
    response = client.post(
        reverse("campaigns:factory_scenarios", args=[factory_a.pk]),
        {"scenarios": [Scenario.objects.first().pk]},
    )
    assert response.status_code == 404
    assert not FactoryScenario.objects.exists()
