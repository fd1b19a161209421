"""Each user turns e-mail off (and back on) on the preference page, reachable from the
account menu; notifications in the product still appear."""

import pytest
from django.urls import reverse

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.reminders.models import Preference
from tests.access import form_on_page

pytestmark = pytest.mark.django_db


def test_the_account_menu_links_the_preferences(client, users):
    client.force_login(users["enterprise_a"])
    assert reverse("reminders:preferences") in client.get(reverse("home")).content.decode()


def test_email_is_on_until_turned_off(client, users):
    client.force_login(users["city_a"])
    url = reverse("reminders:preferences")
    data = form_on_page(client.get(url).content.decode(), form_id="preference-form")
    assert data["email_enabled"] == ["on"]
    data.pop("email_enabled")
    response = client.post(url, data)
    assert response.status_code == 302
    preference = Preference.objects.get(user=users["city_a"])
    assert not preference.email_enabled
    assert AuditEntry.objects.filter(action=AuditAction.REMINDER_PREFERENCES).exists()
    again = form_on_page(client.get(url).content.decode(), form_id="preference-form")
    assert "email_enabled" not in again


def test_a_stale_page_is_refused(client, users):
    client.force_login(users["city_a"])
    url = reverse("reminders:preferences")
    data = form_on_page(client.get(url).content.decode(), form_id="preference-form")
    client.post(url, {**data, "email_enabled": []})
    response = client.post(url, data)  # the first page's version
    assert response.status_code == 409
    assert Preference.objects.get(user=users["city_a"]).email_enabled is False


def test_anonymous_goes_to_log_in(client):
    response = client.get(reverse("reminders:preferences"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
