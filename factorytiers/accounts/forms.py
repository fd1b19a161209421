from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from factorytiers.domain.credit_code import check_credit_code


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


def version_field() -> forms.IntegerField:
    """The version the page was opened at: every edit form carries it, and a page that sends
    none (or a stale one) is refused, so no edit skips the conflict check."""
    return forms.IntegerField(
        label=_("页面版本"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("页面已过期，请刷新后重新填写并提交。"),
            "invalid": _("页面已过期，请刷新后重新填写并提交。"),
        },
    )
