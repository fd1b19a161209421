"""Background jobs that always end: 已完成, or 失败 with a reason the user can read.

A job is a row (a model deriving from :class:`Job`) and a Celery task that runs it. The row, not
the broker, is the truth of where the job stands:

- ``start_attempt`` + ``enqueue_on_commit``: the row is 排队中 and its task is sent once the
  request commits; when the broker cannot take it, the row fails at once (任务队列暂不可用).
- ``run``: the task claims the row for its attempt (a redelivered or stale message finds
  nothing to claim and does nothing), beats a heartbeat while it works, and ends the row as
  已完成 or — whatever went wrong — 失败 with a Chinese reason (the traceback goes to the log).
- ``sweep``: a running row whose heartbeat stopped (the worker died) or a row queued for longer
  than the time limit ends as 失败. Celery beat runs it every minute; ``manage.py sweep_jobs``
  does the same from cron. Pages also read such a row as failed before the sweep writes it.
- ``restart``: 重试 — a new attempt of the same row.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .writes import Refused, after_commit

logger = logging.getLogger(__name__)

J = TypeVar("J", bound="Job")
Work = Callable[[Any, "Heartbeat"], dict[str, Any]]


class Job(models.Model):
    """Where one background job stands. ``attempts`` counts the attempts started (重试 starts
    the next one); a task carries the attempt it was sent for."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在处理")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def stale_reason(self, now=None) -> str:
        """Why this unfinished job will not finish by itself, or "" while it still may."""
        now = now or timezone.now()
        if self.status == self.Status.RUNNING:
            beat = self.heartbeat_at or self.started_at or self.created_at
            if beat and beat < now - timedelta(seconds=settings.JOB_STALE_SECONDS):
                return interrupted_reason()
        elif self.status == self.Status.PENDING:
            queued = self.queued_at or self.created_at
            if queued and queued < now - timedelta(minutes=settings.JOB_TIME_LIMIT_MINUTES):
                return waited_too_long_reason()
        return ""

    def as_read(self: J, now=None) -> J:
        """The row as a page shows it: a stale job reads as failed, though a read writes
        nothing (the sweep records it)."""
        reason = self.stale_reason(now)
        if reason:
            self.status, self.error = self.Status.FAILED, reason
        return self


# -- reasons ----------------------------------------------------------------------------------


def queue_unavailable_reason() -> str:
    return gettext("任务队列暂不可用，请稍后重试。")


def interrupted_reason() -> str:
    return gettext("后台任务中断（进程退出），请重试。")


def waited_too_long_reason() -> str:
    return gettext(
        "后台任务排队超过%(minutes)s分钟仍未开始（后台处理进程可能未运行），请重试；"
        "如仍如此，请联系系统管理员。"
    ) % {"minutes": settings.JOB_TIME_LIMIT_MINUTES}


def time_limit_reason() -> str:
    return gettext(
        "后台任务超过%(minutes)s分钟仍未完成，已停止。请重试；如仍超时，请联系系统管理员。"
    ) % {"minutes": settings.JOB_TIME_LIMIT_MINUTES}


def storage_not_writable_reason() -> str:
    return gettext(
        "服务器文件存储不可写（权限不足），结果无法保存。请联系系统管理员检查存储目录的权限后重试。"
    )


def failure_reason(error: BaseException) -> str:
    """A plain Chinese reason for any error: our own refusals say theirs; a library's English
    message never reaches the page."""
    if isinstance(error, Refused):
        return str(error)
    if isinstance(error, SoftTimeLimitExceeded):
        return time_limit_reason()
    if isinstance(error, PermissionError):
        return storage_not_writable_reason()
    if isinstance(error, FileNotFoundError):
        return gettext("所需文件在服务器存储中找不到。请检查后重试；如仍失败，请联系系统管理员。")
    if isinstance(error, OSError):
        return gettext("服务器存储出错（如磁盘空间不足）。请稍后重试；如仍失败，请联系系统管理员。")
    return gettext("后台任务发生意外错误。请稍后重试；如仍失败，请联系系统管理员。")


# -- starting ---------------------------------------------------------------------------------


def enqueue_on_commit(job: Job, task) -> None:
    """Send ``task(job.pk, attempt)`` once the current transaction commits."""
    model, pk, attempt = type(job), job.pk, job.attempts
    after_commit(lambda: enqueue(model, pk, attempt, task))


def enqueue(model: type[Job], pk: int, attempt: int, task) -> None:
    """Send the task now; a broker out of reach fails the job at once rather than leaving it
    排队中 for ever."""
    try:
        task.apply_async(args=(pk, attempt))
    except Exception:
        logger.exception("%s %s: the task could not be queued", model.__name__, pk)
        _end(
            model,
            pk,
            attempt,
            [Job.Status.PENDING],
            Job.Status.FAILED,
            error=queue_unavailable_reason(),
        )


