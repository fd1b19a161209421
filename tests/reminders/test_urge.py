"""督促: a city officer urges every enterprise of the list it is looking at (with its filters),
after a confirmation with the count; only its own unit's enterprises, once a day per task."""

import pytest
from django.core import mail
from django.urls import reverse

from factorytiers.accounts.models import AuditAction, AuditEntry, Role
from factorytiers.accounts.writes import Refused
from factorytiers.campaigns import notify
from factorytiers.campaigns.models import Notification
from factorytiers.enterprises.models import Enterprise
from factorytiers.reminders import services
from factorytiers.reminders.models import Urge
from tests.conftest import make_enterprise, make_user

from .conftest import assessed, shanghai

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_a_list(mailed_users, unit_a, enterprise_a):
    """Unit A: 晋华 (not assessed, 装备制造), 汾河 (not assessed, 消费品), 龙城 (assessed)."""
    fenhe = make_enterprise(unit_a, name="太原汾河食品有限公司", body="MA0C0003", sector="消费品")
    longcheng = make_enterprise(unit_a, name="太原龙城电子有限公司", body="MA0D0004")
    assessed(longcheng)
    make_user("ent_fenhe", Role.ENTERPRISE, enterprise=fenhe, email="fenhe@example.com")
    make_user("ent_longcheng", Role.ENTERPRISE, enterprise=longcheng, email="lc@example.com")
    return {"jinhua": enterprise_a, "fenhe": fenhe, "longcheng": longcheng}


def urged_enterprises():
    return set(Urge.objects.values_list("enterprise__name", flat=True))


def urge_post(client, data, *, confirm, task=None, note=""):
    payload = dict(data)
    if confirm:
        payload.update({"confirm": "1", "task": task.pk, "note": note})
    return client.post(reverse("reminders:urge"), payload)


