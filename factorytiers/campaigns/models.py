"""The yearly campaign: tasks and deadlines, typical scenarios, applications with their
materials, transitions and reviews, unit submissions, expert scores, 公示 and notifications."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.models import Role
from factorytiers.accounts.scope import ScopedQuerySet, ScopePaths
from factorytiers.domain.deadlines import deadline_status
from factorytiers.domain.tiers import ACCEPTANCE, TIERS, Tier

# An application's kind: one of the tiers, or a 揭榜 acceptance (the domain's names).
ApplicationKind = models.TextChoices(
    "ApplicationKind",
    [(t.name, (t.value, t.value)) for t in Tier] + [("ACCEPTANCE", (ACCEPTANCE, ACCEPTANCE))],
)
MATURITY_SOURCES = [
    ("assessment", _("系统内自评估")),
    ("platform", _("国家平台结果")),
    ("declared", _("企业申报")),
]
LEVEL_CHOICES = [(0, "未达一级"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级"), (5, "五级")]


# ---------------------------------------------------------------- reference: scenarios
class ScenarioEdition(models.Model):
    code = models.CharField(_("版本"), max_length=16, unique=True)
    title = models.CharField(_("名称"), max_length=128)
    source = models.TextField(_("来源"), blank=True)

    class Meta:
        ordering = ["-code"]
        verbose_name = _("典型场景指引版本")
        verbose_name_plural = _("典型场景指引版本")

    def __str__(self) -> str:
        return self.title


class ConstructionLink(models.Model):
    """Mapping of the guide's eight 环节 to the tier conditions' five construction 环节."""

    edition = models.ForeignKey(ScenarioEdition, on_delete=models.CASCADE, related_name="links")
    guide_link = models.CharField(_("指引环节"), max_length=16)
    construction_link = models.CharField(_("建设环节"), max_length=16)

    class Meta:
        verbose_name = _("环节对应关系")
        verbose_name_plural = _("环节对应关系")
        constraints = [
            models.UniqueConstraint(fields=["edition", "guide_link"], name="unique_guide_link")
        ]

    def __str__(self) -> str:
        return f"{self.guide_link} → {self.construction_link}"


class Scenario(models.Model):
    edition = models.ForeignKey(ScenarioEdition, on_delete=models.CASCADE, related_name="scenarios")
    number = models.PositiveSmallIntegerField(_("序号"))
    link = models.CharField(_("环节"), max_length=16)
    name = models.CharField(_("场景名称"), max_length=64)
    construction_link = models.CharField(_("建设环节"), max_length=16)
    name_variant = models.CharField(_("名称异文"), max_length=64, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("智能制造典型场景")
        verbose_name_plural = _("智能制造典型场景")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="unique_scenario_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class FactoryScenario(models.Model):
    """A typical scenario a factory has built."""

    factory = models.ForeignKey(
        "enterprises.Factory", on_delete=models.CASCADE, related_name="built_scenarios"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, verbose_name=_("场景"))
    uses_ai = models.BooleanField(_("应用人工智能"), default=False)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="factory__enterprise__unit", enterprise="factory__enterprise")

    class Meta:
        ordering = ["scenario__number"]
        verbose_name = _("工厂已建场景")
        verbose_name_plural = _("工厂已建场景")
        constraints = [
            models.UniqueConstraint(fields=["factory", "scenario"], name="unique_factory_scenario")
        ]

    def __str__(self) -> str:
        return f"{self.factory_id} · {self.scenario_id}"


# ---------------------------------------------------------------- campaign and tasks
class Campaign(models.Model):
    province = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, verbose_name=_("省份"), related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("通知标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    issued_on = models.DateField(_("发文日期"))
    issuer = models.CharField(_("发文单位"), max_length=64, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32)
    contact_department = models.CharField(_("联系处室"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    free_statement = models.TextField(_("免费声明"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    platforms = models.JSONField(_("国家平台"), default=list, blank=True)
    scenario_edition = models.ForeignKey(
        ScenarioEdition, on_delete=models.PROTECT, verbose_name=_("典型场景指引版本")
    )
    # The province's settings for the year (tier conditions, score sheet, slots…): data.
    settings = models.JSONField(_("条件与参数设置"), default=dict)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(everyone=True)  # the notice is published to everyone who signs in

    # What the province writes of the notice (its form and its edit service).
    NOTICE_FIELDS = (
        "year",
        "title",
        "document_number",
        "issued_on",
        "issuer",
        "contact_name",
        "contact_department",
        "contact_phone",
        "free_statement",
        "notes",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度工作")
        verbose_name_plural = _("年度工作")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="unique_campaign_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def upload_max_bytes(self) -> int | None:
        """The province's 单个材料大小上限 in bytes; the server's UPLOAD_MAX_BYTES caps it."""
        megabytes = self.settings.get("max_upload_mb")
        return None if megabytes is None else int(megabytes) * 1024 * 1024


class Task(models.Model):
    class Kind(models.TextChoices):
        OVERSEAS = "overseas", _("海外智能工厂培育推荐")
        SELF_ASSESSMENT = "self_assessment", _("智能制造能力成熟度自评估")
        PILOT_ACCEPTANCE = "pilot_acceptance", _("示范工厂揭榜单位验收申请")
        ADVANCED = "advanced", _("先进级智能工厂推荐")
        REPORT = "report", _("智能工厂梯度培育情况报告")
        EXCELLENT = "excellent", _("卓越级智能工厂初审")
        LEADING = "leading", _("领航级智能工厂培育推荐")
        ONGOING = "ongoing", _("常态化培育和过程管理")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("任务"), max_length=64)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    deadline_note = models.CharField(_("时间说明"), max_length=32, blank=True)
    deliverable = models.TextField(_("报送内容"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_closed = models.BooleanField(
        _("已截止关闭"), default=False, help_text=_("关闭后不再接受逾期报送。")
    )
    instructions = models.TextField(
        _("办理说明"),
        blank=True,
        help_text=_("通知对本项任务的具体要求：模板下载地址、平台登录方式等，显示在任务页上。"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(everyone=True)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="unique_task_kind")
        ]

    def __str__(self) -> str:
        return self.title

    # Which kind of application a task gathers.
    APPLICATION_KINDS = {
        Kind.ONGOING: ApplicationKind.BASIC,
        Kind.ADVANCED: ApplicationKind.ADVANCED,
        Kind.EXCELLENT: ApplicationKind.EXCELLENT,
        Kind.LEADING: ApplicationKind.LEADING,
        Kind.PILOT_ACCEPTANCE: ApplicationKind.ACCEPTANCE,
    }

    @property
    def application_kind(self) -> str | None:
        return self.APPLICATION_KINDS.get(self.kind)

    @property
    def takes_recommendation_file(self) -> bool:
        """The unit hands in a stamped 推荐文件 with this task (the notice's 先进级 and 揭榜
        tasks)."""
        return self.kind in (self.Kind.ADVANCED, self.Kind.PILOT_ACCEPTANCE)

    def status(self, now=None):
        return deadline_status(self.deadline, now or timezone.now())


# ---------------------------------------------------------------- applications
class State(models.TextChoices):
    """An application's state, with the officer's label (the enterprise's labels and who acts
    in each state are in ``workflow.STATES``)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待市级审核")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("市级审核未通过")
    RECOMMENDED = "recommended", _("市级拟推荐")
    AT_PROVINCE = "at_province", _("已报送省级")
    UNDER_REVIEW = "under_review", _("专家评审中")
    LISTED = "listed", _("拟认定")
    NOT_SELECTED = "not_selected", _("未入选")
    PUBLICITY = "publicity", _("公示中")
    PROVINCE_RECOMMENDED = "province_recommended", _("已推荐至部级")
    MINISTRY_NOT_PASSED = "ministry_not_passed", _("部级评审未通过")
    RECOGNIZED = "recognized", _("已认定")


