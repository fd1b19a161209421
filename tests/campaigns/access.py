"""Authorization matrix entries of the campaigns app (see tests/access.py)."""

from datetime import UTC, date, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorytiers.accounts.models import Role, User
from factorytiers.campaigns.models import (
    Application,
    Campaign,
    ExpertAssignment,
    FactoryScenario,
    Material,
    Notification,
    Objection,
    OverseasRecommendation,
    Publicity,
    Scenario,
    Score,
    Submission,
    Task,
)
from factorytiers.enterprises.models import Factory, TierRecognition
from factorytiers.reference.models import Country
from tests.access import (
    BAD_REQUEST,
    CONFLICT,
    ENTERPRISE_A_PAGE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    everyone,
    get,
    page_form,
    post,
)

SAMPLE_PDF = "materials/matrix/sample.pdf"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _campaign(objects):
    return Campaign.objects.get(year=2026)


def _task(kind):
    return lambda objects: objects["campaign_2026"].tasks.get(kind=kind)


def _application(key, *, state, task="task_advanced", kind="先进级", **fields):
    """An application of enterprise A in ``state`` (made directly: the matrix is about access)."""

    def make(objects):
        users = objects["users"]
        return Application.objects.create(
            campaign=objects["campaign_2026"],
            task=objects[task],
            kind=kind,
            enterprise=objects["enterprise_a"],
            unit=objects["enterprise_a"].unit,
            factory=objects["factory_a"],
            project_name=f"晋华一厂智能工厂（{key}）",
            state=state,
            created_by=users["enterprise_a"],
            **fields,
        )

    return make


def _material(objects):
    if not default_storage.exists(SAMPLE_PDF):
        default_storage.save(SAMPLE_PDF, ContentFile(PDF))
    return Material.objects.create(
        application=objects["application_a"],
        slot="form_pdf",
        number=1,
        file=SAMPLE_PDF,
        original_name="申报书.pdf",
        kind="pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=objects["users"]["enterprise_a"],
    )


def _reported(objects):
    """Unit A's report of the advanced task, sent to the province with one application."""
    objects["reviewing_a"]
    return Submission.objects.create(
        task=objects["task_advanced"],
        unit=objects["enterprise_a"].unit,
        state=Submission.State.SUBMITTED,
        submitted_at=datetime(2026, 5, 5, 10, tzinfo=UTC),
    )


def _with_file(submission):
    submission.recommendation_file.save("r.pdf", ContentFile(PDF), save=False)
    submission.recommendation_file_name = "推荐文件.pdf"
    submission.save()
    return submission


def _assignment(expert_key):
    def make(objects):
        users = objects["users"]
        expert = users["expert"] if expert_key == "expert" else objects[expert_key]
        return ExpertAssignment.objects.create(
            application=objects["under_review_a"], expert=expert, assigned_by=users["province"]
        )

    return make


def _batch(objects):
    return Publicity.objects.create(
        task=objects["task_advanced"],
        starts_on=date(2026, 6, 11),
        ends_on=date(2026, 6, 17),
        opened_by=objects["users"]["province"],
    )


def _publicized(objects):
    return _application(
        "publicity_a", state="publicity", city_rank=1, publicity=objects["publicity_batch_a"]
    )(objects)


def _stamped_report(objects):
    objects["ranked_a"]
    return Submission.objects.create(
        task=objects["task_advanced"],
        unit=objects["enterprise_a"].unit,
        recommendation_file=ContentFile(PDF, name="r.pdf"),
        recommendation_file_name="推荐文件.pdf",
    )


def _recognition(objects):
    return TierRecognition.objects.create(
        factory=objects["factory_a"],
        tier="基础级",
        year=2025,
        recognized_by="unit",
        document_number="并工信发〔2025〕1号",
        recognized_on="2025-10-01",
    )


def _overseas(objects):
    factory = Factory.objects.create(
        enterprise=objects["enterprise_a"],
        name="晋华印尼工厂",
        location="雅加达",
        is_overseas=True,
        country=Country.objects.get(iso2="ID"),
    )
    return OverseasRecommendation.objects.create(
        task=objects["task_overseas"],
        enterprise=objects["enterprise_a"],
        unit=objects["enterprise_a"].unit,
        factory=factory,
        self_assessed_level="先进级",
        sector="装备制造",
        employees=300,
        revenue_wan=20000,
        introduction="印尼工厂简介",
        contact="张伟 13912345678",
        created_by=objects["users"]["enterprise_a"],
    )


