"""Statistics, the unit's forms and report, and the material packages.

Views parse the request, call one selector, generator or service, and render. A unit in a URL is
found only through ``selectors.unit_for`` (another unit → 404); a form, format or figure that
does not exist is a 404 or a 400 naming the parameter.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.accounts import exports as accounts_exports
from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.fields import parse_id
from factorytiers.accounts.http import page_again, posted_version
from factorytiers.accounts.job_pages import JobPages
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import Refused
from factorytiers.campaigns.models import Task
from factorytiers.domain.statistics import GROUP_LABELS, LEVEL_NAMES, TIERS, compute, compute_by

from . import exports as report_exports
from . import figures, generate, selectors, services
from .forms import SPECS
from .models import PackageBuild, ReportDraft
from .packages import PackageError
from .report import report_pdf_context, report_title
from .summary import summary_xlsx

FORM_EXTENSIONS = ("xlsx", "pdf", "html")
REPORT_EXTENSIONS = ("docx", "pdf", "html")
GROUPINGS = ("unit", "sector", "division")


def _download(content: bytes, name: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=generate.CONTENT_TYPES[extension])
    ascii_name = f"document.{extension}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "documents/bad_request.html", {"message": message}, status=400)


# -- statistics -------------------------------------------------------------------------------


class StatisticsQuery:
    """The year and units of a statistics request; ``error`` names a bad parameter."""

    def __init__(self, request):
        user = request.user
        self.years = selectors.statistics_years() or [selectors.default_year()]
        self.error = ""
        raw_year = request.GET.get("year", "")
        self.year = selectors.default_year()
        if raw_year:
            year = parse_id(raw_year)
            if year is None or year not in self.years:
                self.error = _("年度：“%(value)s”不是有数据的年度。") % {"value": raw_year[:10]}
            else:
                self.year = year
        if self.year not in self.years:
            self.years = sorted({*self.years, self.year}, reverse=True)
        self.all_units = list(selectors.units_for(user))
        raw_unit = request.GET.get("unit", "")
        self.unit = selectors.unit_for(user, raw_unit) if raw_unit else None
        if self.unit is None and not user.has_perm("documents.view_rollup"):
            # An officer of one unit reads that unit's figures.
            self.unit = self.all_units[0] if len(self.all_units) == 1 else None
        self.units = [self.unit] if self.unit else self.all_units
        self.province_wide = self.unit is None

    def params(self, **extra) -> str:
        values = {"year": self.year, **({"unit": self.unit.pk} if self.unit else {}), **extra}
        return "&".join(f"{key}={quote(str(value))}" for key, value in values.items())


def _cells(stats) -> list[figures.Figure]:
    shown = figures.figures(stats)
    return [shown[key] for key in figures.TABLE_COLUMNS]


def _group_rows(query, counted, by: str):
    order = [selectors.unit_label(u) for u in query.units] if by == "unit" else None
    groups = compute_by(counted, query.year, by, order=order)
    return [
        {"name": name, "cells": _cells(stats), "params": query.params(by=by, group=name)}
        for name, stats in groups.items()
    ]


@require_GET
@permission_required("documents.view_statistics")
def statistics_page(request):
    query = StatisticsQuery(request)
    if query.error:
        return _bad_request(request, query.error)
    shown = [by for by in GROUPINGS if by != "unit" or query.province_wide]
    counted = selectors.statistics_counted(request.user, query.year, query.units, groupings=shown)
    stats = compute(counted, query.year)
    total = figures.figures(stats)
    chart = {
        "levels": list(LEVEL_NAMES),
        "counts": [stats.distribution[name].value for name in LEVEL_NAMES],
        "tiers": list(TIERS),
        "in_force": [stats.in_force[tier].value for tier in TIERS],
        "recognized": [stats.recognized_in_year[tier].value for tier in TIERS],
        "title": _("%(year)s年度智能制造能力成熟度等级分布") % {"year": query.year},
    }
    groupings = [
        {"key": by, "label": GROUP_LABELS[by], "rows": _group_rows(query, counted, by)}
        for by in shown
    ]
    return render(
        request,
        "documents/statistics.html",
        {
            "query": query,
            "stats": stats,
            "figures": total,
            "total_cells": _cells(stats),
            "levels": [total[key] for key in figures.LEVEL_KEYS],
            "tiers": [
                (tier, total[f"recognized_{tier}"], total[f"in_force_{tier}"]) for tier in TIERS
            ],
            "params": query.params(),
            "groupings": groupings,
            "chart": chart,
        },
    )


@require_GET
@permission_required("documents.view_statistics")
def statistics_list(request):
    """The enterprises (or, for a tier count, the factories) behind one figure."""
    query = StatisticsQuery(request)
    key = request.GET.get("figure", "enterprises")
    by = request.GET.get("by", "")
    group = request.GET.get("group", "")
    if query.error:
        return _bad_request(request, query.error)
    if key not in figures.FIGURE_KEYS:
        return _bad_request(request, _("指标：“%(value)s”不是统计指标。") % {"value": key[:40]})
    if by and by not in GROUPINGS:
        return _bad_request(request, _("分组：“%(value)s”不是分组方式。") % {"value": by[:40]})
    scope = selectors.figure_scope(request.user, query.units, by=by, group=group)
    if by and not scope.exists():
        return _bad_request(request, _("分组：“%(value)s”下没有企业。") % {"value": group[:40]})
    tier = figures.is_tier_figure(key)
    number = request.GET.get("page")
    if tier:
        items = selectors.figure_factories(request.user, query.year, scope, key)
        page = Paginator(items, 100).get_page(number)
        page.object_list = list(page.object_list)
    else:
        page = selectors.figure_enterprise_page(
            request.user, query.year, scope, key, number, units=query.units
        )
    if not tier:
        for enterprise in page.object_list:
            level = enterprise.counted_level
            enterprise.counted_level_name = "" if level is None else LEVEL_NAMES[level]
    scope_label = query.unit.name if query.unit else _("全省")
    return render(
        request,
        "documents/statistics_list.html",
        {
            "query": query,
            "label": figures.figure_label(key, query.year),
            "scope_label": scope_label,
            "group_label": GROUP_LABELS.get(by, ""),
            "group": group,
            "count": page.paginator.count,
            "page": page,
            "tier": tier,
            "back": reverse("documents:statistics") + "?" + query.params(),
            "pager_query": query.params(figure=key, **({"by": by, "group": group} if by else {})),
        },
    )


@require_GET
@permission_required("documents.view_statistics")
def statistics_export(request):
    """The summary table (by unit for the province, by sector and 大类 otherwise) as XLSX."""
    query = StatisticsQuery(request)
    if query.error:
        return _bad_request(request, query.error)
    by = request.GET.get("by", "unit" if query.province_wide else "sector")
    if by not in GROUPINGS:
        return _bad_request(request, _("分组：“%(value)s”不是分组方式。") % {"value": by[:40]})
    counted = selectors.statistics_counted(request.user, query.year, query.units, groupings=[by])
    order = [selectors.unit_label(u) for u in query.units] if by == "unit" else None
    groups = compute_by(counted, query.year, by, order=order)
    scope = query.unit.name if query.unit else _("全省")
    title = _("%(scope)s%(year)s年度智能工厂梯度培育统计（按%(by)s）") % {
        "scope": scope,
        "year": query.year,
        "by": GROUP_LABELS[by],
    }
    content = summary_xlsx(
        title, groups, compute(counted, query.year), group_label=GROUP_LABELS[by]
    )
    return _download(content, f"{title}.xlsx", "xlsx")


# -- the unit's forms and report --------------------------------------------------------------


def _task(request, pk):
    return selectors.task_for(request.user, pk)


@require_GET
@permission_required("documents.open_unit_forms")
def task_units(request, pk: int):
    """The units whose forms the user may open for a task (a city officer goes to their own)."""
    task = _task(request, pk)
    units = list(selectors.units_for(request.user))
    if len(units) == 1 and not request.user.has_perm("documents.view_rollup"):
        return redirect("documents:unit_forms", pk=task.pk, unit=units[0].pk)
    return render(
        request,
        "documents/task_units.html",
        {
            "task": task,
            "units": units,
            "forms": [SPECS[key] for key in selectors.TASK_FORMS.get(task.kind, ())],
            "can_rollup": request.user.has_perm("documents.view_rollup"),
        },
    )


@require_GET
@permission_required("documents.open_unit_forms")
def unit_forms(request, pk: int, unit: int):
    task = _task(request, pk)
    region = selectors.unit_for(request.user, unit)
    keys = selectors.TASK_FORMS.get(task.kind, ())
    is_report = task.kind == Task.Kind.REPORT
    builds = (
        selectors.package_builds(request.user, task, region)
        if task.kind in selectors.PACKAGE_KINDS
        else []
    )
    return render(
        request,
        "documents/unit_forms.html",
        {
            "task": task,
            "unit": region,
            "forms": [
                {
                    "spec": SPECS[key],
                    "key": key,
                    "name": generate.form_name(key, "xlsx", generate.Scope.of_unit(region)),
                }
                for key in keys
            ],
            "is_report": is_report,
            "report_title": report_title(task.campaign.year),
            "can_write_report": is_report
            and request.user.has_perm(
                "documents.change_report", ReportDraft(unit=region, campaign=task.campaign)
            ),
            "packages": task.kind in selectors.PACKAGE_KINDS,
            "builds": builds,
        },
    )


def _form_key(task, key: str, extension: str) -> None:
    if key not in selectors.TASK_FORMS.get(task.kind, ()) or extension not in FORM_EXTENSIONS:
        raise Http404("form")


def _form_response(request, task, key: str, extension: str, scope) -> HttpResponse:
    try:
        if extension == "html":
            context = generate.form_preview_context(request.user, key, task.campaign, scope)
            return render(request, "documents/form_table.html", context)
        content = generate.form_document(request.user, key, extension, task.campaign, scope)
    except generate.DocumentDataError as error:
        return render(request, "documents/bad_request.html", {"message": str(error)}, status=409)
    return _download(content, generate.form_name(key, extension, scope), extension)


@require_GET
@permission_required("documents.open_unit_forms")
def form_download(request, pk: int, unit: int, key: str, extension: str):
    task = _task(request, pk)
    _form_key(task, key, extension)
    region = selectors.unit_for(request.user, unit)
    return _form_response(request, task, key, extension, generate.Scope.of_unit(region))


@require_GET
@permission_required("documents.view_rollup")
def rollup_download(request, pk: int, key: str, extension: str):
    task = _task(request, pk)
    _form_key(task, key, extension)
    units = list(selectors.units_for(request.user))
    province = task.campaign.province.name
    return _form_response(request, task, key, extension, generate.Scope(units, True, province))


@require_GET
@permission_required("documents.publish_list")
def publicity_list(request, pk: int, extension: str):
    """A 公示 batch's list, to publish: XLSX, PDF, or the print preview."""
    if extension not in FORM_EXTENSIONS:
        raise Http404("extension")
    publicity = selectors.publicity_for(request.user, pk)
    try:
        document = generate.publicity_list(request.user, publicity)
    except generate.DocumentDataError as error:
        return render(request, "documents/bad_request.html", {"message": str(error)}, status=409)
    if extension == "html":
        return render(request, "documents/form_table.html", document.preview_context())
    return _download(document.document(extension), document.file_name(extension), extension)


