"""Each role's home page as a to-do list: what needs doing now, each item a sentence with its
count, its deadline and a link to the exact filtered list behind it.

Every read starts from the model's ``visible_to(user)``; the rules (how a deadline is said, a
unit's status on a task, shares) are in ``domain/worklist.py``. Queries are a fixed number per
page, whatever the number of units, tasks or applications.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from factorytiers.accounts.models import Registration
from factorytiers.accounts.scope import reporting_units_for
from factorytiers.assessments.models import Assessment
from factorytiers.assessments.selectors import kept_figures, kept_unit_ids, with_counted_result
from factorytiers.campaigns import selectors as campaign_selectors
from factorytiers.campaigns.models import (
    Application,
    ApplicationKind,
    ExpertAssignment,
    Objection,
    Publicity,
    State,
    Submission,
    Task,
)
from factorytiers.documents.selectors import TASK_FORMS, default_year
from factorytiers.domain.maturity import improvement_items
from factorytiers.domain.maturity import level_name as maturity_level_name
from factorytiers.domain.statistics import PENETRATION_MIN_LEVEL
from factorytiers.domain.tier_conditions import Outcome, ScenarioFact, check_conditions
from factorytiers.domain.tiers import TIERS, Tier, tier_rank
from factorytiers.domain.worklist import (
    Due,
    DueKind,
    UnitTaskStatus,
    Urgency,
    due,
    share,
    unit_task_due,
    unit_task_status,
)
from factorytiers.enterprises.models import Enterprise, TierRecognition
from factorytiers.enterprises.registrations import registrations_for

from .stepper import progress


def due_words(value: Due | None) -> str:
    """The domain's phrase of a deadline, in the reader's language."""
    if value is None or value.kind == DueKind.NONE:
        return ""
    if value.kind == DueKind.TODAY:
        return _("今天截止")
    if value.kind == DueKind.LATE:
        return ngettext("已逾期 %(n)d 天", "已逾期 %(n)d 天", value.days) % {"n": value.days}
    return ngettext("还剩 %(n)d 天", "还剩 %(n)d 天", value.days) % {"n": value.days}


@dataclass(frozen=True)
class Todo:
    """One line of a to-do list."""

    text: str
    url: str
    count: int | None = None
    deadline: date | None = None
    due: Due | None = None
    note: str = ""  # a second, quieter line (who acts, what it waits for)

    @property
    def urgency(self) -> Urgency:
        return self.due.urgency if self.due is not None else Urgency.NONE

    @property
    def due_text(self) -> str:
        return due_words(self.due)

    @property
    def css(self) -> str:
        return {
            Urgency.LATE: "danger",
            Urgency.TODAY: "danger",
            Urgency.SOON: "warning",
        }.get(self.urgency, "secondary")


def _sorted(items: list[Todo]) -> list[Todo]:
    return sorted(items, key=lambda item: (item.urgency, item.deadline or date.max))


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def current_campaign(user):
    return campaign_selectors.campaigns_for(user).first()


def _tasks(campaign) -> list[Task]:
    return list(campaign.tasks.order_by("order", "pk")) if campaign else []


# ---------------------------------------------------------------- enterprise
ENTERPRISE_TASKS = frozenset(
    {Task.Kind.SELF_ASSESSMENT, *Task.APPLICATION_KINDS, Task.Kind.OVERSEAS}
)


@dataclass
class EnterpriseHome:
    enterprise: Enterprise
    campaign: object
    todos: list[Todo] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)
    factories: list[dict] = field(default_factory=list)
    next_steps: list[Todo] = field(default_factory=list)


def enterprise_home(user, today: date) -> EnterpriseHome:
    enterprise = (
        Enterprise.objects.visible_to(user).select_related("unit").get(pk=user.enterprise_id)
    )
    campaign = current_campaign(user)
    year = campaign.year if campaign else today.year
    home = EnterpriseHome(enterprise, campaign)
    counted = campaign_selectors.counted_maturity(user, enterprise.pk, year)
    factories = list(
        enterprise.factories.select_related("country").prefetch_related("built_scenarios__scenario")
    )
    applications = list(
        Application.objects.visible_to(user)
        .select_related("task", "campaign", "factory")
        .order_by("-campaign__year", "-pk")[:30]
    )
    home.todos = _enterprise_tasks(
        user, enterprise, campaign, counted, factories, applications, today
    )
    home.applications = [
        {"application": a, "progress": progress(a.kind, a.state)} for a in applications
    ]
    held = _tiers_held(user, enterprise, today)
    home.factories = [{"factory": f, "held": held.get(f.pk)} for f in factories]
    home.next_steps = _improvements(user, counted) + _conditions_not_met(
        enterprise, campaign, counted, factories, held
    )
    return home


def _enterprise_tasks(user, enterprise, campaign, counted, factories, applications, today):
    if campaign is None:
        return []
    # Whether the unit has reported a task is a fact its enterprises are told (see
    # ``campaigns.selectors.unit_has_reported``); the report itself stays the officers'.
    reported = set(
        Submission.objects.filter(
            task__campaign=campaign, unit=enterprise.unit, state=Submission.State.SUBMITTED
        ).values_list("task_id", flat=True)
    )
    mine = defaultdict(list)
    for application in applications:
        mine[application.task_id].append(application)
    has_overseas = any(f.is_overseas for f in factories)
    todos = []
    for task in _tasks(campaign):
        if task.kind not in ENTERPRISE_TASKS or task.is_closed:
            continue
        left = due(task.deadline, today)
        if left.kind == DueKind.LATE:
            continue
        common = {"deadline": task.deadline, "due": left}
        if task.kind == Task.Kind.SELF_ASSESSMENT:
            if counted is None:
                draft = (
                    Assessment.objects.visible_to(user)
                    .filter(year=campaign.year, status=Assessment.Status.DRAFT)
                    .first()
                )
                text = (
                    _("继续填写本年度智能制造能力成熟度自评估")
                    if draft
                    else _("完成本年度智能制造能力成熟度自评估")
                )
                url = (
                    reverse("assessments:detail", args=[draft.pk])
                    if draft
                    else _url("assessments:mine")
                )
                todos.append(Todo(text, url, **common))
            continue
        if task.kind == Task.Kind.OVERSEAS:
            if has_overseas:
                todos.append(
                    Todo(
                        _("%(task)s：可申报本企业的海外工厂") % {"task": task.title},
                        _url("campaigns:task", task.pk),
                        **common,
                    )
                )
            continue
        if task.application_kind == ApplicationKind.ACCEPTANCE and not enterprise.is_pilot_winner:
            continue
        if task.pk in reported:
            continue
        own = mine.get(task.pk, [])
        returned = [a for a in own if a.state == State.RETURNED]
        drafts = [a for a in own if a.state == State.DRAFT]
        for group, words in (
            (returned, _("%(n)d 份申报被退回，待修改后重新提交（%(task)s）")),
            (drafts, _("%(n)d 份申报草稿待提交（%(task)s）")),
        ):
            if group:
                url = (
                    reverse("campaigns:application_detail", args=[group[0].pk])
                    if len(group) == 1
                    else _url("campaigns:task", task.pk)
                )
                todos.append(
                    Todo(words % {"n": len(group), "task": task.title}, url, len(group), **common)
                )
        if not own:
            todos.append(
                Todo(
                    _("可申报：%(task)s") % {"task": task.title},
                    _url("campaigns:task", task.pk),
                    **common,
                )
            )
    return _sorted(todos)


def _tiers_held(user, enterprise, today) -> dict[int, TierRecognition]:
    """Each factory's one tier in force today (the highest), with its validity."""
    held: dict[int, TierRecognition] = {}
    for recognition in (
        TierRecognition.objects.visible_to(user)
        .in_force(today)
        .filter(factory__enterprise=enterprise, tier__in=TIERS)
    ):
        current = held.get(recognition.factory_id)
        if current is None or tier_rank(recognition.tier) > tier_rank(current.tier):
            held[recognition.factory_id] = recognition
    return held


