"""City ranking and submission: contiguous ranks, late flag on a frozen clock, closed tasks,
locking after submission and the province's return."""

import time_machine
from django.urls import reverse

from factorytiers.campaigns.models import Application, Submission
from factorytiers.campaigns.services import (
    campaigns,
    submissions,
)
from factorytiers.enterprises.models import Factory
from tests.campaigns.conftest import recommended, stamped, unit_submission
from tests.conftest import make_user


def two_recommended(users, task, factory_a):
    second = Factory.objects.create(
        enterprise=factory_a.enterprise, name="晋华二厂", location="太原"
    )
    return [
        recommended(users, task, factory_a, project="一厂项目"),
        recommended(users, task, second, project="二厂项目"),
    ]


def unit_post(client, name, task, unit, data=None, **kwargs):
    """A POST of the unit's task page (its 推荐文件 uploaded), with the version of the unit's
    report it shows."""
    data = {**(data or {}), "version": stamped(task, unit).version}
    return client.post(reverse(name, args=[task.pk]), data, **kwargs)


def test_ranks_must_be_unique_and_contiguous(client, users, advanced_task, factory_a, unit_a):
    first, second = two_recommended(users, advanced_task, factory_a)
    client.force_login(users["city_a"])
    ranks = {f"rank_{first.pk}": 1, f"rank_{second.pk}": 1}
    response = unit_post(client, "campaigns:rank", advanced_task, unit_a, ranks, follow=True)
    assert "序号重复：1" in response.content.decode()
    assert set(Application.objects.values_list("city_rank", flat=True)) == {None}
    ranks = {f"rank_{first.pk}": 2, f"rank_{second.pk}": 1}
    unit_post(client, "campaigns:rank", advanced_task, unit_a, ranks)
    assert dict(Application.objects.values_list("project_name", "city_rank")) == {
        "一厂项目": 2,
        "二厂项目": 1,
    }


def test_a_second_officer_ranking_on_a_stale_page_is_told(
    client, users, advanced_task, factory_a, unit_a
):
    first, second = two_recommended(users, advanced_task, factory_a)
    submission = unit_submission(advanced_task, unit_a)
    url = reverse("campaigns:rank", args=[advanced_task.pk])
    client.force_login(users["city_a"])
    client.post(url, {f"rank_{first.pk}": 1, f"rank_{second.pk}": 2, "version": submission.version})
    client.force_login(make_user("city_a2", "city", unit=unit_a))
    response = client.post(
        url,
        {f"rank_{first.pk}": 2, f"rank_{second.pk}": 1, "version": submission.version},
        follow=True,
    )
    assert "已被他人修改" in response.content.decode()
    assert Application.objects.get(pk=first.pk).city_rank == 1


@time_machine.travel("2026-05-06 23:59 +0800", tick=False)
def test_a_submission_on_the_deadline_day_is_on_time_and_locks(
    client, users, advanced_task, factory_a, unit_a
):
    first, second = two_recommended(users, advanced_task, factory_a)
    client.force_login(users["city_a"])
    ranks = {f"rank_{first.pk}": 1, f"rank_{second.pk}": 2}
    unit_post(client, "campaigns:rank", advanced_task, unit_a, ranks)
    unit_post(client, "campaigns:submit_recommendation", advanced_task, unit_a)
    submission = Submission.objects.get(task=advanced_task, unit=unit_a)
    assert submission.state == "submitted" and not submission.is_late
    assert set(Application.objects.values_list("state", flat=True)) == {"at_province"}
    ranks = {f"rank_{first.pk}": 2, f"rank_{second.pk}": 1}
    response = unit_post(client, "campaigns:rank", advanced_task, unit_a, ranks, follow=True)
    assert "已锁定" in response.content.decode()
    assert Application.objects.get(pk=first.pk).city_rank == 1


def test_a_late_submission_is_marked_late_not_refused(
    client, users, advanced_task, factory_a, unit_a
):
    application = recommended(users, advanced_task, factory_a)
    client.force_login(users["city_a"])
    unit_post(client, "campaigns:rank", advanced_task, unit_a, {f"rank_{application.pk}": 1})
    with time_machine.travel("2026-05-07 00:01 +0800", tick=False):
        response = unit_post(
            client, "campaigns:submit_recommendation", advanced_task, unit_a, follow=True
        )
    assert "逾期报送" in response.content.decode()
    assert Submission.objects.get(task=advanced_task, unit=unit_a).is_late


def test_a_closed_task_refuses_late_submissions(client, users, advanced_task, factory_a, unit_a):
    application = recommended(users, advanced_task, factory_a)
    campaigns.close_task(actor=users["province"], task=advanced_task, closed=True)
    client.force_login(users["city_a"])
    unit_post(client, "campaigns:rank", advanced_task, unit_a, {f"rank_{application.pk}": 1})
    with time_machine.travel("2026-05-08 09:00 +0800", tick=False):
        response = unit_post(
            client, "campaigns:submit_recommendation", advanced_task, unit_a, follow=True
        )
    assert "已截止并关闭" in response.content.decode()
    assert Submission.objects.get(task=advanced_task, unit=unit_a).state == "draft"
    assert Application.objects.get().state == "recommended"


def test_unranked_recommendations_cannot_be_submitted(
    client, users, advanced_task, factory_a, unit_a
):
    recommended(users, advanced_task, factory_a)
    client.force_login(users["city_a"])
    response = unit_post(
        client, "campaigns:submit_recommendation", advanced_task, unit_a, follow=True
    )
    assert (
        "以下申报尚未排定序号：太原晋华重工有限公司 · 智能工厂建设项目" in response.content.decode()
    )
    assert not Submission.objects.filter(state="submitted").exists()


@time_machine.travel("2026-05-01 10:00 +0800", tick=False)
def test_the_province_sees_every_unit_and_returns_a_submission(
    client, users, advanced_task, factory_a, unit_a
):
    application = recommended(users, advanced_task, factory_a)
    submissions.rank_applications(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        ranks={application.pk: 1},
        version=unit_submission(advanced_task, unit_a).version,
    )
    submission = submissions.submit_recommendation(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        version=stamped(advanced_task, unit_a).version,
    )
    client.force_login(users["province"])
    page = client.get(reverse("campaigns:task", args=[advanced_task.pk])).content.decode()
    assert "太原市" in page and "大同市" in page and "山西转型综合改革示范区" in page
    url = reverse("campaigns:return_submission", args=[submission.pk])
    client.post(url, {"comment": "", "version": submission.version})
    assert Submission.objects.get().state == "submitted"  # a return needs a comment
    client.post(url, {"comment": "请补充推荐文件", "version": submission.version})
    submission.refresh_from_db()
    assert submission.state == "returned" and submission.return_comment == "请补充推荐文件"
    assert Application.objects.get().state == "recommended"
    client.force_login(users["city_a"])
    page = client.get(reverse("campaigns:task", args=[advanced_task.pk])).content.decode()
    assert "请补充推荐文件" in page and 'id="submit-form"' in page


def test_a_city_officer_cannot_return_a_submission(client, users, advanced_task, unit_a):
    submission = Submission.objects.create(task=advanced_task, unit=unit_a, state="submitted")
    client.force_login(users["city_a"])
    response = client.post(
        reverse("campaigns:return_submission", args=[submission.pk]), {"comment": "x"}
    )
    assert response.status_code == 403
    assert Submission.objects.get().state == "submitted"
