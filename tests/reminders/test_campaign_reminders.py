"""The province sets how many days before each deadline of a campaign the reminders go out."""

import pytest
from django.urls import reverse

from factorytiers.reminders.models import CampaignReminders
from factorytiers.reminders.selectors import days_before
from tests.access import form_on_page

pytestmark = pytest.mark.django_db


def test_the_defaults_are_seven_and_one_until_the_province_changes_them(client, users, campaign):
    assert days_before(campaign) == (7, 1)
    client.force_login(users["province"])
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    url = reverse("reminders:campaign_reminders", args=[campaign.pk])
    assert url in detail
    data = form_on_page(client.get(url).content.decode(), form_id="campaign-reminders-form")
    assert data["days_before"] == ["7,1"]
    response = client.post(url, {**data, "days_before": "10，3、1"})
    assert response.status_code == 302
    assert days_before(campaign) == (10, 3, 1)


def test_bad_days_are_refused_in_chinese_and_nothing_is_saved(client, users, campaign):
    client.force_login(users["province"])
    url = reverse("reminders:campaign_reminders", args=[campaign.pk])
    response = client.post(url, {"days_before": "7,九十", "version": "1"})
    assert response.status_code == 400
    assert "截止前提醒天数：“九十”不是0至60之间的整数天数。" in response.content.decode()
    assert not CampaignReminders.objects.exists()