def _improvements(user, counted) -> list[Todo]:
    """The items that keep the next maturity level out of reach (an in-product result)."""
    if counted is None or counted.source != "assessment" or counted.level is None:
        return []
    if counted.level >= 5:
        return []
    assessment = Assessment.objects.visible_to(user).filter(pk=counted.record_id).first()
    if assessment is None:
        return []
    target = counted.level + 1
    groups = improvement_items(
        assessment.model, assessment.answers, target_level=target, left_out=assessment.left_out
    )
    n = sum(len(group.items) for group in groups)
    if not n:
        return []
    return [
        Todo(
            ngettext(
                "%(n)d 项改进建议：达到%(level)s还需提升的评估项",
                "%(n)d 项改进建议：达到%(level)s还需提升的评估项",
                n,
            )
            % {"n": n, "level": maturity_level_name(target)},
            reverse("assessments:detail", args=[assessment.pk]) + "#improvements",
            n,
        )
    ]


def _conditions_not_met(enterprise, campaign, counted, factories, held) -> list[Todo]:
    """Per domestic factory, the conditions of the next tier it does not yet meet."""
    if campaign is None:
        return []
    todos = []
    for factory in factories:
        if factory.is_overseas:
            continue
        current = held.get(factory.pk)
        rank = tier_rank(current.tier) + 1 if current else 0
        if rank >= len(TIERS):
            continue
        tier = TIERS[rank]
        try:
            results = check_conditions(
                tier=tier,
                scenarios=[
                    ScenarioFact(s.scenario.construction_link, s.uses_ai)
                    for s in factory.built_scenarios.all()
                ],
                maturity_level=counted.level if counted else None,
                above_scale=enterprise.is_above_scale,
                settings=campaign.settings,
                maturity_source=counted.source_label if counted else None,
            )
        except (KeyError, TypeError, ValueError):
            continue
        for result in results:
            if result.outcome == Outcome.NOT_MET:
                todos.append(
                    Todo(
                        _("%(factory)s 申报%(tier)s尚不满足：%(condition)s")
                        % {
                            "factory": factory.name,
                            "tier": Tier(tier).value,
                            "condition": result.label,
                        },
                        reverse("campaigns:factory_tiers", args=[factory.pk]),
                        note=result.detail,
                    )
                )
    return todos


