"""Pages of the maturity self-assessment. Views parse, call one selector or service, and render."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.accounts import exports as accounts_exports
from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.http import posted_version
from factorytiers.domain.maturity import AnswerError
from factorytiers.domain.naming import safe_file_name
from factorytiers.domain.platform_results import level_choices
from factorytiers.enterprises import selectors as enterprise_selectors

from . import exports, reports, selectors, services, spreadsheets
from .forms import (
    BankImportForm,
    ImportForm,
    PlatformResultForm,
    StartForm,
)
from .models import Assessment, MaturityModelEdition
from .questionnaire import page_context, posted_page

# --------------------------------------------------------------------------------------------
# The enterprise's own page
# --------------------------------------------------------------------------------------------


def _own_enterprise(request):
    """The enterprise user's own enterprise (the views are for enterprise users only)."""
    return enterprise_selectors.enterprise_for(request.user, request.user.enterprise_id)


@require_GET
@permission_required("assessments.take_assessment")
def my_assessments(request):
    enterprise = _own_enterprise(request)
    edition = MaturityModelEdition.objects.active()
    year = timezone.localdate().year
    return render(
        request,
        "assessments/mine.html",
        {
            "enterprise": enterprise,
            "assessments": selectors.assessments_of(request.user, enterprise.pk),
            "platform_results": selectors.platform_results_of(request.user, enterprise.pk),
            "start_form": StartForm(model=edition.model, initial={"year": year}),
            "counted": selectors.with_counted_result(
                enterprise_selectors.enterprises_for(request.user), year
            )
            .filter(pk=enterprise.pk)
            .first(),
            "year": year,
            "source_labels": selectors.SOURCE_LABELS,
        },
    )


@require_POST
@permission_required("assessments.take_assessment")
def start(request):
    enterprise = _own_enterprise(request)
    form = StartForm(request.POST, model=MaturityModelEdition.objects.active().model)
    if not form.is_valid():
        for field in form:
            for error in field.errors:
                messages.error(request, f"{field.label}：{error}")
        return redirect("assessments:mine")
    assessment, created = services.start_assessment(
        actor=request.user,
        enterprise=enterprise,
        year=form.cleaned_data["year"],
        manufacturing_type=form.cleaned_data["manufacturing_type"],
    )
    if created and assessment.copied_from_id:
        messages.success(
            request,
            _("已新建%(year)d年度自评估，并复制了%(from)d年度的答案，请逐项核对更新。")
            % {"year": assessment.year, "from": assessment.copied_from.year},
        )
    elif created:
        messages.success(request, _("已新建%(year)d年度自评估。") % {"year": assessment.year})
    else:
        messages.info(
            request, _("%(year)d年度自评估正在填写中，请继续。") % {"year": assessment.year}
        )
    return redirect(
        "assessments:section", pk=assessment.pk, domain=assessment.model.domains[0].code
    )


# --------------------------------------------------------------------------------------------
# Questionnaire
# --------------------------------------------------------------------------------------------


def _can_answer(user, assessment: Assessment) -> bool:
    return user.has_perm("assessments.change_assessment", assessment)


@require_http_methods(["GET", "POST"])
@permission_required("assessments.open_assessment")
def section(request, pk: int, domain: str):
    assessment = selectors.assessment_for(request.user, pk)
    model = assessment.model
    try:
        model.domain(domain)
    except AnswerError:
        raise Http404 from None
    editable = _can_answer(request.user, assessment)
    errors: list[str] = []
    conflict = False
    posted = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("assessments.change_assessment")
        posted = posted_page(request.POST, model, domain)
        try:
            assessment = services.save_page(
                actor=request.user,
                assessment=assessment,
                answers=posted.answers,
                evidence=posted.evidence,
                left_out=posted.left_out,
                version=posted.version,
            )
        except services.EditConflict as exc:
            conflict = True
            errors.append(str(exc))
            assessment = exc.current
        except (ValidationError, services.AssessmentClosed) as exc:
            errors.extend(exc.messages)
        else:
            messages.success(request, _("本页答案已保存。"))
            target = _after_save(assessment, domain, request.POST.get("go", "stay"))
            return redirect(target)
    context = page_context(assessment, domain, posted=posted if errors else None)
    return render(
        request,
        "assessments/section.html",
        {**context, "editable": editable, "errors": errors, "conflict": conflict},
        status=409 if conflict else (400 if errors else 200),
    )


