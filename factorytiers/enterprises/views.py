"""Enterprise registry pages. Views parse, call one selector or service, and render."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from factorytiers.accounts import exports
from factorytiers.accounts.decorators import permission_required
from factorytiers.accounts.http import edit_page, refusals_go_back
from factorytiers.accounts.job_pages import JobPages
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import Refused
from factorytiers.domain import registry_import as import_rules
from factorytiers.reference.models import Region
from factorytiers.reference.selectors import industry_picker_context

from . import registry, selectors, services
from .forms import EnterpriseFilterForm, EnterpriseForm, FactoryForm, RegistryUploadForm
from .models import RegistryImport


def _unit_choices(user):
    """Units an officer may put an enterprise in; None hides the field (fixed unit)."""
    if user.has_perm("enterprises.choose_unit"):
        return Region.objects.filter(is_reporting_unit=True)
    return None


def _without_version(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


def _filters(request):
    form = EnterpriseFilterForm(
        request.GET or None, show_unit=_unit_choices(request.user) is not None
    )
    return form, (form.cleaned_data if form.is_bound and form.is_valid() else {})


@require_GET
@permission_required("enterprises.list_enterprises")
def enterprise_list(request):
    form, filters = _filters(request)
    today = timezone.localdate()
    page = selectors.enterprise_page(
        request.user, filters=filters, on=today, number=request.GET.get("page")
    )
    for enterprise in page:
        enterprise.level_label = selectors.level_label(enterprise.counted_level)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/list.html",
        {"filter_form": form, "page": page, "query": query.urlencode(), "year": today.year},
    )


@require_http_methods(["GET", "POST"])
@permission_required("enterprises.export_enterprises")
def enterprise_export(request):
    """The filtered list as XLSX; a big one is written in the background (a POST starts it)."""
    return exports.answer(request, "enterprises")


@require_http_methods(["GET", "POST"])
@permission_required("enterprises.add_enterprise")
def enterprise_create(request):
    unit_choices = _unit_choices(request.user)
    form = EnterpriseForm(request.POST or None, unit_choices=unit_choices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("unit", request.user.unit)
        enterprise = services.create_enterprise(actor=request.user, data=data)
        messages.success(request, _("已登记企业“%(name)s”。") % {"name": enterprise.name})
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "creating": True, **industry_picker_context()},
        status=400 if form.is_bound else 200,
    )


@require_GET
@permission_required("enterprises.open_enterprise")
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_for(request.user, pk)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "factories": enterprise.factories.select_related("country"),
            "can_edit": request.user.has_perm("enterprises.change_enterprise", enterprise),
            "can_edit_factories": request.user.has_perm("enterprises.change_factories", enterprise),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("enterprises.open_enterprise")
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_for(request.user, pk)
    require(request.user, "enterprises.change_enterprise", enterprise)
    form = EnterpriseForm(
        request.POST or None,
        instance=enterprise,
        unit_choices=_unit_choices(request.user),
        officer_fields=request.user.has_perm("enterprises.change_officer_fields", enterprise),
    )
    page = edit_page(
        request,
        "enterprises/form.html",
        {
            "form": form,
            "forms": [form],
            "enterprise": enterprise,
            **industry_picker_context(),
        },
        lambda: services.update_enterprise(
            actor=request.user,
            enterprise=enterprise,
            data=_without_version(form.cleaned_data),
            version=form.cleaned_data["version"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("企业信息已保存。"))
    return redirect("enterprises:detail", pk=enterprise.pk)


@require_GET
@permission_required("enterprises.open_enterprise")
def enterprise_history(request, pk: int):
    enterprise = selectors.enterprise_for(request.user, pk)
    rows = selectors.history_rows(enterprise)
    return render(request, "enterprises/history.html", {"enterprise": enterprise, "rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("enterprises.open_enterprise")
def factory_create(request, pk: int):
    enterprise = selectors.enterprise_for(request.user, pk)
    require(request.user, "enterprises.change_factories", enterprise)
    form = FactoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.add_factory(actor=request.user, enterprise=enterprise, data=data)
        messages.success(request, _("已添加工厂。"))
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/factory_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("enterprises.open_enterprise")
def factory_edit(request, pk: int):
    factory = selectors.factory_for(request.user, pk)
    require(request.user, "enterprises.change_factories", factory.enterprise)
    form = FactoryForm(request.POST or None, instance=factory)
    page = edit_page(
        request,
        "enterprises/factory_form.html",
        {"form": form, "forms": [form], "enterprise": factory.enterprise, "factory": factory},
        lambda: services.update_factory(
            actor=request.user,
            factory=factory,
            data=_without_version(form.cleaned_data),
            version=form.cleaned_data["version"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("工厂信息已保存。"))
    return redirect("enterprises:detail", pk=factory.enterprise_id)


# -- bulk import of the registry (规上企业名录) -------------------------------------------------

IMPORTS = JobPages(
    RegistryImport,
    permission="enterprises.import_registry",  # the scope finds only the officer's unit's
    template="enterprises/registry_import.html",
    progress_template="enterprises/partials/registry_progress.html",  # the diff once done
    related=("requested_by", "applied_by", "unit"),
    # The file to download is the refused rows', there from the dry run on.
    file_field="error_file",
    file_name=lambda job: _("企业名录导入-不导入的行.xlsx"),
    content_type=registry.XLSX,
    ready=lambda job: True,
)
registry_import, registry_progress, registry_errors = (
    IMPORTS.page,
    IMPORTS.progress,
    IMPORTS.download,
)


@require_http_methods(["GET", "POST"])
@permission_required("enterprises.import_registry")
def registry_upload(request):
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = registry.start_import(actor=request.user, upload=form.cleaned_data["file"])
        except Refused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("enterprises:registry_import", pk=job.pk)
    return render(
        request,
        "enterprises/registry_upload.html",
        {
            "form": form,
            "imports": selectors.registry_imports(request.user),
            "headers": [
                (headers[0], "、".join(headers[1:]), name in import_rules.REQUIRED_FOR_NEW)
                for name, headers in import_rules.FIELD_HEADERS.items()
            ],
            "max_rows": settings.REGISTRY_IMPORT_MAX_ROWS,
        },
        status=400 if form.errors else 200,
    )


def _import_page(request, pk):
    return reverse("enterprises:registry_import", args=[pk])


@require_http_methods(["POST"])
@permission_required("enterprises.import_registry")
@refusals_go_back(_import_page)
def registry_apply(request, pk: int):
    job = IMPORTS.find(request.user, pk)
    registry.apply_import(actor=request.user, job=job)
    return redirect("enterprises:registry_import", pk=job.pk)


@require_http_methods(["POST"])
@permission_required("enterprises.import_registry")
@refusals_go_back(_import_page)
def registry_retry(request, pk: int):
    job = IMPORTS.find(request.user, pk)
    registry.retry_import(actor=request.user, job=job)
    return redirect("enterprises:registry_import", pk=job.pk)