OBJECTS = {
    "campaign_2026": _campaign,
    "task_advanced": _task(Task.Kind.ADVANCED),
    "task_overseas": _task(Task.Kind.OVERSEAS),
    "task_ongoing": _task(Task.Kind.ONGOING),
    "task_excellent": _task(Task.Kind.EXCELLENT),
    "application_a": _application("submitted_a", state="submitted"),
    "draft_a": _application("draft_a", state="draft"),
    "basic_a": _application("basic_a", state="submitted", task="task_ongoing", kind="基础级"),
    "recommended_a": _application("recommended_a", state="recommended"),
    "ranked_a": _application("ranked_a", state="recommended", city_rank=1),
    "reviewing_a": _application("reviewing_a", state="at_province", city_rank=1),
    "under_review_a": _application("under_review_a", state="under_review", city_rank=1),
    "listed_a": _application("listed_a", state="listed", city_rank=1),
    "publicity_batch_a": _batch,
    "publicity_a": _publicized,
    "stamped_report_a": _stamped_report,
    "ministry_a": _application(
        "ministry_a",
        state="province_recommended",
        task="task_excellent",
        kind="卓越级",
        city_rank=1,
    ),
    "material_a": _material,
    "submission_a": _reported,
    "reported_with_file_a": lambda o: _with_file(o["submission_a"]),
    "assignment_expert": _assignment("expert"),
    "expert_other": lambda o: User.objects.create(username="expert_other", role=Role.EXPERT),
    "assignment_other": _assignment("expert_other"),
    "recognition_a": _recognition,
    "overseas_a": _overseas,
    "notification_city_a": lambda o: Notification.objects.create(
        recipient=o["users"]["city_a"], kind="text", params={"text": "测试通知"}, link="/"
    ),
}


def _state(key):
    return lambda o: Application.objects.get(pk=o[key].pk).state


ALL_LOGGED_IN = everyone(OK, anonymous=LOGIN)
WORKS_ON_CAMPAIGNS = everyone(OK, anonymous=LOGIN, admin=FORBIDDEN)
# Pages about an application of enterprise A: an expert who is not assigned to it finds nothing.
APPLICATION_A = dict(ENTERPRISE_A_PAGE, expert=NOT_FOUND)
# A POST about an application of enterprise A: whoever cannot see it gets 404; who can see it
# and may not act is refused (403).
APPLICATION_A_POST = everyone(
    NOT_FOUND,
    anonymous=LOGIN,
    admin=FORBIDDEN,
    enterprise_a=FORBIDDEN,
    city_a=FORBIDDEN,
    province=FORBIDDEN,
)
PROVINCE_POST = everyone(FORBIDDEN, anonymous=LOGIN, province=REDIRECT)
PROVINCE_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, province=OK)
CITY_POST = everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=REDIRECT)
PROVINCE = {"province"}
CITY_A = {"city_a"}
OVERSEAS_EDITORS = {"enterprise_a", "city_a"}
# An entry of unit A's overseas list: its enterprise and its city; the province reads the list
# on the task page; others find nothing.
OVERSEAS_PAGE = everyone(
    NOT_FOUND,
    anonymous=LOGIN,
    enterprise_a=OK,
    city_a=OK,
    province=FORBIDDEN,
    expert=FORBIDDEN,
    admin=FORBIDDEN,
)


def _version(key):
    return lambda o: Application.objects.get(pk=o[key].pk).version


def _unit_version(o, task_key, role):
    unit = o["users"][role].unit if role.startswith("city") else o["enterprise_a"].unit
    stored = Submission.objects.filter(task=o[task_key], unit=unit).first()
    return stored.version if stored else 1


def _step(key, name, comment=""):
    return lambda o, role: {"action": name, "comment": comment, "version": _version(key)(o)}


def _bulk(key, action, **fields):
    """A confirmed bulk action on one application, at the version the list showed."""

    def data(o, role):
        extra = {k: v(o) if callable(v) else v for k, v in fields.items()}
        row = f"{o[key].pk}:{_version(key)(o)}"
        return {"action": action, "rows": [row], "confirmed": "1", **extra}

    return data


