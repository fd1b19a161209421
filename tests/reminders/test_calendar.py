"""The private calendar feed: /calendar/<token>.ics, no log-in, the deadlines waiting on the
user as all-day events in Asia/Shanghai; a renewed token makes the old address a 404."""

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from factorytiers.reminders.models import Preference
from factorytiers.reminders.services import renew_calendar_token

from .conftest import assessed, reported, shanghai

pytestmark = pytest.mark.django_db


def feed(client, user):
    token = Preference.objects.get(user=user).calendar_token
    response = client.get(reverse("reminders:calendar", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def tokens(users):
    for key in ("enterprise_a", "city_a", "city_b", "province", "expert"):
        renew_calendar_token(actor=users[key])
    return users


def test_a_city_officer_sees_every_deadline_its_unit_has_not_reported(client, tokens, travel):
    travel(shanghai(2026, 4, 1, 9))
    got = events(feed(client, tokens["city_a"]))
    assert set(got) == {
        "截止：海外智能工厂培育推荐",
        "截止：智能制造能力成熟度自评估",
        "截止：示范工厂揭榜单位验收申请",
        "截止：先进级智能工厂推荐",
        "截止：智能工厂梯度培育情况报告",
        "截止：卓越级智能工厂初审",
    }
    event = got["截止：智能制造能力成熟度自评估"]
    assert event.decoded("dtstart") == date(2026, 4, 15)  # all day, the Shanghai date
    assert event.decoded("dtend") == date(2026, 4, 16)
    assert str(event["url"]).endswith(reverse("campaigns:task", args=[_task_id(event)]))


def _task_id(event) -> int:
    return int(str(event["uid"]).split("-")[1])


def test_the_uid_is_stable_across_renders(client, tokens, travel):
    travel(shanghai(2026, 4, 1, 9))
    first = sorted(str(e["uid"]) for e in feed(client, tokens["city_a"]).walk("VEVENT"))
    travel(shanghai(2026, 4, 2, 9))
    assert sorted(str(e["uid"]) for e in feed(client, tokens["city_a"]).walk("VEVENT")) == first


def test_a_reported_task_leaves_the_units_calendar(client, tokens, campaign, unit_a, travel):
    travel(shanghai(2026, 4, 1, 9))
    reported(campaign.tasks.get(kind="advanced"), unit_a)
    assert "截止：先进级智能工厂推荐" not in events(feed(client, tokens["city_a"]))
    assert "截止：先进级智能工厂推荐" in events(feed(client, tokens["city_b"]))


def test_an_enterprise_sees_its_own_work_only(client, tokens, enterprise_a, travel):
    travel(shanghai(2026, 4, 1, 9))
    assert set(events(feed(client, tokens["enterprise_a"]))) == {"截止：智能制造能力成熟度自评估"}
    assessed(enterprise_a)
    assert events(feed(client, tokens["enterprise_a"])) == {}


def test_province_and_expert_have_no_deadlines_of_their_own(client, tokens, travel):
    travel(shanghai(2026, 4, 1, 9))
    assert events(feed(client, tokens["province"])) == {}
    assert events(feed(client, tokens["expert"])) == {}


def test_a_renewed_token_makes_the_old_address_404(client, users):
    old = renew_calendar_token(actor=users["city_a"]).calendar_token
    new = renew_calendar_token(actor=users["city_a"]).calendar_token
    assert new != old and len(new) >= 40
    assert client.get(reverse("reminders:calendar", args=[old])).status_code == 404
    assert client.get(reverse("reminders:calendar", args=[new])).status_code == 200


def test_a_made_up_token_and_an_inactive_users_token_are_404(client, users):
    token = renew_calendar_token(actor=users["city_a"]).calendar_token
    assert client.get(reverse("reminders:calendar", args=["x" * 43])).status_code == 404
    users["city_a"].is_active = False
    users["city_a"].save()
    assert client.get(reverse("reminders:calendar", args=[token])).status_code == 404


def test_the_preference_page_renews_the_link_by_post(client, users):
    client.force_login(users["city_a"])
    page = client.get(reverse("reminders:preferences"))
    assert "生成日历订阅链接" in page.content.decode()
    assert not Preference.objects.exists()  # a GET writes nothing
    client.post(reverse("reminders:renew_calendar"))
    token = Preference.objects.get(user=users["city_a"]).calendar_token
    page = client.get(reverse("reminders:preferences")).content.decode()
    assert f"/calendar/{token}.ics" in page and "更换链接" in page
    client.post(reverse("reminders:renew_calendar"))
    assert client.get(reverse("reminders:calendar", args=[token])).status_code == 404
    assert client.get(reverse("reminders:renew_calendar")).status_code == 405