# ---------------------------------------------------------------- figures
def _figures(queryset, year: int, kept: dict | None = None) -> dict:
    row = kept or (
        with_counted_result(queryset.order_by(), year)
        .order_by()
        .aggregate(
            total=Count("pk"),
            assessed=Count("pk", filter=Q(counted_source__isnull=False)),
            above=Count("pk", filter=Q(is_above_scale=True)),
            above_assessed=Count("pk", filter=Q(is_above_scale=True, counted_source__isnull=False)),
            above_level_2=Count(
                "pk", filter=Q(is_above_scale=True, counted_level__gte=PENETRATION_MIN_LEVEL)
            ),
        )
    )
    row["coverage"] = share(row["above_assessed"], row["above"])
    row["penetration"] = share(row["above_level_2"], row["above"])
    return row


def unit_and_province_figures(user, year: int, *, kept: bool = True) -> dict:
    """The unit's 规上企业自评估覆盖度 and 智能工厂普及率 (``domain/statistics.py``'s definitions)
    beside the province's. The province's are two totals over every enterprise: figures the
    province publishes, no row of another unit leaves the query. Summed from the kept counts
    (``kept=False``: counted over the enterprises, the reference the tests compare)."""
    unit_ids = kept_unit_ids(user) if kept else None
    return {
        "year": year,
        "unit": _figures(
            Enterprise.objects.visible_to(user),
            year,
            kept_figures(unit_ids, year) if unit_ids is not None else None,
        ),
        "province": _figures(
            Enterprise.objects.all(), year, kept_figures(None, year) if kept else None
        ),
    }


