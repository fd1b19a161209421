from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.forms import version_field


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("通过电子邮件接收提醒"),
        required=False,
        help_text=_("关闭后不再发送邮件；系统内的通知照常显示。"),
    )
    language = forms.ChoiceField(label=_("邮件和日历的语言"), choices=settings.LANGUAGES)
    version = version_field()


class CampaignRemindersForm(forms.Form):
    days_before = forms.CharField(
        label=_("截止前提醒天数"),
        max_length=40,
        required=False,
        help_text=_("截止日期前几天提醒，用逗号分隔，如“7,1”；留空则只在逾期后提醒。"),
    )
    version = version_field()


class UrgeForm(forms.Form):
    task = forms.ModelChoiceField(label=_("督促事项"), queryset=None, empty_label=None)
    note = forms.CharField(
        label=_("补充说明"), max_length=200, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
