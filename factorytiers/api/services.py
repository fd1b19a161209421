"""Issuing, revoking and checking machine tokens. Writes check ``api.manage_tokens`` first, run
in one transaction and leave an audit entry; the secret itself is never stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import Refused

from .models import ApiToken

SECRET_PREFIX = "ft_"
PREFIX_LENGTH = 10  # "ft_" and the first 7 characters: enough to tell tokens apart on a page
# A token's last use is bookkeeping: written at most this often, not on every request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown once, on the page that issued it


def issue_token(*, actor, user, name: str) -> Issued:
    require(actor, "api.manage_tokens")
    if not user.is_active:
        raise Refused(_("该账号已停用，不能为其签发接口令牌。"))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=AuditAction.API_TOKEN_ISSUE,
            target=token,
            unit=user.unit,
            facts={"user": user.username, "name": name, "prefix": token.prefix},
        )
    return Issued(token, secret)


def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    require(actor, "api.manage_tokens")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            raise Refused(_("该接口令牌已吊销。"))
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKE,
            target=token,
            unit=token.user.unit,
            facts={"user": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return token


def user_for_secret(secret: str):
    """The active user a presented secret acts as, or None (unknown, revoked, inactive user)."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