class Application(models.Model):
    """An application for a tier (or a 揭榜 acceptance) for one factory and project."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("申报类别"), max_length=8, choices=ApplicationKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("企业"),
    )
    unit = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("报送单位")
    )
    factory = models.ForeignKey(
        "enterprises.Factory",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("工厂"),
        null=True,
        blank=True,
    )
    project_name = models.CharField(_("项目名称"), max_length=80)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    maturity_level = models.PositiveSmallIntegerField(
        _("成熟度自评估等级"), choices=LEVEL_CHOICES, null=True, blank=True
    )
    maturity_score = models.DecimalField(
        _("成熟度自评估得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Where the level comes from: the enterprise's counted assessment of the campaign year (in
    # the product or the national platform), or, when there is none, the enterprise's word.
    maturity_source = models.CharField(
        _("成熟度等级来源"), max_length=16, choices=MATURITY_SOURCES, blank=True
    )
    maturity_assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    maturity_record_id = models.PositiveIntegerField(
        _("计入统计的评估记录"), null=True, blank=True, editable=False
    )
    investment_wan = models.DecimalField(
        _("智能化改造投资(万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    indicators = models.TextField(_("关键指标"), blank=True)
    other_scenarios = models.TextField(
        _("其他场景"), blank=True, help_text=_("指引以外的场景，每行一个。")
    )
    # 附件3's four parts for a 揭榜 acceptance: text per part.
    parts = models.JSONField(_("验收材料内容"), default=dict, blank=True)
    city_rank = models.PositiveSmallIntegerField(_("推荐序号"), null=True, blank=True)
    # What the conditions were checked against, and what came out, at submission time.
    settings_snapshot = models.JSONField(_("核查所依据的设置"), default=dict, blank=True)
    condition_results = models.JSONField(_("条件核查结果"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    recognition = models.ForeignKey(
        "enterprises.TierRecognition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认定记录"),
    )
    # A hard condition not met, accepted by the city officer with a written reason (kept and
    # shown to the province).
    condition_override = models.TextField(_("条件未满足的说明"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("说明人"),
    )
    override_at = models.DateTimeField(_("说明时间"), null=True, blank=True)
    publicity = models.ForeignKey(
        "Publicity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("公示批次"),
    )
    # The ministry's result of a 卓越级 / 领航级 / 揭榜验收 application the province recommended.
    ministry_passed = models.BooleanField(_("部级评审结果"), null=True, blank=True)
    ministry_document_number = models.CharField(_("部级文号"), max_length=64, blank=True)
    ministry_decided_on = models.DateField(_("部级结果日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit", enterprise="enterprise", assignment="assignments")

    class Meta:
        ordering = ["unit__code", "city_rank", "id"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        indexes = [models.Index(fields=["task", "unit", "state"])]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.project_name}"

    @property
    def tier(self) -> Tier | None:
        return Tier(self.kind) if self.kind in TIERS else None

    @property
    def is_acceptance(self) -> bool:
        return self.kind == ApplicationKind.ACCEPTANCE


class ApplicationScenario(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scenarios")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT)
    uses_ai = models.BooleanField(_("应用人工智能"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        unit="application__unit",
        enterprise="application__enterprise",
        assignment="application__assignments",
    )

    class Meta:
        ordering = ["scenario__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "scenario"], name="unique_application_scenario"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.scenario_id}"


class ImmutableRecord(models.Model):
    """A row that is written once: review comments and transitions are never edited or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("已提交的记录不能修改，请另行补充。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已提交的记录不能删除。"))


