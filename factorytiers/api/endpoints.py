"""The REST API (django-ninja): the same rows as the pages, read through the same scoped
selectors — a token acts as its user, so a city officer's token reads its unit only, an
enterprise's its own enterprise, and another unit's object is a 404 as on a page.

Lists are cursor-paginated (``pagination.page``); the writes are the national-platform import
and the registry import (upload = its dry run, then apply), through the pages' form checks and
services, each with a dry run. The schema is at ``/api/openapi.json`` and the docs
at ``/api/docs`` (Swagger UI from our own static files).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Path, Query, Status, Swagger
from ninja.errors import AuthenticationError, ValidationError
from ninja.files import UploadedFile
from ninja.renderers import JSONRenderer

from factorytiers.accounts.fields import INTEGER_LIMIT
from factorytiers.accounts.http import form_errors
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import Refused
from factorytiers.assessments import selectors as assessment_selectors
from factorytiers.assessments import services as assessment_services
from factorytiers.assessments import spreadsheets
from factorytiers.assessments.forms import ImportForm
from factorytiers.assessments.models import Assessment, PlatformResult
from factorytiers.campaigns import selectors as campaign_selectors
from factorytiers.documents import figures
from factorytiers.documents import selectors as document_selectors
from factorytiers.documents.views import GROUPINGS, StatisticsQuery
from factorytiers.domain.dates import FIRST_YEAR, LAST_YEAR
from factorytiers.domain.statistics import GROUP_LABELS, compute, compute_by
from factorytiers.enterprises import registry
from factorytiers.enterprises import selectors as enterprise_selectors
from factorytiers.enterprises.forms import RegistryUploadForm
from factorytiers.enterprises.models import Factory
from factorytiers.enterprises.views import IMPORTS as REGISTRY_IMPORTS  # the pages' job lookup

from . import schemas
from .auth import AUTH, signed_in
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, page


class ChineseJSON(JSONRenderer):
    """UTF-8 JSON: names read as written (中文), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="智能工厂梯度培育管理系统 API",
    version="1",
    description=(
        "按调用者的角色和单位限定范围的只读数据接口，以及国家平台结果和规上企业名录的批量导入"
        "（均可先预览、不写入）。"
        "认证：请求头 Authorization: Bearer <接口令牌>（由系统管理员签发）。"
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=signed_in,
    renderer=ChineseJSON(),
)

# -- parameters ---------------------------------------------------------------------------------

TEXT = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL refuses NUL in text)
Id = Annotated[int, Path(ge=1, le=INTEGER_LIMIT, description="编号")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"每页行数（至多 {MAX_LIMIT}）")]
Cursor = Annotated[
    str | None,
    Query(max_length=32, pattern=r"^[A-Za-z0-9_-]*$", description="上一页返回的 next"),
]
OptionalYear = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="年度")]
OptionalId = Annotated[int | None, Query(ge=1, le=INTEGER_LIMIT)]
Text = Annotated[str | None, Query(max_length=64, pattern=TEXT)]


