"""The enterprise registry import's URLs in the authorization matrix (see tests/access.py)."""

import io

import xlsxwriter
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from factorytiers.enterprises.models import RegistryImport
from tests.access import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICERS_ONLY,
    OK,
    REDIRECT,
    everyone,
    get,
    post,
)


def _xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def _import(objects, **fields):
    content = _xlsx([["统一社会信用代码", "企业名称"], [objects["enterprise_a"].credit_code, "x"]])
    job = RegistryImport(
        requested_by=objects["users"]["city_a"],
        unit=objects["enterprise_a"].unit,
        file_name="名录.xlsx",
        sha256="0" * 64,
        **fields,
    )
    job.file.save("registry.xlsx", ContentFile(content), save=False)
    job.error_file.save("errors.xlsx", ContentFile(content), save=False)
    job.save()
    return job


def _previewed(objects):
    counts = {"new": 1, "changed": 0, "unchanged": 0, "refused": 1}
    return _import(objects, status=RegistryImport.Status.DONE, summary={"counts": counts})


def _failed(objects):
    return _import(objects, status=RegistryImport.Status.FAILED, error="文件中没有数据行")


def _upload(objects, role):
    content = _xlsx([["统一社会信用代码", "企业名称", "所在地市"]])
    return {"file": SimpleUploadedFile("名录.xlsx", content)}


OBJECTS = {
    "registry_import_a": _previewed,
    "registry_failed_a": _failed,
}

IMPORTERS = {"city_a", "city_b", "province"}
UNIT_A_IMPORT = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=NOT_FOUND, province=OK)
UNIT_A_POST = everyone(
    FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND, province=REDIRECT
)


def _applying(objects, role):
    job = RegistryImport.objects.get(pk=objects["registry_import_a"].pk)
    return job.stage == RegistryImport.Stage.APPLY and job.applied_by == objects["users"][role]


def _retried(objects, role):
    failed = objects["registry_failed_a"]
    return RegistryImport.objects.filter(
        pk=failed.pk, attempts=failed.attempts + 1, requested_by=objects["users"][role]
    ).exists()


MATRIX = {
    "enterprises:registry_upload": [
        get({}, OFFICERS_ONLY),
        post(
            {},
            everyone(
                FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=REDIRECT, province=REDIRECT
            ),
            data=_upload,
            allowed=IMPORTERS,
            effect=lambda o, role: RegistryImport.objects.filter(
                requested_by=o["users"][role]
            ).exists(),
        ),
    ],
    "enterprises:registry_import": [get({"pk": "registry_import_a"}, UNIT_A_IMPORT)],
    "enterprises:registry_progress": [get({"pk": "registry_import_a"}, UNIT_A_IMPORT)],
    "enterprises:registry_errors": [get({"pk": "registry_import_a"}, UNIT_A_IMPORT)],
    "enterprises:registry_apply": [
        post(
            {"pk": "registry_import_a"},
            UNIT_A_POST,
            data=lambda o, role: {},
            allowed={"city_a", "province"},
            effect=_applying,
        )
    ],
    "enterprises:registry_retry": [
        post(
            {"pk": "registry_failed_a"},
            UNIT_A_POST,
            data=lambda o, role: {},
            allowed={"city_a", "province"},
            effect=_retried,
        )
    ],
}
