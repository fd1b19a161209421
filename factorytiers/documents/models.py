"""What the documents app stores: the officer's prose of the 附件2 report, and package builds."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from factorytiers.accounts.jobs import Job
from factorytiers.accounts.scope import ScopedQuerySet, ScopePaths


class ReportDraft(models.Model):
    """What the officer writes in a unit's 附件2 report for one campaign: the day its figures
    speak of, an account beside section 一's figures, and sections 二 and 三.

    Section 一's figures are computed from the statistics when the report is generated; none of
    them is stored here. Saved field by field (autosave) with optimistic locking on ``version``.
    """

    SECTIONS = ("progress", "measures", "next_steps")
    FIELDS = ("as_of", *SECTIONS)

    unit = models.ForeignKey(
        "reference.Region", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("年度工作"),
        on_delete=models.PROTECT,
        related_name="report_drafts",
    )
    as_of = models.DateField(
        _("数据截至日期"),
        null=True,
        blank=True,
        help_text=_("“一、整体情况”和所附名单按该日统计；不填则为报送截止日期。"),
    )
    progress = models.TextField(_("一、整体情况（补充说明）"), blank=True)
    measures = models.TextField(_("二、推进举措"), blank=True)
    next_steps = models.TextField(_("三、下一步工作考虑"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("最后保存时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit")

    class Meta:
        ordering = ["campaign", "unit__code"]
        verbose_name = _("情况报告文稿")
        verbose_name_plural = _("情况报告文稿")
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign"], name="unique_report_draft")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign.year}年度情况报告"


def package_path(instance, filename: str) -> str:
    """Generated storage name; the download is named from the unit and task, not from this."""
    return f"packages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.zip"


class PackageBuild(Job):
    """One build of a unit's material package for a task, run in the background (a
    :class:`~factorytiers.accounts.jobs.Job`: 重试 is a new attempt of the same build)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在打包")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    unit = models.ForeignKey(
        "reference.Region", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        "campaigns.Task",
        verbose_name=_("工作任务"),
        on_delete=models.PROTECT,
        related_name="package_builds",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    file = models.FileField(upload_to=package_path, max_length=200, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("材料包")
        verbose_name_plural = _("材料包")

    def __str__(self) -> str:
        return f"{self.unit} · {self.task} · {self.get_status_display()}"


class FiguresVersion(models.Model):
    """How many times the inputs of one unit's statistics have changed.

    Database triggers (migration ``0004_figures_version``) count up the unit's ``tallies``
    with every row written to its kept tallies (``assessments`` ``GroupTally``,
    ``LevelTally``, ``ScoreTally``), its ``recognitions`` with every row written to its tier
    recognitions (``group_unit_id``), and both of row 0 with every change of a region's or
    industry code's name, whatever wrote it (the ORM, a bulk insert, ``COPY``, raw SQL).
    ``selectors.kept_counted`` and ``selectors.tier_tallies`` keep what they read under the
    versions of their units, so the first read after a write counts again: the kept counts
    are never stale; an assessment's write leaves the tier counts in the cache. The rows are
    never deleted (a version is never handed out twice). On PostgreSQL a transaction's units
    are counted up as it commits (see the migration), so a long write holds up no other.
    """

    unit_id = models.BigIntegerField(primary_key=True)
    tallies = models.BigIntegerField(default=0)
    recognitions = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("统计输入版本")
        verbose_name_plural = _("统计输入版本")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.tallies}/{self.recognitions}"
