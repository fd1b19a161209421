"""Machine tokens of the REST API: a token acts as its user, with that user's role and unit.

Only a hash of the secret is stored (SHA-256 of a ``secrets.token_urlsafe(32)``); the secret is
shown once, when the token is issued, and a short prefix names it on the pages.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.scope import ScopedQuerySet, ScopePaths


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("代表的账号"),
    )
    name = models.CharField(_("用途"), max_length=64)
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("签发人"),
    )
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("吊销人"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(operator=True)  # the operator's records: only the 系统管理员 reads them

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
