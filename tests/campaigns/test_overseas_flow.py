"""附件5 rows end to end: the introduction's 500 characters (counted as characters), the
BRICS / Belt and Road flags, and the order of the city's selection."""

import re

import pytest
from django.urls import reverse

from factorytiers.campaigns.models import OverseasRecommendation
from factorytiers.campaigns.services import submissions
from factorytiers.documents.selectors import form5_rows
from factorytiers.enterprises.models import Factory
from factorytiers.reference.models import Country
from tests.campaigns.conftest import unit_submission

from .test_overseas import form


def factory(enterprise, name, iso2):
    return Factory.objects.create(
        enterprise=enterprise,
        name=name,
        location="海外",
        is_overseas=True,
        country=Country.objects.get(iso2=iso2),
    )


@pytest.fixture
def task(campaign):
    return campaign.tasks.get(kind="overseas")


def propose(client, task, factory, **overrides):
    return client.post(
        reverse("campaigns:overseas_create", args=[task.pk]), form(factory, **overrides)
    )


@pytest.mark.parametrize(
    ("introduction", "accepted"),
    [
        ("智" * 500, True),  # 500 characters, 1500 bytes in UTF-8
        ("智" * 499 + "🏭", True),  # a character outside the BMP is one character
        ("  " + "智" * 500 + "\n", True),  # surrounding blanks do not count
        ("智能\r\n" * 125, True),  # 125 × (2 + one line break) = 375; \r\n counts once
        ("智" * 499 + "ab", False),
        ("A" * 501, False),
    ],
)
def test_the_introduction_is_counted_in_characters(
    client, users, task, enterprise_a, introduction, accepted
):
    overseas = factory(enterprise_a, "晋华印尼工厂", "ID")
    client.force_login(users["enterprise_a"])
    response = propose(client, task, overseas, introduction=introduction)
    assert (response.status_code == 302) is accepted
    assert OverseasRecommendation.objects.exists() is accepted
    if accepted:
        stored = OverseasRecommendation.objects.get().introduction
        assert len(stored) <= 500 and "\r" not in stored
    else:
        assert "海外智能工厂简介：简介共501个字，超过500字的上限。" in response.content.decode()


def test_flags_are_shown_on_the_form_and_in_the_tables(client, users, task, enterprise_a, unit_a):
    rows = [
        factory(enterprise_a, "晋华印尼工厂", "ID"),  # BRICS member, Belt and Road
        factory(enterprise_a, "晋华越南工厂", "VN"),  # BRICS partner, Belt and Road
        factory(enterprise_a, "晋华德国工厂", "DE"),  # neither
    ]
    client.force_login(users["enterprise_a"])
    page = client.get(reverse("campaigns:overseas_create", args=[task.pk])).content.decode()
    assert "晋华印尼工厂（印度尼西亚 · 金砖国家 · 一带一路）" in page
    assert "晋华越南工厂（越南 · 金砖伙伴国 · 一带一路）" in page
    assert "晋华德国工厂（德国）" in page
    for row in rows:
        assert propose(client, task, row).status_code == 302
    client.force_login(users["city_a"])
    html = client.get(reverse("campaigns:task", args=[task.pk])).content.decode()
    cells = {
        name: cell
        for name, cell in re.findall(r"<td>(晋华\w+工厂)</td>\s*<td>(.*?)</td>", html, re.S)
    }
    assert "金砖国家" in cells["晋华印尼工厂"] and "一带一路" in cells["晋华印尼工厂"]
    assert "金砖伙伴国" in cells["晋华越南工厂"] and "一带一路" in cells["晋华越南工厂"]
    assert "金砖" not in cells["晋华德国工厂"] and "一带一路" not in cells["晋华德国工厂"]
    submissions.select_overseas(
        actor=users["city_a"],
        task=task,
        unit=unit_a,
        ranks={r.pk: n for n, r in enumerate(OverseasRecommendation.objects.order_by("pk"), 1)},
        version=unit_submission(task, unit_a).version,
    )
    [(_unit, plain)] = form5_rows(users["province"], task.campaign, [unit_a])
    assert [r.factory_name for r in plain] == ["晋华印尼工厂", "晋华越南工厂", "晋华德国工厂"]


