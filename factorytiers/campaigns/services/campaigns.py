"""The province's campaign of a year: its notice data, its tasks and its settings."""

import copy

from django.db import transaction
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, editing
from factorytiers.domain.campaign_settings import settings_problems, task_problems

from ..errors import InvalidInput, ServiceError
from ..loaders import default_settings
from ..models import Campaign, Publicity, ScenarioEdition, Task

TASK_FIELDS = ["kind", "title", "deadline", "deadline_note", "deliverable", "instructions"]


def _check_tasks(rows: list[dict], issued_on) -> list[dict]:
    kept = [row for row in rows if not row["delete"]]
    problems = task_problems(
        [(row["kind"], row["deadline"], row["deadline_note"]) for row in kept], issued_on
    )
    if problems:
        raise InvalidInput(problems)
    return kept


def _task_in_use(task: Task) -> bool:
    return (
        task.applications.exists()
        or task.submissions.exists()
        or task.overseas.exists()
        or Publicity.objects.filter(task=task).exists()
    )


def _save_tasks(campaign: Campaign, rows: list[dict]) -> dict:
    """Create, change and delete the campaign's tasks as the rows say (in page order)."""
    existing = {t.pk: t for t in Task.objects.select_for_update().filter(campaign=campaign)}
    problems = []
    changes = {"created": [], "updated": [], "deleted": []}
    for number, row in enumerate(rows, start=1):
        task = existing.get(row["id"]) if row["id"] else None
        if row["id"] and task is None:
            raise EditConflict(campaign)  # a task the page showed is gone
        if task is None:
            continue
        if row["delete"] and _task_in_use(task):
            problems.append(
                (
                    _("工作任务第%(n)s行 · %(title)s") % {"n": number, "title": task.title},
                    _("已有申报、报送或公示，不能删除"),
                )
            )
        elif row["delete"]:
            changes["deleted"].append(task.get_kind_display())
        elif task.kind != row["kind"] and _task_in_use(task):
            problems.append(
                (_("工作任务第%(n)s行 · 类型") % {"n": number}, _("已有申报或报送，不能改变类型"))
            )
    if problems:
        raise InvalidInput(problems)
    # Deletions first, and kinds parked, so that rows may swap kinds without a clash.
    for row in rows:
        if row["id"] and row["delete"]:
            existing[row["id"]].delete()
    kept = [row for row in rows if not row["delete"]]
    for row in kept:
        if row["id"]:
            Task.objects.filter(pk=row["id"]).update(kind=f"~{row['id']}")
    for order, row in enumerate(kept, start=1):
        values = {field: row[field] for field in TASK_FIELDS}
        if row["id"]:
            task = existing[row["id"]]
            before = {field: getattr(task, field) for field in TASK_FIELDS}
            for field, value in values.items():
                setattr(task, field, value)
            task.order = order
            task.save()
            if before != values:
                changes["updated"].append(task.get_kind_display())
        else:
            task = Task.objects.create(campaign=campaign, order=order, **values)
            changes["created"].append(task.get_kind_display())
    return {key: value for key, value in changes.items() if value}


def create_campaign(*, actor, province, data: dict, tasks: list[dict]) -> Campaign:
    """A year's campaign with its tasks; the settings start from the latest earlier campaign
    of the province (or the seeded defaults)."""
    require(actor, "campaigns.manage_campaign")
    kept = _check_tasks(tasks, data.get("issued_on"))
    previous = Campaign.objects.filter(province=province).order_by("-year").first()
    edition = ScenarioEdition.objects.order_by("-code").first()
    if edition is None:
        raise ServiceError(_("尚未载入典型场景指引，请联系系统管理员。"))
    with transaction.atomic():
        if Campaign.objects.filter(province=province, year=data["year"]).exists():
            raise InvalidInput([(_("年度"), _("%(year)s年度工作已存在") % data)])
        campaign = Campaign.objects.create(
            province=province,
            scenario_edition=edition,
            platforms=copy.deepcopy(previous.platforms) if previous else [],
            settings=copy.deepcopy(previous.settings) if previous else default_settings(),
            **{field: data[field] for field in Campaign.NOTICE_FIELDS if field in data},
        )
        task_changes = _save_tasks(campaign, [dict(row, id=None) for row in kept])
        audit.record(
            actor=actor,
            action=AuditAction.CAMPAIGN_CREATE,
            target=campaign,
            unit=province,
            facts={"year": campaign.year, "tasks": task_changes.get("created", [])},
        )
    return campaign


def update_campaign(*, actor, campaign, data: dict, tasks: list[dict], version) -> Campaign:
    require(actor, "campaigns.manage_campaign")
    _check_tasks(tasks, data.get("issued_on"))
    with editing(
        campaign,
        actor=actor,
        version=version,
        action=AuditAction.CAMPAIGN_UPDATE,
        unit=campaign.province,
    ) as change:
        current = change.current
        if (
            data.get("year", current.year) != current.year
            and Campaign.objects.filter(province=current.province, year=data["year"]).exists()
        ):
            raise InvalidInput([(_("年度"), _("%(year)s年度工作已存在") % data)])
        change.apply({field: data[field] for field in Campaign.NOTICE_FIELDS if field in data})
        for key, kinds in _save_tasks(current, tasks).items():
            change.fact(key, kinds)
    return change.current


def update_campaign_settings(*, actor, campaign, settings: dict, version) -> Campaign:
    """New settings for the campaign. Applications already submitted keep the snapshot they
    were checked against; those submitted from now on are checked against these."""
    require(actor, "campaigns.manage_campaign")
    problems = settings_problems(settings)
    if problems:
        raise InvalidInput(problems)
    with editing(
        campaign,
        actor=actor,
        version=version,
        action=AuditAction.CAMPAIGN_SETTINGS,
        unit=campaign.province,
    ) as change:
        before = change.current.settings
        for key in sorted(set(before) | set(settings)):
            change.note(key, before.get(key), settings.get(key))
        change.current.settings = settings
    return change.current


def close_task(*, actor, task, closed: bool) -> Task:
    require(actor, "campaigns.manage_campaign")
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        task.is_closed = closed
        task.save(update_fields=["is_closed"])
        audit.record(
            actor=actor,
            action=AuditAction.TASK_CLOSE if closed else AuditAction.TASK_REOPEN,
            target=task,
            unit=task.campaign.province,
        )
    return task
