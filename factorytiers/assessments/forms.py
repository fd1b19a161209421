"""Forms of the maturity self-assessment. Rules come from ``factorytiers.domain``."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts import fields
from factorytiers.accounts.limits import check_upload, size_text
from factorytiers.domain.maturity import LEVEL_RULE_BAND, LEVEL_RULE_MET_LEVELS, MaturityModel
from factorytiers.domain.platform_results import FIRST_YEAR, level_choices
from factorytiers.enterprises.models import SECTOR_CHOICES, SIZE_CHOICES
from factorytiers.reference.models import Region

from . import selectors


def _years(today=None, *, back: int = 1) -> list[tuple[int, str]]:
    year = (today or timezone.localdate()).year
    return [(y, f"{y}年度") for y in range(year, year - back - 1, -1)]


class StartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    manufacturing_type = forms.ChoiceField(
        label=_("制造类型"),
        help_text=_("离散型：机械、电子等装配制造；流程型：化工、冶金、食品等连续生产。"),
    )

    def __init__(self, *args, model: MaturityModel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["manufacturing_type"].choices = [
            (kind.code, kind.name) for kind in model.manufacturing_types
        ]


class UploadField(forms.FileField):
    """A file checked by its content (not its name) and its size."""

    def __init__(self, *, kinds: tuple[str, ...], **kwargs):
        self.kinds = kinds
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check = check_upload(
                upload, allowed_kinds=self.kinds, max_bytes=settings.IMPORT_MAX_BYTES
            )
            upload.seek(0)
            if not check.ok:
                raise forms.ValidationError(check.message, code="bad_upload")
        return upload


class PlatformResultForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    score = fields.DecimalField(
        label=_("评估得分"),
        max_digits=3,
        decimal_places=2,
        min_value=0,
        max_value=5,
        help_text=_("国家平台给出的总分，0–5，最多两位小数，如 3.55。"),
    )
    level = forms.TypedChoiceField(label=_("成熟度等级"), coerce=int)
    assessed_on = fields.DateField(
        label=_("评估日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    report = UploadField(
        label=_("评估报告（PDF）"),
        required=False,
        kinds=("pdf",),
    )

    def __init__(self, *args, model: MaturityModel, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (y, f"{y}年度") for y in range(this_year, FIRST_YEAR - 1, -1)
        ]
        self.fields["level"].choices = level_choices(model)
        self.fields["report"].help_text = _(
            "可选；国家平台出具的自评估报告或证书，PDF，最大 %(limit)s。"
        ) % {"limit": size_text(settings.IMPORT_MAX_BYTES)}


class ImportForm(forms.Form):
    file = UploadField(label=_("Excel文件（.xlsx）"), kinds=("xlsx",))
    keep_good_rows = forms.BooleanField(
        label=_("导入无误的行，并下载有误的行"),
        required=False,
        help_text=_("不勾选时，只要有一行有误就全部不导入。"),
    )


class BankImportForm(forms.Form):
    file = UploadField(label=_("条目库（.xlsx）"), kinds=("xlsx",))
    edition = forms.CharField(label=_("模型版本名称"), max_length=64)
    version = forms.CharField(label=_("新版本号"), max_length=32)
    level_rule = forms.ChoiceField(
        label=_("等级判定规则"),
        choices=[
            (LEVEL_RULE_BAND, _("按总分所在分数带（band）")),
            (LEVEL_RULE_MET_LEVELS, _("按自一级起连续达标的等级数（met_levels）")),
        ],
    )
    activate = forms.BooleanField(label=_("导入后立即启用"), required=False, initial=True)


class OverviewFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    unit = forms.ModelChoiceField(
        label=_("地市"),
        queryset=Region.objects.filter(is_reporting_unit=True),
        required=False,
        empty_label=_("全部"),
    )
    status = forms.ChoiceField(
        label=_("自评估情况"),
        required=False,
        choices=[
            ("", _("全部")),
            (selectors.STATUS_ASSESSED, _("已完成")),
            (selectors.STATUS_NOT_ASSESSED, _("未完成")),
            (selectors.STATUS_IN_PROGRESS, _("填写中未提交")),
        ],
    )
    level = forms.ChoiceField(label=_("成熟度等级"), required=False)
    sector = forms.ChoiceField(label=_("所属行业"), required=False)
    size_class = forms.ChoiceField(label=_("企业类型"), required=False)
    above_scale = forms.ChoiceField(
        label=_("规上"),
        required=False,
        choices=[("", _("全部")), ("1", _("规上")), ("0", _("规下"))],
    )

    def __init__(self, *args, show_unit: bool, model: MaturityModel, **kwargs):
        super().__init__(*args, **kwargs)
        all_ = [("", _("全部"))]
        self.fields["year"].choices = _years(back=timezone.localdate().year - FIRST_YEAR)
        self.fields["level"].choices = all_ + [(str(n), name) for n, name in level_choices(model)]
        self.fields["sector"].choices = all_ + SECTOR_CHOICES
        self.fields["size_class"].choices = all_ + SIZE_CHOICES
        if not show_unit:
            del self.fields["unit"]