# ---------------------------------------------------------------- city
@dataclass
class CityHome:
    campaign: object
    tasks: list[dict] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    figures: dict | None = None


def _unit_statuses(user, campaign, units) -> dict[tuple[int, int], Submission]:
    if campaign is None:
        return {}
    rows = Submission.objects.visible_to(user).filter(
        task__campaign=campaign, unit__in=[u.pk for u in units]
    )
    return {(s.task_id, s.unit_id): s for s in rows}


def _cell(task, submission, today) -> dict:
    status = unit_task_status(
        submission.state if submission else None,
        is_late=bool(submission and submission.is_late),
    )
    return {
        "task": task,
        "submission": submission,
        "status": status,
        "label": _status_label(status),
        "due": unit_task_due(status, task.deadline, today),
        "due_text": due_words(unit_task_due(status, task.deadline, today)),
    }


def _status_label(status: UnitTaskStatus) -> str:
    return {
        UnitTaskStatus.NOT_STARTED: _("未开始"),
        UnitTaskStatus.DRAFT: _("草稿"),
        UnitTaskStatus.ON_TIME: _("按时报送"),
        UnitTaskStatus.LATE: _("逾期报送"),
        UnitTaskStatus.RETURNED: _("被省级退回"),
    }[status]


def city_home(user, today: date) -> CityHome:
    campaign = current_campaign(user)
    home = CityHome(campaign)
    unit = user.unit
    tasks = _tasks(campaign)
    statuses = _unit_statuses(user, campaign, [unit])
    todos = []
    for task in tasks:
        cell = _cell(task, statuses.get((task.pk, unit.pk)), today)
        cell["url"] = _url("campaigns:task", task.pk)
        home.tasks.append(cell)
        if not cell["status"].reported and task.deadline and not task.is_closed:
            words = (
                _("重新报送：%(task)s（已被省级退回）")
                if cell["status"] == UnitTaskStatus.RETURNED
                else _("报送：%(task)s")
            )
            todos.append(
                Todo(
                    words % {"task": task.title},
                    cell["url"],
                    deadline=task.deadline,
                    due=cell["due"],
                    note=cell["submission"].return_comment if cell["submission"] else "",
                )
            )
    by_task = {task.pk: task for task in tasks}
    reported = {task_id for (task_id, _u), s in statuses.items() if s.is_locked}
    if campaign is not None:
        counts = (
            Application.objects.visible_to(user)
            .filter(campaign=campaign)
            .order_by()
            .values("task_id")
            .annotate(
                submitted=Count("pk", filter=Q(state=State.SUBMITTED)),
                unranked=Count("pk", filter=Q(state=State.RECOMMENDED, city_rank__isnull=True)),
                returned=Count("pk", filter=Q(state=State.RETURNED)),
            )
        )
        for row in counts:
            task = by_task[row["task_id"]]
            left = None if task.pk in reported else due(task.deadline, today)
            common = {"deadline": task.deadline, "due": left}
            if row["submitted"]:
                todos.append(
                    Todo(
                        ngettext(
                            "%(n)d 份%(kind)s申报待审核",
                            "%(n)d 份%(kind)s申报待审核",
                            row["submitted"],
                        )
                        % {"n": row["submitted"], "kind": _kind_words(task)},
                        _url("campaigns:task", task.pk, state=State.SUBMITTED) + "#applications",
                        row["submitted"],
                        **common,
                    )
                )
            if row["unranked"]:
                todos.append(
                    Todo(
                        ngettext(
                            "%(n)d 份拟推荐申报待编排推荐序号（%(task)s）",
                            "%(n)d 份拟推荐申报待编排推荐序号（%(task)s）",
                            row["unranked"],
                        )
                        % {"n": row["unranked"], "task": task.title},
                        _url("campaigns:task", task.pk) + "#rank-form",
                        row["unranked"],
                        **common,
                    )
                )
            if row["returned"]:
                todos.append(
                    Todo(
                        ngettext(
                            "%(n)d 份申报已退回企业，等待企业补充材料（%(task)s）",
                            "%(n)d 份申报已退回企业，等待企业补充材料（%(task)s）",
                            row["returned"],
                        )
                        % {"n": row["returned"], "task": task.title},
                        _url("campaigns:task", task.pk, state=State.RETURNED) + "#applications",
                        row["returned"],
                        **common,
                    )
                )
    year = campaign.year if campaign else today.year
    # The comparison is of the statistics' year (the current campaign's once it has results).
    home.figures = unit_and_province_figures(user, default_year())
    this_year = _figures(Enterprise.objects.visible_to(user), year)
    not_assessed = this_year["total"] - this_year["assessed"]
    if not_assessed:
        task = next((t for t in tasks if t.kind == Task.Kind.SELF_ASSESSMENT), None)
        todos.append(
            Todo(
                ngettext(
                    "%(n)d 家企业本年度尚未完成自评估",
                    "%(n)d 家企业本年度尚未完成自评估",
                    not_assessed,
                )
                % {"n": not_assessed},
                _url("assessments:overview", year=year, status="not_assessed"),
                not_assessed,
                deadline=task.deadline if task else None,
                due=due(task.deadline, today) if task and task.deadline else None,
            )
        )
    todos += _registrations(user)
    home.todos = _sorted(todos)
    return home


