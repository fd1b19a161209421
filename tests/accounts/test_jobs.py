"""Background jobs always end: queueing, running, the sweep of lost jobs, and 重试.

The material package build is the job model used here; its own pages are tested in
tests/documents/test_package_views.py, and a real worker is killed in tests/faults/.
"""

import logging
import re
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from factorytiers.accounts import jobs
from factorytiers.accounts.writes import Refused
from factorytiers.campaigns.models import Campaign
from factorytiers.celery import app
from factorytiers.documents.models import PackageBuild

NOT_CHINESE = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def make_job(users, unit_a):
    task = Campaign.objects.get(year=2026).tasks.get(kind="advanced")

    def make(**fields) -> PackageBuild:
        fields.setdefault("queued_at", timezone.now())
        return PackageBuild.objects.create(
            unit=unit_a, task=task, requested_by=users["city_a"], **fields
        )

    return make


class Sent:
    """A task stand-in that records what was sent, or fails like a broker out of reach."""

    def __init__(self, error: Exception | None = None):
        self.error, self.calls = error, []

    def apply_async(self, args):
        if self.error:
            raise self.error
        self.calls.append(args)


def _stored(job):
    job.refresh_from_db()
    return job


# -- queueing ---------------------------------------------------------------------------------


def test_a_job_is_sent_with_its_attempt_once_the_request_commits(
    make_job, django_capture_on_commit_callbacks
):
    task = Sent()
    with django_capture_on_commit_callbacks(execute=True):
        job = make_job()
        jobs.enqueue_on_commit(job, task)
        assert task.calls == []
    assert task.calls == [(job.pk, 1)]


def test_a_job_is_not_sent_when_its_request_rolls_back(
    make_job, django_capture_on_commit_callbacks
):
    task = Sent()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.enqueue_on_commit(make_job(), task)
            raise RuntimeError("rolled back")
    assert callbacks == [] and task.calls == []


def test_a_broker_out_of_reach_fails_the_job_at_once_with_a_chinese_reason(make_job, caplog):
    job = make_job()
    error = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with caplog.at_level(logging.ERROR, logger="factorytiers.accounts.jobs"):
        jobs.enqueue(PackageBuild, job.pk, job.attempts, Sent(error))
    job = _stored(job)
    assert (job.status, job.error) == ("failed", "任务队列暂不可用，请稍后重试。")
    assert job.finished_at is not None
    assert "Connection refused" in caplog.text  # the cause is in the log, not on the page


# -- running ----------------------------------------------------------------------------------


def test_a_run_marks_the_job_running_then_done_with_what_the_work_returns(make_job):
    job = make_job()
    seen = {}

    def work(claimed, heartbeat):
        stored = _stored(claimed)
        seen.update(status=stored.status, started=stored.started_at, beat=stored.heartbeat_at)
        return {"progress": 100, "file_name": "包.zip"}

    done = jobs.run(PackageBuild, job.pk, 1, work)
    assert seen["status"] == "running" and seen["started"] and seen["beat"]
    assert (done.status, done.error, done.progress, done.file_name) == ("done", "", 100, "包.zip")
    assert done.finished_at is not None


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            PermissionError(13, "Permission denied", "/srv/media/packages"),
            "服务器文件存储不可写（权限不足），结果无法保存。请联系系统管理员检查存储目录的权限后重试。",
        ),
        (
            FileNotFoundError(2, "No such file or directory"),
            "所需文件在服务器存储中找不到。请检查后重试；如仍失败，请联系系统管理员。",
        ),
        (
            OSError(28, "No space left on device"),
            "服务器存储出错（如磁盘空间不足）。请稍后重试；如仍失败，请联系系统管理员。",
        ),
        (
            SoftTimeLimitExceeded("SoftTimeLimitExceeded()"),
            "后台任务超过30分钟仍未完成，已停止。请重试；如仍超时，请联系系统管理员。",
        ),
        (Refused("序号1（某公司）缺少PDF版申报书"), "序号1（某公司）缺少PDF版申报书"),
        (
            KeyError("unexpected"),
            "后台任务发生意外错误。请稍后重试；如仍失败，请联系系统管理员。",
        ),
    ],
)
def test_any_error_ends_the_job_as_failed_with_a_chinese_reason(make_job, caplog, error, reason):
    job = make_job()

    def work(claimed, heartbeat):
        raise error

    with caplog.at_level(logging.ERROR, logger="factorytiers.accounts.jobs"):
        failed = jobs.run(PackageBuild, job.pk, 1, work)
    assert (failed.status, failed.error) == ("failed", reason)
    assert not NOT_CHINESE.search(failed.error.replace("PDF", ""))
    if not isinstance(error, Refused):
        assert "Traceback" in caplog.text  # the traceback goes to the log


