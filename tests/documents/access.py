"""The documents app's URLs in the authorization matrix (see tests/access.py)."""

from types import SimpleNamespace

from django.core.files.base import ContentFile

from factorytiers.accounts.models import ExportJob
from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import PackageBuild, ReportDraft
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


def _package(objects):
    build = PackageBuild(
        unit=objects["enterprise_a"].unit,
        task=objects["documents_task_advanced"],
        requested_by=objects["users"]["city_a"],
        status=PackageBuild.Status.DONE,
        progress=100,
        file_name="太原市-先进级智能工厂推荐申报材料.zip",
    )
    build.file.save("package.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    build.save()
    return build


def _failed_package(objects):
    return PackageBuild.objects.create(
        unit=objects["enterprise_a"].unit,
        task=objects["documents_task_advanced"],
        requested_by=objects["users"]["city_a"],
        status=PackageBuild.Status.FAILED,
        error="序号1（太原晋华重工有限公司）缺少PDF版申报书",
    )


def _retried(objects, role):
    """重试 is a new attempt of the same build, asked for by the officer who retried."""
    failed = objects["documents_failed_package_a"]
    return PackageBuild.objects.filter(
        pk=failed.pk, attempts=failed.attempts + 1, requested_by=objects["users"][role]
    ).exists()


OBJECTS = {
    "documents_task_advanced": lambda o: Campaign.objects.get(year=2026).tasks.get(kind="advanced"),
    "documents_task_report": lambda o: Campaign.objects.get(year=2026).tasks.get(kind="report"),
    "documents_unit_a": lambda o: o["enterprise_a"].unit,
    "documents_form1": lambda o: SimpleNamespace(pk="form1"),
    "documents_xlsx": lambda o: SimpleNamespace(pk="xlsx"),
    "documents_docx": lambda o: SimpleNamespace(pk="docx"),
    # A 公示 batch with an application on its list.
    "documents_publicity": lambda o: o["publicity_a"].publicity,
    "documents_package_a": _package,
    "documents_failed_package_a": _failed_package,
}

# Something of unit A (太原): its city officer and the province; unit B → 404.
UNIT_A_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=NOT_FOUND, province=OK)
TASK = {"pk": "documents_task_advanced"}
UNIT_TASK = {"pk": "documents_task_advanced", "unit": "documents_unit_a"}
REPORT = {"pk": "documents_task_report", "unit": "documents_unit_a"}
PACKAGE = {"pk": "documents_package_a"}
CITY_A = {"city_a"}


def _draft_text(objects):
    draft = ReportDraft.objects.filter(unit=objects["enterprise_a"].unit).first()
    return draft.measures if draft else ""


MATRIX = {
    "documents:statistics": [get({}, OFFICERS_ONLY)],
    "documents:statistics_list": [get({}, OFFICERS_ONLY)],
    "documents:statistics_export": [get({}, OFFICERS_ONLY)],
    "documents:task_units": [get(TASK, dict(OFFICERS_ONLY, city_a=REDIRECT, city_b=REDIRECT))],
    "documents:unit_forms": [get(UNIT_TASK, UNIT_A_PAGE)],
    "documents:form_download": [
        get({**UNIT_TASK, "key": "documents_form1", "extension": "documents_xlsx"}, UNIT_A_PAGE)
    ],
    "documents:rollup_download": [
        get(
            {**TASK, "key": "documents_form1", "extension": "documents_xlsx"},
            everyone(FORBIDDEN, anonymous=LOGIN, province=OK),
        )
    ],
    "documents:publicity_list": [
        get(
            {"pk": "documents_publicity", "extension": "documents_xlsx"},
            everyone(FORBIDDEN, anonymous=LOGIN, province=OK),
        )
    ],
    "documents:report_download": [
        get({**REPORT, "extension": "documents_docx"}, UNIT_A_PAGE),
        # The POST starts writing the report in the background, as the unit's officer or the
        # province (a long attached table); the file is the asker's alone.
        post(
            {**REPORT, "extension": "documents_docx"},
            dict(UNIT_A_PAGE, city_a=REDIRECT, province=REDIRECT),
            data=lambda o, role: {},
            allowed={"city_a", "province"},
            effect=lambda o, role: ExportJob.objects.filter(
                kind="report", requested_by=o["users"][role]
            ).exists(),
        ),
    ],
    # The prose is written by the unit's own officers; the province reads the finished report.
    "documents:report_edit": [
        get(REPORT, dict(UNIT_A_PAGE, province=FORBIDDEN)),
        post(
            REPORT,
            everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND),
            data=lambda o, role: {"measures": "一是……", "next_steps": "下一步……", "version": "0"},
            allowed=CITY_A,
            effect=lambda o, role: _draft_text(o) == "一是……",
        ),
    ],
    "documents:report_autosave": [
        post(
            REPORT,
            everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=NOT_FOUND),
            data=lambda o, role: {
                "kind": "report",
                "key": "measures",
                "value": "一是……",
                "version": "0",
            },
            allowed=CITY_A,
            effect=lambda o, role: _draft_text(o) == "一是……",
        )
    ],
    "documents:package_request": [
        post(
            UNIT_TASK,
            everyone(
                FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND, province=REDIRECT
            ),
            data=lambda o, role: {},
            allowed={"city_a", "province"},
            effect=lambda o, role: PackageBuild.objects.filter(
                requested_by=o["users"][role]
            ).exists(),
        )
    ],
    "documents:package_retry": [
        post(
            {"pk": "documents_failed_package_a"},
            everyone(
                FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND, province=REDIRECT
            ),
            data=lambda o, role: {},
            allowed={"city_a", "province"},
            effect=_retried,
        )
    ],
    "documents:package": [get(PACKAGE, UNIT_A_PAGE)],
    "documents:package_progress": [get(PACKAGE, UNIT_A_PAGE)],
    "documents:package_download": [get(PACKAGE, UNIT_A_PAGE)],
}
