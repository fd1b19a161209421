"""Campaign pages. Views parse the request, call one selector, page or service, and render.

A POST handler's refusal (``Refused``: bad input, a state that does not allow it, a stale page)
becomes a message on the page it came from; nothing was saved."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.accounts import people
from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.fields import parse_id
from factorytiers.accounts.http import (
    edit_page,
    page_again,
    posted_version,
    refusal_status,
    refusals_go_back,
    valid,
)
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import Refused
from factorytiers.domain.naming import safe_file_name
from factorytiers.domain.uploads import content_type
from factorytiers.enterprises import selectors as enterprise_selectors

from . import pages, selectors, workflow
from .errors import BadUpload, InvalidInput, ServiceError
from .forms import (
    ApplicationForm,
    AssignExpertForm,
    BulkActionForm,
    CampaignForm,
    CampaignSettingsForm,
    DocumentForm,
    FactoryScenariosForm,
    MinistryResultForm,
    ObjectionForm,
    OverrideForm,
    OverseasForm,
    PublicityForm,
    RevokeForm,
    ScoreItemFormSet,
    TaskFormSet,
    UnitFilesForm,
    task_initial,
)
from .models import Task
from .services import (
    applications,
    bulk,
    campaigns,
    evaluation,
    factories,
    notifications,
    submissions,
)


def _refused_status(request) -> int:
    """A form page shown again after a POST was refused (its errors on it) answers 400."""
    return 400 if request.method == "POST" else 200


def _add_problems(form, exc: InvalidInput) -> None:
    for field, problem in exc.problems:
        form.add_error(None, f"{field}：{problem}")


# ---------------------------------------------------------------- campaign and tasks
@require_GET
@permission_required("campaigns.view_campaign")
def campaign_list(request):
    return render(
        request, "campaigns/list.html", {"campaigns": selectors.campaigns_for(request.user)}
    )


@require_GET
@permission_required("campaigns.view_campaign")
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    return render(request, "campaigns/detail.html", pages.campaign_page(request.user, campaign))


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.manage_campaign")
def campaign_create(request):
    province = selectors.province_of(request.user)
    if province is None:
        raise Http404
    initial, tasks = selectors.new_campaign_defaults(province)
    form = CampaignForm(request.POST or None, initial=initial)
    formset = TaskFormSet(request.POST or None, initial=tasks, prefix="tasks")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            campaign = campaigns.create_campaign(
                actor=request.user,
                province=province,
                data=form.data_for_service(),
                tasks=formset.rows(),
            )
        except InvalidInput as exc:
            _add_problems(form, exc)
        else:
            messages.success(request, _("已创建%(year)s年度工作。") % {"year": campaign.year})
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "formset": formset, "prefilled": bool(initial)},
        status=_refused_status(request),
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.manage_campaign")
def campaign_edit(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    formset = TaskFormSet(
        request.POST or None,
        initial=task_initial(campaign.tasks.order_by("order", "pk")),
        prefix="tasks",
    )
    page = edit_page(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "formset": formset, "campaign": campaign, "forms": [form, formset]},
        lambda: campaigns.update_campaign(
            actor=request.user,
            campaign=campaign,
            data=form.data_for_service(),
            tasks=formset.rows(),
            version=form.cleaned_data["version"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("年度工作已保存。"))
    return redirect("campaigns:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.manage_campaign")
def campaign_settings(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = CampaignSettingsForm(request.POST or None, campaign=campaign)
    sheet = ScoreItemFormSet(
        request.POST or None, initial=campaign.settings.get("score_sheet", []), prefix="sheet"
    )
    page = edit_page(
        request,
        "campaigns/settings_form.html",
        {"form": form, "sheet": sheet, "campaign": campaign, "forms": [form, sheet]},
        lambda: campaigns.update_campaign_settings(
            actor=request.user,
            campaign=campaign,
            settings=form.settings(sheet.sheet(campaign.settings.get("score_sheet", []))),
            version=form.cleaned_data["version"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("设置已保存，此后提交的申报按新设置核查；已提交的申报不受影响。"))
    return redirect("campaigns:detail", pk=pk)


@require_GET
@permission_required("campaigns.open_task")
def task_detail(request, pk: int):
    task = selectors.task_for(request.user, pk)
    return render(
        request,
        "campaigns/task.html",
        pages.task_page(request.user, task, state=request.GET.get("state")),
    )


def _to_task(request, pk):
    return reverse("campaigns:task", args=[pk])


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_task)
def task_close(request, pk: int):
    task = selectors.task_for(request.user, pk)
    campaigns.close_task(actor=request.user, task=task, closed=request.POST.get("closed") == "1")
    messages.success(request, _("已更新任务状态。"))
    return redirect("campaigns:task", pk=pk)


# ---------------------------------------------------------------- applications
@require_http_methods(["GET", "POST"])
@permission_required("campaigns.create_application")
def application_create(request, pk: int):
    task = selectors.task_for(request.user, pk)
    enterprise = selectors.enterprise_of(request.user)
    if task.application_kind is None or enterprise is None:
        raise Http404
    counted = selectors.counted_maturity(request.user, enterprise.pk, task.campaign.year)
    form = ApplicationForm(
        request.POST or None,
        enterprise=enterprise,
        campaign=task.campaign,
        kind=task.application_kind,
        counted=counted,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.create_application(
                actor=request.user,
                task=task,
                data=form.data_for_service(),
                scenarios=list(form.cleaned_data["scenarios"]),
                ai_scenarios=list(form.cleaned_data["ai_scenarios"]),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存草稿，请上传材料后提交。"))
            return redirect("campaigns:application_detail", pk=application.pk)
    return render(
        request,
        "campaigns/application_form.html",
        {
            "form": form,
            "task": task,
            "counted": counted,
            "unit_reported": selectors.unit_has_reported(task, enterprise.unit),
        },
        status=_refused_status(request),
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.open_application")
def application_edit(request, pk: int):
    application = selectors.application_for(request.user, pk)
    require(request.user, "campaigns.edit_application", application)
    counted = selectors.counted_maturity(
        request.user, application.enterprise_id, application.campaign.year
    )
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        enterprise=application.enterprise,
        campaign=application.campaign,
        kind=application.kind,
        counted=counted,
    )
    page = edit_page(
        request,
        "campaigns/application_form.html",
        {
            "form": form,
            "forms": [form],
            "task": application.task,
            "application": application,
            "counted": counted,
        },
        lambda: applications.update_application(
            actor=request.user,
            application=application,
            data=form.data_for_service(),
            scenarios=list(form.cleaned_data["scenarios"]),
            ai_scenarios=list(form.cleaned_data["ai_scenarios"]),
            version=form.cleaned_data["version"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("申报信息已保存。"))
    return redirect("campaigns:application_detail", pk=pk)


@require_GET
@permission_required("campaigns.open_application")
def application_detail(request, pk: int):
    application = selectors.application_for(request.user, pk)
    return render(
        request,
        "campaigns/application_detail.html",
        pages.application_page(request.user, application),
    )


@require_GET
@permission_required("campaigns.list_applications")
def application_list(request):
    """The officers' list of applications: filters in the query string, one page of rows, and
    the bulk actions the user may take on the rows chosen."""
    context = pages.application_list_page(
        request.user, request.GET, page_number=request.GET.get("page")
    )
    return render(request, "campaigns/application_list.html", context)


@require_POST
@permission_required("campaigns.list_applications")
def application_bulk(request):
    """A bulk action on the rows chosen on the list (the list's query string rides along): the
    first post shows what will be done, the confirmed one does it. A refusal answers 400 (409
    for a row changed meanwhile) with the list and the row named; nothing was written."""
    list_url = reverse("campaigns:applications")
    query = request.GET.urlencode()
    actions = pages.bulk_actions(request.user)
    try:
        data = valid(BulkActionForm(request.POST, actions=actions))
        found = selectors.chosen_applications(request.user, [pk for pk, _v in data["rows"]])
        rows = [(found[pk], version) for pk, version in data["rows"]]
        if not data["confirmed"]:
            context = pages.bulk_confirm_page(request.user, data, rows, query=query)
            return render(request, "campaigns/application_bulk_confirm.html", context)
        count = bulk.run(
            actor=request.user,
            action=data["action"],
            rows=rows,
            comment=data["comment"],
            expert=people.expert(data["expert"]) if data["expert"] else None,
            due_on=data["due_on"],
        )
    except Refused as exc:
        messages.error(request, str(exc))
        return page_again(request, list_url, refusal_status(exc))
    messages.success(
        request,
        _("已对%(n)s项申报执行：%(label)s。") % {"n": count, "label": actions[data["action"]]},
    )
    return redirect(f"{list_url}?{query}" if query else list_url)


def _to_application(request, pk):
    return reverse("campaigns:application_detail", args=[pk])


@require_POST
@permission_required("campaigns.open_application")
@refusals_go_back(_to_application)
def material_upload(request, pk: int):
    application = selectors.application_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise ServiceError(_("文件：请选择要上传的文件。"))
    upload.original_name = upload.name
    try:
        material = applications.upload_material(
            actor=request.user,
            application=application,
            slot=request.POST.get("slot", ""),
            upload=upload,
        )
    except BadUpload as exc:
        # The file itself is refused: the page again, with why, answering 400.
        messages.error(request, str(exc))
        page = pages.application_page(request.user, application)
        return render(request, "campaigns/application_detail.html", page, status=400)
    messages.success(request, _("已上传第%(n)s版。") % {"n": material.number})
    return redirect("campaigns:application_detail", pk=pk)


@require_GET
@permission_required("campaigns.open_application")
def material_download(request, pk: int):
    material = selectors.material_for(request.user, pk)
    # The stored name ends in the extension of the detected content; the uploader's name
    # gives only the stem, cleaned.
    extension = PurePosixPath(material.file.name).suffix.lower()
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=safe_file_name(material.original_name, extension, fallback=material.slot),
        content_type=content_type(extension),
    )


@require_POST
@permission_required("campaigns.open_application")
@refusals_go_back(_to_application)
def application_action(request, pk: int):
    """One of the steps of ``workflow.PAGE_STEPS``, named by the button pressed."""
    application = selectors.application_for(request.user, pk)
    name = request.POST.get("action", "")
    applications.take_step(
        actor=request.user,
        application=application,
        step_name=name,
        comment=request.POST.get("comment", ""),
        version=posted_version(request),
        override_reason=request.POST.get("override_reason", ""),
    )
    messages.success(request, _("已%(label)s。") % {"label": workflow.PAGE_STEPS[name].label})
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_city")
@refusals_go_back(_to_application)
def override_conditions(request, pk: int):
    application = selectors.application_for(request.user, pk)
    data = valid(OverrideForm(request.POST))
    applications.override_conditions(
        actor=request.user, application=application, reason=data["reason"], version=data["version"]
    )
    messages.success(request, _("已记录说明，企业可提交，市级可推荐。"))
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_application)
def ministry_result(request, pk: int):
    application = selectors.application_for(request.user, pk)
    data = valid(MinistryResultForm(request.POST))
    evaluation.record_ministry_result(actor=request.user, application=application, **data)
    if data["passed"]:
        messages.success(request, _("已登记部级评审通过，并记入工厂的认定记录。"))
    else:
        messages.success(request, _("已登记部级评审未通过。"))
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_city")
@refusals_go_back(_to_application)
def recognize_basic(request, pk: int):
    application = selectors.application_for(request.user, pk)
    data = valid(DocumentForm(request.POST))
    applications.recognize_basic(
        actor=request.user,
        application=application,
        document_number=data["document_number"],
        recognized_on=data["recognized_on"],
        version=data["version"],
    )
    messages.success(request, _("已认定为基础级智能工厂。"))
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_application)
def assign_expert(request, pk: int):
    application = selectors.application_for(request.user, pk)
    expert = people.expert(request.POST.get("expert"))
    data = valid(AssignExpertForm(request.POST))
    evaluation.assign_expert(
        actor=request.user, application=application, expert=expert, due_on=data["due_on"]
    )
    messages.success(request, _("已分配专家%(name)s。") % {"name": expert.display_name})
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_application)
def record_objection(request, pk: int):
    application = selectors.application_for(request.user, pk)
    data = valid(ObjectionForm(request.POST))
    evaluation.record_objection(actor=request.user, application=application, **data)
    messages.success(request, _("已登记异议。"))
    return redirect("campaigns:application_detail", pk=pk)


# ---------------------------------------------------------------- unit work on a task
MAX_RANK = 999  # a unit's 序号 (the column is a small integer)


def _ranks(request, prefix="rank_") -> dict[int, int | None]:
    ranks = {}
    for key, value in request.POST.items():
        pk = parse_id(key[len(prefix) :]) if key.startswith(prefix) else None
        if pk is None:
            continue
        value = value.strip()
        rank = parse_id(value)
        if value and (rank is None or rank > MAX_RANK):
            raise ServiceError(
                _("序号：“%(v)s”应为1至%(max)s之间的整数。") % {"v": value[:20], "max": MAX_RANK}
            )
        ranks[pk] = rank
    return ranks


@require_POST
@permission_required("campaigns.act_as_city")
@refusals_go_back(_to_task)
def rank(request, pk: int):
    task = selectors.task_for(request.user, pk)
    submissions.rank_applications(
        actor=request.user,
        task=task,
        unit=request.user.unit,
        ranks=_ranks(request),
        version=posted_version(request),
    )
    messages.success(request, _("推荐序号已保存。"))
    return redirect("campaigns:task", pk=pk)


@require_POST
@permission_required("campaigns.act_as_city")
@refusals_go_back(_to_task)
def submit_recommendation(request, pk: int):
    task = selectors.task_for(request.user, pk)
    submission = submissions.submit_recommendation(
        actor=request.user,
        task=task,
        unit=request.user.unit,
        version=posted_version(request),
        no_overseas=request.POST.get("no_overseas") == "1",
    )
    if submission.is_late:
        messages.warning(request, _("已报送省级（逾期报送，已标记）。"))
    else:
        messages.success(request, _("已报送省级。"))
    return redirect("campaigns:task", pk=pk)


@require_POST
@permission_required("campaigns.act_as_city")
@refusals_go_back(_to_task)
def unit_files(request, pk: int):
    """The stamped 推荐文件 and the paper copies of the unit's report of a task."""
    task = selectors.task_for(request.user, pk)
    data = valid(UnitFilesForm(request.POST, request.FILES))
    upload = data["file"]
    if upload is not None:
        upload.original_name = upload.name
    submissions.save_unit_files(
        actor=request.user,
        task=task,
        unit=request.user.unit,
        upload=upload,
        paper_copies=data["paper_copies"],
        paper_sent_on=data["paper_sent_on"],
        version=data["version"],
    )
    messages.success(request, _("已保存推荐文件和纸质材料登记。"))
    return redirect("campaigns:task", pk=pk)


@require_GET
@permission_required("campaigns.open_task")
def recommendation_file(request, pk: int):
    submission = selectors.submission_for(request.user, pk)
    if not submission.recommendation_file:
        raise Http404
    return FileResponse(
        submission.recommendation_file.open("rb"),
        as_attachment=True,
        filename=safe_file_name(
            submission.recommendation_file_name, ".pdf", fallback=_("推荐文件")
        ),
        content_type="application/pdf",
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.open_overseas")
def overseas_edit(request, pk: int):
    entry = selectors.overseas_entry_for(request.user, pk)
    form = OverseasForm(request.POST or None, instance=entry, enterprise=entry.enterprise)
    page = edit_page(
        request,
        "campaigns/overseas_form.html",
        {
            "form": form,
            "forms": [form],
            "task": entry.task,
            "enterprise": entry.enterprise,
            "entry": entry,
        },
        lambda: submissions.update_overseas(
            actor=request.user,
            entry=entry,
            data={k: v for k, v in form.cleaned_data.items() if k != "version"},
            version=form.cleaned_data["version"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("已保存海外智能工厂信息。"))
    return redirect("campaigns:task", pk=entry.task_id)


@require_POST
@permission_required("campaigns.open_overseas")
@refusals_go_back(lambda request, pk: reverse("campaigns:overseas_edit", args=[pk]))
def overseas_remove(request, pk: int):
    entry = selectors.overseas_entry_for(request.user, pk)
    submissions.remove_overseas(actor=request.user, entry=entry, version=posted_version(request))
    messages.success(request, _("已将%(name)s移出名单。") % {"name": entry.factory.name})
    return redirect("campaigns:task", pk=entry.task_id)


@require_POST
@permission_required("campaigns.act_as_city")
@refusals_go_back(_to_task)
def overseas_select(request, pk: int):
    task = selectors.task_for(request.user, pk)
    submissions.select_overseas(
        actor=request.user,
        task=task,
        unit=request.user.unit,
        ranks=_ranks(request),
        version=posted_version(request),
    )
    messages.success(request, _("已保存推荐名单。"))
    return redirect("campaigns:task", pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.open_overseas")
def overseas_create(request, pk: int):
    task = selectors.task_for(request.user, pk)
    if task.kind != Task.Kind.OVERSEAS:
        raise Http404
    enterprise = selectors.enterprise_of(request.user)
    if enterprise is None:
        chosen = parse_id(request.GET.get("enterprise", ""))
        if chosen is None:
            return redirect("campaigns:overseas_pick", pk=pk)
        enterprise = enterprise_selectors.enterprise_for(request.user, chosen)
    form = OverseasForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            submissions.propose_overseas(
                actor=request.user, task=task, enterprise=enterprise, data=form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已加入海外智能工厂培育名单。"))
            return redirect("campaigns:task", pk=pk)
    return render(
        request,
        "campaigns/overseas_form.html",
        {
            "form": form,
            "task": task,
            "enterprise": enterprise,
            "picked": enterprise.pk != request.user.enterprise_id,
        },
        status=_refused_status(request),
    )


@require_GET
@permission_required("campaigns.act_as_city")
def overseas_pick(request, pk: int):
    """A city officer picks the enterprise whose overseas factory goes on the 附件5 list."""
    task = selectors.task_for(request.user, pk)
    if task.kind != Task.Kind.OVERSEAS:
        raise Http404
    q = " ".join(request.GET.get("q", "").split())[:50]
    page = Paginator(selectors.overseas_candidates(request.user, task=task, q=q), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "campaigns/overseas_pick.html",
        {"task": task, "q": q, "page": page},
    )


def _to_submission_task(request, pk):
    submission = selectors.submission_for(request.user, pk)
    return reverse("campaigns:task", args=[submission.task_id])


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_submission_task)
def return_submission(request, pk: int):
    submission = selectors.submission_for(request.user, pk)
    submissions.return_submission(
        actor=request.user,
        submission=submission,
        comment=request.POST.get("comment", ""),
        version=posted_version(request),
    )
    messages.success(request, _("已退回%(unit)s的报送。") % {"unit": submission.unit.name})
    return redirect("campaigns:task", pk=submission.task_id)


def _ids(values) -> set[int]:
    return {number for number in map(parse_id, values) if number is not None}


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_task)
def fix_list(request, pk: int):
    task = selectors.task_for(request.user, pk)
    evaluation.fix_list(
        actor=request.user,
        task=task,
        selected_ids=_ids(request.POST.getlist("selected")),
        shown_ids=_ids(request.POST.get("shown", "").split(",")),
    )
    messages.success(request, _("拟认定名单已确定。"))
    return redirect("campaigns:task", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_task)
def open_publicity(request, pk: int):
    task = selectors.task_for(request.user, pk)
    data = valid(PublicityForm(request.POST))
    publicity = evaluation.open_publicity(actor=request.user, task=task, **data)
    messages.success(request, _("公示已开始，至%(end)s结束。") % {"end": publicity.ends_on})
    return redirect("campaigns:task", pk=pk)


def _to_publicity_task(request, pk):
    return reverse("campaigns:task", args=[selectors.publicity_for(request.user, pk).task_id])


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_publicity_task)
def record_recognition(request, pk: int):
    """Recognize the applications of one 公示 batch."""
    publicity = selectors.publicity_for(request.user, pk)
    data = valid(DocumentForm(request.POST, version_required=False))
    recognized = evaluation.record_recognition(
        actor=request.user,
        publicity=publicity,
        document_number=data["document_number"],
        recognized_on=data["recognized_on"],
        valid_until=data["valid_until"],
    )
    messages.success(request, _("已认定%(n)s个智能工厂。") % {"n": len(recognized)})
    return redirect("campaigns:task", pk=publicity.task_id)


# ---------------------------------------------------------------- experts
@require_GET
@permission_required("campaigns.act_as_expert")
def assignment_list(request):
    assignments = selectors.assignments_for(request.user)
    waiting = request.GET.get("status") == "waiting"
    if waiting:
        assignments = selectors.waiting_assignments(assignments)
    return render(
        request,
        "campaigns/assignments.html",
        {"assignments": assignments, "waiting": waiting},
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.act_as_expert")
def score(request, pk: int):
    assignment = selectors.assignment_for(request.user, pk)
    sheet = assignment.application.campaign.settings.get("score_sheet", [])
    problems = []
    if request.method == "POST":
        try:
            evaluation.submit_score(
                actor=request.user,
                assignment=assignment,
                points={row["key"]: request.POST.get(f"points_{row['key']}") for row in sheet},
                comment=request.POST.get("comment", ""),
            )
        except InvalidInput as exc:
            problems = exc.problems
        except ServiceError as exc:
            problems = [("", str(exc))]
        else:
            messages.success(request, _("评分已提交。"))
            return redirect("campaigns:assignments")
    return render(
        request,
        "campaigns/score.html",
        pages.score_page(request.user, assignment, posted=request.POST, problems=problems),
        status=400 if problems else 200,
    )


@require_POST
@permission_required("campaigns.act_as_expert")
@refusals_go_back(lambda request, pk: reverse("campaigns:score", args=[pk]))
def declare_conflict(request, pk: int):
    assignment = selectors.assignment_for(request.user, pk)
    evaluation.declare_conflict(
        actor=request.user, assignment=assignment, note=request.POST.get("note", "")
    )
    messages.success(request, _("已申明利益冲突。"))
    return redirect("campaigns:assignments")


# ---------------------------------------------------------------- factories and recognitions
@require_GET
@permission_required("campaigns.open_factory")
def factory_tiers(request, pk: int):
    factory = enterprise_selectors.factory_for(request.user, pk)
    return render(
        request, "campaigns/factory_tiers.html", pages.factory_page(request.user, factory)
    )


@require_POST
@permission_required("campaigns.open_factory")
@refusals_go_back(lambda request, pk: reverse("campaigns:factory_tiers", args=[pk]))
def factory_scenarios(request, pk: int):
    factory = enterprise_selectors.factory_for(request.user, pk)
    data = valid(FactoryScenariosForm(request.POST))
    factories.save_factory_scenarios(
        actor=request.user,
        factory=factory,
        scenarios=list(data["scenarios"]),
        ai_scenarios=list(data["ai_scenarios"]),
        version=data["version"],
    )
    messages.success(request, _("已保存工厂的典型场景。"))
    return redirect("campaigns:factory_tiers", pk=pk)


def _to_recognition_factory(request, pk):
    return reverse(
        "campaigns:factory_tiers", args=[selectors.recognition_for(request.user, pk).factory_id]
    )


@require_POST
@permission_required("campaigns.act_as_province")
@refusals_go_back(_to_recognition_factory)
def revoke_recognition(request, pk: int):
    recognition = selectors.recognition_for(request.user, pk)
    data = valid(RevokeForm(request.POST))
    done = factories.revoke_recognition(actor=request.user, recognition=recognition, **data)
    messages.success(request, done)
    return redirect("campaigns:factory_tiers", pk=recognition.factory_id)


# ---------------------------------------------------------------- notifications
@require_GET
@permission_required("campaigns.view_notifications")
def notification_list(request):
    return render(
        request,
        "campaigns/notifications.html",
        {"notifications": selectors.notifications_for(request.user)[:200]},
    )


@require_POST
@permission_required("campaigns.view_notifications")
def notification_read(request, pk: int):
    notification = selectors.notifications_for(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    notifications.mark_read(actor=request.user, notification=notification)
    if notification.link.startswith("/") and not notification.link.startswith("//"):
        return redirect(notification.link)
    return redirect("campaigns:notifications")
