"""The officers' list of applications: scope, every filter, the search, the page links."""

import pytest
from django.urls import reverse

from factorytiers.campaigns.models import Application
from factorytiers.enterprises.models import Factory
from tests.conftest import make_enterprise

URL = reverse("campaigns:applications")


def make_application(user, task, factory, *, project, state="submitted", kind=None, **fields):
    enterprise = factory.enterprise
    return Application.objects.create(
        campaign=task.campaign,
        task=task,
        kind=kind or task.application_kind,
        enterprise=enterprise,
        unit=enterprise.unit,
        factory=factory,
        project_name=project,
        state=state,
        created_by=user,
        **fields,
    )


@pytest.fixture
def rows(users, campaign, advanced_task, factory_a, factory_b, unit_a):
    """Unit A: two advanced applications (submitted, recommended) and one basic (ongoing task)
    of another enterprise; unit B: one submitted advanced application."""
    other = make_enterprise(unit_a, name="太原汾河机电有限公司", body="MA0C0003")
    other_factory = Factory.objects.create(enterprise=other, name="汾河一厂", location="太原市")
    ongoing = campaign.tasks.get(kind="ongoing")
    return {
        "submitted": make_application(
            users["enterprise_a"], advanced_task, factory_a, project="数字化车间项目"
        ),
        "recommended": make_application(
            users["enterprise_a"],
            advanced_task,
            factory_a,
            project="智慧物流项目",
            state="recommended",
        ),
        "basic": make_application(
            users["enterprise_a"], ongoing, other_factory, project="基础改造项目"
        ),
        "b": make_application(
            users["enterprise_b"], advanced_task, factory_b, project="云冈智能工厂"
        ),
    }


def _projects(client, **params) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {
        name
        for name in ("数字化车间项目", "智慧物流项目", "基础改造项目", "云冈智能工厂")
        if name in response.content.decode()
    }


def test_a_city_officer_sees_only_the_units_applications(city_client, rows):
    assert _projects(city_client) == {"数字化车间项目", "智慧物流项目", "基础改造项目"}
    assert "共 3 项申报" in city_client.get(URL).content.decode()


def test_the_province_sees_every_unit(client, users, rows):
    client.force_login(users["province"])
    assert _projects(client) == {"数字化车间项目", "智慧物流项目", "基础改造项目", "云冈智能工厂"}


def test_it_filters_by_state(city_client, rows):
    assert _projects(city_client, state="recommended") == {"智慧物流项目"}
    assert _projects(city_client, state="submitted") == {"数字化车间项目", "基础改造项目"}


def test_the_province_filters_by_unit(client, users, rows, unit_b):
    client.force_login(users["province"])
    assert _projects(client, unit=unit_b.pk) == {"云冈智能工厂"}


def test_a_city_officer_has_no_unit_filter_into_another_unit(city_client, rows, unit_b):
    assert "云冈智能工厂" not in city_client.get(URL, {"unit": unit_b.pk}).content.decode()
    assert 'name="unit"' not in city_client.get(URL).content.decode()


def test_it_filters_by_tier(city_client, rows):
    assert _projects(city_client, tier="基础级") == {"基础改造项目"}
    assert _projects(city_client, tier="先进级") == {"数字化车间项目", "智慧物流项目"}
    assert _projects(city_client, tier="领航级") == set()


def test_it_filters_by_task(city_client, rows, advanced_task):
    assert _projects(city_client, task=advanced_task.pk) == {"数字化车间项目", "智慧物流项目"}


def test_it_filters_by_year(city_client, rows):
    assert len(_projects(city_client, year="2026")) == 3
    assert _projects(city_client, year="2025") == set()


def test_a_wrong_filter_value_is_named_and_left_out(city_client, rows):
    response = city_client.get(URL, {"year": "２０２６", "state": "recommended"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "应为整数" in content
    assert "智慧物流项目" in content and "数字化车间项目" not in content


def test_it_searches_by_enterprise_name(city_client, rows):
    assert _projects(city_client, q="汾河") == {"基础改造项目"}


def test_it_searches_by_project_name(city_client, rows):
    assert _projects(city_client, q="物流") == {"智慧物流项目"}


def test_it_searches_by_the_start_of_the_credit_code(city_client, rows, enterprise_a):
    prefix = enterprise_a.credit_code[:12].lower()
    assert _projects(city_client, q=prefix) == {"数字化车间项目", "智慧物流项目"}
    # Only the start: a piece from the middle of the code finds nothing.
    assert _projects(city_client, q=enterprise_a.credit_code[8:14]) == set()


def test_the_search_never_finds_another_units_application(city_client, rows, enterprise_b):
    for query in ("云冈", enterprise_b.credit_code):
        assert _projects(city_client, q=query) == set()


def test_filters_stay_in_the_page_links(city_client, users, advanced_task, factory_a):
    for n in range(55):
        make_application(users["enterprise_a"], advanced_task, factory_a, project=f"项目{n:02d}")
    content = city_client.get(URL, {"state": "submitted", "q": "项目"}).content.decode()
    assert "state=submitted&amp;q=%E9%A1%B9%E7%9B%AE&page=2" in content
    # The bulk form posts back with the same filters.
    assert f"{reverse('campaigns:applications_bulk')}?state=submitted&amp;q=" in content


@pytest.mark.parametrize("role", ["enterprise_a", "expert", "admin"])
def test_an_enterprise_an_expert_or_the_operator_cannot_open_it(client, users, rows, role):
    client.force_login(users[role])
    assert client.get(URL).status_code == 403


def test_the_city_is_offered_the_return_and_the_province_the_assignment(client, users, rows):
    client.force_login(users["city_a"])
    content = client.get(URL).content.decode()
    assert 'value="return"' in content and 'value="assign"' not in content
    assert "全选本页" in content
    client.force_login(users["province"])
    content = client.get(URL).content.decode()
    assert 'value="assign"' in content and 'value="return"' not in content


def test_the_task_page_links_to_the_filtered_list(city_client, rows, advanced_task):
    content = city_client.get(reverse("campaigns:task", args=[advanced_task.pk])).content.decode()
    assert f"{URL}?task={advanced_task.pk}" in content
