"""Enterprises (the applicants) and their factories."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from factorytiers.accounts.jobs import Job
from factorytiers.accounts.scope import ScopedQuerySet, ScopePaths
from factorytiers.domain.enterprise_size import SizeClass, is_above_scale, size_class
from factorytiers.domain.sectors import EnterpriseNature, Sector
from factorytiers.domain.tiers import ACCEPTANCE, TIERS

from .grouping import GroupWritesMixin, GroupWritesQuerySet, copy_recognition_groups

SECTOR_CHOICES = [(s.value, s.value) for s in Sector]
NATURE_CHOICES = [(n.value, n.value) for n in EnterpriseNature]
SIZE_CHOICES = [(c.value, c.value) for c in SizeClass]


class Enterprise(GroupWritesMixin, models.Model):
    """A manufacturing enterprise, with every attribute the notice's tables ask for."""

    name = models.CharField(_("企业名称"), max_length=128)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    unit = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所在地市"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"is_reporting_unit": True},
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    nature = models.CharField(_("企业性质"), max_length=8, choices=NATURE_CHOICES)
    industry = models.ForeignKey(
        "reference.IndustryCode",
        verbose_name=_("行业小类"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": "小类"},
    )
    sector = models.CharField(_("所属行业"), max_length=8, choices=SECTOR_CHOICES)
    employees = models.PositiveIntegerField(_("从业人数"))
    revenue_wan = models.DecimalField(
        _("营业收入(万元)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    main_business_revenue_wan = models.DecimalField(
        _("主营业务收入(万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("判定规上企业所用；不填时按营业收入判定。"),
    )
    above_scale_official = models.BooleanField(
        _("统计部门规上名录"),
        null=True,
        blank=True,
        help_text=_("从统计部门规上企业名录导入时填写；为空时按主营业务收入判定。"),
    )
    contact_name = models.CharField(_("企业联系人"), max_length=64)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    is_pilot_winner = models.BooleanField(
        _("智能制造示范工厂揭榜单位"),
        default=False,
    )
    # Derived from the inputs above on every save; stored so lists and statistics can filter.
    size_class = models.CharField(_("企业类型"), max_length=8, choices=SIZE_CHOICES, editable=False)
    is_above_scale = models.BooleanField(_("规上企业"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = GroupWritesQuerySet.as_manager()
    scope = ScopePaths(unit="unit", enterprise="pk")

    # What an enterprise says of itself (registration, profile form); the unit and the 揭榜
    # flag are set by officers.
    PROFILE_FIELDS = (
        "name",
        "credit_code",
        "address",
        "nature",
        "industry",
        "sector",
        "employees",
        "revenue_wan",
        "main_business_revenue_wan",
        "contact_name",
        "contact_phone",
        "contact_email",
    )

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        indexes = [
            models.Index(fields=["unit", "sector"]),
            models.Index(fields=["unit", "is_above_scale"]),
            models.Index(fields=["name"]),
            # The list's pages: a unit's enterprises by name (the tie broken by the key), read
            # from the index alone. On PostgreSQL migration 0005 also adds a trigram index on
            # UPPER(name) for the name search (``icontains``).
            models.Index(fields=["unit", "name", "id"], name="enterprise_unit_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.compute_derived()
        super().save(*args, **kwargs)

    def compute_derived(self) -> None:
        self.size_class = size_class(self.employees, self.revenue_wan).value
        if self.above_scale_official is not None:
            self.is_above_scale = self.above_scale_official
        else:
            basis = self.main_business_revenue_wan
            self.is_above_scale = is_above_scale(basis if basis is not None else self.revenue_wan)


class Factory(models.Model):
    """A factory of an enterprise, at home or overseas; tiers are recognized per factory."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="factories"
    )
    name = models.CharField(_("工厂名称"), max_length=128)
    location = models.CharField(_("所在地址"), max_length=200)
    is_overseas = models.BooleanField(_("海外工厂"), default=False)
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("所在国家"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="enterprise__unit", enterprise="enterprise")

    class Meta:
        ordering = ["enterprise_id", "name"]
        verbose_name = _("工厂")
        verbose_name_plural = _("工厂")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="unique_factory_name"),
            models.CheckConstraint(
                name="overseas_factory_has_country",
                condition=models.Q(is_overseas=False) | models.Q(country__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if self._state.adding or (
            fields is not None and not {"enterprise", "enterprise_id"} & set(fields)
        ):
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            result = super().save(*args, **kwargs)
            # Its recognitions take the group of the enterprise it is (now) under.
            copy_recognition_groups(Enterprise._default_manager.filter(pk=self.enterprise_id))
        return result


def fill_recognition_groups(recognitions, using: str | None = None) -> None:
    """Set the ``group_*`` fields of new recognitions from their factory's enterprise."""
    missing = {r.factory_id for r in recognitions if r.group_unit_id is None}
    if not missing:
        return
    groups = {
        pk: group
        for pk, *group in Factory.objects.using(using)
        .filter(pk__in=missing)
        .values_list(
            "pk",
            "enterprise__unit_id",
            "enterprise__sector",
            "enterprise__industry__parent__parent_id",
        )
    }
    for recognition in recognitions:
        if recognition.group_unit_id is None and recognition.factory_id in groups:
            (
                recognition.group_unit_id,
                recognition.group_sector,
                recognition.group_division_id,
            ) = groups[recognition.factory_id]


class RecognitionQuerySet(ScopedQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_recognition_groups(objs, self.db)
        return super().bulk_create(objs, *args, **kwargs)

    def in_force(self, on):
        """Entries in force on the day ``on``: recognized by then, not yet expired, not revoked
        by then (an entry ended by a higher tier has its validity cut short)."""
        return self.filter(
            models.Q(recognized_on__lte=on)
            & (models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on))
            & (models.Q(revoked=False) | models.Q(revoked_on__gt=on))
        )


class TierRecognition(models.Model):
    """One entry of a factory's tier history: who recognized which tier, when, under which
    document; revocation and downgrade are recorded here, never by deleting the row."""

    class Level(models.TextChoices):
        UNIT = "unit", _("市级")
        PROVINCE = "province", _("省级")
        MINISTRY = "ministry", _("部级")

    factory = models.ForeignKey(
        Factory, verbose_name=_("工厂"), on_delete=models.PROTECT, related_name="recognitions"
    )
    tier = models.CharField(
        _("级别"),
        max_length=8,
        # A tier, or the passed acceptance of a 揭榜 示范工厂 (not a tier: never "in force").
        choices=[(t.value, t.value) for t in TIERS] + [(ACCEPTANCE, ACCEPTANCE)],
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    recognized_by = models.CharField(_("认定层级"), max_length=12, choices=Level.choices)
    recognizing_unit = models.ForeignKey(
        "reference.Region",
        verbose_name=_("认定单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField(_("认定文号"), max_length=64)
    recognized_on = models.DateField(_("认定日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    revoked = models.BooleanField(_("已撤销"), default=False)
    revoked_reason = models.TextField(_("撤销或降级原因"), blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("取代它的认定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The statistics group of the factory's enterprise (unit, sector, 大类), copied when the
    # entry is made and again whenever the enterprise changes group (``grouping.regrouped``)
    # or the factory is saved: the tier figures count entries without joining every factory
    # and enterprise (500,000 of each at national size).
    group_unit = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="+", editable=False, blank=True
    )
    group_sector = models.CharField(max_length=8, editable=False, blank=True)
    group_division = models.ForeignKey(
        "reference.IndustryCode",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
    )

    history = HistoricalRecords(excluded_fields=["group_unit", "group_sector", "group_division"])
    objects = RecognitionQuerySet.as_manager()
    scope = ScopePaths(unit="factory__enterprise__unit", enterprise="factory__enterprise")

    class Meta:
        ordering = ["factory_id", "-recognized_on", "-id"]
        verbose_name = _("智能工厂认定")
        verbose_name_plural = _("智能工厂认定")

    def __str__(self) -> str:
        return f"{self.factory} · {self.year}年{self.tier}"

    def save(self, *args, **kwargs):
        fill_recognition_groups([self], kwargs.get("using"))
        return super().save(*args, **kwargs)


def registry_import_path(instance, filename: str) -> str:
    """Generated storage name of an uploaded registry (never the uploader's name)."""
    suffix = ".csv" if filename.lower().endswith(".csv") else ".xlsx"
    return f"registry-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def registry_errors_path(instance, filename: str) -> str:
    return f"registry-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-errors.xlsx"


def registry_checked_path(instance, filename: str) -> str:
    return f"registry-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-checked.json.zz"


class RegistryImport(Job):
    """One upload of the 规上企业名录: a dry run (预览) that stores the diff, then, when the
    officer confirms, the apply step that recomputes it from the stored file and writes it.
    Both run as a background :class:`~factorytiers.accounts.jobs.Job` of this row."""

    class Stage(models.TextChoices):
        PREVIEW = "preview", _("预览")
        APPLY = "apply", _("导入")
        APPLIED = "applied", _("已导入")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The importer's unit (a city officer's); empty for the province's imports.
    unit = models.ForeignKey(
        "reference.Region",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices, default=Stage.PREVIEW)
    file = models.FileField(upload_to=registry_import_path, max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(_("预览结果"), default=dict, blank=True)
    error_file = models.FileField(upload_to=registry_errors_path, max_length=200, blank=True)
    # The dry run's checked rows (domain/registry_import.dump_check) and their SHA-256: the
    # apply step compares them with the registry again instead of parsing the file twice.
    checked_file = models.FileField(upload_to=registry_checked_path, max_length=200, blank=True)
    checked_sha256 = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("企业名录导入")
        verbose_name_plural = _("企业名录导入")

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_stage_display()}"
