"""Campaign pages. Views parse the request, call one selector or service, and render."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.models import Role, User
from factorytiers.accounts.predicates import require
from factorytiers.enterprises import selectors as enterprise_selectors
from factorytiers.enterprises.models import TierRecognition

from . import selectors, services, workflow
from .forms import (
    PARTS,
    ApplicationForm,
    CampaignForm,
    CampaignSettingsForm,
    DocumentForm,
    FactoryScenariosForm,
    ObjectionForm,
    OverseasForm,
    PublicityForm,
    RevokeForm,
    ScoreItemFormSet,
    TaskFormSet,
    task_initial,
)
from .models import LEVEL_CHOICES, Submission

REFUSALS = (services.ServiceError, workflow.WorkflowError, services.EditConflict)


def _refusal_message(exc) -> str:
    if isinstance(exc, services.EditConflict):
        return _("该记录已被他人修改，您的操作未保存。请查看最新内容后重试。")
    return str(exc)


def _form_errors(form) -> str:
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''}：{' '.join(errors)}"
        for name, errors in form.errors.items()
    )


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _is_enterprise(user) -> bool:
    return user.role == Role.ENTERPRISE


def action(fallback_of):
    """Wrap a POST handler: refusals become an error message and nothing is saved."""

    def decorator(handler):
        @wraps(handler)
        def wrapped(request, *args, **kwargs):
            try:
                result = handler(request, *args, **kwargs)
            except REFUSALS as exc:
                messages.error(request, _refusal_message(exc))
                return redirect(fallback_of(request, *args, **kwargs))
            return result

        return wrapped

    return decorator


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
    now = timezone.now()
    tasks = [{"task": t, "status": t.status(now)} for t in campaign.tasks.all()]
    return render(request, "campaigns/detail.html", {"campaign": campaign, "tasks": tasks})


def _add_problems(form, exc: services.InvalidInput) -> None:
    for field, problem in exc.problems:
        form.add_error(None, f"{field}：{problem}")


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
            campaign = services.create_campaign(
                actor=request.user,
                province=province,
                data=form.data_for_service(),
                tasks=formset.rows(),
            )
        except services.InvalidInput as exc:
            _add_problems(form, exc)
        else:
            messages.success(request, _("已创建%(year)s年度工作。") % {"year": campaign.year})
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "formset": formset, "prefilled": bool(initial)},
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
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_campaign(
                actor=request.user,
                campaign=campaign,
                data=form.data_for_service(),
                tasks=formset.rows(),
                version=form.cleaned_data.get("version"),
            )
        except services.EditConflict as exc:
            conflict = exc.current
            messages.error(request, _refusal_message(exc))
        except services.InvalidInput as exc:
            _add_problems(form, exc)
        else:
            messages.success(request, _("年度工作已保存。"))
            return redirect("campaigns:detail", pk=pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "formset": formset, "campaign": campaign, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.manage_campaign")
def campaign_settings(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    form = CampaignSettingsForm(request.POST or None, campaign=campaign)
    sheet = ScoreItemFormSet(
        request.POST or None, initial=campaign.settings.get("score_sheet", []), prefix="sheet"
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and sheet.is_valid():
        try:
            services.update_campaign_settings(
                actor=request.user,
                campaign=campaign,
                settings=form.settings(sheet.sheet(campaign.settings.get("score_sheet", []))),
                version=form.cleaned_data.get("version"),
            )
        except services.EditConflict as exc:
            conflict = exc.current
            messages.error(request, _refusal_message(exc))
        except services.InvalidInput as exc:
            _add_problems(form, exc)
        else:
            messages.success(
                request, _("设置已保存，此后提交的申报按新设置核查；已提交的申报不受影响。")
            )
            return redirect("campaigns:detail", pk=pk)
    return render(
        request,
        "campaigns/settings_form.html",
        {"form": form, "sheet": sheet, "campaign": campaign, "conflict": conflict},
    )


@require_GET
@permission_required("campaigns.open_task")
def task_detail(request, pk: int):
    user = request.user
    task = selectors.task_for(user, pk)
    context = {"task": task, "status": task.status(), "for_enterprise": _is_enterprise(user)}
    applications = selectors.applications_for(user, task=task)
    if user.role == Role.CITY:
        submission = services.submission_for(task, user.unit)
        context["submission"] = submission
        context["can_edit_unit"] = not submission.is_locked and user.has_perm(
            "campaigns.rank_applications", submission
        )
        context["recommended"] = applications.filter(state="recommended").order_by(
            "city_rank", "pk"
        )
        if task.kind == "overseas":
            context["overseas"] = selectors.overseas_for(user, task=task)
    elif user.role == Role.PROVINCE or user.is_superuser:
        context["progress"] = selectors.unit_progress(user, task)
        context["reviewing"] = applications.filter(state__in=["at_province", "under_review"])
        context["experts"] = User.objects.filter(role=Role.EXPERT, is_active=True)
        context["publicity"] = getattr(task, "publicity", None)
        if task.kind == "overseas":
            context["overseas"] = selectors.overseas_for(user, task=task).filter(selected=True)
    elif user.role == Role.ENTERPRISE and task.kind == "overseas":
        context["overseas"] = selectors.overseas_for(user, task=task)
    context["applications"] = applications
    context["can_apply"] = task.application_kind is not None and user.has_perm(
        "campaigns.create_application"
    )
    return render(request, "campaigns/task.html", context)


@require_POST
@permission_required("campaigns.act_as_province")
@action(lambda request, pk: reverse("campaigns:task", args=[pk]))
def task_close(request, pk: int):
    task = selectors.task_for(request.user, pk)
    services.close_task(actor=request.user, task=task, closed=request.POST.get("closed") == "1")
    messages.success(request, _("已更新任务状态。"))
    return redirect("campaigns:task", pk=pk)


# ---------------------------------------------------------------- applications
@require_http_methods(["GET", "POST"])
@permission_required("campaigns.create_application")
def application_create(request, pk: int):
    task = selectors.task_for(request.user, pk)
    if task.application_kind is None or request.user.enterprise is None:
        raise Http404
    enterprise = request.user.enterprise
    counted = services.counted_maturity(request.user, enterprise.pk, task.campaign.year)
    form = ApplicationForm(
        request.POST or None,
        enterprise=enterprise,
        campaign=task.campaign,
        kind=task.application_kind,
        counted=counted,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                actor=request.user,
                task=task,
                data=form.data_for_service(),
                scenarios=list(form.cleaned_data["scenarios"]),
                ai_scenarios=list(form.cleaned_data["ai_scenarios"]),
            )
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存草稿，请上传材料后提交。"))
            return redirect("campaigns:application_detail", pk=application.pk)
    return render(
        request,
        "campaigns/application_form.html",
        {"form": form, "task": task, "counted": counted},
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.open_application")
def application_edit(request, pk: int):
    application = selectors.application_for(request.user, pk)
    require(request.user, "campaigns.edit_application", application)
    counted = services.counted_maturity(
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
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(
                actor=request.user,
                application=application,
                data=form.data_for_service(),
                scenarios=list(form.cleaned_data["scenarios"]),
                ai_scenarios=list(form.cleaned_data["ai_scenarios"]),
                version=form.cleaned_data.get("version"),
            )
        except services.EditConflict as exc:
            conflict = exc.current
            messages.error(request, str(exc))
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("申报信息已保存。"))
            return redirect("campaigns:application_detail", pk=pk)
    return render(
        request,
        "campaigns/application_form.html",
        {
            "form": form,
            "task": application.task,
            "application": application,
            "conflict": conflict,
            "counted": counted,
        },
    )


@require_GET
@permission_required("campaigns.open_application")
def application_detail(request, pk: int):
    user = request.user
    application = selectors.application_for(user, pk)
    for_enterprise = _is_enterprise(user)
    slots = []
    materials = list(application.materials.all())
    for slot in services.material_slots(application):
        versions = [m for m in materials if m.slot == slot["key"]]
        slots.append({**slot, "versions": versions})
    if application.submitted_at is None or application.state in ("draft", "returned"):
        # Not fixed yet: the level the application would be submitted with now.
        maturity = services.current_maturity(user, application)
    else:
        maturity = services.stored_maturity(application)
    if application.condition_results and application.state not in ("draft", "returned"):
        conditions = application.condition_results
    else:
        conditions = services.check_application(application, maturity)
    steps = [
        s
        for s in workflow.available_steps(application, user)
        if s.name
        in (
            "submit",
            "return",
            "reject",
            "recommend",
            "unrecommend",
            "withdraw",
            "recommend_to_ministry",
        )
    ]
    context = {
        "application": application,
        "state_label": workflow.state_label(application.state, for_enterprise=for_enterprise),
        "for_enterprise": for_enterprise,
        "slots": slots,
        "conditions": conditions,
        "checked_live": conditions is not application.condition_results,
        "maturity": maturity,
        "maturity_level_name": dict(LEVEL_CHOICES).get(maturity.level, ""),
        "for_expert": user.role == Role.EXPERT,
        "scenarios": application.scenarios.select_related("scenario"),
        "transitions": application.transitions.select_related("actor"),
        "steps": steps,
        "can_edit": user.has_perm("campaigns.edit_application", application),
        "can_recognize_basic": application.state == "submitted"
        and application.tier == "基础级"
        and user.has_perm("campaigns.recognize_basic", application),
        "parts": [(label, (application.parts or {}).get(key, "")) for key, label, _h in PARTS]
        if application.is_acceptance
        else [],
        "missing": services.missing_materials(application),
    }
    if user.role != Role.ENTERPRISE:
        context["objections"] = application.objections.all()
    if user.role in (Role.PROVINCE, Role.ADMIN) or user.is_superuser:
        context["assignments"] = application.assignments.select_related("expert").prefetch_related(
            "score"
        )
        context["experts"] = User.objects.filter(role=Role.EXPERT, is_active=True)
        context["is_province"] = True
    return render(request, "campaigns/application_detail.html", context)


def _to_application(request, pk):
    return reverse("campaigns:application_detail", args=[pk])


@require_POST
@permission_required("campaigns.open_application")
@action(_to_application)
def material_upload(request, pk: int):
    application = selectors.application_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise services.ServiceError(_("文件：请选择要上传的文件。"))
    upload.original_name = upload.name
    material = services.upload_material(
        actor=request.user,
        application=application,
        slot=request.POST.get("slot", ""),
        upload=upload,
    )
    messages.success(request, _("已上传第%(n)s版。") % {"n": material.number})
    return redirect("campaigns:application_detail", pk=pk)


@require_GET
@permission_required("campaigns.open_application")
def material_download(request, pk: int):
    material = selectors.material_for(request.user, pk)
    require(request.user, "campaigns.view_application", material.application)
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.original_name
    )


ACTIONS = {
    "submit": lambda user, a, comment, version: services.submit_application(
        actor=user, application=a, version=version
    ),
    "return": lambda user, a, comment, version: services.return_application(
        actor=user, application=a, comment=comment, version=version
    ),
    "reject": lambda user, a, comment, version: services.reject_application(
        actor=user, application=a, comment=comment, version=version
    ),
    "recommend": lambda user, a, comment, version: services.recommend_application(
        actor=user, application=a, comment=comment, version=version
    ),
    "unrecommend": lambda user, a, comment, version: services.unrecommend_application(
        actor=user, application=a, comment=comment, version=version
    ),
    "withdraw": lambda user, a, comment, version: services.withdraw_after_objection(
        actor=user, application=a, comment=comment, version=version
    ),
    "recommend_to_ministry": lambda user, a, comment, version: services.recommend_to_ministry(
        actor=user, application=a, comment=comment, version=version
    ),
}


@require_POST
@permission_required("campaigns.open_application")
@action(_to_application)
def application_action(request, pk: int):
    application = selectors.application_for(request.user, pk)
    name = request.POST.get("action", "")
    if name not in ACTIONS:
        raise services.ServiceError(_("操作：未知的操作。"))
    ACTIONS[name](request.user, application, request.POST.get("comment", ""), _version(request))
    messages.success(request, _("已%(label)s。") % {"label": workflow.STEPS_BY_NAME[name].label})
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_city")
@action(_to_application)
def recognize_basic(request, pk: int):
    application = selectors.application_for(request.user, pk)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        raise services.ServiceError(_form_errors(form))
    services.recognize_basic(
        actor=request.user,
        application=application,
        document_number=form.cleaned_data["document_number"],
        recognized_on=form.cleaned_data["recognized_on"],
        version=form.cleaned_data["version"],
    )
    messages.success(request, _("已认定为基础级智能工厂。"))
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@action(_to_application)
def assign_expert(request, pk: int):
    application = selectors.application_for(request.user, pk)
    expert = User.objects.filter(pk=request.POST.get("expert") or 0, role=Role.EXPERT).first()
    if expert is None:
        raise services.ServiceError(_("专家：请选择一位评审专家。"))
    services.assign_expert(actor=request.user, application=application, expert=expert)
    messages.success(request, _("已分配专家%(name)s。") % {"name": expert.display_name})
    return redirect("campaigns:application_detail", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@action(_to_application)
def record_objection(request, pk: int):
    application = selectors.application_for(request.user, pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        raise services.ServiceError(_form_errors(form))
    services.record_objection(actor=request.user, application=application, **form.cleaned_data)
    messages.success(request, _("已登记异议。"))
    return redirect("campaigns:application_detail", pk=pk)


# ---------------------------------------------------------------- unit work on a task
def _to_task(request, pk):
    return reverse("campaigns:task", args=[pk])


def _ranks(request, prefix="rank_") -> dict[int, int | None]:
    ranks = {}
    for key, value in request.POST.items():
        if key.startswith(prefix):
            try:
                pk = int(key[len(prefix) :])
            except ValueError:
                continue
            value = value.strip()
            if value and not value.isdigit():
                raise services.ServiceError(_("序号：“%(v)s”不是整数。") % {"v": value})
            ranks[pk] = int(value) if value else None
    return ranks


@require_POST
@permission_required("campaigns.act_as_city")
@action(_to_task)
def rank(request, pk: int):
    task = selectors.task_for(request.user, pk)
    unit = _own_unit(request)
    services.rank_applications(
        actor=request.user, task=task, unit=unit, ranks=_ranks(request), version=_version(request)
    )
    messages.success(request, _("推荐序号已保存。"))
    return redirect("campaigns:task", pk=pk)


def _own_unit(request):
    if request.user.unit is None or request.user.role != Role.CITY:
        raise services.ServiceError(_("只有市级管理员可以操作本单位的报送。"))
    return request.user.unit


@require_POST
@permission_required("campaigns.act_as_city")
@action(_to_task)
def submit_recommendation(request, pk: int):
    task = selectors.task_for(request.user, pk)
    submission = services.submit_recommendation(
        actor=request.user, task=task, unit=_own_unit(request), version=_version(request)
    )
    if submission.is_late:
        messages.warning(request, _("已报送省级（逾期报送，已标记）。"))
    else:
        messages.success(request, _("已报送省级。"))
    return redirect("campaigns:task", pk=pk)


@require_POST
@permission_required("campaigns.act_as_city")
@action(_to_task)
def overseas_select(request, pk: int):
    task = selectors.task_for(request.user, pk)
    services.select_overseas(
        actor=request.user,
        task=task,
        unit=_own_unit(request),
        ranks=_ranks(request),
        version=_version(request),
    )
    messages.success(request, _("已保存推荐名单。"))
    return redirect("campaigns:task", pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.open_overseas")
def overseas_create(request, pk: int):
    task = selectors.task_for(request.user, pk)
    if task.kind != "overseas":
        raise Http404
    user = request.user
    if user.role == Role.ENTERPRISE:
        enterprise = user.enterprise
    else:
        chosen = request.GET.get("enterprise", "")
        if not chosen.isdigit():
            return redirect("campaigns:overseas_pick", pk=pk)
        enterprise = enterprise_selectors.enterprise_for(user, int(chosen))
    form = OverseasForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_overseas(
                actor=user, task=task, enterprise=enterprise, data=form.cleaned_data
            )
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已加入海外智能工厂培育名单。"))
            return redirect("campaigns:task", pk=pk)
    return render(
        request,
        "campaigns/overseas_form.html",
        {"form": form, "task": task, "enterprise": enterprise},
    )


@require_GET
@permission_required("campaigns.act_as_city")
def overseas_pick(request, pk: int):
    """A city officer picks the enterprise whose overseas factory goes on the 附件5 list."""
    task = selectors.task_for(request.user, pk)
    if task.kind != "overseas":
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


@require_POST
@permission_required("campaigns.act_as_province")
@action(
    lambda request, pk: reverse(
        "campaigns:task",
        args=[Submission.objects.filter(pk=pk).values_list("task_id", flat=True).first() or 0],
    )
)
def return_submission(request, pk: int):
    submission = selectors.submission_for(request.user, pk)
    services.return_submission(
        actor=request.user,
        submission=submission,
        comment=request.POST.get("comment", ""),
        version=_version(request),
    )
    messages.success(request, _("已退回%(unit)s的报送。") % {"unit": submission.unit.name})
    return redirect("campaigns:task", pk=submission.task_id)


@require_POST
@permission_required("campaigns.act_as_province")
@action(_to_task)
def fix_list(request, pk: int):
    task = selectors.task_for(request.user, pk)
    selected = {int(v) for v in request.POST.getlist("selected") if v.isdigit()}
    services.fix_list(actor=request.user, task=task, selected_ids=selected)
    messages.success(request, _("拟认定名单已确定。"))
    return redirect("campaigns:task", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@action(_to_task)
def open_publicity(request, pk: int):
    task = selectors.task_for(request.user, pk)
    form = PublicityForm(request.POST)
    if not form.is_valid():
        raise services.ServiceError(_form_errors(form))
    publicity = services.open_publicity(actor=request.user, task=task, **form.cleaned_data)
    messages.success(request, _("公示已开始，至%(end)s结束。") % {"end": publicity.ends_on})
    return redirect("campaigns:task", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@action(_to_task)
def record_recognition(request, pk: int):
    task = selectors.task_for(request.user, pk)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        raise services.ServiceError(_form_errors(form))
    recognized = services.record_recognition(
        actor=request.user,
        task=task,
        document_number=form.cleaned_data["document_number"],
        recognized_on=form.cleaned_data["recognized_on"],
        valid_until=form.cleaned_data["valid_until"],
    )
    messages.success(request, _("已认定%(n)s个智能工厂。") % {"n": len(recognized)})
    return redirect("campaigns:task", pk=pk)


# ---------------------------------------------------------------- experts
@require_GET
@permission_required("campaigns.act_as_expert")
def assignment_list(request):
    return render(
        request,
        "campaigns/assignments.html",
        {"assignments": selectors.assignments_for(request.user)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("campaigns.act_as_expert")
def score(request, pk: int):
    assignment = selectors.assignment_for(request.user, pk)
    application = assignment.application
    sheet = application.campaign.settings.get("score_sheet", [])
    errors = None
    if request.method == "POST":
        try:
            services.submit_score(
                actor=request.user,
                assignment=assignment,
                points={row["key"]: request.POST.get(f"points_{row['key']}") for row in sheet},
                comment=request.POST.get("comment", ""),
            )
        except services.ServiceError as exc:
            errors = str(exc)
        else:
            messages.success(request, _("评分已提交。"))
            return redirect("campaigns:assignments")
    existing = getattr(assignment, "score", None) if hasattr(assignment, "score") else None
    return render(
        request,
        "campaigns/score.html",
        {
            "assignment": assignment,
            "application": application,
            "sheet": sheet,
            "existing": existing,
            "errors": errors,
            "posted": request.POST,
            "scenarios": application.scenarios.select_related("scenario"),
            "materials": application.materials.all(),
        },
    )


@require_POST
@permission_required("campaigns.act_as_expert")
@action(lambda request, pk: reverse("campaigns:score", args=[pk]))
def declare_conflict(request, pk: int):
    assignment = selectors.assignment_for(request.user, pk)
    services.declare_conflict(
        actor=request.user, assignment=assignment, note=request.POST.get("note", "")
    )
    messages.success(request, _("已申明利益冲突。"))
    return redirect("campaigns:assignments")


# ---------------------------------------------------------------- factories and recognitions
@require_GET
@permission_required("campaigns.open_factory")
def factory_tiers(request, pk: int):
    factory = enterprise_selectors.factory_for(request.user, pk)
    built = factory.built_scenarios.select_related("scenario")
    form = FactoryScenariosForm(
        initial={
            "scenarios": [b.scenario_id for b in built],
            "ai_scenarios": [b.scenario_id for b in built if b.uses_ai],
        }
    )
    return render(
        request,
        "campaigns/factory_tiers.html",
        {
            "factory": factory,
            "recognitions": TierRecognition.objects.visible_to(request.user)
            .filter(factory=factory)
            .select_related("recognizing_unit", "replaced_by"),
            "built": built,
            "form": form,
            "can_edit": request.user.has_perm(
                "campaigns.change_factory_scenarios", factory.enterprise
            ),
            "can_revoke": request.user.has_perm("campaigns.revoke_recognition"),
            "revoke_form": RevokeForm(),
        },
    )


@require_POST
@permission_required("campaigns.open_factory")
@action(lambda request, pk: reverse("campaigns:factory_tiers", args=[pk]))
def factory_scenarios(request, pk: int):
    factory = enterprise_selectors.factory_for(request.user, pk)
    form = FactoryScenariosForm(request.POST)
    if not form.is_valid():
        raise services.ServiceError(_form_errors(form))
    chosen = list(form.cleaned_data["scenarios"])
    ai = list(form.cleaned_data["ai_scenarios"])
    if set(ai) - set(chosen):
        raise services.ServiceError(_("应用人工智能的场景须在所选场景之中。"))
    services.save_factory_scenarios(
        actor=request.user,
        factory=factory,
        scenarios=chosen,
        ai_scenarios=ai,
        version=form.cleaned_data.get("version"),
    )
    messages.success(request, _("已保存工厂的典型场景。"))
    return redirect("campaigns:factory_tiers", pk=pk)


@require_POST
@permission_required("campaigns.act_as_province")
@action(
    lambda request, pk: reverse(
        "campaigns:factory_tiers",
        args=[
            TierRecognition.objects.filter(pk=pk).values_list("factory_id", flat=True).first() or 0
        ],
    )
)
def revoke_recognition(request, pk: int):
    recognition = selectors.recognition_for(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        raise services.ServiceError(_form_errors(form))
    services.revoke_recognition(actor=request.user, recognition=recognition, **form.cleaned_data)
    messages.success(request, _("已撤销该认定。"))
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
    services.mark_read(actor=request.user, notification=notification)
    if notification.link and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect("campaigns:notifications")