# -- errors, in Chinese -------------------------------------------------------------------------


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return api.create_response(
        request,
        {
            "detail": _(
                "未认证：请在请求头中提供有效的接口令牌（Authorization: Bearer …）或先登录。"
            )
        },
        status=401,
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("您的角色无权执行此操作。")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到，或不在您的范围内。")}, status=404)


@api.exception_handler(Refused)
def _refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(
        request, {"detail": _("请求参数有误。"), "errors": exc.errors}, status=422
    )


def _user(request):
    return request.auth


# -- enterprises and factories ------------------------------------------------------------------


@api.get("/enterprises", response=schemas.page_of(schemas.EnterpriseOut), tags=["企业"])
def enterprise_list(
    request,
    unit: OptionalId = None,
    sector: Text = None,
    q: Annotated[
        str | None, Query(max_length=64, pattern=TEXT, description="企业名称或统一社会信用代码")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """企业名录：市级为本单位、省级为全省、企业用户为本企业。"""
    qs = enterprise_selectors.enterprises_for(
        _user(request), filters={"unit": unit, "sector": sector, "q": q}
    ).select_related("industry")
    return page(qs, cursor=cursor, limit=limit)


@api.get("/enterprises/{pk}", response=schemas.EnterpriseDetailOut, tags=["企业"])
def enterprise_detail(request, pk: Id):
    return enterprise_selectors.enterprise_for(_user(request), pk)


@api.get("/factories", response=schemas.page_of(schemas.FactoryOut), tags=["企业"])
def factory_list(
    request, enterprise: OptionalId = None, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
):
    qs = Factory.objects.visible_to(_user(request)).select_related("country")
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    return page(qs, cursor=cursor, limit=limit)


@api.get("/factories/{pk}", response=schemas.FactoryOut, tags=["企业"])
def factory_detail(request, pk: Id):
    return enterprise_selectors.factory_for(_user(request), pk)


# -- assessments ----------------------------------------------------------------------------------


@api.get(
    "/assessments/counted",
    response=schemas.page_of(schemas.CountedResultOut),
    tags=["自评估"],
)
def counted_results(
    request, year: OptionalYear = None, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
):
    """每家企业该年度计入统计的结果（系统内自评估与国家平台结果中最新的一条；年度缺省为今年）。"""
    year = year if year is not None else timezone.localdate().year
    qs = assessment_selectors.counted_assessments(_user(request), year)
    return page(qs, cursor=cursor, limit=limit)


def _submitted(user):
    return (
        Assessment.objects.visible_to(user)
        .filter(status=Assessment.Status.SUBMITTED)
        .select_related("edition")
    )


@api.get("/assessments", response=schemas.page_of(schemas.AssessmentOut), tags=["自评估"])
def assessment_list(
    request,
    year: OptionalYear = None,
    enterprise: OptionalId = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """已提交的系统内自评估（填写中的不在其列）。"""
    qs = _submitted(_user(request))
    if year is not None:
        qs = qs.filter(year=year)
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    return page(qs, cursor=cursor, limit=limit)


@api.get("/assessments/{pk}", response=schemas.AssessmentOut, tags=["自评估"])
def assessment_detail(request, pk: Id):
    assessment = assessment_selectors.assessment_for(_user(request), pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise Http404("draft")
    return assessment


@api.get("/platform-results", response=schemas.page_of(schemas.PlatformResultOut), tags=["自评估"])
def platform_result_list(
    request,
    year: OptionalYear = None,
    enterprise: OptionalId = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
):
    qs = PlatformResult.objects.visible_to(_user(request))
    if year is not None:
        qs = qs.filter(year=year)
    if enterprise is not None:
        qs = qs.filter(enterprise_id=enterprise)
    return page(qs, cursor=cursor, limit=limit)


@api.post(
    "/platform-results/import",
    response={200: schemas.ImportOut, 400: schemas.ImportRefusal},
    tags=["自评估"],
)
def platform_result_import(
    request,
    file: File[UploadedFile],
    keep_good_rows: Form[bool] = False,
    dry_run: Form[bool] = False,
):
    """批量导入国家平台结果（与“导入国家平台结果”页面同一规则）：默认任何一行有误即全部不导入；
    keep_good_rows=true 时导入无误的行，有误的行在 rejected 中返回。拒绝时返回 400 与原因。
    dry_run=true 时只检查、不写入：返回将新增（created）和更新（updated）的条数及有误的行，
    或与正式导入相同的拒绝。"""
    user = _user(request)
    require(user, "assessments.import_results")
    form = ImportForm({"keep_good_rows": "on" if keep_good_rows else ""}, {"file": file})
    if not form.is_valid():
        return Status(400, {"detail": form_errors(form), "rows": []})
    upload = form.cleaned_data["file"]
    try:
        sheets = spreadsheets.read_workbook(upload)
    except spreadsheets.SheetError as exc:
        return Status(400, {"detail": str(exc), "rows": []})
    outcome = assessment_services.import_platform_results(
        actor=user,
        rows=next(iter(sheets.values())),
        file_name=upload.name or "",
        keep_good_rows=form.cleaned_data["keep_good_rows"],
        dry_run=dry_run,
    )
    rows = [{"row": bad.row, "errors": list(bad.errors)} for bad in outcome.bad]
    stored = outcome.saved or (dry_run and outcome.created + outcome.updated > 0)
    if not stored:
        detail = "；".join(outcome.file_errors) or _("有 %(n)d 行有误，全部未导入。") % {
            "n": len(rows)
        }
        return Status(400, {"detail": detail, "rows": rows})
    return {
        "saved": outcome.saved,
        "dry_run": dry_run,
        "created": outcome.created,
        "updated": outcome.updated,
        "rejected": rows,
    }


# -- registry import (规上企业名录) ----------------------------------------------------------------


@api.post(
    "/registry-imports",
    response={200: schemas.RegistryImportOut, 400: schemas.Detail},
    tags=["企业"],
)
def registry_import_start(request, file: File[UploadedFile]):
    """上传统计部门规上企业名录（.xlsx 或 .csv，与“批量导入名录”页面同一规则），开始预览
    （dry run）：只检查、对比，不写入名录。预览在后台进行，用 GET /api/registry-imports/{id}
    查看进度和结果（新增、变更、无变化、不导入的行及原因）；确认后用
    POST /api/registry-imports/{id}/apply 导入。"""
    user = _user(request)
    require(user, "enterprises.import_registry")
    form = RegistryUploadForm({}, {"file": file})
    if not form.is_valid():
        return Status(400, {"detail": form_errors(form)})
    job = registry.start_import(actor=user, upload=form.cleaned_data["file"])
    return REGISTRY_IMPORTS.find(user, job.pk)


@api.get("/registry-imports/{pk}", response=schemas.RegistryImportOut, tags=["企业"])
def registry_import_detail(request, pk: Id):
    """一次名录导入：阶段、状态、进度，预览完成后的条数和前200行（新增、变更逐字段、不导入及原因），
    导入后的新增和更新条数。"""
    user = _user(request)
    require(user, "enterprises.import_registry")
    return REGISTRY_IMPORTS.find(user, pk)


@api.post("/registry-imports/{pk}/apply", response=schemas.RegistryImportOut, tags=["企业"])
def registry_import_apply(request, pk: Id):
    """确认导入预览完成的名录（与页面“确认导入”相同）：在后台按统一社会信用代码新增或更新，
    全部在一个事务中；自预览以来名录或文件有变化时拒绝，不写入任何数据。"""
    user = _user(request)
    require(user, "enterprises.import_registry")
    job = REGISTRY_IMPORTS.find(user, pk)
    registry.apply_import(actor=user, job=job)
    return REGISTRY_IMPORTS.find(user, pk)


# -- applications ---------------------------------------------------------------------------------


@api.get("/applications", response=schemas.page_of(schemas.ApplicationOut), tags=["申报"])
def application_list(
    request,
    state: Text = None,
    kind: Text = None,
    task: OptionalId = None,
    year: OptionalYear = None,
    unit: OptionalId = None,
    q: Text = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
):
    """申报及其状态和任务：市级为本单位、省级为全省、企业为本企业、专家为分配给本人的。"""
    filters = {"state": state, "tier": kind, "task": task, "year": year, "unit": unit, "q": q}
    qs = campaign_selectors.application_list(_user(request), filters)
    return page(qs, cursor=cursor, limit=limit)


@api.get("/applications/{pk}", response=schemas.ApplicationOut, tags=["申报"])
def application_detail(request, pk: Id):
    return campaign_selectors.application_for(_user(request), pk)


# -- statistics ---------------------------------------------------------------------------------


def _figure_list(stats, keys=None) -> list[dict]:
    shown = figures.figures(stats)
    return [
        {"key": key, "label": item.label, "value": item.value, "count": item.count}
        for key, item in shown.items()
        if keys is None or key in keys
    ]


@api.get("/statistics", response=schemas.StatisticsOut, tags=["统计"])
def statistics(request, year: OptionalYear = None, unit: OptionalId = None):
    """统计分析页面的全部指标（/documents/statistics/），同一年度和单位的取法。"""
    user = _user(request)
    require(user, "documents.view_statistics")
    params = QueryDict(mutable=True)
    if year is not None:
        params["year"] = str(year)
    if unit is not None:
        params["unit"] = str(unit)
    query = StatisticsQuery(SimpleNamespace(user=user, GET=params))
    if query.error:
        raise Refused(query.error)
    shown = [by for by in GROUPINGS if by != "unit" or query.province_wide]
    counted = document_selectors.statistics_counted(user, query.year, query.units, groupings=shown)
    stats = compute(counted, query.year)
    groupings = []
    for by in shown:
        order = [document_selectors.unit_label(u) for u in query.units] if by == "unit" else None
        groups = compute_by(counted, query.year, by, order=order)
        groupings.append(
            {
                "by": by,
                "label": GROUP_LABELS[by],
                "rows": [
                    {"name": name, "figures": _figure_list(group, figures.TABLE_COLUMNS)}
                    for name, group in groups.items()
                ],
            }
        )
    return {
        "year": query.year,
        "unit": schemas.unit_of(query.unit),
        "figures": _figure_list(stats),
        "groupings": groupings,
    }
