"""Authorization matrix entries of the REST API and the operator's token pages (see
tests/access.py).

The matrix signs in by session, which the API accepts as it accepts a token (the same user,
the same scope); without either it answers 401 (JSON), not the log-in page. Tokens themselves
are tested in tests/api/test_tokens.py and test_scope.py with the same expectations.
"""

import io
from datetime import date

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from factorytiers.api.models import ApiToken
from factorytiers.api.services import issue_token
from factorytiers.assessments.models import PlatformResult
from factorytiers.enterprises.models import RegistryImport
from tests.access import BAD_REQUEST, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, everyone, get, post

UNAUTHORIZED = 401
SIGNED_IN = everyone(OK, anonymous=UNAUTHORIZED)
# One object of enterprise A (unit A): its own user, its city, the province; 404 for the rest.
ENTERPRISE_A_OBJECT = everyone(
    NOT_FOUND, anonymous=UNAUTHORIZED, enterprise_a=OK, city_a=OK, province=OK
)
OPERATOR_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, admin=OK)


def _year():
    return timezone.localdate().year


def _import_file(objects, role):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "年度", "评估得分", "成熟度等级", "评估日期"])
    enterprise = objects["enterprise_a"]
    sheet.append(
        [enterprise.credit_code, enterprise.name, _year(), 3.1, "三级", date(_year(), 2, 3)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return {"file": SimpleUploadedFile("results.xlsx", buffer.getvalue())}


def _registry_file(objects, role):
    book = openpyxl.Workbook()
    book.active.append(["统一社会信用代码", "企业名称", "所在地市"])
    buffer = io.BytesIO()
    book.save(buffer)
    return {"file": SimpleUploadedFile("名录.xlsx", buffer.getvalue())}


def _registry_applying(objects, role):
    job = RegistryImport.objects.get(pk=objects["registry_import_a"].pk)
    return job.stage == RegistryImport.Stage.APPLY and job.applied_by == objects["users"][role]


# An import of unit A (tests/enterprises/access.py): its city and the province; 404 for city B.
REGISTRY_IMPORT_A = everyone(
    FORBIDDEN, anonymous=UNAUTHORIZED, city_a=OK, city_b=NOT_FOUND, province=OK
)


def _token(objects):
    users = objects["users"]
    return issue_token(actor=users["admin"], user=users["city_a"], name="数据中心同步").token


OBJECTS = {"api_token": _token}

MATRIX = {
    "api:openapi-json": [get({}, SIGNED_IN)],
    "api:openapi-view": [get({}, SIGNED_IN)],
    "api:api-root": [get({}, everyone(NOT_FOUND))],
    "api:enterprise_list": [get({}, SIGNED_IN)],
    "api:enterprise_detail": [get({"pk": "enterprise_a"}, ENTERPRISE_A_OBJECT)],
    "api:factory_list": [get({}, SIGNED_IN)],
    "api:factory_detail": [get({"pk": "factory_a"}, ENTERPRISE_A_OBJECT)],
    "api:counted_results": [get({}, SIGNED_IN)],
    "api:assessment_list": [get({}, SIGNED_IN)],
    "api:assessment_detail": [get({"pk": "assessment_a"}, ENTERPRISE_A_OBJECT)],
    "api:platform_result_list": [get({}, SIGNED_IN)],
    "api:platform_result_import": [
        # City B names unit A's enterprise: refused (400), nothing written.
        post(
            {},
            everyone(
                FORBIDDEN,
                anonymous=UNAUTHORIZED,
                city_a=OK,
                city_b=BAD_REQUEST,
                province=OK,
            ),
            data=_import_file,
            allowed={"city_a", "province"},
            echoes_input=True,  # the refusal names the credit code it was sent
            effect=lambda o, role: PlatformResult.objects.filter(
                enterprise=o["enterprise_a"], year=_year()
            ).exists(),
        )
    ],
    "api:registry_import_start": [
        post(
            {},
            everyone(FORBIDDEN, anonymous=UNAUTHORIZED, city_a=OK, city_b=OK, province=OK),
            data=_registry_file,
            allowed={"city_a", "city_b", "province"},
            effect=lambda o, role: RegistryImport.objects.filter(
                requested_by=o["users"][role]
            ).exists(),
        )
    ],
    "api:registry_import_detail": [get({"pk": "registry_import_a"}, REGISTRY_IMPORT_A)],
    "api:registry_import_apply": [
        post(
            {"pk": "registry_import_a"},
            REGISTRY_IMPORT_A,
            data=lambda o, role: {},
            allowed={"city_a", "province"},
            effect=_registry_applying,
        )
    ],
    "api:application_list": [get({}, SIGNED_IN)],
    "api:application_detail": [get({"pk": "application_a"}, ENTERPRISE_A_OBJECT)],
    "api:statistics": [
        get(
            {},
            everyone(FORBIDDEN, anonymous=UNAUTHORIZED, city_a=OK, city_b=OK, province=OK),
        )
    ],
    "apitokens:list": [
        get({}, OPERATOR_PAGE),
        post(
            {},
            OPERATOR_PAGE,
            data=lambda o, role: {"user": str(o["users"]["city_a"].pk), "name": "省数据中心"},
            allowed={"admin"},
            effect=lambda o, role: ApiToken.objects.filter(name="省数据中心").exists(),
        ),
    ],
    "apitokens:revoke": [
        post(
            {"pk": "api_token"},
            everyone(FORBIDDEN, anonymous=LOGIN, admin=REDIRECT),
            data=lambda o, role: {},
            allowed={"admin"},
            effect=lambda o, role: (
                ApiToken.objects.get(pk=o["api_token"].pk).revoked_at is not None
            ),
        )
    ],
}
