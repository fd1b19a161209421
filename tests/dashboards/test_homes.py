"""Every role's home is a to-do list: each item a count, a deadline and a link; the city's and
the province's view of each unit's status on each task; the enterprise's application steps."""

import re

import pytest
import time_machine
from django.urls import reverse

from factorytiers.campaigns.models import Campaign, State
from factorytiers.campaigns.services import evaluation, submissions
from factorytiers.dashboards import todo
from factorytiers.domain.worklist import UnitTaskStatus
from tests.campaigns.conftest import recommended, stamped, step, submitted, unit_submission


@pytest.fixture
def campaign(db) -> Campaign:
    return Campaign.objects.get(year=2026)


@pytest.fixture
def tasks(campaign) -> dict:
    return {task.kind: task for task in campaign.tasks.all()}


def at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


def report(city, task, **extra):
    return submissions.submit_recommendation(
        actor=city,
        task=task,
        unit=city.unit,
        version=unit_submission(task, city.unit).version,
        **extra,
    )


def at_province(users, task, factory, unit):
    """An application recommended, ranked and reported by its city: now with the province."""
    application = recommended(users, task, factory)
    submissions.rank_applications(
        actor=users["city_a"],
        task=task,
        unit=unit,
        ranks={application.pk: 1},
        version=unit_submission(task, unit).version,
    )
    stamped(task, unit)
    report(users["city_a"], task)
    application.refresh_from_db()
    return application


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ---------------------------------------------------------------- city
def test_the_city_sees_applications_waiting_for_review_with_the_deadline(
    client, users, tasks, factory_a
):
    with at("2026-04-20 10:00"):
        submitted(users, tasks["advanced"], factory_a)
    with at("2026-05-02 09:00"):
        client.force_login(users["city_a"])
        response = client.get(reverse("home"))
    item = next(i for i in response.context["city_home"].todos if i.text == "1 份先进级申报待审核")
    assert item.count == 1 and item.due_text == "还剩 4 天"
    assert item.url == reverse("campaigns:task", args=[tasks["advanced"].pk]) + (
        "?state=submitted#applications"
    )
    assert "1 份先进级申报待审核 5月6日截止 · 还剩 4 天" in text_of(response)
    # The link opens the exact list: only the applications waiting for review.
    with at("2026-05-02 09:00"):
        listed = client.get(item.url.split("#")[0]).context["applications"]
    assert [a.state for a in listed] == [State.SUBMITTED]


def test_a_reported_task_is_never_overdue_for_the_city(client, users, tasks):
    with at("2026-05-20 10:00"):
        report(users["city_a"], tasks["report"])  # before 5月22日: on time
    with at("2026-03-12 10:00"):
        report(users["city_a"], tasks["overseas"], no_overseas=True)  # after 3月10日: late
    with at("2026-06-10 10:00"):
        home = todo.city_home(users["city_a"], today=__import__("datetime").date(2026, 6, 10))
        client.force_login(users["city_a"])
        page = client.get(reverse("home")).content.decode()
    cells = {cell["task"].kind: cell for cell in home.tasks}
    assert cells["report"]["status"] == UnitTaskStatus.ON_TIME
    assert cells["overseas"]["status"] == UnitTaskStatus.LATE
    for kind in ("report", "overseas"):
        assert cells[kind]["due"] is None and cells[kind]["due_text"] == ""
    # An unreported task past its deadline is overdue; no reported one is.
    assert cells["advanced"]["due_text"] == "已逾期 35 天"
    rows = re.findall(r'<tr class="unit-task" data-status="(\w+)">(.*?)</tr>', page, re.S)
    assert {status for status, _ in rows} >= {"on_time", "late", "not_started"}
    for status, row in rows:
        if status in ("on_time", "late"):
            assert "已逾期" not in row
    texts = [item.text for item in home.todos]
    assert "报送：智能工厂梯度培育情况报告" not in texts
    assert "报送：先进级智能工厂推荐" in texts


def test_the_city_sees_a_returned_report_and_its_figures_beside_the_provinces(client, users, tasks):
    with at("2026-05-20 10:00"):
        submission = report(users["city_a"], tasks["report"])
        submissions.return_submission(
            actor=users["province"],
            submission=submission,
            comment="请补充数据截至日期。",
            version=submission.version,
        )
    with at("2026-05-21 10:00"):
        client.force_login(users["city_a"])
        response = client.get(reverse("home"))
    home = response.context["city_home"]
    cell = next(c for c in home.tasks if c["task"].kind == "report")
    assert cell["status"] == UnitTaskStatus.RETURNED and cell["due_text"] == "还剩 1 天"
    item = next(i for i in home.todos if i.text.startswith("重新报送"))
    assert item.note == "请补充数据截至日期。" and item.due_text == "还剩 1 天"
    assert set(home.figures) == {"year", "unit", "province"}
    assert home.figures["unit"]["total"] == 1 and home.figures["province"]["total"] == 2
    assert 'id="figure-penetration"' in response.content.decode()