@require_http_methods(["GET", "POST"])
@permission_required("documents.open_unit_forms")
def report_download(request, pk: int, unit: int, extension: str):
    """The report as DOCX or PDF (a long one is written in the background: a POST starts it),
    or its print preview."""
    task = _task(request, pk)
    if task.kind != Task.Kind.REPORT or extension not in REPORT_EXTENSIONS:
        raise Http404("report")
    region = selectors.unit_for(request.user, unit)
    try:
        if extension != "html":
            query = report_exports.report_query(task, region.pk, extension)
            return accounts_exports.answer(request, report_exports.KIND, query)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        rows = selectors.form2_count(request.user, task.campaign, region)
        if rows > settings.REPORT_PREVIEW_MAX_ROWS:
            # A table of thousands of rows is not previewed in the page: it is printed from
            # the PDF, written in the background.
            query = report_exports.report_query(task, region.pk, "pdf")
            pdf = report_exports.report_export(request.user, query)
            action = reverse("documents:report_download", args=[task.pk, region.pk, "pdf"])
            note = _("附表共 %(rows)s 行，不在页面中预览；请在后台生成 PDF 后打印。") % {
                "rows": rows
            }
            return accounts_exports.offer(
                request, report_exports.KIND, pdf, rows, action=action, note=note
            )
        data = generate.report_data(request.user, task.campaign, region)
    except generate.DocumentDataError as error:
        return render(request, "documents/bad_request.html", {"message": str(error)}, status=409)
    return render(request, "documents/report.html", report_pdf_context(data))