def _after_save(assessment: Assessment, domain: str, go: str) -> str:
    codes = [d.code for d in assessment.model.domains]
    position = codes.index(domain)
    if go == "next" and position + 1 < len(codes):
        return reverse("assessments:section", args=[assessment.pk, codes[position + 1]])
    if go == "prev" and position > 0:
        return reverse("assessments:section", args=[assessment.pk, codes[position - 1]])
    if go == "summary" or go == "next":
        return reverse("assessments:submit", args=[assessment.pk])
    return reverse("assessments:section", args=[assessment.pk, domain])


MAX_AUTOSAVE_FIELDS = 500


@require_POST
@permission_required("assessments.take_assessment")
def autosave(request, pk: int):
    """Save the fields just given (usually one; what a closing page still holds, at once);
    answers with a small fragment the page shows ("已保存 10:21:05")."""
    assessment = selectors.assessment_for(request.user, pk)
    if not assessment.is_draft:
        return _fragment(_("该自评估已提交，不能再修改。"), status=409)
    if not _can_answer(request.user, assessment):
        raise PermissionDenied("assessments.change_assessment")
    kinds = request.POST.getlist("kind")
    keys = request.POST.getlist("key")
    values = request.POST.getlist("value")
    previous = request.POST.getlist("previous")
    complete = 0 < len(kinds) <= MAX_AUTOSAVE_FIELDS and len(kinds) == len(keys) == len(values)
    if not complete or any(
        kind not in services.FIELD_KINDS or (not key and kind != "manufacturing_type")
        for kind, key in zip(kinds, keys, strict=False)
    ):
        return _fragment(_("无法保存：请求不完整，请刷新页面后重试。"), status=400)
    seen = previous if len(previous) == len(kinds) else [None] * len(kinds)
    try:
        current = services.save_fields(
            actor=request.user,
            assessment=assessment,
            changes=[
                services.FieldChange(*change)
                for change in zip(kinds, keys, values, seen, strict=True)
            ],
            version=posted_version(request),
        )
    except services.EditConflict:
        return _fragment(
            _("未保存：此问卷已在其他窗口或由同事修改。请刷新页面，核对后继续填写。"),
            status=409,
            conflict=True,
        )
    except (ValidationError, services.AssessmentClosed) as exc:
        return _fragment(_("未保存：%(reason)s") % {"reason": " ".join(exc.messages)}, status=400)
    progress = page_context(current, None)["progress"]
    stamp = timezone.localtime().strftime("%H:%M:%S")
    return HttpResponse(
        format_html(
            '<span class="text-success" data-version="{}" data-answered="{}" data-total="{}">'
            "{}</span>",
            current.version,
            progress["answered"],
            progress["total"],
            _("已保存 %(time)s") % {"time": stamp},
        )
    )


