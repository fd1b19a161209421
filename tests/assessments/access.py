"""The self-assessment's URLs in the authorization matrix (see tests/access.py)."""

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from factorytiers.assessments import services, spreadsheets
from factorytiers.assessments.models import Assessment, MaturityModelEdition, PlatformResult
from tests.access import (
    BAD_REQUEST,
    ENTERPRISE_A_PAGE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICERS_ONLY,
    OK,
    REDIRECT,
    everyone,
    export_post,
    get,
    page_form,
    post,
)

REPORT = "assessments/platform/matrix/report.pdf"


def _year():
    return timezone.localdate().year


def _submitted(objects):
    users, enterprise = objects["users"], objects["enterprise_a"]
    draft, _ = services.start_assessment(
        actor=users["enterprise_a"], enterprise=enterprise, year=_year() - 1
    )
    draft.answers = {item.code: "FULL" for item in objects["edition"].model.items}
    draft.save()
    return services.submit_assessment(
        actor=users["enterprise_a"], assessment=draft, version=draft.version
    )


def _draft(*, complete: bool):
    def make(objects):
        draft, _ = services.start_assessment(
            actor=objects["users"]["enterprise_a"], enterprise=objects["enterprise_a"], year=_year()
        )
        if complete:
            draft.answers = {item.code: "FULL" for item in objects["edition"].model.items}
            draft.save()
        return draft

    return make


def _platform_result(objects):
    if not default_storage.exists(REPORT):
        default_storage.save(REPORT, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return PlatformResult.objects.create(
        enterprise=objects["enterprise_a"],
        year=_year() - 1,
        score=Decimal("2.35"),
        level=2,
        assessed_on=date(_year() - 1, 3, 15),
        report=REPORT,
        source=PlatformResult.Source.ENTERPRISE,
        edition=objects["edition"],
        entered_by=objects["users"]["enterprise_a"],
    )


def _inactive_edition(objects):
    active = objects["edition"]
    return MaturityModelEdition.objects.create(
        edition=active.edition,
        version="9.9.9",
        definition=active.definition,
        source="测试",
        is_active=False,
    )


OBJECTS = {
    "edition": lambda o: MaturityModelEdition.objects.active(),
    "assessment_a": _submitted,
    "draft_a_assessment": _draft(complete=False),
    "complete_draft_a": _draft(complete=True),
    "domain_strategy": lambda o: SimpleNamespace(pk="STRATEGY"),
    "platform_result_a": _platform_result,
    "edition_inactive": _inactive_edition,
}


def _import_file(objects, role):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "年度", "评估得分", "成熟度等级", "评估日期"])
    enterprise = objects["enterprise_a"]
    sheet.append(
        [enterprise.credit_code, enterprise.name, _year(), 2.4, "二级", date(_year(), 3, 2)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return {"file": SimpleUploadedFile("results.xlsx", buffer.getvalue())}


def _bank_file(objects, role):
    content = spreadsheets.item_bank_file(objects["edition"].model)
    return {
        "file": SimpleUploadedFile("bank.xlsx", content),
        "edition": objects["edition"].edition,
        "version": "2.0.0",
        "level_rule": objects["edition"].model.level_rule,
        "activate": "on",
    }


def _assessment_of(objects, role):
    return Assessment.objects.filter(enterprise__users=objects["users"][role], year=_year())


# Pages of an enterprise user about its own enterprise.
OWN_ENTERPRISE = everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=OK, enterprise_b=OK)
OWN_ENTERPRISE_POST = everyone(
    FORBIDDEN, anonymous=LOGIN, enterprise_a=REDIRECT, enterprise_b=REDIRECT
)
ENTERPRISES = {"enterprise_a", "enterprise_b"}
ASSESSMENT_A = ENTERPRISE_A_PAGE
# Answering is for the enterprise's own users only.
ANSWER_POST = everyone(
    FORBIDDEN, anonymous=LOGIN, enterprise_a=REDIRECT, enterprise_b=NOT_FOUND, city_b=NOT_FOUND
)
IMPORTERS = everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK)
ADMIN_ONLY = everyone(FORBIDDEN, anonymous=LOGIN, admin=OK)


def _version(key):
    return lambda o: Assessment.objects.get(pk=o[key].pk).version