# -- the report's prose -----------------------------------------------------------------------


def _report_unit(request, pk, unit):
    task = _task(request, pk)
    if task.kind != Task.Kind.REPORT:
        raise Http404("report")
    region = selectors.unit_for(request.user, unit)
    require(
        request.user, "documents.change_report", ReportDraft(unit=region, campaign=task.campaign)
    )
    return task, region


@require_http_methods(["GET", "POST"])
@permission_required("documents.write_report")
def report_edit(request, pk: int, unit: int):
    task, region = _report_unit(request, pk, unit)
    draft = selectors.report_draft(request.user, region, task.campaign)
    texts = {field: getattr(draft, field) if draft else "" for field in ReportDraft.SECTIONS}
    texts["as_of"] = draft.as_of.isoformat() if draft and draft.as_of else ""
    version = draft.version if draft else 0
    conflict = ""
    status = 200
    if request.method == "POST":
        # Only the fields the page sent: a field missing from the form is left as it is.
        posted = {
            field: request.POST[field] for field in ReportDraft.FIELDS if field in request.POST
        }
        try:
            services.save_report(
                actor=request.user,
                unit=region,
                campaign=task.campaign,
                texts=posted,
                version=posted_version(request),
            )
        except services.EditConflict:
            conflict, status, texts = (
                _("未保存：该报告已由他人或在其他窗口修改。请刷新页面，核对最新内容后再修改。"),
                409,
                {**texts, **posted},
            )
        except services.ReportInputError as error:
            conflict, status, texts = str(error), 400, {**texts, **posted}
        else:
            messages.success(request, _("报告文稿已保存。"))
            return redirect("documents:report_edit", pk=task.pk, unit=region.pk)
    history = list(draft.history.select_related("history_user")[:10]) if draft else []
    return render(
        request,
        "documents/report_edit.html",
        {
            "task": task,
            "unit": region,
            "version": version,
            "conflict": conflict,
            "history": history,
            "title": report_title(task.campaign.year),
            "as_of": texts["as_of"],
            "as_of_field": ReportDraft._meta.get_field("as_of"),
            "effective_as_of": selectors.report_dates(request.user, task.campaign, [region])[
                region.pk
            ],
            "deadline": task.deadline,
            "year": task.campaign.year,
            "sections": [
                (field, ReportDraft._meta.get_field(field).verbose_name, texts[field])
                for field in ReportDraft.SECTIONS
            ],
        },
        status=status,
    )


