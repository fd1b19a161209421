from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import fields


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错5次，账号将被锁定30分钟。"),
        "inactive": _("该账号已停用。"),
    }


def version_field() -> fields.IntegerField:
    """The version the page was opened at: every edit form carries it, and a page that sends
    none (or a stale one) is refused, so no edit skips the conflict check."""
    return fields.IntegerField(
        label=_("页面版本"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("页面已过期，请刷新后重新填写并提交。"),
            "invalid": _("页面已过期，请刷新后重新填写并提交。"),
        },
    )
