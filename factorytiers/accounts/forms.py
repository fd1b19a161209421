import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from factorytiers.domain.credit_code import check_credit_code

from . import fields


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错5次，账号将被锁定30分钟。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("登录名")
        self.fields["username"].help_text = _("企业用户以统一社会信用代码登录。")

    def clean_username(self):
        # Enterprise accounts are named by their credit code, which is upper case; people
        # often type it in lower case or with spaces.
        username = self.cleaned_data.get("username") or ""
        compact = "".join(username.split())
        if check_credit_code(compact.upper()).ok:
            return compact.upper()
        return username


logger = logging.getLogger(__name__)


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for the address an account has; the page answers the same whether one has it."""

    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        error_messages={
            "required": _("请填写账号登记的电子邮箱。"),
            "invalid": _("请填写有效的电子邮箱地址，如 name@example.com。"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, *args, **kwargs):
        # A mail server that fails must not answer differently for a known address.
        try:
            super().send_mail(*args, **kwargs)
        except OSError:  # smtplib's errors are OSErrors
            logger.exception("password reset e-mail not sent")


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
