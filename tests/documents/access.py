"""The documents app's URLs in the authorization matrix (see tests/access.py)."""

from types import SimpleNamespace

from django.core.files.base import ContentFile

from factorytiers.campaigns.models import Campaign
from factorytiers.documents.models import PackageBuild
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OFFICERS_ONLY, OK, REDIRECT, everyone


def make_objects(objects):
    campaign = Campaign.objects.get(year=2026)
    objects["documents_task_advanced"] = campaign.tasks.get(kind="advanced")
    objects["documents_task_report"] = campaign.tasks.get(kind="report")
    objects["documents_unit_a"] = objects["enterprise_a"].unit
    objects["documents_form1"] = SimpleNamespace(pk="form1")
    objects["documents_xlsx"] = SimpleNamespace(pk="xlsx")
    objects["documents_docx"] = SimpleNamespace(pk="docx")
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
    objects["documents_package_a"] = build


# Something of unit A (太原): its city officer, the province and the operator; unit B → 404.
UNIT_A_PAGE = everyone(
    FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=NOT_FOUND, province=OK, admin=OK
)
UNIT_A_POST = everyone(
    FORBIDDEN,
    anonymous=LOGIN,
    city_a=REDIRECT,
    city_b=NOT_FOUND,
    province=REDIRECT,
    admin=REDIRECT,
)
TASK = {"pk": "documents_task_advanced"}
UNIT_TASK = {"pk": "documents_task_advanced", "unit": "documents_unit_a"}
REPORT = {"pk": "documents_task_report", "unit": "documents_unit_a"}
PACKAGE = {"pk": "documents_package_a"}

MATRIX = {
    "documents:statistics": ("get", {}, OFFICERS_ONLY),
    "documents:statistics_list": ("get", {}, OFFICERS_ONLY),
    "documents:statistics_export": ("get", {}, OFFICERS_ONLY),
    "documents:task_units": (
        "get",
        TASK,
        dict(OFFICERS_ONLY, city_a=REDIRECT, city_b=REDIRECT),
    ),
    "documents:unit_forms": ("get", UNIT_TASK, UNIT_A_PAGE),
    "documents:form_download": (
        "get",
        {**UNIT_TASK, "key": "documents_form1", "extension": "documents_xlsx"},
        UNIT_A_PAGE,
    ),
    "documents:rollup_download": (
        "get",
        {**TASK, "key": "documents_form1", "extension": "documents_xlsx"},
        everyone(FORBIDDEN, anonymous=LOGIN, province=OK, admin=OK),
    ),
    "documents:report_download": ("get", {**REPORT, "extension": "documents_docx"}, UNIT_A_PAGE),
    # The prose is written by the unit's own officers; the province reads the finished report.
    "documents:report_edit": (
        "get",
        REPORT,
        dict(UNIT_A_PAGE, province=FORBIDDEN),
    ),
    # An empty autosave is refused as bad input (400) once the unit is found.
    "documents:report_autosave": (
        "post",
        REPORT,
        everyone(FORBIDDEN, anonymous=LOGIN, city_a=400, city_b=NOT_FOUND, admin=400),
    ),
    "documents:package_request": ("post", UNIT_TASK, UNIT_A_POST),
    "documents:package": ("get", PACKAGE, UNIT_A_PAGE),
    "documents:package_progress": ("get", PACKAGE, UNIT_A_PAGE),
    "documents:package_download": ("get", PACKAGE, UNIT_A_PAGE),
}
