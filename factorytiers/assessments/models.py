"""Maturity self-assessment: model editions, in-product assessments, national-platform results.

An assessment and a platform result belong to an enterprise; their unit is the enterprise's unit
(so a moved enterprise takes its results along), and every read starts from ``visible_to(user)``,
whose paths (``scope``) go through ``enterprise__unit``.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from factorytiers.accounts.scope import ScopedQuerySet, ScopePaths
from factorytiers.domain.maturity import MaturityModel, build_model, level_name
from factorytiers.enterprises.models import Enterprise

from .counted import CountedWritesMixin, CountedWritesQuerySet

LEVEL_CHOICES = [(number, level_name(number)) for number in range(6)]


class EditionQuerySet(models.QuerySet):
    def active(self) -> "MaturityModelEdition":
        return self.get(is_active=True)


class MaturityModelEdition(models.Model):
    """One version of the maturity model (structure, item bank, weights, scoring settings).

    ``definition`` holds the model as plain data (see ``domain.maturity_bank.model_to_data``);
    it never changes once stored, so an assessment keeps the exact model it was answered on.
    One edition is active: new assessments and platform-result checks use it.
    """

    edition = models.CharField(_("模型版本名称"), max_length=64)
    version = models.CharField(_("版本号"), max_length=32)
    title = models.CharField(_("标题"), max_length=128, blank=True)
    definition = models.JSONField(_("模型内容"))
    checksum = models.CharField(_("校验值"), max_length=64, editable=False)
    source = models.CharField(_("来源"), max_length=200)
    is_active = models.BooleanField(_("当前启用"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("成熟度模型版本")
        verbose_name_plural = _("成熟度模型版本")
        constraints = [
            models.UniqueConstraint(fields=["edition", "version"], name="unique_model_version"),
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} v{self.version}"

    def save(self, *args, **kwargs):
        self.checksum = definition_checksum(self.definition)
        super().save(*args, **kwargs)

    @property
    def model(self) -> MaturityModel:
        """The parsed model (cached by content: editions never change once stored)."""
        return _parsed(self.checksum or definition_checksum(self.definition), self)

    @property
    def item_count(self) -> int:
        return sum(len(sub.get("items", [])) for sub in self.definition.get("sub_domains", []))


def definition_checksum(definition: dict) -> str:
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


_PARSED: dict[str, MaturityModel] = {}


def _parsed(checksum: str, edition: MaturityModelEdition) -> MaturityModel:
    model = _PARSED.get(checksum)
    if model is None:
        if len(_PARSED) >= 32:
            _PARSED.clear()
        model = _PARSED[checksum] = build_model(edition.definition)
    return model


# --------------------------------------------------------------------------------------------


class Assessment(CountedWritesMixin, models.Model):
    """An enterprise's self-assessment of one year, answered in the product and scored by it.

    Answers are saved one at a time as they are given (autosave); a submitted assessment is
    read-only and keeps the scores it was submitted with. Several may be submitted in a year:
    the latest one counts (see ``selectors.counted_assessments``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        SUBMITTED = "submitted", _("已提交")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.ForeignKey(
        MaturityModelEdition,
        verbose_name=_("模型版本"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    manufacturing_type = models.CharField(_("制造类型"), max_length=32)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    answers = models.JSONField(_("答案"), default=dict, blank=True)  # item code -> grade key
    evidence = models.JSONField(_("证据说明"), default=dict, blank=True)  # item code -> text
    left_out = models.JSONField(_("不适用的能力子域"), default=dict, blank=True)  # code -> reason
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Scores as submitted (exact decisions were taken on exact values by the domain function).
    score = models.DecimalField(_("总分"), max_digits=4, decimal_places=2, null=True, blank=True)
    score_exact = models.CharField(_("总分（精确值）"), max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(_("成熟度等级"), null=True, blank=True)
    band_level = models.PositiveSmallIntegerField(_("按分数带的等级"), null=True, blank=True)
    met_levels = models.PositiveSmallIntegerField(_("连续达标等级数"), null=True, blank=True)
    borderline = models.BooleanField(_("边界情况"), default=False)
    rounding_changes_band = models.BooleanField(_("两位小数改变分数带"), default=False)
    level_scores = models.JSONField(_("各级得分"), default=dict, blank=True)
    domain_scores = models.JSONField(_("能力域得分"), default=dict, blank=True)
    sub_domain_scores = models.JSONField(_("能力子域得分"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后保存时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Autosaved answers do not each make a history row (services save them without one); the
    # history keeps the creation, the submission and every other change.
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CountedWritesQuerySet.as_manager()
    scope = ScopePaths(unit="enterprise__unit", enterprise="enterprise")

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("成熟度自评估")
        verbose_name_plural = _("成熟度自评估")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=Q(status="draft"),
                name="one_draft_per_enterprise_year",
            ),
            models.CheckConstraint(
                name="submitted_assessment_is_scored",
                condition=Q(status="draft")
                | Q(score__isnull=False, level__isnull=False, submitted_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["enterprise", "year", "status", "submitted_on"],
                name="assessment_counted_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.year}年度自评估"

    @property
    def unit(self):
        return self.enterprise.unit

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def level_display(self) -> str:
        return "" if self.level is None else level_name(self.level)

    @property
    def model(self) -> MaturityModel:
        return self.edition.model

    @property
    def manufacturing_type_name(self) -> str:
        for kind in self.model.manufacturing_types:
            if kind.code == self.manufacturing_type:
                return kind.name
        return self.manufacturing_type


# --------------------------------------------------------------------------------------------


def report_upload_path(instance: "PlatformResult", filename: str) -> str:
    return f"assessments/platform/{instance.enterprise_id}/{instance.year}/report.pdf"


class PlatformImport(models.Model):
    """One bulk import of national-platform results by an officer (the audit log points here)."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "reference.Region",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    row_count = models.PositiveIntegerField(_("导入行数"), default=0)
    rejected_count = models.PositiveIntegerField(_("未导入行数"), default=0)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("平台结果导入记录")
        verbose_name_plural = _("平台结果导入记录")

    def __str__(self) -> str:
        return f"{self.file_name}（{self.row_count}行）"


class PlatformResult(CountedWritesMixin, models.Model):
    """A result from the national self-assessment platform, entered by the enterprise or
    imported by an officer. It counts in statistics like an in-product assessment."""

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业录入")
        IMPORT = "import", _("市级批量导入")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="platform_results",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.DecimalField(_("评估得分"), max_digits=4, decimal_places=2)
    level = models.PositiveSmallIntegerField(_("成熟度等级"), choices=LEVEL_CHOICES)
    assessed_on = models.DateField(_("评估日期"))
    report = models.FileField(
        _("评估报告"), upload_to=report_upload_path, blank=True, max_length=200
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    import_batch = models.ForeignKey(
        PlatformImport,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    edition = models.ForeignKey(
        MaturityModelEdition,
        verbose_name=_("核对所用模型版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = CountedWritesQuerySet.as_manager()
    scope = ScopePaths(unit="enterprise__unit", enterprise="enterprise")

    class Meta:
        ordering = ["-year", "-assessed_on", "-id"]
        verbose_name = _("平台自评估结果")
        verbose_name_plural = _("平台自评估结果")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "assessed_on"], name="unique_platform_result"
            ),
            models.CheckConstraint(
                name="platform_score_on_scale", condition=Q(score__gte=0, score__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.year}年度平台自评估结果"

    @property
    def unit(self):
        return self.enterprise.unit

    @property
    def level_display(self) -> str:
        return level_name(self.level)


# --------------------------------------------------------------------------------------------


class CountedResult(models.Model):
    """The counted result of an enterprise for a year (see ``selectors``' module docstring),
    kept by ``counted.refresh_counted`` in the transaction of every write of an assessment or a
    platform result: a row only where something counts. Never written by hand, but for the
    bulk demo's new enterprises (``demo.BulkResults``), whose one result a year is the counted one."""

    class Source(models.TextChoices):
        ASSESSMENT = "assessment", _("系统内自评估")
        PLATFORM = "platform", _("国家平台结果")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="counted_results"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    score = models.DecimalField(_("得分"), max_digits=4, decimal_places=2)
    level = models.PositiveSmallIntegerField(_("成熟度等级"))
    counted_on = models.DateField(_("日期"))
    # DO_NOTHING: a deleted result's row is replaced by ``refresh_counted`` in the transaction
    # of the delete (the constraint is checked at commit), which first takes it out of the
    # tallies; a cascade would remove it behind their back.
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    platform_result = models.ForeignKey(
        PlatformResult, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="enterprise__unit", enterprise="enterprise")

    class Meta:
        verbose_name = _("计入统计的自评估结果")
        verbose_name_plural = _("计入统计的自评估结果")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="unique_counted_result"),
            models.CheckConstraint(
                name="counted_result_has_one_source",
                condition=Q(source="assessment", assessment__isnull=False, platform_result=None)
                | Q(source="platform", platform_result__isnull=False, assessment=None),
            ),
        ]
        indexes = [models.Index(fields=["year", "level"], name="counted_year_level_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


# -- tallies: the statistics' counts, kept on every write (tallies.py) -------------------------


class _Tally(models.Model):
    """The statistics group a tally row counts in: unit, sector and 大类."""

    unit = models.ForeignKey("reference.Region", on_delete=models.CASCADE, related_name="+")
    sector = models.CharField(_("所属行业"), max_length=8)
    division = models.ForeignKey(
        "reference.IndustryCode", on_delete=models.CASCADE, related_name="+"
    )
    enterprises = models.IntegerField(_("企业数"))

    class Meta:
        abstract = True


class GroupTally(_Tally):
    """How many enterprises one statistics group has: unit, sector, 大类 and 规上 flag. Kept by
    ``tallies`` on every enterprise write; never written by hand. A count may fall to 0."""

    is_above_scale = models.BooleanField(_("规上企业"))

    class Meta:
        verbose_name = _("统计分组企业数")
        verbose_name_plural = _("统计分组企业数")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "sector", "division", "is_above_scale"], name="unique_group_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.sector} {self.division_id}: {self.enterprises}"


class LevelTally(_Tally):
    """How many enterprises of one group have a counted result of one level in one year, and
    the sum of their scores in hundredths. Kept by ``tallies`` with ``CountedResult``."""

    year = models.PositiveSmallIntegerField(_("年度"))
    is_above_scale = models.BooleanField(_("规上企业"))
    level = models.PositiveSmallIntegerField(_("成熟度等级"))
    score_hundredths = models.BigIntegerField(_("得分合计（百分之一分）"))

    class Meta:
        verbose_name = _("统计分组等级分布")
        verbose_name_plural = _("统计分组等级分布")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "sector", "division", "is_above_scale", "level"],
                name="unique_level_tally",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.division_id} {self.level}: {self.enterprises}"


class ScoreTally(_Tally):
    """How many enterprises of one unit, sector and 大类 have a counted result of one score
    (in hundredths) in one year: the medians are read off it. Kept by ``tallies``."""

    year = models.PositiveSmallIntegerField(_("年度"))
    score_hundredths = models.IntegerField(_("得分（百分之一分）"))

    class Meta:
        verbose_name = _("统计分组得分分布")
        verbose_name_plural = _("统计分组得分分布")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "sector", "division", "score_hundredths"],
                name="unique_score_tally",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.score_hundredths}: {self.enterprises}"