def ranks_of(task):
    return dict(
        OverseasRecommendation.objects.filter(task=task).values_list("factory__name", "rank")
    )


def test_the_city_selects_some_rows_in_its_order(client, users, task, enterprise_a, unit_a):
    client.force_login(users["enterprise_a"])
    for name, iso2 in [("甲工厂", "ID"), ("乙工厂", "VN"), ("丙工厂", "DE")]:
        propose(client, task, factory(enterprise_a, name, iso2))
    by_name = {r.factory.name: r for r in OverseasRecommendation.objects.all()}
    client.force_login(users["city_a"])
    submission = unit_submission(task, unit_a)
    url = reverse("campaigns:overseas_select", args=[task.pk])
    response = client.post(
        url,
        {
            f"rank_{by_name['甲工厂'].pk}": "2",
            f"rank_{by_name['乙工厂'].pk}": "",
            f"rank_{by_name['丙工厂'].pk}": "1",
            "version": submission.version,
        },
    )
    assert response.status_code == 302
    assert ranks_of(task) == {"甲工厂": 2, "乙工厂": None, "丙工厂": 1}
    [(_unit, rows)] = form5_rows(users["province"], task.campaign, [unit_a])
    assert [(r.seq, r.factory_name) for r in rows] == [(1, "丙工厂"), (2, "甲工厂")]
    province_page = client.get(reverse("campaigns:task", args=[task.pk]))
    assert province_page.status_code == 200


def test_gaps_duplicates_and_stale_pages_change_nothing(client, users, task, enterprise_a, unit_a):
    client.force_login(users["enterprise_a"])
    for name in ("甲工厂", "乙工厂"):
        propose(client, task, factory(enterprise_a, name, "ID"))
    first, second = OverseasRecommendation.objects.order_by("pk")
    client.force_login(users["city_a"])
    submission = unit_submission(task, unit_a)
    url = reverse("campaigns:overseas_select", args=[task.pk])
    for ranks in ({first.pk: "1", second.pk: "3"}, {first.pk: "1", second.pk: "1"}):
        data = {f"rank_{pk}": rank for pk, rank in ranks.items()}
        response = client.post(url, {**data, "version": submission.version}, follow=True)
        assert "序号" in response.content.decode()
        assert ranks_of(task) == {"甲工厂": None, "乙工厂": None}
    client.post(url, {f"rank_{first.pk}": "1", "version": submission.version})
    response = client.post(
        url, {f"rank_{second.pk}": "1", "version": submission.version}, follow=True
    )
    assert "该记录已被他人修改" in response.content.decode()
    assert ranks_of(task) == {"甲工厂": 1, "乙工厂": None}


def test_after_the_unit_submits_the_selection_is_locked(client, users, task, enterprise_a, unit_a):
    client.force_login(users["enterprise_a"])
    propose(client, task, factory(enterprise_a, "甲工厂", "ID"))
    row = OverseasRecommendation.objects.get()
    client.force_login(users["city_a"])
    submission = unit_submission(task, unit_a)
    client.post(
        reverse("campaigns:overseas_select", args=[task.pk]),
        {f"rank_{row.pk}": "1", "version": submission.version},
    )
    submission.refresh_from_db()
    submissions.submit_recommendation(
        actor=users["city_a"], task=task, unit=unit_a, version=submission.version
    )
    submission.refresh_from_db()
    response = client.post(
        reverse("campaigns:overseas_select", args=[task.pk]),
        {f"rank_{row.pk}": "", "version": submission.version},
        follow=True,
    )
    assert "已锁定" in response.content.decode()
    assert ranks_of(task) == {"甲工厂": 1}
