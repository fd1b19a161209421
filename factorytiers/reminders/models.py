"""Reminders: each user's mail and calendar preferences, a campaign's reminder days, the
reminders sent (once each) and a city's 督促 of its enterprises (once a day per task)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factorytiers.accounts.scope import ScopedQuerySet, ScopePaths
from factorytiers.domain.reminders import DEFAULT_DAYS_BEFORE


class Preference(models.Model):
    """A user's choices: e-mail on or off (notifications in the product always appear), the
    language of the e-mails, and the private calendar link (none until asked for)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    email_enabled = models.BooleanField(_("接收邮件提醒"), default=True)
    language = models.CharField(
        _("邮件语言"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # secrets.token_urlsafe: the calendar URL is the only key to it, so it is unique and
    # replaced (the old URL then answers 404) when the user asks for a new one.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(owner="user")

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return str(self.user)


def default_days_before() -> list[int]:
    return list(DEFAULT_DAYS_BEFORE)


class CampaignReminders(models.Model):
    """How many days before each deadline of a campaign the reminders go out (the province's
    choice; without a row, DEFAULT_DAYS_BEFORE)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.JSONField(_("截止前提醒天数"), default=default_days_before)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(everyone=True)

    class Meta:
        verbose_name = _("截止提醒设置")
        verbose_name_plural = _("截止提醒设置")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.days_before}"


class ReminderSent(models.Model):
    """One reminder of one deadline to one person at one offset (days before, or -1 for
    overdue): the unique constraint makes it once and only once, however often and however
    many times at once the job runs. The deadline is part of the key: a moved deadline is
    reminded again."""

    task = models.ForeignKey("campaigns.Task", on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField(_("截止日期"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    offset = models.SmallIntegerField(_("提前天数"))  # -1: overdue
    batch = models.UUIDField(editable=False)  # the run that inserted it (to read back its rows)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(owner="recipient")

    class Meta:
        verbose_name = _("已发送的提醒")
        verbose_name_plural = _("已发送的提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "deadline", "recipient", "offset"], name="unique_reminder"
            )
        ]
        indexes = [models.Index(fields=["batch"])]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.recipient_id} · {self.offset}"


class ReviewReminderSent(models.Model):
    """One reminder of an expert's score due date at one offset (as ``ReminderSent``, keyed by
    the assignment: its expert is the one recipient). A moved due date is reminded again."""

    assignment = models.ForeignKey(
        "campaigns.ExpertAssignment", on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("评分截止日期"))
    offset = models.SmallIntegerField(_("提前天数"))  # -1: overdue
    batch = models.UUIDField(editable=False)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(owner="assignment__expert")

    class Meta:
        verbose_name = _("已发送的评分提醒")
        verbose_name_plural = _("已发送的评分提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_on", "offset"], name="unique_review_reminder"
            )
        ]
        indexes = [models.Index(fields=["batch"])]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.due_on} · {self.offset}"


class Urge(models.Model):
    """A city officer's 督促 of one enterprise about one task, at most once a day."""

    task = models.ForeignKey("campaigns.Task", on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("督促日期"))  # Asia/Shanghai
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("督促时间"), default=timezone.now)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    batch = models.UUIDField(editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopePaths(unit="unit", enterprise="enterprise")

    class Meta:
        verbose_name = _("督促")
        verbose_name_plural = _("督促")
        constraints = [
            models.UniqueConstraint(fields=["task", "enterprise", "sent_on"], name="one_urge_a_day")
        ]
        indexes = [models.Index(fields=["batch"])]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.enterprise_id} · {self.sent_on}"
