"""Forms of the enterprise registry. Every rule comes from ``factorytiers.domain``."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts import fields
from factorytiers.accounts.forms import version_field
from factorytiers.accounts.models import User
from factorytiers.accounts.names import name_fields
from factorytiers.domain.credit_code import check_credit_code
from factorytiers.domain.naming import name_problem
from factorytiers.domain.phone import check_phone
from factorytiers.domain.tier_conditions import LEVEL_NAMES
from factorytiers.domain.tiers import TIERS
from factorytiers.reference.models import Country, IndustryCode, Region

from .models import NATURE_CHOICES, SECTOR_CHOICES, SIZE_CHOICES, Enterprise, Factory


class IndustryField(forms.CharField):
    """A GB/T 4754-2017 小类 chosen from the list; typed text must match a code in it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("行业小类"))
        kwargs.setdefault("help_text", _("输入代码或名称后从列表中选择，如“3311 金属结构制造”。"))
        super().__init__(max_length=140, **kwargs)
        self.widget.attrs.update({"list": "industry-options", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, IndustryCode):
            return value.label
        if isinstance(value, int):
            code = IndustryCode.objects.filter(pk=value).first()
            return code.label if code else ""
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        code = text.split()[0]
        industry = IndustryCode.objects.filter(code=code, level=IndustryCode.Level.CLASS).first()
        if industry is None:
            raise forms.ValidationError(
                _("“%(value)s”不是GB/T 4754-2017制造业（C门类）的小类代码，请从列表中选择。"),
                params={"value": text},
                code="invalid_industry",
            )
        return industry


class EnterpriseForm(forms.ModelForm):
    """Profile of an enterprise. ``unit`` is offered only to those who may move enterprises."""

    industry = IndustryField()
    version = version_field()

    class Meta:
        formfield_callback = fields.formfield
        model = Enterprise
        fields = ["unit", *Enterprise.PROFILE_FIELDS, "is_pilot_winner"]
        field_classes = name_fields("name", "contact_name")
        error_messages = {
            "credit_code": {"unique": _("该统一社会信用代码已被登记，不能重复登记。")},
        }

    # Fields that identify the enterprise or grant a right; only officers change them.
    OFFICER_FIELDS = ("credit_code", "is_pilot_winner")

    def __init__(self, *args, unit_choices=None, officer_fields: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer_fields:
            for name in self.OFFICER_FIELDS:
                del self.fields[name]
        if unit_choices is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = unit_choices
        self.fields["employees"].widget.attrs["min"] = 0
        self.fields["revenue_wan"].widget.attrs["min"] = 0
        self.fields["employees"].error_messages["min_value"] = _("从业人数不能为负数。")
        for name in ("revenue_wan", "main_business_revenue_wan"):
            self.fields[name].error_messages["min_value"] = _("金额不能为负数。")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def clean_name(self):
        value = " ".join(self.cleaned_data["name"].split())
        # The material package names a folder after it (地市-序号-企业名称-项目名称).
        problem = name_problem(value, _("名称"))
        if problem:
            raise forms.ValidationError(problem, code="folder_name")
        return value

    def clean_credit_code(self):
        result = check_credit_code(self.cleaned_data["credit_code"])
        if not result.ok:
            raise forms.ValidationError(result.message, code="invalid_credit_code")
        return result.code

    def clean_contact_phone(self):
        result = check_phone(self.cleaned_data["contact_phone"])
        if not result.ok:
            raise forms.ValidationError(result.message, code="invalid_phone")
        return result.normalized


class FactoryForm(forms.ModelForm):
    version = version_field()

    class Meta:
        formfield_callback = fields.formfield
        model = Factory
        fields = ["name", "location", "is_overseas", "country"]
        field_classes = name_fields("name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.exclude(iso2="CN")
        self.fields["country"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_overseas") and not cleaned.get("country"):
            self.add_error("country", _("海外工厂须选择所在国家。"))
        if not cleaned.get("is_overseas"):
            cleaned["country"] = None
        return cleaned


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=_("企业名称或信用代码"), required=False)
    unit = forms.ModelChoiceField(
        label=_("地市"), queryset=Region.objects.filter(is_reporting_unit=True), required=False
    )
    sector = forms.ChoiceField(label=_("所属行业"), required=False)
    size_class = forms.ChoiceField(label=_("企业类型"), required=False)
    nature = forms.ChoiceField(label=_("企业性质"), required=False)
    above_scale = forms.ChoiceField(
        label=_("规上"), required=False, choices=[("", "全部"), ("1", "规上"), ("0", "规下")]
    )
    tier = forms.ChoiceField(
        label=_("智能工厂级别"),
        required=False,
        choices=[("", _("全部")), ("none", _("未认定"))] + [(t.value, t.value) for t in TIERS],
    )
    level = forms.ChoiceField(
        label=_("本年度成熟度等级"),
        required=False,
        choices=[("", _("全部")), ("none", _("未评估"))]
        + [(str(n), name) for n, name in LEVEL_NAMES.items()],
    )

    def __init__(self, *args, show_unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        all_ = [("", _("全部"))]
        self.fields["sector"].choices = all_ + SECTOR_CHOICES
        self.fields["size_class"].choices = all_ + SIZE_CHOICES
        self.fields["nature"].choices = all_ + NATURE_CHOICES
        if not show_unit:
            del self.fields["unit"]


class RegistrationForm(EnterpriseForm):
    """An enterprise asks for an account: its profile plus a password, approved by the city.
    The credit code is the log-in name, so the form asks for no user name and says nothing of
    which credit codes are known (a repeated one is flagged to the city, not to the sender)."""

    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    class Meta(EnterpriseForm.Meta):
        fields = [f for f in EnterpriseForm.Meta.fields if f != "is_pilot_winner"]

    def __init__(self, *args, **kwargs):
        super().__init__(
            *args, unit_choices=Region.objects.filter(is_reporting_unit=True), **kwargs
        )
        self.fields["unit"].label = _("所在地市（由该市工信局审核）")
        self.fields["credit_code"].help_text = _("审核通过后，以统一社会信用代码登录。")

    def validate_unique(self):
        # A credit code already in the registry is a claim or a replacement, decided by the
        # city; telling the sender would reveal which enterprises have accounts.
        pass

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("两次输入的密码不一致。"))
        if password:
            try:
                password_validation.validate_password(
                    password, User(username=cleaned.get("credit_code", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    replace = forms.BooleanField(
        label=_("替换原账号：原账号停用并失去该企业，原申请标为“已被替换”"), required=False
    )


class RegistryUploadForm(forms.Form):
    """The statistics bureau's registry: an XLSX or a CSV (UTF-8 or GBK), checked by the
    import service (content, size, package bounds)."""

    file = forms.FileField(label=_("企业名录文件（.xlsx 或 .csv）"))