def test_the_city_is_told_how_many_enterprises_have_not_assessed(client, users, tasks):
    with at("2026-04-10 10:00"):
        client.force_login(users["city_a"])
        home = client.get(reverse("home")).context["city_home"]
    item = next(i for i in home.todos if "尚未完成自评估" in i.text)
    assert item.text == "1 家企业本年度尚未完成自评估" and item.due_text == "还剩 5 天"
    assert item.url == reverse("assessments:overview") + "?year=2026&status=not_assessed"


# ---------------------------------------------------------------- province
def test_the_province_grid_shows_every_status_of_every_unit(client, users, tasks, unit_a, unit_b):
    city_a, city_b = users["city_a"], users["city_b"]
    with at("2026-05-20 10:00"):
        report(city_a, tasks["report"])  # on time
        submission = report(city_b, tasks["report"])
        submissions.return_submission(
            actor=users["province"],
            submission=submission,
            comment="请修改。",
            version=submission.version,
        )
    with at("2026-03-12 10:00"):
        report(city_a, tasks["overseas"], no_overseas=True)  # late
    unit_submission(tasks["self_assessment"], unit_a)  # a row written, not reported: draft
    with at("2026-05-25 10:00"):
        client.force_login(users["province"])
        response = client.get(reverse("home"))
    grid = {
        (row["unit"].pk, cell["task"].kind): cell
        for row in response.context["province_home"].grid
        for cell in row["cells"]
    }
    assert grid[(unit_a.pk, "report")]["status"] == UnitTaskStatus.ON_TIME
    assert grid[(unit_a.pk, "overseas")]["status"] == UnitTaskStatus.LATE
    assert grid[(unit_a.pk, "self_assessment")]["status"] == UnitTaskStatus.DRAFT
    assert grid[(unit_b.pk, "report")]["status"] == UnitTaskStatus.RETURNED
    assert grid[(unit_b.pk, "overseas")]["status"] == UnitTaskStatus.NOT_STARTED
    assert grid[(unit_b.pk, "overseas")]["due_text"] == "已逾期 76 天"
    assert grid[(unit_a.pk, "report")]["url"] == reverse(
        "documents:unit_forms", args=[tasks["report"].pk, unit_a.pk]
    )
    page = response.content.decode()
    assert 'data-status="on_time"' in page and 'data-status="returned"' in page
    assert 'id="home-chart-data"' in page and "js/home-charts.js" in page


def test_the_province_home_reads_a_bounded_number_of_queries(
    client, users, tasks, factory_a, unit_a, django_assert_max_num_queries
):
    with at("2026-05-01 10:00"):
        at_province(users, tasks["advanced"], factory_a, unit_a)
        report(users["city_b"], tasks["report"])
    with at("2026-05-10 10:00"):
        client.force_login(users["province"])
    with at("2026-05-10 10:00"), django_assert_max_num_queries(40):
        response = client.get(reverse("home"), {"year": "2026"})
    assert response.status_code == 200
    data = response.context["chart_data"]
    assert data["year"] == 2026 and len(data["units"]) == len(data["penetration"])
    item = next(i for i in response.context["province_home"].todos if "待分配评审专家" in i.text)
    assert item.count == 1 and item.url.endswith("?state=at_province#applications")


# ---------------------------------------------------------------- expert
def test_the_expert_sees_the_application_waiting_for_a_score(
    client, users, tasks, factory_a, unit_a
):
    with at("2026-05-01 10:00"):
        application = at_province(users, tasks["advanced"], factory_a, unit_a)
        evaluation.assign_expert(
            actor=users["province"], application=application, expert=users["expert"]
        )
    with at("2026-05-10 10:00"):
        client.force_login(users["expert"])
        response = client.get(reverse("home"))
        waiting = client.get(reverse("campaigns:assignments"), {"status": "waiting"})
    content = response.content.decode()
    assert "1 份申报待您评分" in content and "当前没有" not in content
    assert application.project_name in content
    assert [a.application_id for a in waiting.context["assignments"]] == [application.pk]
    # The province sees the review still open.
    with at("2026-05-10 10:00"):
        client.force_login(users["province"])
        province = client.get(reverse("home")).context["province_home"]
    assert any(i.text.startswith("1 份申报专家评分未完成") for i in province.todos)


def test_the_expert_sees_each_review_deadline_left_then_late(
    client, users, tasks, factory_a, unit_a
):
    from datetime import date

    with at("2026-05-01 10:00"):
        application = at_province(users, tasks["advanced"], factory_a, unit_a)
        assignment = evaluation.assign_expert(
            actor=users["province"], application=application, expert=users["expert"]
        )
    assert assignment.due_on == date(2026, 5, 15)  # 14 days by default
    client.force_login(users["expert"])
    with at("2026-05-10 10:00"):
        home = client.get(reverse("home"))
        listing = client.get(reverse("campaigns:assignments"))
        page = client.get(reverse("campaigns:score", args=[assignment.pk]))
    [waiting] = home.context["expert_home"]["waiting"]
    assert waiting.due_text == "还剩 5 天"
    assert home.context["expert_home"]["todos"][0].due_text == "还剩 5 天"
    assert "还剩 5 天" in home.content.decode()
    assert "2026-05-15" in listing.content.decode()
    assert "2026-05-15" in page.content.decode()
    with at("2026-05-18 10:00"):
        client.force_login(users["expert"])
        home = client.get(reverse("home"))
    assert "已逾期 3 天" in home.content.decode()


