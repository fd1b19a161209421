"""Password change for every logged-in user, and reset by an e-mailed link for everyone."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry, User

NEW = "Changed#2027x"


@pytest.mark.parametrize("role", ["enterprise_a", "city_a", "province", "expert", "admin"])
def test_every_role_changes_its_password_and_stays_logged_in(client, users, role):
    client.force_login(users[role])
    assert 'id="password-change-link"' in client.get(reverse("home")).content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Secret#2026", "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    assert User.objects.get(pk=users[role].pk).check_password(NEW)
    assert "密码已修改" in client.get(response["Location"]).content.decode()
    entry = AuditEntry.objects.get(action="account.password_change")
    assert entry.actor == users[role] and NEW not in str(entry.changes)


def test_a_reset_email_carries_a_link_that_sets_the_password_once(client, users):
    user = users["enterprise_a"]
    user.email = "ent@example.com"
    user.save()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login_page
    client.post(reverse("accounts:password_reset"), {"email": "ent@example.com"})
    (message,) = mail.outbox
    assert "重置密码" in message.subject and user.username in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert User.objects.get(pk=user.pk).check_password(NEW)
    assert AuditEntry.objects.filter(action="account.password_reset", target_id=str(user.pk))
    # The link is used up.
    again = client.get(link, follow=True).content.decode()
    assert "该重置链接无效或已过期" in again
    assert (
        client.post(
            reverse("accounts:login"), {"username": user.username, "password": NEW}
        ).status_code
        == 302
    )


def test_a_reset_lifts_a_lock_out(client, users, settings):
    user = users["city_a"]
    user.email = "city@example.com"
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    client.post(reverse("accounts:password_reset"), {"email": "city@example.com"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    set_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": NEW})
    assert response.status_code == 302


def test_a_failing_mail_server_answers_as_for_an_unknown_address(client, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    user = users["enterprise_a"]
    user.email = "ent@example.com"
    user.save()
    known = client.post(reverse("accounts:password_reset"), {"email": "ent@example.com"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "no@example.com"})
    assert known.status_code == unknown.status_code == 302