def restart(job: J, **fields) -> J:
    """A new attempt of a failed (or stale) job, sent when the transaction commits; ``fields``
    are set on the row as well (e.g. who asked). Call it inside the caller's transaction."""
    model = type(job)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=job.pk)
        if current.status != Job.Status.FAILED and not current.stale_reason():
            raise Refused(gettext("该任务没有失败，无需重试。"))
        current.attempts += 1
        current.status = Job.Status.PENDING
        current.error = ""
        current.queued_at = timezone.now()
        current.started_at = current.heartbeat_at = current.finished_at = None
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
    return current


# -- running ----------------------------------------------------------------------------------


# A change of the progress alone is written at most this often (seconds): the job page polls
# every second or two, and a 1,800-page PDF moves its bar 100 times in under two seconds.
PROGRESS_EVERY = 0.25


class Heartbeat:
    """Called by the work as it goes: records that the job is alive (at most every few seconds)
    and any progress fields passed (the progress alone at most every ``PROGRESS_EVERY``)."""

    def __init__(self, model: type[Job], pk: int, attempt: int):
        self.model, self.pk, self.attempt = model, pk, attempt
        self.interval = max(1, settings.JOB_STALE_SECONDS // 5)
        self.last = timezone.now()
        self.last_written = float("-inf")  # time.monotonic() of the last write
        self.fields: dict[str, Any] = {}

    def __call__(self, **fields) -> None:
        now = timezone.now()
        changed = {k: v for k, v in fields.items() if self.fields.get(k) != v}
        alive = (now - self.last).total_seconds() >= self.interval
        if not changed and not alive:
            return
        if changed.keys() == {"progress"} and not alive:
            if time.monotonic() - self.last_written < PROGRESS_EVERY:
                return  # written with the next change, or as the job ends
        self.fields.update(changed)
        self.last = now
        self.last_written = time.monotonic()
        self.model.objects.filter(
            pk=self.pk, attempts=self.attempt, status=Job.Status.RUNNING
        ).update(heartbeat_at=now, **changed)


def claim(model: type[J], pk: int, attempt: int | None) -> J | None:
    """Mark the job running for this attempt; None when it is not this message's to run (done,
    failed, already running elsewhere, or a later attempt has started)."""
    if attempt is None:  # a message sent before attempts were counted
        attempt = model.objects.filter(pk=pk).values_list("attempts", flat=True).first()
        if attempt is None:
            return None
    now = timezone.now()
    lost = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    claimed = (
        model.objects.filter(pk=pk, attempts=attempt)
        .filter(Q(status=Job.Status.PENDING) | Q(status=Job.Status.RUNNING, heartbeat_at__lt=lost))
        .update(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, error="")
    )
    return model.objects.get(pk=pk) if claimed else None


def run(
    model: type[J],
    pk: int,
    attempt: int | None,
    work: Work,
    *,
    describe: Callable[[BaseException], str] | None = None,
) -> J | None:
    """Run ``work(job, heartbeat)`` for a claimed job; it returns the fields to store with
    已完成. Every exception ends the job as 失败 with ``describe(error)`` (default
    :func:`failure_reason`). Returns the job as stored, or None when there was nothing to run."""
    job = claim(model, pk, attempt)
    if job is None:
        logger.info("%s %s attempt %s: nothing to run", model.__name__, pk, attempt)
        return None
    heartbeat = Heartbeat(model, pk, job.attempts)
    try:
        fields = work(job, heartbeat)
    except Exception as error:
        if not isinstance(error, Refused):
            logger.exception("%s %s failed", model.__name__, pk)
        _end(
            model,
            pk,
            job.attempts,
            [Job.Status.RUNNING],
            Job.Status.FAILED,
            error=(describe or failure_reason)(error),
        )
    else:
        # A job the sweep gave up on that finished after all is done, unless 重试 started
        # another attempt meanwhile.
        _end(
            model,
            pk,
            job.attempts,
            [Job.Status.RUNNING, Job.Status.FAILED],
            Job.Status.DONE,
            error="",
            **fields,
        )
    return model.objects.get(pk=pk)


def _end(model, pk, attempt, among, status, **fields) -> int:
    return model.objects.filter(pk=pk, attempts=attempt, status__in=among).update(
        status=status, finished_at=timezone.now(), **fields
    )


# -- sweeping ---------------------------------------------------------------------------------


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def sweep(now=None) -> int:
    """End every job that will not finish by itself as 失败; returns how many."""
    now = now or timezone.now()
    lost = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    waited = now - timedelta(minutes=settings.JOB_TIME_LIMIT_MINUTES)
    ended = 0
    for model in job_models():
        rows = model.objects.annotate(
            last_sign=Coalesce("heartbeat_at", "started_at", "queued_at", "created_at"),
            asked=Coalesce("queued_at", "created_at"),
        )
        for condition, reason in (
            (Q(status=Job.Status.RUNNING, last_sign__lt=lost), interrupted_reason()),
            (Q(status=Job.Status.PENDING, asked__lt=waited), waited_too_long_reason()),
        ):
            count = rows.filter(condition).update(
                status=Job.Status.FAILED, error=reason, finished_at=now
            )
            if count:
                logger.warning("%s: %s stale job(s) ended as failed", model.__name__, count)
            ended += count
    return ended