def _assigned(key):
    return lambda o, role: ExpertAssignment.objects.filter(application=o[key]).exists()


def _scores(o, role):
    sheet = o["campaign_2026"].settings["score_sheet"]
    return {
        **{f"points_{row['key']}": str(int(row["max_points"]) // 2) for row in sheet},
        "comment": "建设基础较好。",
    }


MATRIX = {
    "campaigns:list": [get({}, WORKS_ON_CAMPAIGNS)],
    "campaigns:detail": [get({"pk": "campaign_2026"}, WORKS_ON_CAMPAIGNS)],
    "campaigns:create": [
        get({}, PROVINCE_PAGE),
        post(
            {},
            PROVINCE_POST,
            data=lambda o, role: page_form(
                o, role, PROVINCE, reverse("campaigns:create"), form_id="campaign-form"
            ),
            allowed=PROVINCE,
            effect=lambda o, role: Campaign.objects.filter(year=2027).exists(),
        ),
    ],
    "campaigns:edit": [
        get({"pk": "campaign_2026"}, PROVINCE_PAGE),
        post(
            {"pk": "campaign_2026"},
            PROVINCE_POST,
            data=lambda o, role: page_form(
                o,
                role,
                PROVINCE,
                reverse("campaigns:edit", args=[o["campaign_2026"].pk]),
                form_id="campaign-form",
                contact_name="王明",
            ),
            allowed=PROVINCE,
            effect=lambda o, role: Campaign.objects.get(year=2026).contact_name == "王明",
        ),
    ],
    "campaigns:settings": [
        get({"pk": "campaign_2026"}, PROVINCE_PAGE),
        post(
            {"pk": "campaign_2026"},
            PROVINCE_POST,
            data=lambda o, role: page_form(
                o,
                role,
                PROVINCE,
                reverse("campaigns:settings", args=[o["campaign_2026"].pk]),
                form_id="settings-form",
                city_quota="9",
            ),
            allowed=PROVINCE,
            effect=lambda o, role: Campaign.objects.get(year=2026).settings["city_quota"] == 9,
        ),
    ],
    "campaigns:task": [
        get(
            {"pk": "task_advanced"},
            everyone(OK, anonymous=LOGIN, expert=FORBIDDEN, admin=FORBIDDEN),
        )
    ],
    "campaigns:task_close": [
        post(
            {"pk": "task_advanced"},
            PROVINCE_POST,
            data=lambda o, role: {"closed": "1"},
            allowed=PROVINCE,
            effect=lambda o, role: Task.objects.get(pk=o["task_advanced"].pk).is_closed,
        )
    ],
    "campaigns:application_create": [
        get(
            {"pk": "task_advanced"},
            everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=OK, enterprise_b=OK),
        ),
        post(
            {"pk": "task_advanced"},
            everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=REDIRECT, enterprise_b=REDIRECT),
            data=lambda o, role: {
                "factory": (o["factory_b"] if role == "enterprise_b" else o["factory_a"]).pk,
                "project_name": "新建申报项目",
                "maturity_level": "3",
            },
            allowed={"enterprise_a", "enterprise_b"},
            effect=lambda o, role: Application.objects.filter(
                project_name="新建申报项目", enterprise__users=o["users"][role]
            ).exists(),
        ),
    ],
    "campaigns:rank": [
        post(
            {"pk": "task_advanced"},
            dict(CITY_POST, city_b=CONFLICT),  # unit A's application: not on its list
            data=lambda o, role: {
                f"rank_{o['recommended_a'].pk}": "1",
                "version": _unit_version(o, "task_advanced", role),
            },
            allowed=CITY_A,
            effect=lambda o, role: Application.objects.get(pk=o["recommended_a"].pk).city_rank == 1,
        )
    ],
    "campaigns:submit_recommendation": [
        post(
            {"pk": "task_advanced"},
            dict(CITY_POST, city_b=BAD_REQUEST),  # its own list, refused as it stands
            data=lambda o, role: {
                "report": o["stamped_report_a"].pk,
                "version": _unit_version(o, "task_advanced", role),
            },
            allowed=CITY_A,
            effect=lambda o, role: _state("ranked_a")(o) == "at_province",
        )
    ],
    "campaigns:fix_list": [
        post(
            {"pk": "task_advanced"},
            PROVINCE_POST,
            data=lambda o, role: {
                "selected": [o["reviewing_a"].pk],
                "shown": str(o["reviewing_a"].pk),
            },
            allowed=PROVINCE,
            effect=lambda o, role: _state("reviewing_a")(o) == "listed",
        )
    ],
    "campaigns:open_publicity": [
        post(
            {"pk": "task_advanced"},
            PROVINCE_POST,
            data=lambda o, role: {"starts_on": "2026-06-11", "listed": o["listed_a"].pk},
            allowed=PROVINCE,
            effect=lambda o, role: _state("listed_a")(o) == "publicity",
        )
    ],
    "campaigns:record_recognition": [
        post(
            {"pk": "publicity_batch_a"},
            PROVINCE_POST,
            data=lambda o, role: {
                "document_number": "晋工信装备字〔2026〕88号",
                "recognized_on": "2026-06-22",
                "publicized": o["publicity_a"].pk,
            },
            allowed=PROVINCE,
            effect=lambda o, role: _state("publicity_a")(o) == "recognized",
        )
    ],
    "campaigns:overseas_create": [
        get(
            {"pk": "task_overseas"},
            everyone(
                FORBIDDEN,
                anonymous=LOGIN,
                enterprise_a=OK,
                enterprise_b=OK,
                city_a=REDIRECT,  # to the enterprise picker
                city_b=REDIRECT,
            ),
        ),
        post(
            {"pk": "task_overseas"},
            everyone(
                FORBIDDEN,
                anonymous=LOGIN,
                enterprise_a=REDIRECT,
                enterprise_b=BAD_REQUEST,  # the factory is not its own: the form refuses it
                city_a=REDIRECT,
                city_b=REDIRECT,
            ),
            data=lambda o, role: {
                "factory": o["overseas_factory_a"].pk,
                "self_assessed_level": "先进级",
                "sector": "装备制造",
                "employees": "300",
                "revenue_wan": "20000",
                "introduction": "印尼工厂简介",
                "contact": "张伟 13912345678",
            },
            allowed={"enterprise_a"},
            effect=lambda o, role: OverseasRecommendation.objects.exists(),
        ),
    ],
    "campaigns:overseas_pick": [
        get({"pk": "task_overseas"}, everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK))
    ],
    "campaigns:overseas_select": [
        post(
            {"pk": "task_overseas"},
            dict(CITY_POST, city_b=CONFLICT),  # unit A's entry: not on its list
            data=lambda o, role: {
                f"rank_{o['overseas_a'].pk}": "1",
                "version": _unit_version(o, "task_overseas", role),
            },
            allowed=CITY_A,
            effect=lambda o, role: (
                OverseasRecommendation.objects.get(pk=o["overseas_a"].pk).selected
            ),
        )
    ],
    "campaigns:return_submission": [
        post(
            {"pk": "submission_a"},
            everyone(FORBIDDEN, anonymous=LOGIN, province=REDIRECT, city_a=FORBIDDEN),
            data=lambda o, role: {
                "comment": "请补充材料",
                "version": Submission.objects.get(pk=o["submission_a"].pk).version,
            },
            allowed=PROVINCE,
            effect=lambda o, role: (
                Submission.objects.get(pk=o["submission_a"].pk).state == Submission.State.RETURNED
            ),
        )
    ],
    "campaigns:applications": [
        get({}, everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, province=OK))
    ],
    "campaigns:applications_bulk": [
        # The city returns its unit's application; another unit's is not found; the province
        # is not offered that action (a refused form, 400).
        post(
            {},
            everyone(
                FORBIDDEN,
                anonymous=LOGIN,
                city_a=REDIRECT,
                city_b=NOT_FOUND,
                province=BAD_REQUEST,
            ),
            data=_bulk("application_a", "return", comment="请补充智能化改造投资明细。"),
            allowed=CITY_A,
            effect=lambda o, role: _state("application_a")(o) == "returned",
        ),
        # The province assigns an expert; a city is not offered that action (400).
        post(
            {},
            everyone(
                FORBIDDEN,
                anonymous=LOGIN,
                city_a=BAD_REQUEST,
                city_b=BAD_REQUEST,
                province=REDIRECT,
            ),
            data=_bulk("reviewing_a", "assign", expert=lambda o: o["users"]["expert"].pk),
            allowed=PROVINCE,
            effect=_assigned("reviewing_a"),
        ),
    ],
    "campaigns:application_detail": [get({"pk": "application_a"}, APPLICATION_A)],
    "campaigns:application_edit": [
        get({"pk": "draft_a"}, dict(APPLICATION_A, city_a=FORBIDDEN, province=FORBIDDEN)),
        post(
            {"pk": "draft_a"},
            dict(APPLICATION_A_POST, enterprise_a=REDIRECT),
            data=lambda o, role: page_form(
                o,
                role,
                {"enterprise_a"},
                reverse("campaigns:application_edit", args=[o["draft_a"].pk]),
                form_id="application-form",
                project_name="改过名字的项目",
            ),
            allowed={"enterprise_a"},
            effect=lambda o, role: (
                Application.objects.get(pk=o["draft_a"].pk).project_name == "改过名字的项目"
            ),
        ),
    ],
    "campaigns:application_action": [
        post(
            {"pk": "application_a"},
            dict(APPLICATION_A_POST, city_a=REDIRECT),
            data=_step("application_a", "recommend"),
            allowed=CITY_A,
            effect=lambda o, role: _state("application_a")(o) == "recommended",
        )
    ],
    "campaigns:material_upload": [
        post(
            {"pk": "draft_a"},
            dict(APPLICATION_A_POST, enterprise_a=REDIRECT),
            data=lambda o, role: {
                "slot": "form_pdf",
                "file": SimpleUploadedFile("申报书.pdf", PDF),
            },
            allowed={"enterprise_a"},
            effect=lambda o, role: Material.objects.filter(application=o["draft_a"]).exists(),
        )
    ],
    "campaigns:recognize_basic": [
        post(
            {"pk": "basic_a"},
            everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND),
            data=lambda o, role: {
                "document_number": "并工信发〔2026〕7号",
                "recognized_on": "2026-09-01",
                "version": _version("basic_a")(o),
            },
            allowed=CITY_A,
            effect=lambda o, role: _state("basic_a")(o) == "recognized",
        )
    ],
    "campaigns:assign_expert": [
        post(
            {"pk": "reviewing_a"},
            PROVINCE_POST,
            data=lambda o, role: {"expert": o["users"]["expert"].pk},
            allowed=PROVINCE,
            effect=lambda o, role: ExpertAssignment.objects.filter(
                application=o["reviewing_a"]
            ).exists(),
        )
    ],
    "campaigns:record_objection": [
        post(
            {"pk": "publicity_a"},
            PROVINCE_POST,
            data=lambda o, role: {"received_on": "2026-06-12", "content": "对申报数据有异议"},
            allowed=PROVINCE,
            effect=lambda o, role: Objection.objects.exists(),
        )
    ],
    "campaigns:material_download": [get({"pk": "material_a"}, APPLICATION_A)],
    "campaigns:assignments": [get({}, everyone(FORBIDDEN, anonymous=LOGIN, expert=OK))],
    "campaigns:score": [
        get(
            {"pk": "assignment_other"},
            everyone(FORBIDDEN, anonymous=LOGIN, expert=NOT_FOUND),
        ),
        post(
            {"pk": "assignment_expert"},
            everyone(FORBIDDEN, anonymous=LOGIN, expert=REDIRECT),
            data=_scores,
            allowed={"expert"},
            effect=lambda o, role: Score.objects.exists(),
        ),
    ],
    "campaigns:declare_conflict": [
        post(
            {"pk": "assignment_expert"},
            everyone(FORBIDDEN, anonymous=LOGIN, expert=REDIRECT),
            data=lambda o, role: {"note": "本人曾为该企业提供咨询"},
            allowed={"expert"},
            effect=lambda o, role: (
                ExpertAssignment.objects.get(pk=o["assignment_expert"].pk).has_conflict
            ),
        )
    ],
    "campaigns:factory_tiers": [get({"pk": "factory_a"}, ENTERPRISE_A_PAGE)],
    "campaigns:factory_scenarios": [
        post(
            {"pk": "factory_a"},
            everyone(
                NOT_FOUND,
                anonymous=LOGIN,
                enterprise_a=REDIRECT,
                city_a=REDIRECT,
                province=FORBIDDEN,
                expert=FORBIDDEN,
                admin=FORBIDDEN,
            ),
            data=lambda o, role: {
                "scenarios": [Scenario.objects.order_by("pk").first().pk],
                "version": Factory.objects.get(pk=o["factory_a"].pk).version,
            },
            allowed={"enterprise_a", "city_a"},
            effect=lambda o, role: FactoryScenario.objects.filter(factory=o["factory_a"]).exists(),
        )
    ],
    "campaigns:revoke_recognition": [
        post(
            {"pk": "recognition_a"},
            PROVINCE_POST,
            data=lambda o, role: {
                "reason": "发生较大安全事故",
                "revoked_on": "2026-09-01",
                "version": o["recognition_a"].version,
            },
            allowed=PROVINCE,
            effect=lambda o, role: TierRecognition.objects.get(pk=o["recognition_a"].pk).revoked,
        )
    ],
    "campaigns:unit_files": [
        post(
            {"pk": "task_advanced"},
            CITY_POST,
            data=lambda o, role: {
                "file": SimpleUploadedFile("推荐文件.pdf", PDF),
                "paper_copies": "7",
                "paper_sent_on": "2026-05-05",
                "version": _unit_version(o, "task_advanced", role),
            },
            allowed={"city_a", "city_b"},
            effect=lambda o, role: (
                Submission.objects.get(
                    task=o["task_advanced"], unit=o["users"][role].unit
                ).paper_copies
                == 7
            ),
        )
    ],
    "campaigns:recommendation_file": [
        get(
            {"pk": "reported_with_file_a"},
            everyone(
                NOT_FOUND,
                anonymous=LOGIN,
                expert=FORBIDDEN,
                admin=FORBIDDEN,
                city_a=OK,
                province=OK,
            ),
        )
    ],
    "campaigns:overseas_edit": [
        get({"pk": "overseas_a"}, OVERSEAS_PAGE),
        post(
            {"pk": "overseas_a"},
            dict(OVERSEAS_PAGE, enterprise_a=REDIRECT, city_a=REDIRECT),
            data=lambda o, role: page_form(
                o,
                role,
                OVERSEAS_EDITORS,
                reverse("campaigns:overseas_edit", args=[o["overseas_a"].pk]),
                form_id="overseas-form",
                employees="320",
            ),
            allowed=OVERSEAS_EDITORS,
            effect=lambda o, role: (
                OverseasRecommendation.objects.get(pk=o["overseas_a"].pk).employees == 320
            ),
        ),
    ],
    "campaigns:overseas_remove": [
        post(
            {"pk": "overseas_a"},
            dict(OVERSEAS_PAGE, enterprise_a=REDIRECT, city_a=REDIRECT),
            data=lambda o, role: {"version": o["overseas_a"].version},
            allowed=OVERSEAS_EDITORS,
            effect=lambda o, role: (
                not OverseasRecommendation.objects.filter(pk=o["overseas_a"].pk).exists()
            ),
        )
    ],
    "campaigns:override_conditions": [
        post(
            {"pk": "application_a"},
            everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND),
            data=lambda o, role: {
                "reason": "规上名录另行核实",
                "version": _version("application_a")(o),
            },
            allowed=CITY_A,
            effect=lambda o, role: (
                Application.objects.get(pk=o["application_a"].pk).condition_override
                == "规上名录另行核实"
            ),
        )
    ],
    "campaigns:ministry_result": [
        post(
            {"pk": "ministry_a"},
            PROVINCE_POST,
            data=lambda o, role: {
                "passed": "1",
                "document_number": "工信厅通装函〔2026〕300号",
                "decided_on": "2026-11-20",
                "version": _version("ministry_a")(o),
            },
            allowed=PROVINCE,
            effect=lambda o, role: _state("ministry_a")(o) == "recognized",
        )
    ],
    "campaigns:notifications": [get({}, ALL_LOGGED_IN)],
    "campaigns:notification_read": [
        post(
            {"pk": "notification_city_a"},
            everyone(NOT_FOUND, anonymous=LOGIN, city_a=REDIRECT),
            data=lambda o, role: {},
            allowed=CITY_A,
            effect=lambda o, role: Notification.objects.get(pk=o["notification_city_a"].pk).is_read,
        )
    ],
}

OBJECTS["overseas_factory_a"] = lambda o: Factory.objects.create(
    enterprise=o["enterprise_a"],
    name="晋华越南工厂",
    location="河内",
    is_overseas=True,
    country=Country.objects.get(iso2="VN"),
)
