"""Bulk steps on the officers' list: a confirmation first, then one transaction in which every
application goes through its own service (version, audit entry, notification after the
commit); one row that cannot take the step stops them all and is named."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.campaigns.models import Application, ExpertAssignment, Notification, Transition
from factorytiers.domain.deadlines import SHANGHAI, review_due
from tests.campaigns.test_application_list import make_application

URL = reverse("campaigns:applications_bulk")
COMMENT = "请补充智能化改造投资明细。"


@pytest.fixture
def city_rows(users, advanced_task, factory_a):
    return [
        make_application(
            users["enterprise_a"], advanced_task, factory_a, project=f"项目{n}", state=state
        )
        for n, state in enumerate(["submitted", "recommended", "submitted"], start=1)
    ]


@pytest.fixture
def province_rows(users, advanced_task, factory_a, factory_b):
    return [
        make_application(
            users["enterprise_a"], advanced_task, factory_a, project="太原项目", state="at_province"
        ),
        make_application(
            users["enterprise_b"], advanced_task, factory_b, project="大同项目", state="at_province"
        ),
        make_application(
            users["enterprise_a"],
            advanced_task,
            factory_a,
            project="评审项目",
            state="under_review",
        ),
    ]


def _rows(applications):
    return [f"{a.pk}:{a.version}" for a in applications]


def _snapshot():
    return (
        list(Application.objects.order_by("pk").values_list("pk", "state", "version")),
        AuditEntry.objects.count(),
        Transition.objects.count(),
        ExpertAssignment.objects.count(),
        Notification.objects.count(),
    )


def _return(client, applications, **extra):
    data = {"action": "return", "rows": _rows(applications), "comment": COMMENT, "confirmed": "1"}
    return client.post(URL, {**data, **extra})


def _assign(client, applications, expert, **extra):
    data = {"action": "assign", "rows": _rows(applications), "expert": expert.pk, "confirmed": "1"}
    return client.post(URL, {**data, **extra})


# ---------------------------------------------------------------- the confirmation
def test_the_first_post_asks_for_confirmation_and_writes_nothing(city_client, city_rows):
    before = _snapshot()
    response = city_client.post(
        f"{URL}?state=submitted", {"action": "return", "rows": _rows(city_rows), "comment": COMMENT}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "将对 3 项申报执行：退回修改" in content
    assert COMMENT in content
    assert 'name="confirmed" value="1"' in content
    for application in city_rows:
        assert f'value="{application.pk}:{application.version}"' in content
    # The confirmation posts back with the list's filters.
    assert f'action="{URL}?state=submitted"' in content
    assert _snapshot() == before


# ---------------------------------------------------------------- bulk return (city)
def test_the_city_returns_many_applications_with_one_comment(
    city_client, city_rows, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _return(city_client, city_rows)
    assert response.status_code == 302
    for application in city_rows:
        stored = Application.objects.get(pk=application.pk)
        assert stored.state == "returned"
        assert stored.version == application.version + 1
        assert stored.transitions.get().comment == COMMENT
    entries = AuditEntry.objects.filter(action=AuditAction.APPLICATION_RETURN)
    assert sorted(int(e.target_id) for e in entries) == sorted(a.pk for a in city_rows)
    assert all(e.changes["facts"]["comment"] == COMMENT for e in entries)
    # The enterprise hears of each, after the commit.
    assert Notification.objects.filter(params__state="returned").count() == 3
    followed = city_client.get(response["Location"]).content.decode()
    assert "已对3项申报执行：退回修改。" in followed


def test_one_row_in_a_wrong_state_stops_them_all(
    city_client, users, advanced_task, factory_a, city_rows, django_capture_on_commit_callbacks
):
    draft = make_application(
        users["enterprise_a"], advanced_task, factory_a, project="草稿项目", state="draft"
    )
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _return(city_client, [city_rows[0], draft, city_rows[1]])
    content = response.content.decode()
    assert response.status_code == 400
    assert "第2项（太原晋华重工有限公司 · 草稿项目）" in content
    assert "当前状态“草稿”下不能转为“已退回修改”" in content
    assert "所有申报均未改动" in content
    assert _snapshot() == before
    assert callbacks == []


def test_a_row_changed_since_the_list_was_opened_is_a_conflict_named(city_client, city_rows):
    stale = [*city_rows]
    Application.objects.filter(pk=city_rows[2].pk).update(version=city_rows[2].version + 1)
    before = _snapshot()
    response = _return(city_client, stale)
    content = response.content.decode()
    assert response.status_code == 409
    assert "第3项（太原晋华重工有限公司 · 项目3）" in content
    assert "已被他人修改" in content
    assert _snapshot() == before


def test_a_city_cannot_act_on_another_units_application(
    client, users, city_rows, advanced_task, factory_b
):
    other = make_application(users["enterprise_b"], advanced_task, factory_b, project="云冈项目")
    client.force_login(users["city_a"])
    before = _snapshot()
    assert _return(client, [other]).status_code == 404
    assert _return(client, [city_rows[0], other]).status_code == 404
    assert _snapshot() == before


def test_a_return_needs_a_comment(city_client, city_rows):
    before = _snapshot()
    response = _return(city_client, city_rows, comment=" ")
    assert response.status_code == 400
    assert "退回意见：请填写。" in response.content.decode()
    assert _snapshot() == before


def test_no_row_chosen_is_refused(city_client, city_rows):
    response = city_client.post(URL, {"action": "return", "comment": COMMENT, "confirmed": "1"})
    assert response.status_code == 400
    assert "请至少选择一项申报" in response.content.decode()


def test_a_malformed_row_is_refused(city_client, city_rows):
    response = city_client.post(
        URL, {"action": "return", "rows": ["１:1"], "comment": COMMENT, "confirmed": "1"}
    )
    assert response.status_code == 400


def test_the_province_is_not_offered_the_citys_return(client, users, city_rows):
    client.force_login(users["province"])
    before = _snapshot()
    assert _return(client, city_rows).status_code == 400
    assert _snapshot() == before


# ---------------------------------------------------------------- bulk assignment (province)
def test_the_province_assigns_an_expert_to_many_applications(
    client, users, province_rows, django_capture_on_commit_callbacks
):
    client.force_login(users["province"])
    expert = users["expert"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _assign(client, province_rows, expert)
    assert response.status_code == 302
    for application in province_rows:
        stored = Application.objects.get(pk=application.pk)
        assert stored.state == "under_review"
        assert stored.assignments.get().expert == expert
    # At the province, the first expert starts the review (a new version); under review, the
    # assignment is added beside the application.
    versions = [Application.objects.get(pk=a.pk).version for a in province_rows]
    assert versions == [
        province_rows[0].version + 1,
        province_rows[1].version + 1,
        province_rows[2].version,
    ]
    entries = AuditEntry.objects.filter(action=AuditAction.APPLICATION_ASSIGN_EXPERT)
    assert sorted(int(e.target_id) for e in entries) == sorted(a.pk for a in province_rows)
    assert Notification.objects.filter(recipient=expert).count() == 3


def test_one_application_not_at_the_province_stops_the_assignment(
    client, users, province_rows, advanced_task, factory_a
):
    client.force_login(users["province"])
    recommended = make_application(
        users["enterprise_a"], advanced_task, factory_a, project="推荐项目", state="recommended"
    )
    before = _snapshot()
    response = _assign(client, [*province_rows, recommended], users["expert"])
    content = response.content.decode()
    assert response.status_code == 400
    assert "第4项（太原晋华重工有限公司 · 推荐项目）：该申报当前不在省级评审阶段。" in content
    assert _snapshot() == before


def test_an_expert_already_assigned_is_named(client, users, province_rows):
    client.force_login(users["province"])
    ExpertAssignment.objects.create(
        application=province_rows[2], expert=users["expert"], assigned_by=users["province"]
    )
    before = _snapshot()
    response = _assign(client, province_rows, users["expert"])
    assert response.status_code == 400
    assert (
        "第3项（太原晋华重工有限公司 · 评审项目）：专家：该专家已分配到此申报。"
        in response.content.decode()
    )
    assert _snapshot() == before


def test_a_stale_row_stops_the_assignment(client, users, province_rows):
    client.force_login(users["province"])
    Application.objects.filter(pk=province_rows[1].pk).update(version=province_rows[1].version + 1)
    before = _snapshot()
    response = _assign(client, province_rows, users["expert"])
    assert response.status_code == 409
    assert "第2项（大同云冈机械有限公司 · 大同项目）" in response.content.decode()
    assert _snapshot() == before


def test_a_city_is_not_offered_the_assignment(city_client, users, province_rows):
    before = _snapshot()
    assert _assign(city_client, province_rows[:1], users["expert"]).status_code == 400
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["enterprise_a", "expert", "admin"])
def test_an_enterprise_an_expert_or_the_operator_cannot_post(client, users, city_rows, role):
    client.force_login(users[role])
    before = _snapshot()
    assert _return(client, city_rows).status_code == 403
    assert _snapshot() == before


def test_the_bulk_assignment_carries_the_chosen_due_date(client, users, province_rows):
    with time_machine.travel(datetime(2027, 5, 10, 9, tzinfo=SHANGHAI), tick=False):
        client.force_login(users["province"])  # the session starts on the frozen day
        first = client.post(
            URL,
            {
                "action": "assign",
                "rows": _rows(province_rows),
                "expert": users["expert"].pk,
                "due_on": "2027-05-20",
            },
        )
        content = first.content.decode()
        assert "评分截止日期：2027年5月20日" in content
        assert 'name="due_on" value="2027-05-20"' in content
        assert ExpertAssignment.objects.count() == 0
        assert (
            _assign(client, province_rows, users["expert"], due_on="2027-05-20").status_code == 302
        )
    assert {a.due_on for a in ExpertAssignment.objects.all()} == {date(2027, 5, 20)}


def test_without_a_date_each_assignment_gets_the_default_review_period(
    client, users, province_rows
):
    with time_machine.travel(datetime(2027, 5, 10, 9, tzinfo=SHANGHAI), tick=False):
        client.force_login(users["province"])  # the session starts on the frozen day
        assert _assign(client, province_rows, users["expert"]).status_code == 302
    assert {a.due_on for a in ExpertAssignment.objects.all()} == {review_due(date(2027, 5, 10))}


def test_a_due_date_in_the_past_stops_the_bulk_assignment(client, users, province_rows):
    before = _snapshot()
    with time_machine.travel(datetime(2027, 5, 10, 9, tzinfo=SHANGHAI), tick=False):
        client.force_login(users["province"])
        response = _assign(client, province_rows, users["expert"], due_on="2027-05-09")
    assert response.status_code == 400
    assert "评分截止日期：不能早于今天。" in response.content.decode()
    assert _snapshot() == before