class Transition(ImmutableRecord):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("意见"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        unit="application__unit",
        enterprise="application__enterprise",
        assignment="application__assignments",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def material_path(instance, filename: str) -> str:
    """Generated storage name: the user's file name never reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"materials/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    """One version of a file in a named slot; earlier versions are kept."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="materials")
    slot = models.CharField(_("材料项"), max_length=32)
    number = models.PositiveSmallIntegerField(_("版本"))
    file = models.FileField(upload_to=material_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(
        unit="application__unit",
        enterprise="application__enterprise",
        assignment="application__assignments",
    )

    class Meta:
        ordering = ["slot", "-number"]
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slot", "number"], name="unique_material_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} v{self.number}"


# ---------------------------------------------------------------- unit submissions
class Submission(models.Model):
    """A unit's delivery for a task: locked once submitted, until the province returns it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("未报送")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default="draft")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    is_late = models.BooleanField(_("逾期报送"), default=False)
    return_comment = models.TextField(_("退回意见"), blank=True)
    recommendation_file = models.FileField(
        _("推荐文件（盖章扫描件）"), upload_to=material_path, max_length=200, blank=True
    )
    recommendation_file_name = models.CharField(_("推荐文件名"), max_length=200, blank=True)
    paper_copies = models.PositiveSmallIntegerField(_("纸质材料份数"), null=True, blank=True)
    paper_sent_on = models.DateField(_("纸质材料寄送日期"), null=True, blank=True)
    # Reporting the overseas task with no factory on the list is said in so many words.
    no_overseas = models.BooleanField(_("本单位无海外智能工厂推荐"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit")

    class Meta:
        ordering = ["task", "unit__code"]
        verbose_name = _("单位报送")
        verbose_name_plural = _("单位报送")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="unique_submission")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.SUBMITTED


# ---------------------------------------------------------------- province evaluation
class ExpertAssignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("专家"),
        limit_choices_to={"role": Role.EXPERT},
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    due_on = models.DateField(_("评分截止日期"), null=True, blank=True)
    has_conflict = models.BooleanField(_("申明利益冲突"), default=False)
    conflict_note = models.TextField(_("利益冲突说明"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(assignment="")

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("专家分配")
        verbose_name_plural = _("专家分配")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.expert_id}"


class Score(ImmutableRecord):
    """An expert's score sheet: written once, with the sheet it was scored on."""

    assignment = models.OneToOneField(
        ExpertAssignment, on_delete=models.PROTECT, related_name="score"
    )
    sheet = models.JSONField(_("评分表"))
    points = models.JSONField(_("各项得分"))
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评审意见"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(assignment="assignment")

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")

    def __str__(self) -> str:
        return str(self.total)


class Publicity(models.Model):
    """One 公示 batch of a task: its period, its list (the applications publicised in it) and
    the objections to them. A task may have several batches."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="publicities")
    number = models.PositiveSmallIntegerField(_("批次"), default=1)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(everyone=True)  # a 公示 is public

    class Meta:
        ordering = ["task", "number"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="unique_publicity_batch")
        ]

    def __str__(self) -> str:
        return f"{self.task} · 第{self.number}批 · {self.starts_on} – {self.ends_on}"


class Objection(ImmutableRecord):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections"
    )
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="application__unit")

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self) -> str:
        return self.content[:50]


# ---------------------------------------------------------------- overseas factories (附件5)
class OverseasRecommendation(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="overseas")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, verbose_name=_("企业")
    )
    unit = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+")
    factory = models.ForeignKey(
        "enterprises.Factory",
        on_delete=models.PROTECT,
        verbose_name=_("海外智能工厂"),
        limit_choices_to={"is_overseas": True},
    )
    self_assessed_level = models.CharField(
        _("自评级别"),
        max_length=8,
        choices=[(t.value, t.value) for t in (Tier.ADVANCED, Tier.EXCELLENT)],
    )
    sector = models.CharField(_("所属行业"), max_length=8)
    employees = models.PositiveIntegerField(_("从业人数"))
    revenue_wan = models.DecimalField(
        _("营业收入(万元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    introduction = models.TextField(_("海外智能工厂简介"), max_length=500)
    contact = models.CharField(_("企业联系人及联系方式"), max_length=100)
    selected = models.BooleanField(_("市级推荐"), default=False)
    rank = models.PositiveSmallIntegerField(_("序号"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit", enterprise="enterprise")

    class Meta:
        ordering = ["unit__code", "rank", "id"]
        verbose_name = _("海外智能工厂培育推荐")
        verbose_name_plural = _("海外智能工厂培育推荐")
        constraints = [
            models.UniqueConstraint(fields=["task", "factory"], name="unique_overseas_factory")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.factory}"


# ---------------------------------------------------------------- notifications
class Notification(models.Model):
    """What happened, stored as data (a kind and its facts); ``notify.message`` writes it in the
    reader's language when it is shown, not in the actor's when it is sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32)
    params = models.JSONField(_("内容"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    is_read = models.BooleanField(_("已读"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(owner="recipient")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "is_read"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
