"""Users, their role and unit; enterprise self-registration; the audit log."""

import uuid
from pathlib import Path

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .scope import ScopedQuerySet, ScopePaths


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The operator's account: the Django admin, accounts and reference data, never the
        # business data (the rules decide that by role, not by the superuser flag).
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. The role decides what they may do, the unit or enterprise where."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.ENTERPRISE)
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    unit = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text=_("市级管理员所属的报送单位；省级管理员所属的省。"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    objects = AccountManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # An active enterprise account acts for an enterprise; one replaced by another
            # registration is deactivated and loses it.
            models.CheckConstraint(
                name="enterprise_user_has_enterprise",
                condition=~models.Q(role="enterprise")
                | models.Q(enterprise__isnull=False)
                | models.Q(is_superuser=True)
                | models.Q(is_active=False),
            ),
            models.CheckConstraint(
                name="city_officer_has_unit",
                condition=~models.Q(role="city") | models.Q(unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def has_perm(self, perm, obj=None) -> bool:
        """The product's permissions are decided by their rules for every user, superuser or
        not; Django's own model permissions (the admin site) keep Django's behaviour."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Registration(models.Model):
    """An enterprise's request for an account, approved or rejected by its city officer.

    The credit code is the account's log-in name. At most one registration per credit code is
    approved at a time: a later one is approved only as an explicit replacement (with a
    reason), which marks the earlier one superseded and takes the enterprise from its user."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        SUPERSEDED = "superseded", _("已被替换")

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    enterprise_name = models.CharField(_("企业名称"), max_length=128)
    unit = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所在地市"),
        on_delete=models.PROTECT,
        limit_choices_to={"is_reporting_unit": True},
    )
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    password_hash = models.CharField(max_length=256)
    profile = models.JSONField(_("企业信息"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("替换的申请"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit", operator=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("企业注册申请")
        verbose_name_plural = _("企业注册申请")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=models.Q(status="approved"),
                name="one_approved_registration_per_credit_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name}（{self.get_status_display()}）"


class AuditAction(models.TextChoices):
    """Every action the audit log records, with what a reader sees."""

    REGISTRATION_SUBMIT = "registration.submit", _("提交企业注册申请")
    REGISTRATION_APPROVE = "registration.approve", _("通过企业注册申请")
    REGISTRATION_REJECT = "registration.reject", _("驳回企业注册申请")
    REGISTRATION_SUPERSEDE = "registration.supersede", _("替换企业账号")
    PASSWORD_CHANGE = "account.password_change", _("修改密码")
    PASSWORD_RESET = "account.password_reset", _("通过邮件重置密码")
    ENTERPRISE_CREATE = "enterprise.create", _("登记企业")
    ENTERPRISE_UPDATE = "enterprise.update", _("修改企业信息")
    REGISTRY_UPLOAD = "enterprise.registry_upload", _("上传企业名录（预览）")
    REGISTRY_IMPORT = "enterprise.registry_import", _("导入企业名录")
    FACTORY_CREATE = "factory.create", _("添加工厂")
    FACTORY_UPDATE = "factory.update", _("修改工厂信息")
    FACTORY_SCENARIOS = "factory.scenarios", _("修改工厂已建场景")
    ASSESSMENT_CREATE = "assessment.create", _("新建自评估")
    ASSESSMENT_SUBMIT = "assessment.submit", _("提交自评估")
    PLATFORM_RESULT_CREATE = "platform_result.create", _("登记国家平台结果")
    PLATFORM_RESULT_UPDATE = "platform_result.update", _("更新国家平台结果")
    PLATFORM_RESULT_IMPORT = "platform_result.import", _("导入国家平台结果")
    MATURITY_MODEL_IMPORT = "maturity_model.import", _("导入成熟度模型条目库")
    MATURITY_MODEL_ACTIVATE = "maturity_model.activate", _("启用成熟度模型版本")
    CAMPAIGN_CREATE = "campaign.create", _("创建年度工作")
    CAMPAIGN_UPDATE = "campaign.update", _("修改年度工作")
    CAMPAIGN_SETTINGS = "campaign.settings", _("修改条件与参数设置")
    TASK_CLOSE = "task.close", _("关闭任务")
    TASK_REOPEN = "task.reopen", _("重新开放任务")
    TASK_FIX_LIST = "task.fix_list", _("确定拟认定名单")
    TASK_PUBLICITY = "task.publicity", _("开始公示")
    TASK_RECOGNIZE = "task.recognize", _("批量认定")
    APPLICATION_CREATE = "application.create", _("新建申报")
    APPLICATION_UPDATE = "application.update", _("修改申报")
    APPLICATION_SUBMIT = "application.submit", _("提交申报")
    APPLICATION_RETURN = "application.return", _("退回申报修改")
    APPLICATION_REJECT = "application.reject", _("不予推荐")
    APPLICATION_RECOMMEND = "application.recommend", _("同意推荐")
    APPLICATION_UNRECOMMEND = "application.unrecommend", _("撤回推荐")
    APPLICATION_WITHDRAW = "application.withdraw", _("因异议撤出名单")
    APPLICATION_RECOMMEND_TO_MINISTRY = "application.recommend_to_ministry", _("推荐至部级")
    MINISTRY_RESULT = "application.ministry_result", _("登记部级结果")
    CONDITION_OVERRIDE = "application.condition_override", _("说明未满足的条件")
    APPLICATION_ASSIGN_EXPERT = "application.assign_expert", _("分配评审专家")
    APPLICATION_SCORE = "application.score", _("提交专家评分")
    APPLICATION_OBJECTION = "application.objection", _("登记公示异议")
    ASSIGNMENT_CONFLICT = "assignment.conflict", _("申明利益冲突")
    MATERIAL_UPLOAD = "material.upload", _("上传申报材料")
    RECOGNITION_BASIC = "recognition.basic", _("认定基础级")
    RECOGNITION_REVOKE = "recognition.revoke", _("撤销或降级认定")
    SUBMISSION_RANK = "submission.rank", _("排定推荐序号")
    SUBMISSION_SUBMIT = "submission.submit", _("报送省级")
    SUBMISSION_RETURN = "submission.return", _("退回单位报送")
    SUBMISSION_FILES = "submission.files", _("上传推荐文件、登记纸质材料")
    OVERSEAS_CREATE = "overseas.create", _("加入海外智能工厂名单")
    OVERSEAS_SELECT = "overseas.select", _("确定海外智能工厂推荐名单")
    OVERSEAS_UPDATE = "overseas.update", _("修改海外智能工厂信息")
    OVERSEAS_REMOVE = "overseas.remove", _("移出海外智能工厂名单")
    REPORT_SAVE = "documents.save_report", _("保存情况报告文稿")
    PACKAGE_REQUEST = "documents.request_package", _("申请生成材料包")
    EXPORT_REQUEST = "accounts.request_export", _("申请后台导出")
    # Reminders (factorytiers/reminders).
    REMINDER_PREFERENCES = "reminders.preferences", _("修改提醒设置")
    CALENDAR_TOKEN = "reminders.calendar_token", _("生成或更换日历订阅链接")
    CAMPAIGN_REMINDERS = "reminders.campaign_days", _("修改截止前提醒天数")
    REMINDER_URGE = "reminders.urge", _("督促企业")
    # REST API machine tokens (factorytiers/api).
    API_TOKEN_ISSUE = "api.token_issue", _("签发接口令牌")
    API_TOKEN_REVOKE = "api.token_revoke", _("吊销接口令牌")


class AuditEntry(models.Model):
    """Who did what, when, from where: every decision and permission change."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=64, db_index=True, choices=AuditAction.choices)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "reference.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("单位"),
    )
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(operator=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_label}"


# Below the audit models: the job machinery imports them (through writes and audit).
from .jobs import Job  # noqa: E402


def export_path(instance, filename: str) -> str:
    """Generated storage name; the download is named by the export, not from this."""
    from django.utils import timezone

    # The extension of the file the export wrote (.xlsx, or a report's .docx or .pdf).
    extension = Path(filename).suffix.lower() or ".xlsx"
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ExportJob(Job):
    """One export too big for a request (a list's XLSX, a report's DOCX or PDF), written in
    the background (a :class:`~factorytiers.accounts.jobs.Job`). Only the user who asked reads
    it: the rows are the ones that user's scope gave when the export ran."""

    kind = models.CharField(_("导出内容"), max_length=40)
    query = models.TextField(_("筛选条件"), blank=True)  # the list's query string
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    total = models.PositiveIntegerField(_("行数"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(owner="requested_by")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")

    def __str__(self) -> str:
        return f"{self.file_name or self.kind} · {self.get_status_display()}"