def _fragment(message: str, *, status: int, version: int | None = None) -> HttpResponse:
    """The autosave's answer, shown in the page's status line (the new version with it)."""
    return HttpResponse(
        format_html(
            '<span class="{}" data-error="{}" data-version="{}">{}</span>',
            "text-success" if status == 200 else "text-danger",
            "0" if status == 200 else "1",
            "" if version is None else version,
            message,
        ),
        status=status,
    )


@require_POST
@permission_required("documents.write_report")
def report_autosave(request, pk: int, unit: int):
    """Save the fields just typed (usually one; what a closing page still holds, at once), in
    the page autosave's form: ``kind`` ``report``, ``key`` the field, ``value``, ``previous``."""
    task, region = _report_unit(request, pk, unit)
    kinds = request.POST.getlist("kind")
    keys = request.POST.getlist("key")
    values = request.POST.getlist("value")
    previous = request.POST.getlist("previous")
    if (
        not keys
        or not len(kinds) == len(keys) == len(values)
        or set(kinds) != {"report"}
        or not set(keys) <= set(ReportDraft.FIELDS)
    ):
        return _fragment(_("无法保存：请求不完整，请刷新页面后重试。"), status=400)
    texts = dict(zip(keys, values, strict=True))  # a later value of a field is the newer
    seen = {}
    if len(previous) == len(keys):
        for key, value in zip(keys, previous, strict=True):
            seen.setdefault(key, value)
    try:
        draft = services.save_report(
            actor=request.user,
            unit=region,
            campaign=task.campaign,
            texts=texts,
            version=posted_version(request),
            previous=seen if len(previous) == len(keys) else None,
        )
    except services.EditConflict:
        return _fragment(
            _("未保存：该报告已由他人或在其他窗口修改。请刷新页面，核对最新内容后再修改。"),
            status=409,
        )
    except services.ReportInputError as error:
        return _fragment(str(error), status=400)
    stamp = timezone.localtime().strftime("%H:%M:%S")
    return _fragment(_("已保存 %(time)s") % {"time": stamp}, status=200, version=draft.version)


# -- material packages ------------------------------------------------------------------------

PACKAGES = JobPages(
    PackageBuild,
    permission="documents.build_package",  # the scope finds only the officer's units' builds
    template="documents/package.html",
    progress_template="documents/partials/package_progress.html",
    name="build",
    related=("unit", "task__campaign"),
)
package_detail, package_progress, package_download = (
    PACKAGES.page,
    PACKAGES.progress,
    PACKAGES.download,
)


@require_POST
@permission_required("documents.build_package")
def package_request(request, pk: int, unit: int):
    task = _task(request, pk)
    region = selectors.unit_for(request.user, unit)
    try:
        build = services.request_package(actor=request.user, task=task, unit=region)
    except PackageError as error:
        messages.error(request, str(error))
        return page_again(request, reverse("documents:unit_forms", args=[task.pk, region.pk]), 400)
    return redirect("documents:package", pk=build.pk)


@require_POST
@permission_required("documents.build_package")
def package_retry(request, pk: int):
    """A new build of the same unit and task as a failed (or timed-out) one."""
    build = PACKAGES.find(request.user, pk)
    try:
        retried = services.retry_package(actor=request.user, build=build)
    except Refused as error:
        messages.error(request, str(error))
        return page_again(request, reverse("documents:package", args=[build.pk]), 400)
    return redirect("documents:package", pk=retried.pk)
