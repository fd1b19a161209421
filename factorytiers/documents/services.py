"""Writes of the documents app: the report's prose, and the material packages.

One function per change: permission check (``require``), ``transaction.atomic()``, optimistic
locking on ``version`` (a stale version raises :class:`EditConflict` and nothing is written), an
audit entry. Generating the documents themselves is in ``generate.py`` (reads only).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit, jobs
from factorytiers.accounts.models import AuditAction, User
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, Refused, editing
from factorytiers.domain.document_names import InvalidFileName

from . import generate, selectors
from .models import PackageBuild, ReportDraft
from .packages import PackageError, build_package
from .tasks import build_package_task

MAX_SECTION_CHARACTERS = 20000

__all__ = [
    "EditConflict",
    "ReportInputError",
    "request_package",
    "retry_package",
    "save_report",
]


class ReportInputError(Refused):
    """The input cannot be saved; the message names the field."""


def _check(field: str, text: str, campaign) -> str | date | None:
    if field not in ReportDraft.FIELDS:
        raise ReportInputError(_("无法保存：未知的报告部分“%(field)s”。") % {"field": field})
    label = ReportDraft._meta.get_field(field).verbose_name
    if field == "as_of":
        return _check_date(label, text.strip(), campaign)
    if len(text) > MAX_SECTION_CHARACTERS:
        raise ReportInputError(
            _("%(label)s：共%(n)s字，超过%(max)s字的上限。")
            % {"label": label, "n": len(text), "max": MAX_SECTION_CHARACTERS}
        )
    return text.replace("\r\n", "\n")


def _check_date(label, text: str, campaign) -> date | None:
    """Empty: the report task's deadline applies. Otherwise a day of the campaign's year (the
    year whose figures the report gives)."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ReportInputError(
            _("%(label)s：“%(value)s”不是有效的日期，请按“2026-05-22”的格式填写。")
            % {"label": label, "value": text[:20]}
        ) from None
    if day.year != campaign.year:
        raise ReportInputError(
            _("%(label)s：应为%(year)s年内的日期。") % {"label": label, "year": campaign.year}
        )
    return day


def _as_shown(draft: ReportDraft, field: str) -> str:
    value = getattr(draft, field)
    if field == "as_of":
        return value.isoformat() if value else ""
    return value


def save_report(
    *,
    actor,
    unit,
    campaign,
    texts: dict[str, str],
    version: int | None,
    previous: dict[str, str] | None = None,
) -> ReportDraft:
    """Save fields of the unit's report as posted (the prose sections, and ``as_of`` as
    “YYYY-MM-DD” or empty). ``version`` is the version the editor was opened on (0 when there
    was no draft yet); any other current version is a conflict — unless ``previous`` (an
    autosave's value of each field as the page last saw it) shows that nobody else changed
    these fields meanwhile."""
    cleaned = {field: _check(field, text, campaign) for field, text in texts.items()}
    if not cleaned:
        raise ReportInputError(_("无法保存：没有要保存的内容。"))
    require(actor, "documents.change_report", ReportDraft(unit=unit, campaign=campaign))
    with transaction.atomic():
        # The first save creates the draft (version 0: "nothing written yet"); an editor opened
        # before another's first save then sees a conflict, like any stale page.
        draft = ReportDraft.objects.filter(unit=unit, campaign=campaign).first()
        if draft is None:
            draft = ReportDraft(unit=unit, campaign=campaign, version=0)
            draft.save_without_historical_record()  # the save below is the first version
        with editing(
            draft,
            actor=actor,
            version=version,
            action=AuditAction.REPORT_SAVE,
            permission="documents.change_report",
            unit=unit,
            unchanged=None
            if previous is None
            else lambda current: all(
                _as_shown(current, field)
                in (previous.get(field), texts[field].replace("\r\n", "\n"))
                for field in texts
            ),
        ) as change:
            sections = {f: text for f, text in cleaned.items() if f in ReportDraft.SECTIONS}
            before = {field: getattr(change.current, field) for field in sections}
            change.apply(sections, record=False)
            if "as_of" in cleaned:
                change.apply({"as_of": cleaned["as_of"]})
            change.current.updated_by = actor
            for field, text in sections.items():
                # The audit entry says how the text changed, not the text itself.
                change.note(f"{field}_length", len(before[field]), len(text))
    return change.current


