"""Forms of the campaign workflow. Rules come from ``factorytiers.domain`` and the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from factorytiers.domain.sectors import Sector

from .models import Application, OverseasRecommendation, Scenario

PARTS = [
    ("part1", _("一、揭榜单位基本信息"), _("企业名称、地址、性质、行业、联系信息等。")),
    ("part2", _("二、项目指标情况"), _("财务指标情况、劳动生产率等绩效指标情况。")),
    ("part3", _("三、揭榜任务建设情况"), _("任务描述、痛点问题、技术方案、实施成效、保障要素等。")),
    (
        "part4",
        _("四、项目建设成效"),
        _("项目典型模式总结、示范带动情况、推广应用情况、下一步建设计划等。"),
    ),
]


class ScenarioChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.name}（{obj.link}）"


class ApplicationForm(forms.ModelForm):
    scenarios = ScenarioChoiceField(
        label=_("智能制造典型场景"), queryset=Scenario.objects.none(), required=False
    )
    ai_scenarios = ScenarioChoiceField(
        label=_("其中应用人工智能的场景"), queryset=Scenario.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Application
        fields = [
            "factory",
            "project_name",
            "maturity_level",
            "maturity_score",
            "investment_wan",
            "indicators",
            "other_scenarios",
        ]
        widgets = {
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "other_scenarios": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, enterprise, campaign, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        scenarios = Scenario.objects.filter(edition=campaign.scenario_edition)
        self.fields["scenarios"].queryset = scenarios
        self.fields["ai_scenarios"].queryset = scenarios
        self.fields["factory"].queryset = enterprise.factories.filter(is_overseas=False)
        self.fields["factory"].required = kind != "揭榜验收"
        if kind == "揭榜验收":
            self.fields["project_name"].label = _("揭榜项目名称")
            for key, label, help_text in PARTS:
                self.fields[key] = forms.CharField(
                    label=label,
                    help_text=help_text,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    max_length=5000,
                    initial=(self.instance.parts or {}).get(key, ""),
                )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["scenarios"] = [s.scenario_id for s in self.instance.scenarios.all()]
            self.initial["ai_scenarios"] = [
                s.scenario_id for s in self.instance.scenarios.all() if s.uses_ai
            ]

    def clean_project_name(self):
        return " ".join(self.cleaned_data["project_name"].split())

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("scenarios") or [])
        if set(cleaned.get("ai_scenarios") or []) - chosen:
            self.add_error("ai_scenarios", _("应用人工智能的场景须在所选场景之中。"))
        return cleaned

    def data_for_service(self) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("scenarios", "ai_scenarios", "version") and not k.startswith("part")
        }
        if self.kind == "揭榜验收":
            data["parts"] = {key: self.cleaned_data.get(key, "") for key, _l, _h in PARTS}
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False)


class DocumentForm(forms.Form):
    document_number = forms.CharField(label=_("认定文号"), max_length=64)
    recognized_on = forms.DateField(label=_("认定日期"))
    valid_until = forms.DateField(label=_("有效期至"), required=False)
    version = forms.IntegerField(required=False)


class PublicityForm(forms.Form):
    starts_on = forms.DateField(label=_("公示开始日期"))


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"))
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销或降级原因"), widget=forms.Textarea(attrs={"rows": 2}))
    revoked_on = forms.DateField(label=_("撤销日期"))
    downgrade_to = forms.ChoiceField(
        label=_("降为"),
        required=False,
        choices=[
            ("", _("不降级，直接撤销")),
            ("基础级", "基础级"),
            ("先进级", "先进级"),
            ("卓越级", "卓越级"),
        ],
    )
    document_number = forms.CharField(label=_("降级认定文号"), max_length=64, required=False)
    version = forms.IntegerField(required=False)


class FactoryScenariosForm(forms.Form):
    scenarios = ScenarioChoiceField(
        label=_("已建成的典型场景"), queryset=Scenario.objects.all(), required=False
    )
    ai_scenarios = ScenarioChoiceField(
        label=_("其中应用人工智能的场景"), queryset=Scenario.objects.all(), required=False
    )


class OverseasForm(forms.ModelForm):
    class Meta:
        model = OverseasRecommendation
        fields = [
            "factory",
            "self_assessed_level",
            "sector",
            "employees",
            "revenue_wan",
            "introduction",
            "contact",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5, "maxlength": 500})}

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factory"].queryset = enterprise.factories.filter(is_overseas=True)
        self.fields["sector"] = forms.ChoiceField(
            label=_("所属行业"), choices=[(s.value, s.value) for s in Sector]
        )
        self.fields["introduction"].help_text = _("500字以内（按字符计）。")
        if not self.is_bound:
            self.initial.setdefault("sector", enterprise.sector)
            self.initial.setdefault("employees", enterprise.employees)
            self.initial.setdefault("revenue_wan", enterprise.revenue_wan)
            self.initial.setdefault(
                "contact", f"{enterprise.contact_name} {enterprise.contact_phone}"
            )

    def clean_introduction(self):
        text = self.cleaned_data["introduction"].strip()
        if len(text) > 500:
            raise forms.ValidationError(
                _("简介共%(n)s个字，超过500字的上限。") % {"n": len(text)}, code="too_long"
            )
        return text