def _fragment(message: str, *, status: int, conflict: bool = False) -> HttpResponse:
    return HttpResponse(
        format_html(
            '<span class="text-danger" data-error="1" data-conflict="{}">{}</span>',
            "1" if conflict else "0",
            message,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required("assessments.open_assessment")
def submit(request, pk: int):
    """The summary before submitting (answered, left out, provisional score), and the submit."""
    assessment = selectors.assessment_for(request.user, pk)
    if not assessment.is_draft:
        return redirect("assessments:detail", pk=assessment.pk)
    editable = _can_answer(request.user, assessment)
    errors: list[str] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("assessments.change_assessment")
        try:
            services.submit_assessment(
                actor=request.user, assessment=assessment, version=posted_version(request)
            )
        except services.EditConflict as exc:
            errors.append(str(exc))
            assessment = exc.current
        except (ValidationError, services.AssessmentClosed) as exc:
            errors.extend(exc.messages)
        else:
            messages.success(request, _("自评估已提交。"))
            return redirect("assessments:detail", pk=assessment.pk)
    return render(
        request,
        "assessments/submit.html",
        {
            **reports.summary_context(assessment),
            "editable": editable,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# --------------------------------------------------------------------------------------------
# Result and report
# --------------------------------------------------------------------------------------------


@require_GET
@permission_required("assessments.open_assessment")
def detail(request, pk: int):
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.is_draft:
        return render(
            request,
            "assessments/submit.html",
            {
                **reports.summary_context(assessment),
                "editable": _can_answer(request.user, assessment),
            },
        )
    return render(
        request, "assessments/result.html", reports.result_context(request.user, assessment)
    )


@require_GET
@permission_required("assessments.open_assessment")
def report_pdf(request, pk: int):
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.is_draft:
        raise Http404
    content = reports.report_pdf(request.user, assessment)
    name = f"{assessment.enterprise.name}-{assessment.year}年度智能制造能力成熟度自评估报告.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"assessment-{assessment.pk}.pdf\"; filename*=UTF-8''{quote(name)}"
    )
    return response


# --------------------------------------------------------------------------------------------
# National-platform results
# --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("assessments.take_assessment")
def platform_new(request):
    enterprise = _own_enterprise(request)
    model = MaturityModelEdition.objects.active().model
    form = PlatformResultForm(
        request.POST or None,
        request.FILES or None,
        model=model,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_platform_result(
                actor=request.user,
                enterprise=enterprise,
                data=form.cleaned_data,
                report=form.cleaned_data.get("report"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("国家平台自评估结果已保存。"))
            return redirect("assessments:mine")
    return render(
        request,
        "assessments/platform_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if request.method == "POST" else 200,  # back with the form's errors
    )


@require_GET
@permission_required("assessments.open_assessment")
def platform_report(request, pk: int):
    result = selectors.platform_result_for(request.user, pk)
    if not result.report:
        raise Http404
    try:
        handle = result.report.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = safe_file_name(
        f"{result.enterprise.name}-{result.year}年度国家平台自评估报告.pdf", ".pdf"
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@permission_required("assessments.import_results")
def platform_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheets = spreadsheets.read_workbook(upload)
        except spreadsheets.SheetError as exc:
            form.add_error("file", str(exc))
        else:
            rows = next(iter(sheets.values()))
            outcome = services.import_platform_results(
                actor=request.user,
                rows=rows,
                file_name=upload.name,
                keep_good_rows=form.cleaned_data["keep_good_rows"],
            )
            if outcome.saved and outcome.bad:
                messages.warning(
                    request,
                    _("已导入 %(n)d 行；%(bad)d 行有误未导入，已下载“有误的行”文件。")
                    % {"n": len(outcome.check.good), "bad": len(outcome.bad)},
                )
                return _xlsx(
                    spreadsheets.bad_rows_file(outcome.check.header, outcome.bad),
                    "bad-rows.xlsx",
                    "平台结果导入-有误的行.xlsx",
                )
            if outcome.saved:
                messages.success(
                    request,
                    _("已导入 %(n)d 行（新增 %(created)d，更新 %(updated)d）。")
                    % {
                        "n": outcome.created + outcome.updated,
                        "created": outcome.created,
                        "updated": outcome.updated,
                    },
                )
                return redirect("assessments:platform_import")
    return render(
        request,
        "assessments/platform_import.html",
        {"form": form, "outcome": outcome},
        status=400 if outcome is not None or form.errors else 200,
    )


@require_GET
@permission_required("assessments.import_results")
def platform_template(request):
    example = enterprise_selectors.enterprises_for(request.user).first()
    content = spreadsheets.platform_template(
        year=timezone.localdate().year,
        example_code=example.credit_code if example else "",
        example_name=example.name if example else "",
    )
    return _xlsx(content, "platform-results-template.xlsx", "国家平台自评估结果导入模板.xlsx")


def _xlsx(content: bytes, ascii_name: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheets.XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


# --------------------------------------------------------------------------------------------
# Who has assessed and who has not
# --------------------------------------------------------------------------------------------


def _overview_filters(request):
    return exports.overview_filters(request.user, request.GET)


@require_GET
@permission_required("assessments.view_overview")
def overview(request):
    form, filters, year, model = _overview_filters(request)
    page = selectors.overview_page(request.user, year, filters, request.GET.get("page"))
    summary = selectors.overview_summary(request.user, year, filters, max_level=model.max_level)
    query = request.GET.copy()
    query.pop("page", None)
    base = request.GET.copy()
    for key in ("page", "status", "level", "unit"):
        base.pop(key, None)
    base["year"] = str(year)
    return render(
        request,
        "assessments/overview.html",
        {
            "filter_form": form,
            "page": page,
            "query": query.urlencode(),
            "base_query": base.urlencode(),
            "year": year,
            "summary": summary,
            "level_names": [name for _, name in level_choices(model)],
            "source_labels": selectors.SOURCE_LABELS,
            "show_units": "unit" in form.fields,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("assessments.view_overview")
def overview_export(request):
    """The filtered overview as XLSX; a big one is written in the background (a POST)."""
    return accounts_exports.answer(request, "overview")


# --------------------------------------------------------------------------------------------
# The model: editions and item-bank import (admin)
# --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("assessments.manage_model")
def model_list(request):
    active = MaturityModelEdition.objects.active()
    form = BankImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"edition": active.edition, "level_rule": active.model.level_rule},
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheets = spreadsheets.read_workbook(upload, wanted=("条目", spreadsheets.WEIGHT_SHEET))
        except spreadsheets.SheetError as exc:
            form.add_error("file", str(exc))
        else:
            items = next(iter(sheets.values()))
            edition, result = services.import_item_bank(
                actor=request.user,
                rows=items,
                weights=sheets.get(spreadsheets.WEIGHT_SHEET),
                edition=form.cleaned_data["edition"],
                version=form.cleaned_data["version"],
                level_rule=form.cleaned_data["level_rule"],
                activate=form.cleaned_data["activate"],
                file_name=upload.name,
            )
            if edition is not None:
                messages.success(
                    request,
                    _("已导入“%(edition)s”，共 %(n)d 个条目。")
                    % {"edition": edition, "n": result.item_count},
                )
                return redirect("assessments:models")
            errors = list(result.errors)
    editions = MaturityModelEdition.objects.select_related("imported_by")
    return render(
        request,
        "assessments/models.html",
        {"form": form, "errors": errors, "editions": editions, "active": active},
        status=400 if errors or form.errors else 200,
    )


@require_GET
@permission_required("assessments.manage_model")
def model_items(request, pk: int):
    edition = selectors.edition_for(pk)
    content = spreadsheets.item_bank_file(edition.model)
    return _xlsx(
        content,
        f"maturity-model-{edition.pk}.xlsx",
        f"成熟度模型条目库-{edition.edition}-v{edition.version}.xlsx",
    )


@require_POST
@permission_required("assessments.manage_model")
def model_activate(request, pk: int):
    edition = selectors.edition_for(pk)
    services.activate_edition(actor=request.user, edition=edition)
    messages.success(
        request, _("已启用“%(edition)s”。新建的自评估使用此版本。") % {"edition": edition}
    )
    return redirect("assessments:models")
