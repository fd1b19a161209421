"""Forms of the campaign workflow. Rules come from ``factorytiers.domain`` and the services."""

import copy
from decimal import Decimal

from django import forms
from django.conf import settings as django_settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts import fields
from factorytiers.accounts.fields import parse_id
from factorytiers.accounts.forms import version_field
from factorytiers.accounts.limits import size_text
from factorytiers.accounts.names import name_fields
from factorytiers.domain.campaign_settings import COVERAGE_RULES
from factorytiers.domain.dates import FIRST_YEAR, LAST_YEAR
from factorytiers.domain.naming import name_problem
from factorytiers.domain.phone import check_phone
from factorytiers.domain.sectors import Sector
from factorytiers.domain.tier_conditions import CONSTRUCTION_LINKS, LEVEL_NAMES
from factorytiers.domain.tiers import TIERS

from .models import (
    Application,
    ApplicationKind,
    Campaign,
    OverseasRecommendation,
    Scenario,
    State,
    Task,
)

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
    version = version_field()

    class Meta:
        formfield_callback = fields.formfield
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
        field_classes = name_fields("project_name")
        widgets = {
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "other_scenarios": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, enterprise, campaign, kind, counted=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.counted = counted
        if counted is not None:
            # The counted assessment of the campaign year decides; the enterprise cannot
            # declare another level.
            for name, value in (
                ("maturity_level", counted.level),
                ("maturity_score", counted.score),
            ):
                self.fields[name].disabled = True
                self.initial[name] = value
            self.fields["maturity_level"].help_text = _(
                "取自%(year)s年度计入统计的自评估（%(source)s），不能在此修改。"
            ) % {"year": campaign.year, "source": counted.source_label}
        else:
            self.fields["maturity_level"].help_text = _(
                "尚无%(year)s年度计入统计的自评估，按企业申报填写，将标注为“企业申报”。"
            ) % {"year": campaign.year}
        scenarios = Scenario.objects.filter(edition=campaign.scenario_edition)
        self.fields["scenarios"].queryset = scenarios
        self.fields["ai_scenarios"].queryset = scenarios
        self.fields["factory"].queryset = enterprise.factories.filter(is_overseas=False)
        self.fields["factory"].required = kind != ApplicationKind.ACCEPTANCE
        if kind == ApplicationKind.ACCEPTANCE:
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
        if not self.instance.pk:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
            self.initial["scenarios"] = [s.scenario_id for s in self.instance.scenarios.all()]
            self.initial["ai_scenarios"] = [
                s.scenario_id for s in self.instance.scenarios.all() if s.uses_ai
            ]

    def clean_project_name(self):
        value = " ".join(self.cleaned_data["project_name"].split())
        # The material package names a folder after it (地市-序号-企业名称-项目名称).
        problem = name_problem(value, _("名称"))
        if problem:
            raise forms.ValidationError(problem, code="folder_name")
        return value

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
        if self.kind == ApplicationKind.ACCEPTANCE:
            data["parts"] = {key: self.cleaned_data.get(key, "") for key, _l, _h in PARTS}
        return data


class DocumentForm(forms.Form):
    """A recognition's document; on one application it carries the application's version."""

    document_number = forms.CharField(label=_("认定文号"), max_length=64)
    recognized_on = fields.DateField(label=_("认定日期"), not_after_today=True)
    valid_until = fields.DateField(label=_("有效期至"), required=False)
    version = version_field()

    def __init__(self, *args, version_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not version_required:
            del self.fields["version"]


class MinistryResultForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("部级评审结果"),
        choices=[("1", _("通过")), ("0", _("未通过"))],
        coerce=lambda value: value == "1",
    )
    document_number = forms.CharField(label=_("部级文号"), max_length=64)
    decided_on = fields.DateField(label=_("部级结果日期"), not_after_today=True)
    version = version_field()


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("条件未满足仍予受理的理由"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field()


class UnitFilesForm(forms.Form):
    """The stamped 推荐文件 and the paper copies a unit sends with its report."""

    file = forms.FileField(label=_("推荐文件（盖章扫描件，PDF）"), required=False)
    paper_copies = fields.IntegerField(
        label=_("纸质材料份数"), required=False, min_value=0, max_value=999
    )
    paper_sent_on = fields.DateField(
        label=_("纸质材料寄送日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = version_field()


class PublicityForm(forms.Form):
    starts_on = fields.DateField(label=_("公示开始日期"))


class AssignExpertForm(forms.Form):
    """The review's due date; left empty, ``deadlines.review_due`` of the assignment day."""

    due_on = fields.DateField(label=_("评分截止日期"), required=False)


class ObjectionForm(forms.Form):
    received_on = fields.DateField(label=_("收到日期"), not_after_today=True)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销或降级原因"), widget=forms.Textarea(attrs={"rows": 2}))
    revoked_on = fields.DateField(label=_("撤销日期"))
    downgrade_to = forms.ChoiceField(
        label=_("降为"),
        required=False,
        choices=[
            ("", _("不降级，直接撤销")),
            *((tier.value, tier.value) for tier in TIERS[:-1]),
        ],
    )
    document_number = forms.CharField(label=_("降级认定文号"), max_length=64, required=False)
    version = version_field()


class FactoryScenariosForm(forms.Form):
    scenarios = ScenarioChoiceField(
        label=_("已建成的典型场景"), queryset=Scenario.objects.all(), required=False
    )
    ai_scenarios = ScenarioChoiceField(
        label=_("其中应用人工智能的场景"), queryset=Scenario.objects.all(), required=False
    )
    version = version_field()

    def clean(self):
        cleaned = super().clean()
        if set(cleaned.get("ai_scenarios") or []) - set(cleaned.get("scenarios") or []):
            self.add_error("ai_scenarios", _("应用人工智能的场景须在所选场景之中。"))
        return cleaned


def overseas_factory_label(factory) -> str:
    """工厂名（国家 · 金砖国家/金砖伙伴国 · 一带一路）."""
    country = factory.country
    if country is None:
        return factory.name
    flags = [country.name_zh]
    if country.brics:
        flags.append(str(_("金砖国家") if country.brics == "member" else _("金砖伙伴国")))
    if country.belt_and_road:
        flags.append(str(_("一带一路")))
    return f"{factory.name}（{' · '.join(flags)}）"


class OverseasForm(forms.ModelForm):
    class Meta:
        formfield_callback = fields.formfield
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
        field_classes = name_fields("contact")
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5, "maxlength": 500})}

    version = version_field()

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        self.fields["factory"].queryset = enterprise.factories.filter(
            is_overseas=True
        ).select_related("country")
        self.fields["factory"].label_from_instance = overseas_factory_label
        # The 500 limit is counted on the cleaned text (line breaks as one character each).
        introduction = self.fields["introduction"]
        introduction.max_length = None
        introduction.validators = [
            v for v in introduction.validators if not isinstance(v, MaxLengthValidator)
        ]
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
        text = self.cleaned_data["introduction"].replace("\r\n", "\n").strip()
        if len(text) > 500:
            raise forms.ValidationError(
                _("简介共%(n)s个字，超过500字的上限。") % {"n": len(text)}, code="too_long"
            )
        return text


# ---------------------------------------------------------------- campaign, tasks, settings
class CampaignForm(forms.ModelForm):
    version = version_field()

    class Meta:
        formfield_callback = fields.formfield
        model = Campaign
        fields = list(Campaign.NOTICE_FIELDS)
        field_classes = name_fields("title", "issuer", "contact_name", "contact_department")
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "free_statement": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = 2000
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("应为2000至2100之间的年份。"), code="year")
        return year

    def clean_contact_phone(self):
        result = check_phone(self.cleaned_data["contact_phone"])
        if not result.ok:
            raise forms.ValidationError(result.message, code="invalid_phone")
        return result.normalized

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TaskRowForm(forms.Form):
    id = fields.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Task.Kind.choices)
    title = forms.CharField(label=_("任务"), max_length=64)
    deadline = fields.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_note = forms.CharField(label=_("时间说明"), max_length=32, required=False)
    deliverable = forms.CharField(
        label=_("报送内容"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    instructions = forms.CharField(
        label=_("办理说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BaseTaskFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The rows in page order with a ``delete`` flag (blank new rows left out)."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            # A blank extra row is left out; a row the page was prefilled with (next year's
            # tasks) counts even when it is posted unchanged.
            if not data or (not data.get("id") and form.empty_permitted and not form.has_changed()):
                continue
            rows.append(
                {
                    "id": data.get("id"),
                    "kind": data.get("kind"),
                    "title": data.get("title", ""),
                    "deadline": data.get("deadline"),
                    "deadline_note": (data.get("deadline_note") or "").strip(),
                    "deliverable": (data.get("deliverable") or "").strip(),
                    "instructions": (data.get("instructions") or "").strip(),
                    "delete": bool(data.get("DELETE")),
                }
            )
        return rows


TaskFormSet = forms.formset_factory(
    TaskRowForm, formset=BaseTaskFormSet, extra=1, can_delete=True, max_num=20
)


def task_initial(tasks) -> list[dict]:
    return [
        {
            "id": t.pk,
            "kind": t.kind,
            "title": t.title,
            "deadline": t.deadline,
            "deadline_note": t.deadline_note,
            "deliverable": t.deliverable,
            "instructions": t.instructions,
        }
        for t in tasks
    ]


def _percent(share) -> Decimal | None:
    if share in (None, ""):
        return None
    percent = (Decimal(str(share)) * 100).quantize(Decimal("0.01"))
    return percent.to_integral() if percent == percent.to_integral() else percent.normalize()


def _same_or(old, new: str | None):
    """Keep the stored spelling of an unchanged number ("0.60" stays "0.60")."""
    if old is not None and new is not None and Decimal(str(old)) == Decimal(new):
        return old
    return new


def _share(percent: Decimal | None) -> str | None:
    if percent is None:
        return None
    return format((percent / 100).quantize(Decimal("0.0001")).normalize(), "f")


class CampaignSettingsForm(forms.Form):
    """The settings that are data: tier conditions, 公示 length, quota, validity, upload size.

    Field names are ``t<n>_<setting>`` for the n-th tier of ``TIERS``; labels name the tier.
    """

    version = version_field()
    publicity_working_days = fields.IntegerField(label=_("公示期（工作日）"))
    city_quota = fields.IntegerField(
        label=_("每单位推荐名额"), required=False, help_text=_("留空表示不限名额。")
    )
    validity_years = fields.IntegerField(
        label=_("认定有效期（年）"), required=False, help_text=_("留空表示不设有效期。")
    )
    max_upload_mb = fields.IntegerField(label=_("单个材料大小上限（MB）"))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        current = campaign.settings
        self.fields["max_upload_mb"].help_text = _(
            "服务器对单个文件的上限为 %(limit)s，填写更大的值不生效。"
        ) % {"limit": size_text(django_settings.UPLOAD_MAX_BYTES)}
        self.tier_fields = []
        for n, tier in enumerate(TIERS):
            data = (current.get("tiers") or {}).get(tier, {})
            names = {
                f"t{n}_min_maturity_level": forms.TypedChoiceField(
                    label=f"{tier} · " + str(_("最低成熟度等级")),
                    choices=[(level, LEVEL_NAMES[level]) for level in range(1, 6)],
                    coerce=int,
                    initial=data.get("min_maturity_level"),
                ),
                f"t{n}_required_links": forms.MultipleChoiceField(
                    label=f"{tier} · " + str(_("须覆盖的建设环节")),
                    choices=[(link, link) for link in CONSTRUCTION_LINKS],
                    widget=forms.CheckboxSelectMultiple,
                    required=False,  # "at least one" is the settings rule's to say
                    initial=data.get("required_links", []),
                ),
                f"t{n}_coverage_rule": forms.ChoiceField(
                    label=f"{tier} · " + str(_("覆盖要求")),
                    choices=list(COVERAGE_RULES.items()),
                    initial=data.get("coverage_rule", "strict"),
                ),
                f"t{n}_min_ai_share": fields.DecimalField(
                    label=f"{tier} · " + str(_("人工智能场景最低占比（%）")),
                    required=False,
                    min_value=Decimal("0.01"),
                    max_value=Decimal("100"),
                    decimal_places=2,
                    initial=_percent(data.get("min_ai_share")),
                    help_text=_("留空表示不作要求。"),
                ),
                f"t{n}_require_above_scale": forms.BooleanField(
                    label=f"{tier} · " + str(_("须为规上企业")),
                    required=False,
                    initial=data.get("require_above_scale", True),
                ),
                f"t{n}_extra_disqualifiers": forms.CharField(
                    label=f"{tier} · " + str(_("附加条件")),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial="\n".join(data.get("extra_disqualifiers") or []),
                    help_text=_("本省附加的条件，每行一条，由审核人判断。"),
                ),
            }
            self.fields.update(names)
            self.tier_fields.append((tier, list(names)))
        for name in ("publicity_working_days", "city_quota", "validity_years", "max_upload_mb"):
            self.fields[name].initial = current.get(name)
        self.fields["version"].initial = campaign.version

    def tiers(self):
        """(tier, [bound fields]) for the template."""
        return [(tier, [self[name] for name in names]) for tier, names in self.tier_fields]

    def settings(self, score_sheet: list[dict]) -> dict:
        """The campaign's settings with this form's values (material slots etc. kept)."""
        data = self.cleaned_data
        result = copy.deepcopy(self.campaign.settings)
        tiers = result.setdefault("tiers", {})
        for n, tier in enumerate(TIERS):
            tiers[tier] = {
                **tiers.get(tier, {}),
                "min_maturity_level": data[f"t{n}_min_maturity_level"],
                "required_links": [
                    link for link in CONSTRUCTION_LINKS if link in data[f"t{n}_required_links"]
                ],
                "coverage_rule": data[f"t{n}_coverage_rule"],
                "min_ai_share": _same_or(
                    tiers.get(tier, {}).get("min_ai_share"), _share(data[f"t{n}_min_ai_share"])
                ),
                "require_above_scale": data[f"t{n}_require_above_scale"],
                "extra_disqualifiers": [
                    line.strip()
                    for line in data[f"t{n}_extra_disqualifiers"].splitlines()
                    if line.strip()
                ],
            }
        for name in ("publicity_working_days", "city_quota", "validity_years", "max_upload_mb"):
            result[name] = data[name]
        result["score_sheet"] = score_sheet
        return result


class ScoreItemForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    label = forms.CharField(label=_("评分项"), max_length=60)
    max_points = fields.DecimalField(
        label=_("分值"), min_value=Decimal("0.01"), max_value=Decimal("1000"), decimal_places=2
    )
    guide = forms.CharField(
        label=_("评分说明"), required=False, max_length=300, widget=forms.TextInput()
    )


class BaseScoreItemFormSet(forms.BaseFormSet):
    def sheet(self, current: list[dict] = ()) -> list[dict]:
        """The score sheet rows in page order; new rows get a generated key."""
        stored = {row.get("key"): row.get("max_points") for row in current}
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.cleaned_data.get("key") or form.has_changed())
        ]
        used = {row["key"] for row in kept if row.get("key")}
        sheet = []
        counter = 1
        for row in kept:
            key = row.get("key")
            if not key:
                while f"item{counter}" in used:
                    counter += 1
                key = f"item{counter}"
                used.add(key)
            sheet.append(
                {
                    "key": key,
                    "label": row["label"].strip(),
                    "max_points": _same_or(
                        stored.get(key), format(row["max_points"].normalize(), "f")
                    ),
                    "guide": (row.get("guide") or "").strip(),
                }
            )
        return sheet


ScoreItemFormSet = forms.formset_factory(
    ScoreItemForm, formset=BaseScoreItemFormSet, extra=1, can_delete=True, max_num=30
)


# ---------------------------------------------------------------- the officers' list
class ApplicationFilterForm(forms.Form):
    """The filters of the officers' list of applications, kept in the query string. ``units``
    and ``tasks`` are the choices the reader may pick from (no unit choice for a city)."""

    q = forms.CharField(label=_("企业名称、项目名称或信用代码"), required=False, max_length=50)
    state = forms.ChoiceField(label=_("状态"), required=False)
    unit = forms.ChoiceField(label=_("报送单位"), required=False)
    tier = forms.ChoiceField(label=_("申报类别"), required=False)
    task = forms.ChoiceField(label=_("任务"), required=False)
    year = fields.IntegerField(
        label=_("年度"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def __init__(self, *args, units=None, tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        all_ = [("", _("全部"))]
        self.fields["state"].choices = all_ + State.choices
        self.fields["tier"].choices = all_ + ApplicationKind.choices
        self.fields["task"].choices = all_ + [
            (str(t.pk), f"{t.campaign.year}年 · {t.title}") for t in tasks
        ]
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].choices = all_ + [(str(u.pk), u.name) for u in units]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "size": 6})

    def filters(self) -> dict:
        """The filters that are valid (a wrong one is shown with its error and left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ApplicationRowsField(forms.Field):
    """The rows chosen on the list, each as ``id:version`` (the version the page showed)."""

    widget = forms.MultipleHiddenInput
    MAX_ROWS = 200
    default_error_messages = {
        "required": _("请至少选择一项申报。"),
        "invalid": _("所选申报有误，请刷新页面后重新选择。"),
        "too_many": _("一次最多处理%(max)s项申报。"),
    }

    def to_python(self, value) -> list[tuple[int, int]]:
        rows = []
        for text in value or []:
            number, _sep, version = str(text).partition(":")
            pk, version = parse_id(number), parse_id(version)
            if pk is None or version is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if pk not in {row[0] for row in rows}:
                rows.append((pk, version))
        if len(rows) > self.MAX_ROWS:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.MAX_ROWS}
            )
        return rows

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class BulkActionForm(forms.Form):
    """A step over the applications chosen on the list: ``actions`` are the ones the reader
    may take (action code → label). ``confirmed`` is set by the confirmation page."""

    action = forms.ChoiceField(label=_("批量操作"))
    rows = ApplicationRowsField(label=_("所选申报"))
    comment = forms.CharField(
        label=_("退回意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expert = fields.IntegerField(label=_("评审专家"), required=False, min_value=1)
    # Without a date, each assignment is due ``deadlines.review_due`` of today.
    due_on = fields.DateField(label=_("评分截止日期"), required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actions: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(actions.items())

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("请填写。"))
        if action == "assign" and not cleaned.get("expert"):
            self.add_error("expert", _("请选择一位评审专家。"))
        return cleaned