def _kind_words(task: Task) -> str:
    kind = task.application_kind
    return str(ApplicationKind(kind).label) if kind else task.title


def _registrations(user) -> list[Todo]:
    if not user.has_perm("accounts.view_registrations"):
        return []
    n = registrations_for(user).filter(status=Registration.Status.PENDING).count()
    if not n:
        return []
    return [
        Todo(
            ngettext("%(n)d 份企业注册申请待审核", "%(n)d 份企业注册申请待审核", n) % {"n": n},
            _url("registrations:list", status=Registration.Status.PENDING),
            n,
        )
    ]


# ---------------------------------------------------------------- province
@dataclass
class ProvinceHome:
    campaign: object
    tasks: list[Task] = field(default_factory=list)
    grid: list[dict] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)


def province_home(user, today: date) -> ProvinceHome:
    campaign = current_campaign(user)
    home = ProvinceHome(campaign)
    tasks = _tasks(campaign)
    home.tasks = tasks
    units = list(reporting_units_for(user))
    statuses = _unit_statuses(user, campaign, units)
    for unit in units:
        cells = []
        for task in tasks:
            cell = _cell(task, statuses.get((task.pk, unit.pk)), today)
            cell["url"] = (
                reverse("documents:unit_forms", args=[task.pk, unit.pk])
                if task.kind in TASK_FORMS
                else _url("campaigns:task", task.pk) + "#progress"
            )
            cells.append(cell)
        home.grid.append({"unit": unit, "cells": cells})
    home.todos = _sorted(_province_todos(user, campaign, tasks, today)) if campaign else []
    return home