def test_the_province_may_set_the_review_deadline(users, tasks, factory_a, unit_a):
    from datetime import date

    with at("2026-05-01 10:00"):
        application = at_province(users, tasks["advanced"], factory_a, unit_a)
        assignment = evaluation.assign_expert(
            actor=users["province"],
            application=application,
            expert=users["expert"],
            due_on=date(2026, 5, 8),
        )
    assignment.refresh_from_db()
    assert assignment.due_on == date(2026, 5, 8)


def test_the_province_sets_the_review_deadline_on_the_assign_form(
    client, users, tasks, factory_a, unit_a
):
    from datetime import date

    from factorytiers.campaigns.models import ExpertAssignment

    with at("2026-05-01 10:00"):
        application = at_province(users, tasks["advanced"], factory_a, unit_a)
        client.force_login(users["province"])
        url = reverse("campaigns:assign_expert", args=[application.pk])
        client.post(url, {"expert": users["expert"].pk, "due_on": "2026-04-30"})
        assert not ExpertAssignment.objects.filter(application=application).exists()
        client.post(url, {"expert": users["expert"].pk, "due_on": "2026-05-20"})
    assert ExpertAssignment.objects.get(application=application).due_on == date(2026, 5, 20)


def test_an_expert_with_nothing_to_score_is_told_so(client, users):
    client.force_login(users["expert"])
    assert "当前没有待您评分的申报。" in client.get(reverse("home")).content.decode()


# ---------------------------------------------------------------- enterprise
def test_the_enterprise_sees_who_acts_next_on_its_application(client, users, tasks, factory_a):
    with at("2026-04-20 10:00"):
        application = submitted(users, tasks["advanced"], factory_a)
    with at("2026-04-21 10:00"):
        client.force_login(users["enterprise_a"])
        response = client.get(reverse("home"))
    row = response.context["enterprise_home"].applications[0]
    assert row["application"].pk == application.pk
    assert row["progress"].who == "市级主管部门"
    assert row["progress"].waiting == "等待市级审核"
    assert [s.status for s in row["progress"].steps][:3] == ["done", "current", "todo"]
    assert "下一步由市级主管部门办理" in response.content.decode()
    with at("2026-04-22 10:00"):
        step(users["city_a"], application, "return", "请补充财务报表。")
        client.force_login(users["enterprise_a"])
        response = client.get(reverse("home"))
    home = response.context["enterprise_home"]
    assert home.applications[0]["progress"].who == "本企业"
    item = next(i for i in home.todos if "被退回" in i.text)
    assert item.due_text == "还剩 14 天" and item.url == reverse(
        "campaigns:application_detail", args=[application.pk]
    )
    assert "下一步由本企业办理" in response.content.decode()


def test_the_enterprise_sees_its_tasks_tiers_and_unmet_conditions(client, users, tasks, factory_a):
    with at("2026-04-01 10:00"):
        client.force_login(users["enterprise_a"])
        response = client.get(reverse("home"))
    home = response.context["enterprise_home"]
    texts = [item.text for item in home.todos]
    assert texts[0] == "完成本年度智能制造能力成熟度自评估"
    assert home.todos[0].due_text == "还剩 14 天"
    assert "可申报：先进级智能工厂推荐" in texts
    assert home.factories[0]["held"] is None
    assert "尚无有效的智能工厂认定" in response.content.decode()
    # The factory has built no scenario yet: the 基础级 conditions say what is missing.
    assert any("申报基础级尚不满足" in item.text for item in home.next_steps)
    assert reverse("campaigns:factory_tiers", args=[factory_a.pk]) in response.content.decode()


# ---------------------------------------------------------------- operator
def test_the_operator_sees_registrations_and_its_links(client, users):
    client.force_login(users["admin"])
    content = client.get(reverse("home")).content.decode()
    assert reverse("accounts:audit_log") in content
    assert reverse("admin:accounts_user_changelist") in content


# ---------------------------------------------------------------- navigation
@pytest.mark.parametrize("role", ["enterprise_a", "city_a", "province", "expert", "admin"])
def test_every_navigation_link_opens_for_its_role(client, users, role):
    client.force_login(users[role])
    page = client.get(reverse("home")).content.decode()
    nav = page.split('id="main-nav"')[1].split('id="user-nav"')[0]
    links = re.findall(r'href="(/[^"]*)"', nav)
    assert links
    for href in links:
        assert client.get(href, follow=True).status_code == 200, (role, href)