def test_the_not_yet_assessed_list_is_confirmed_with_its_count_then_urged(
    client, mailed_users, unit_a_list, self_assessment, travel, django_capture_on_commit_callbacks
):
    travel(shanghai(2026, 4, 10, 9))
    client.force_login(mailed_users["city_a"])
    overview = client.get(reverse("assessments:overview"), {"status": "not_assessed"})
    assert 'id="urge-start"' in overview.content.decode()
    data = {"source": "overview", "status": "not_assessed", "year": "2026"}
    page = urge_post(client, data, confirm=False)
    assert page.status_code == 200
    assert "当前筛选结果共 2 家企业" in page.content.decode()
    assert not Urge.objects.exists() and not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = urge_post(client, data, confirm=True, task=self_assessment, note="请本周内完成")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("assessments:overview") + "?")
    assert urged_enterprises() == {"太原晋华重工有限公司", "太原汾河食品有限公司"}
    notes = Notification.objects.filter(kind=notify.URGE)
    assert {n.recipient.username for n in notes} == {"ent_a", "ent_fenhe"}
    assert notify.message(notes[0]) == (
        "太原市督促：请尽快完成“智能制造能力成熟度自评估”（截止日期2026-04-15）。说明：请本周内完成"
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["enterprise_a@example.com", "fenhe@example.com"]
    entry = AuditEntry.objects.get(action=AuditAction.REMINDER_URGE)
    assert entry.actor == mailed_users["city_a"] and entry.changes["facts"]["enterprises"] == 2


def test_the_enterprise_list_filters_are_applied(
    client, mailed_users, unit_a_list, self_assessment, travel
):
    travel(shanghai(2026, 4, 10, 9))
    client.force_login(mailed_users["city_a"])
    data = {"source": "enterprises", "sector": "消费品"}
    assert "当前筛选结果共 1 家企业" in urge_post(client, data, confirm=False).content.decode()
    urge_post(client, data, confirm=True, task=self_assessment)
    assert urged_enterprises() == {"太原汾河食品有限公司"}


def test_another_units_list_cannot_be_targeted(
    client, mailed_users, unit_a_list, unit_a, unit_b, enterprise_b, self_assessment, travel
):
    travel(shanghai(2026, 4, 10, 9))
    client.force_login(mailed_users["city_b"])
    # City B names unit A in the filter: its list has no unit field, so its own unit is meant.
    urge_post(
        client, {"source": "enterprises", "unit": unit_a.pk}, confirm=True, task=self_assessment
    )
    assert urged_enterprises() == {"大同云冈机械有限公司"}
    # Nor can the service be handed unit A's enterprises through a filter of the scoped read.
    from factorytiers.reminders.selectors import urge_targets

    targets = urge_targets(
        mailed_users["city_b"], source="enterprises", filters={"unit": unit_a}, year=2026
    )
    with pytest.raises(Refused):
        services.urge_enterprises(
            actor=mailed_users["city_b"], task=self_assessment, enterprises=targets
        )
    assert not Urge.objects.filter(unit=unit_a).exists()
    assert not Notification.objects.filter(recipient__enterprise__unit=unit_a).exists()


def test_once_a_day_per_enterprise_and_task(
    client, mailed_users, unit_a_list, self_assessment, campaign, travel
):
    travel(shanghai(2026, 4, 10, 9))
    client.force_login(mailed_users["city_a"])
    data = {"source": "enterprises", "q": "晋华"}
    urge_post(client, data, confirm=True, task=self_assessment)
    response = urge_post(client, {"source": "enterprises"}, confirm=True, task=self_assessment)
    assert response.status_code == 302
    assert Urge.objects.filter(enterprise=unit_a_list["jinhua"]).count() == 1
    assert Urge.objects.count() == 3  # 晋华 once, then 汾河 and 龙城
    again = urge_post(client, {"source": "enterprises"}, confirm=True, task=self_assessment)
    assert "今天已就该任务督促过" in client.get(again["Location"]).content.decode()
    # Another task, or the next day, may be urged again.
    urge_post(client, data, confirm=True, task=campaign.tasks.get(kind="advanced"))
    travel(shanghai(2026, 4, 11, 9))
    client.force_login(mailed_users["city_a"])  # the session of the day before has ended
    urge_post(client, data, confirm=True, task=self_assessment)
    assert Urge.objects.filter(enterprise=unit_a_list["jinhua"]).count() == 3


def test_a_task_units_do_themselves_is_not_offered(client, mailed_users, unit_a_list, campaign):
    client.force_login(mailed_users["city_a"])
    report = campaign.tasks.get(kind="report")
    urge_post(client, {"source": "enterprises"}, confirm=True, task=report)
    assert not Urge.objects.exists()


def test_only_city_officers_urge(client, users, self_assessment):
    for role in ("enterprise_a", "province", "expert", "admin"):
        client.force_login(users[role])
        response = urge_post(client, {"source": "enterprises"}, confirm=True, task=self_assessment)
        assert response.status_code == 403, role
    client.force_login(users["city_a"])
    assert client.get(reverse("reminders:urge")).status_code == 405
    assert not Urge.objects.exists()


def test_an_empty_list_is_refused(client, users, self_assessment):
    Enterprise.objects.filter(unit=users["city_a"].unit).update(sector="原材料")
    client.force_login(users["city_a"])
    response = urge_post(
        client, {"source": "enterprises", "sector": "消费品"}, confirm=True, task=self_assessment
    )
    assert "筛选结果中没有企业" in client.get(response["Location"]).content.decode()
    assert not Urge.objects.exists()


def test_the_enterprise_lists_tier_and_level_filters_are_applied(
    client, mailed_users, unit_a_list, self_assessment, travel
):
    travel(shanghai(2026, 4, 10, 9))
    client.force_login(mailed_users["city_a"])
    # 龙城 has this year's counted result; the other two have none.
    listed = client.get(reverse("enterprises:list"), {"level": "none"}).content.decode()
    assert "太原龙城电子有限公司" not in listed
    data = {"source": "enterprises", "level": "none"}
    assert "当前筛选结果共 2 家企业" in urge_post(client, data, confirm=False).content.decode()
    urge_post(client, data, confirm=True, task=self_assessment)
    assert urged_enterprises() == {"太原晋华重工有限公司", "太原汾河食品有限公司"}


@pytest.mark.parametrize("bad", [{"level": "９"}, {"tier": "金牌"}, {"sector": "不存在"}])
def test_a_filter_that_does_not_read_urges_nobody(
    client, mailed_users, unit_a_list, self_assessment, travel, bad
):
    travel(shanghai(2026, 4, 10, 9))
    client.force_login(mailed_users["city_a"])
    for confirm in (False, True):
        response = urge_post(
            client, {"source": "enterprises", **bad}, confirm=confirm, task=self_assessment
        )
        assert response.status_code == 400
        assert "筛选条件有误，未发送督促" in response.content.decode()
    assert not Urge.objects.exists() and not mail.outbox