def test_a_message_for_a_finished_job_does_nothing(make_job):
    job = make_job(status="done", progress=100)

    def work(claimed, heartbeat):
        raise AssertionError("ran twice")

    assert jobs.run(PackageBuild, job.pk, 1, work) is None
    assert _stored(job).status == "done"


def test_a_message_for_an_earlier_attempt_does_nothing(make_job):
    job = make_job(attempts=2)
    assert jobs.run(PackageBuild, job.pk, 1, lambda claimed, heartbeat: {}) is None
    assert _stored(job).status == "pending"
    assert jobs.run(PackageBuild, job.pk, 2, lambda claimed, heartbeat: {}).status == "done"


def test_a_message_without_an_attempt_runs_the_current_one(make_job):
    job = make_job(attempts=3)
    assert jobs.run(PackageBuild, job.pk, None, lambda claimed, heartbeat: {}).status == "done"
    assert jobs.run(PackageBuild, 10**9, None, lambda claimed, heartbeat: {}) is None


def test_a_running_job_is_taken_over_only_once_its_heartbeat_stopped(make_job, settings):
    settings.JOB_STALE_SECONDS = 60
    alive = make_job(status="running", heartbeat_at=timezone.now() - timedelta(seconds=30))
    lost = make_job(status="running", heartbeat_at=timezone.now() - timedelta(seconds=90))
    assert jobs.claim(PackageBuild, alive.pk, 1) is None
    assert jobs.claim(PackageBuild, lost.pk, 1).status == "running"
    assert _stored(lost).heartbeat_at > timezone.now() - timedelta(seconds=5)


def test_the_heartbeat_writes_progress_at_once_and_beats_at_most_every_few_seconds(
    make_job, settings, django_assert_num_queries
):
    settings.JOB_STALE_SECONDS = 60
    job = make_job(status="running")
    heartbeat = jobs.Heartbeat(PackageBuild, job.pk, 1)
    with django_assert_num_queries(1):
        heartbeat(progress=10)
        heartbeat(progress=10)
        heartbeat()
    stored = _stored(job)
    assert stored.progress == 10 and stored.heartbeat_at is not None
    heartbeat.last -= timedelta(seconds=13)
    with django_assert_num_queries(1):
        heartbeat()


def test_a_job_the_sweep_gave_up_on_that_finishes_after_all_is_done(make_job):
    job = make_job()

    def work(claimed, heartbeat):
        jobs.sweep(now=timezone.now() + timedelta(hours=2))
        assert _stored(claimed).status == "failed"
        return {"progress": 100}

    assert jobs.run(PackageBuild, job.pk, 1, work).status == "done"


def test_a_finish_after_a_retry_started_another_attempt_is_dropped(make_job):
    job = make_job()

    def work(claimed, heartbeat):
        jobs.sweep(now=timezone.now() + timedelta(hours=2))
        jobs.restart(claimed)
        return {"progress": 100}

    after = jobs.run(PackageBuild, job.pk, 1, work)
    assert (after.status, after.attempts, after.progress) == ("pending", 2, 0)


# -- the sweep --------------------------------------------------------------------------------


def test_the_sweep_fails_lost_and_long_queued_jobs_and_leaves_the_rest(make_job, settings):
    settings.JOB_STALE_SECONDS, settings.JOB_TIME_LIMIT_MINUTES = 60, 30
    now = timezone.now()
    lost = make_job(status="running", heartbeat_at=now - timedelta(seconds=61))
    alive = make_job(status="running", heartbeat_at=now - timedelta(seconds=59))
    waited = make_job(queued_at=now - timedelta(minutes=31))
    queued = make_job(queued_at=now - timedelta(minutes=29))
    done = make_job(status="done", heartbeat_at=now - timedelta(days=1))
    assert jobs.sweep(now=now) == 2
    assert (_stored(lost).status, lost.error) == ("failed", "后台任务中断（进程退出），请重试。")
    assert (_stored(waited).status, waited.error) == (
        "failed",
        "后台任务排队超过30分钟仍未开始（后台处理进程可能未运行），请重试；"
        "如仍如此，请联系系统管理员。",
    )
    assert lost.finished_at == now
    assert [_stored(j).status for j in (alive, queued, done)] == ["running", "pending", "done"]
    assert jobs.sweep(now=now) == 0