# -- material packages ------------------------------------------------------------------------


def request_package(*, actor, task, unit) -> PackageBuild:
    """Record a build request; the build is queued once the request is committed."""
    require(actor, "documents.build_package")
    if task.kind not in selectors.PACKAGE_KINDS:
        raise PackageError(_("该任务没有申报材料，不需要打包。"))
    with transaction.atomic():
        build = PackageBuild.objects.create(
            unit=unit, task=task, requested_by=actor, queued_at=timezone.now()
        )
        audit.record(actor=actor, action=AuditAction.PACKAGE_REQUEST, target=build, unit=unit)
        jobs.enqueue_on_commit(build, build_package_task)
    return build


def retry_package(*, actor, build: PackageBuild) -> PackageBuild:
    """重试: a new attempt of a failed (or interrupted) build, as the officer who asks, under
    the same permission as the first request; queued once the request is committed."""
    require(actor, "documents.build_package")
    with transaction.atomic():
        try:
            retried = jobs.restart(build, requested_by=actor, progress=0, file="", file_name="")
        except Refused as error:
            raise Refused(_("该材料包没有失败，无需重试。")) from error
        audit.record(
            actor=actor,
            action=AuditAction.PACKAGE_REQUEST,
            target=retried,
            unit=retried.unit,
            facts={"attempts": retried.attempts},
        )
        jobs.enqueue_on_commit(retried, build_package_task)
    return retried


def failure_reason(error: BaseException) -> str:
    """What the user reads about a failed build: our own Chinese message where the error is one
    of ours, else a plain reason — never a traceback or a library's English message."""
    if isinstance(error, PackageError | generate.DocumentDataError | InvalidFileName):
        return str(error)
    if isinstance(error, PermissionError):
        return _(
            "材料包无法保存：服务器文件存储不可写（权限不足）。"
            "请联系系统管理员检查存储目录的权限后点击“重试”。"
        )
    if isinstance(error, OSError):
        return _(
            "写入材料包时服务器存储出错（如磁盘空间不足）。请稍后点击“重试”；如仍失败，请联系系统管理员。"
        )
    if isinstance(error, Refused | SoftTimeLimitExceeded):
        return jobs.failure_reason(error)
    return _("生成材料包时发生意外错误。请稍后点击“重试”；如仍失败，请联系系统管理员。")


def run_package_build(build_id: int, attempt: int | None = None) -> PackageBuild | None:
    """Build the zip of a recorded request, as the user who asked for it (same scope). Every
    failure ends the build as 失败 with a reason (the details go to the log); a message for a
    build already finished or for an earlier attempt does nothing (returns None)."""
    return jobs.run(PackageBuild, build_id, attempt, _build_zip, describe=failure_reason)


def _build_zip(build: PackageBuild, heartbeat: jobs.Heartbeat) -> dict:
    build = PackageBuild.objects.select_related("unit", "task__campaign", "requested_by").get(
        pk=build.pk
    )
    user: User = build.requested_by
    heartbeat(progress=0)

    def progress(done: int, total: int) -> None:
        heartbeat(progress=min(99, done * 100 // max(total, 1)))

    folders, unit_files = generate.package_contents(user, build.task, build.unit)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "package.zip"
        root = generate.package_folder_name(build.task, build.unit)
        build_package(target, root, folders, unit_files, progress=progress)
        with target.open("rb") as handle:
            build.file.save("package.zip", File(handle), save=False)
    return {
        "file": build.file.name,
        "file_name": generate.package_file_name(build.task, build.unit),
        "progress": 100,
    }
