from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from factorytiers.enterprises.forms import EnterpriseForm
from factorytiers.reference.models import Region

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错5次，账号将被锁定30分钟。"),
        "inactive": _("该账号已停用。"),
    }


class RegistrationForm(EnterpriseForm):
    """An enterprise asks for an account: its profile plus a log-in, approved by the city."""

    username = forms.CharField(label=_("登录名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    class Meta(EnterpriseForm.Meta):
        fields = [f for f in EnterpriseForm.Meta.fields if f != "is_pilot_winner"]

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args, unit_choices=Region.objects.filter(is_reporting_unit=True), **kwargs
        )
        self.fields["unit"].label = _("所在地市（由该市工信局审核）")
        del self.fields["version"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录名已被使用，请换一个。"))
        return username

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("两次输入的密码不一致。"))
        if password:
            try:
                password_validation.validate_password(
                    password, User(username=cleaned.get("username", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