def _province_todos(user, campaign, tasks, today) -> list[Todo]:
    by_task = {task.pk: task for task in tasks}
    todos = []
    applications = Application.objects.visible_to(user).filter(campaign=campaign).order_by()
    counts = applications.values("task_id").annotate(
        at_province=Count("pk", filter=Q(state=State.AT_PROVINCE)),
        listed=Count("pk", filter=Q(state=State.LISTED)),
        ministry=Count("pk", filter=Q(state=State.PROVINCE_RECOMMENDED)),
    )
    for row in counts:
        task = by_task[row["task_id"]]
        for key, words, state in (
            ("at_province", _("%(n)d 份申报待分配评审专家（%(task)s）"), State.AT_PROVINCE),
            ("listed", _("%(n)d 份拟认定申报待公示（%(task)s）"), State.LISTED),
            (
                "ministry",
                _("%(n)d 份申报待登记部级评审结果（%(task)s）"),
                State.PROVINCE_RECOMMENDED,
            ),
        ):
            n = row[key]
            if n:
                todos.append(
                    Todo(
                        words % {"n": n, "task": task.title},
                        _url("campaigns:task", task.pk, state=state) + "#applications",
                        n,
                    )
                )
    # Under review: complete score sheets close the review (the list is then fixed).
    complete, open_ = defaultdict(int), defaultdict(int)
    for row in (
        applications.filter(state=State.UNDER_REVIEW)
        .values("pk", "task_id")
        .annotate(
            assigned=Count("assignments", filter=Q(assignments__has_conflict=False)),
            scored=Count("assignments__score"),
        )
    ):
        if row["assigned"] and row["scored"] >= row["assigned"]:
            complete[row["task_id"]] += 1
        else:
            open_[row["task_id"]] += 1
    for task_id, n in complete.items():
        todos.append(
            Todo(
                _("%(n)d 份申报专家评分已完成，待确定名单（%(task)s）")
                % {"n": n, "task": by_task[task_id].title},
                _url("campaigns:task", task_id, state=State.UNDER_REVIEW) + "#fix-list-form",
                n,
            )
        )
    for task_id, n in open_.items():
        todos.append(
            Todo(
                _("%(n)d 份申报专家评分未完成（%(task)s）")
                % {"n": n, "task": by_task[task_id].title},
                _url("campaigns:task", task_id, state=State.UNDER_REVIEW) + "#applications",
                n,
            )
        )
    for publicity in (
        Publicity.objects.visible_to(user)
        .filter(task__campaign=campaign, ends_on__gte=today, applications__state=State.PUBLICITY)
        .annotate(n=Count("applications", distinct=True))
        .select_related("task")
        .order_by("ends_on")
    ):
        todos.append(
            Todo(
                _("%(task)s第%(number)d批公示（%(n)d 项）%(end)s结束")
                % {
                    "task": publicity.task.title,
                    "number": publicity.number,
                    "n": publicity.n,
                    "end": f"{publicity.ends_on.month}月{publicity.ends_on.day}日",
                },
                _url("campaigns:task", publicity.task_id) + "#publicities",
                publicity.n,
                deadline=publicity.ends_on,
                due=due(publicity.ends_on, today),
            )
        )
    for row in (
        Objection.objects.visible_to(user)
        .filter(application__campaign=campaign, application__state=State.PUBLICITY)
        .order_by()
        .values("application__task_id")
        .annotate(n=Count("pk"))
    ):
        task_id, n = row["application__task_id"], row["n"]
        todos.append(
            Todo(
                ngettext(
                    "%(n)d 条公示异议待处理（%(task)s）", "%(n)d 条公示异议待处理（%(task)s）", n
                )
                % {"n": n, "task": by_task[task_id].title},
                _url("campaigns:task", task_id, state=State.PUBLICITY) + "#applications",
                n,
            )
        )
    return todos


# ---------------------------------------------------------------- expert
def expert_home(user, today: date) -> dict:
    """Each waiting assignment with its deadline phrase, the most urgent first."""
    waiting = list(
        campaign_selectors.waiting_assignments(ExpertAssignment.objects.visible_to(user))
        .select_related("application__enterprise", "application__task")
        .order_by("assigned_at", "pk")
    )
    for assignment in waiting:
        assignment.due = due(assignment.due_on, today)
        assignment.due_text = due_words(assignment.due)
    waiting.sort(key=lambda a: (a.due.urgency, a.due_on or date.max))
    todos = []
    if waiting:
        n = len(waiting)
        first = waiting[0]
        todos.append(
            Todo(
                ngettext("%(n)d 份申报待您评分", "%(n)d 份申报待您评分", n) % {"n": n},
                _url("campaigns:assignments", status="waiting"),
                n,
                deadline=first.due_on,
                due=first.due,
            )
        )
    return {"todos": todos, "waiting": waiting}


# ---------------------------------------------------------------- operator
def admin_home(user) -> dict:
    return {"todos": _registrations(user)}