def test_a_running_job_that_never_beat_is_judged_by_when_it_started(make_job, settings):
    settings.JOB_STALE_SECONDS = 60
    job = make_job(status="running", started_at=timezone.now() - timedelta(minutes=5))
    assert jobs.sweep() == 1 and _stored(job).status == "failed"


def test_a_page_reads_a_lost_job_as_failed_before_the_sweep_writes_it(make_job, settings):
    settings.JOB_STALE_SECONDS = 60
    job = make_job(status="running", heartbeat_at=timezone.now() - timedelta(minutes=2))
    read = PackageBuild.objects.get(pk=job.pk).as_read()
    assert (read.status, read.error) == ("failed", "后台任务中断（进程退出），请重试。")
    assert _stored(job).status == "running"


def test_manage_py_sweep_jobs_ends_stale_jobs(make_job, settings, capsys):
    settings.JOB_STALE_SECONDS = 60
    job = make_job(status="running", heartbeat_at=timezone.now() - timedelta(minutes=2))
    call_command("sweep_jobs")
    assert capsys.readouterr().out == "已标记为失败的后台任务：1 个\n"
    assert _stored(job).status == "failed"


def test_celery_beat_runs_the_sweep_every_minute():
    entry = app.conf.beat_schedule["sweep-jobs"]
    assert entry["schedule"] == 60.0
    app.loader.import_default_modules()  # what a worker or beat does on start (autodiscovery)
    assert entry["task"] in app.tasks
    assert app.tasks[entry["task"]].name == "factorytiers.accounts.tasks.sweep_jobs_task"


# -- 重试 -------------------------------------------------------------------------------------


def test_a_retry_starts_the_next_attempt_from_scratch(make_job, users):
    job = make_job(
        status="failed",
        error="任务队列暂不可用，请稍后重试。",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        finished_at=timezone.now(),
        progress=40,
    )
    retried = jobs.restart(job, requested_by=users["province"], progress=0)
    stored = _stored(job)
    assert (stored.status, stored.error, stored.attempts, stored.progress) == ("pending", "", 2, 0)
    assert stored.requested_by == users["province"] and retried.attempts == 2
    assert stored.started_at is stored.heartbeat_at is stored.finished_at is None
    assert stored.queued_at > timezone.now() - timedelta(seconds=5)


@pytest.mark.parametrize("status", ["pending", "running", "done"])
def test_only_a_failed_or_lost_job_is_retried(make_job, status):
    job = make_job(status=status, heartbeat_at=timezone.now())
    with pytest.raises(Refused, match="该任务没有失败，无需重试。"):
        jobs.restart(job)
    assert _stored(job).attempts == 1


def test_a_lost_job_is_retried_before_the_sweep_writes_it(make_job, settings):
    settings.JOB_STALE_SECONDS = 60
    job = make_job(status="running", heartbeat_at=timezone.now() - timedelta(minutes=2))
    assert jobs.restart(job).status == "pending"


# -- settings ---------------------------------------------------------------------------------


def test_a_lost_worker_leaves_its_message_to_be_delivered_again_after_the_time_limit(settings):
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    limit = settings.JOB_TIME_LIMIT_MINUTES * 60
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT == limit < settings.CELERY_TASK_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    assert not hasattr(settings, "PACKAGE_BUILD_TIMEOUT_MINUTES")


def test_the_progress_alone_is_written_at_most_every_quarter_second(make_job, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock = [100.0]
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    job = make_job(status="running", attempts=1)
    heartbeat = jobs.Heartbeat(PackageBuild, job.pk, 1)

    def writes(**fields) -> int:
        with CaptureQueriesContext(connection) as queries:
            heartbeat(**fields)
        return len(queries)

    assert writes(progress=1) == 1  # the first
    assert [writes(progress=n) for n in range(2, 40)] == [0] * 38  # within the quarter second
    assert writes(file_name="包.zip") == 1  # another field at once
    assert (_stored(job).progress, job.file_name) == (1, "包.zip")
    clock[0] += jobs.PROGRESS_EVERY
    assert writes(progress=40) == 1
    assert _stored(job).progress == 40
