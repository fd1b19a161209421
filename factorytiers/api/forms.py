from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.names import NameField


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.username}（{user.display_name}，{user.get_role_display()}）"


class IssueTokenForm(forms.Form):
    user = UserChoiceField(
        label=_("代表的账号"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_("令牌以该账号的角色和单位访问数据，范围与该账号登录后看到的页面相同。"),
    )
    name = NameField(
        label=_("用途"),
        max_length=64,
        help_text=_("例如：省大数据中心每日同步。"),
    )
