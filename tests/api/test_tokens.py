"""Machine tokens: issued and revoked only by the operator, the secret shown once and never
stored, every change audited; a revoked or unknown token, or an inactive user's, is a 401."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.api.models import ApiToken
from factorytiers.api.services import issue_token, revoke_token
from tests.access import ROLES

pytestmark = pytest.mark.django_db

LIST = "/api/enterprises"


def _issue_on_page(users, role="city_a", name="省数据中心同步"):
    client = Client()
    client.force_login(users["admin"])
    response = client.post(reverse("apitokens:list"), {"user": str(users[role].pk), "name": name})
    assert response.status_code == 200
    secret = re.search(r'id="issued-secret" readonly value="([^"]+)"', response.content.decode())
    return client, secret.group(1)


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(users):
    client, secret = _issue_on_page(users)
    token = ApiToken.objects.get()
    assert token.user == users["city_a"]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(secret) > 40
    stored = " ".join(str(value) for value in ApiToken.objects.values_list().get())
    assert secret not in stored
    again = client.get(reverse("apitokens:list"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.API_TOKEN_ISSUE)
    assert entry.actor == users["admin"]
    assert entry.target_id == str(token.pk)
    assert secret not in str(entry.changes)


def test_the_token_acts_as_its_user(users, enterprise_a, enterprise_b):
    _client, secret = _issue_on_page(users)
    response = Client().get(LIST, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [enterprise_a.pk]


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "admin")])
def test_no_other_role_issues_or_revokes(users, role):
    with pytest.raises(PermissionDenied):
        issue_token(actor=users[role], user=users[role], name="自行签发")
    token = issue_token(actor=users["admin"], user=users["city_a"], name="同步").token
    with pytest.raises(PermissionDenied):
        revoke_token(actor=users[role], token=token)
    assert ApiToken.objects.get().revoked_at is None
    assert not AuditEntry.objects.filter(action=AuditAction.API_TOKEN_REVOKE).exists()


def test_a_revoked_token_is_refused(users):
    client, secret = _issue_on_page(users)
    headers = {"Authorization": f"Bearer {secret}"}
    assert Client().get(LIST, headers=headers).status_code == 200
    token = ApiToken.objects.get()
    response = client.post(reverse("apitokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = Client().get(LIST, headers=headers)
    assert refused.status_code == 401
    assert "令牌" in refused.json()["detail"]
    entry = AuditEntry.objects.get(action=AuditAction.API_TOKEN_REVOKE)
    assert entry.actor == users["admin"] and entry.target_id == str(token.pk)
    # Revoking twice is refused on the page, and writes nothing more.
    again = client.post(reverse("apitokens:revoke", args=[token.pk]))
    assert again.status_code == 400
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN_REVOKE).count() == 1


def test_an_inactive_users_token_is_refused(users):
    _client, secret = _issue_on_page(users)
    users["city_a"].is_active = False
    users["city_a"].save()
    assert Client().get(LIST, headers={"Authorization": f"Bearer {secret}"}).status_code == 401


@pytest.mark.parametrize(
    "header",
    [None, "Bearer ", "Bearer ft_unknown-token-0000000000000000000000000000", "Basic eDp5", "x"],
)
def test_no_token_or_an_unknown_one_is_a_401(users, enterprise_a, header):
    headers = {"Authorization": header} if header is not None else {}
    response = Client().get(LIST, headers=headers)
    assert response.status_code == 401
    assert enterprise_a.name not in response.content.decode()


def test_a_token_for_an_inactive_account_is_not_issued(users):
    from factorytiers.accounts.writes import Refused

    users["city_b"].is_active = False
    users["city_b"].save()
    with pytest.raises(Refused):
        issue_token(actor=users["admin"], user=users["city_b"], name="同步")
    assert not ApiToken.objects.exists()


def test_the_last_use_is_kept_at_most_once_a_minute(users):
    issued = issue_token(actor=users["admin"], user=users["city_a"], name="同步")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    with time_machine.travel("2026-12-01 09:00:00+08:00", tick=False) as clock:
        Client().get(LIST, headers=headers)
        first = ApiToken.objects.get().last_used_at
        assert first is not None
        clock.shift(timedelta(seconds=30))
        Client().get(LIST, headers=headers)
        assert ApiToken.objects.get().last_used_at == first
        clock.shift(timedelta(seconds=31))
        Client().get(LIST, headers=headers)
        assert ApiToken.objects.get().last_used_at > first


def test_the_schema_and_docs_need_a_token_or_a_session(users):
    issued = issue_token(actor=users["admin"], user=users["province"], name="文档")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    assert Client().get("/api/openapi.json").status_code == 401
    schema = Client().get("/api/openapi.json", headers=headers)
    assert schema.status_code == 200
    assert "/api/enterprises" in schema.json()["paths"]
    docs = Client().get("/api/docs", headers=headers)
    assert docs.status_code == 200
    page = docs.content.decode()
    # Swagger UI from our own static files: nothing from a CDN, no inline script.
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page.replace(" ", "")