MATRIX = {
    "assessments:mine": [get({}, OWN_ENTERPRISE)],
    "assessments:start": [
        post(
            {},
            OWN_ENTERPRISE_POST,
            data=lambda o, role: {"year": str(_year()), "manufacturing_type": "DISCRETE"},
            allowed=ENTERPRISES,
            effect=lambda o, role: _assessment_of(o, role).exists(),
        )
    ],
    "assessments:detail": [get({"pk": "assessment_a"}, ASSESSMENT_A)],
    "assessments:section": [
        get({"pk": "draft_a_assessment", "domain": "domain_strategy"}, ASSESSMENT_A),
        post(
            {"pk": "draft_a_assessment", "domain": "domain_strategy"},
            ANSWER_POST,
            data=lambda o, role: {
                "a:STRAT.L1.1": "FULL",
                "version": _version("draft_a_assessment")(o),
                "go": "stay",
            },
            allowed={"enterprise_a"},
            effect=lambda o, role: (
                Assessment.objects.get(pk=o["draft_a_assessment"].pk).answers
                == {"STRAT.L1.1": "FULL"}
            ),
        ),
    ],
    "assessments:autosave": [
        post(
            {"pk": "draft_a_assessment"},
            everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=OK, enterprise_b=NOT_FOUND),
            data=lambda o, role: {
                "kind": "answer",
                "key": "STRAT.L1.1",
                "value": "MOSTLY",
                "version": _version("draft_a_assessment")(o),
            },
            allowed={"enterprise_a"},
            effect=lambda o, role: (
                Assessment.objects.get(pk=o["draft_a_assessment"].pk).answers
                == {"STRAT.L1.1": "MOSTLY"}
            ),
        )
    ],
    "assessments:submit": [
        get({"pk": "draft_a_assessment"}, ASSESSMENT_A),
        post(
            {"pk": "complete_draft_a"},
            ANSWER_POST,
            data=lambda o, role: {"version": _version("complete_draft_a")(o)},
            allowed={"enterprise_a"},
            effect=lambda o, role: not Assessment.objects.get(pk=o["complete_draft_a"].pk).is_draft,
        ),
    ],
    "assessments:report_pdf": [get({"pk": "assessment_a"}, ASSESSMENT_A)],
    "assessments:platform_new": [
        get({}, OWN_ENTERPRISE),
        post(
            {},
            OWN_ENTERPRISE_POST,
            data=lambda o, role: {
                "year": str(_year()),
                "score": "2.40",
                "level": "2",
                "assessed_on": f"{_year()}-03-02",
            },
            allowed=ENTERPRISES,
            effect=lambda o, role: PlatformResult.objects.filter(
                enterprise__users=o["users"][role], year=_year()
            ).exists(),
        ),
    ],
    "assessments:platform_report": [get({"pk": "platform_result_a"}, ASSESSMENT_A)],
    "assessments:platform_import": [
        get({}, IMPORTERS),
        post(
            {},
            everyone(
                FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=BAD_REQUEST, province=REDIRECT
            ),
            data=_import_file,
            allowed={"city_a", "province"},
            echoes_input=True,
            effect=lambda o, role: PlatformResult.objects.filter(
                enterprise=o["enterprise_a"], year=_year()
            ).exists(),
        ),
    ],
    "assessments:platform_template": [get({}, IMPORTERS)],
    "assessments:overview": [get({}, OFFICERS_ONLY)],
    "assessments:overview_export": [get({}, OFFICERS_ONLY), export_post("overview")],
    "assessments:models": [
        get({}, ADMIN_ONLY),
        post(
            {},
            everyone(FORBIDDEN, anonymous=LOGIN, admin=REDIRECT),
            data=_bank_file,
            allowed={"admin"},
            effect=lambda o, role: MaturityModelEdition.objects.filter(version="2.0.0").exists(),
        ),
    ],
    "assessments:model_items": [get({"pk": "edition"}, ADMIN_ONLY)],
    "assessments:model_activate": [
        post(
            {"pk": "edition_inactive"},
            everyone(FORBIDDEN, anonymous=LOGIN, admin=REDIRECT),
            data=lambda o, role: {},
            allowed={"admin"},
            effect=lambda o, role: (
                MaturityModelEdition.objects.get(pk=o["edition_inactive"].pk).is_active
            ),
        )
    ],
}

# The page's own form carries every field of a screen; used by the version probe.
SECTION_FORM = lambda o, role: page_form(  # noqa: E731
    o,
    role,
    {"enterprise_a"},
    reverse("assessments:section", args=[o["draft_a_assessment"].pk, "STRATEGY"]),
    form_id="questionnaire",
)
