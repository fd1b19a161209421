"""Authorization matrix entries of the campaigns app (see tests/access.py)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from factorytiers.accounts.models import Role, User
from factorytiers.campaigns.models import (
    Application,
    Campaign,
    ExpertAssignment,
    Material,
    Notification,
    Submission,
)
from factorytiers.enterprises.models import TierRecognition
from tests.access import (
    ENTERPRISE_A_PAGE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    everyone,
)

SAMPLE_PDF = "materials/matrix/sample.pdf"


def make_objects(objects):
    users = objects["users"]
    campaign = Campaign.objects.get(year=2026)
    advanced = campaign.tasks.get(kind="advanced")
    objects["campaign_2026"] = campaign
    objects["task_advanced"] = advanced
    objects["task_overseas"] = campaign.tasks.get(kind="overseas")
    application = Application.objects.create(
        campaign=campaign,
        task=advanced,
        kind="先进级",
        enterprise=objects["enterprise_a"],
        unit=objects["enterprise_a"].unit,
        factory=objects["factory_a"],
        project_name="晋华一厂智能工厂",
        state="submitted",
        created_by=users["enterprise_a"],
    )
    objects["application_a"] = application
    if not default_storage.exists(SAMPLE_PDF):
        default_storage.save(SAMPLE_PDF, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    objects["material_a"] = Material.objects.create(
        application=application,
        slot="form_pdf",
        number=1,
        file=SAMPLE_PDF,
        original_name="申报书.pdf",
        kind="pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=users["enterprise_a"],
    )
    objects["submission_a"] = Submission.objects.create(
        task=advanced, unit=application.unit, state="submitted"
    )
    other_expert = User.objects.create(username="expert_other", role=Role.EXPERT)
    objects["assignment_other"] = ExpertAssignment.objects.create(
        application=application, expert=other_expert, assigned_by=users["province"]
    )
    objects["recognition_a"] = TierRecognition.objects.create(
        factory=objects["factory_a"],
        tier="基础级",
        year=2025,
        recognized_by="unit",
        document_number="并工信发〔2025〕1号",
        recognized_on="2025-10-01",
    )
    objects["notification_city_a"] = Notification.objects.create(
        recipient=users["city_a"], text="测试通知", link="/"
    )


ALL_LOGGED_IN = everyone(OK, anonymous=LOGIN)
APPLICATION_A = dict(ENTERPRISE_A_PAGE, expert=NOT_FOUND)
APPLICATION_A_POST = everyone(
    NOT_FOUND,
    anonymous=LOGIN,
    enterprise_a=REDIRECT,
    city_a=REDIRECT,
    province=REDIRECT,
    admin=REDIRECT,
)
PROVINCE_POST = everyone(FORBIDDEN, anonymous=LOGIN, province=REDIRECT, admin=REDIRECT)
PROVINCE_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, province=OK, admin=OK)
CITY_POST = everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=REDIRECT, admin=REDIRECT)

MATRIX = {
    "campaigns:list": ("get", {}, ALL_LOGGED_IN),
    "campaigns:detail": ("get", {"pk": "campaign_2026"}, ALL_LOGGED_IN),
    "campaigns:task": (
        "get",
        {"pk": "task_advanced"},
        everyone(OK, anonymous=LOGIN, expert=FORBIDDEN),
    ),
    "campaigns:task_close": ("post", {"pk": "task_advanced"}, PROVINCE_POST),
    "campaigns:application_create": (
        "get",
        {"pk": "task_advanced"},
        everyone(FORBIDDEN, anonymous=LOGIN, enterprise_a=OK, enterprise_b=OK, admin=NOT_FOUND),
    ),
    "campaigns:rank": ("post", {"pk": "task_advanced"}, CITY_POST),
    "campaigns:submit_recommendation": ("post", {"pk": "task_advanced"}, CITY_POST),
    "campaigns:fix_list": ("post", {"pk": "task_advanced"}, PROVINCE_POST),
    "campaigns:open_publicity": ("post", {"pk": "task_advanced"}, PROVINCE_POST),
    "campaigns:record_recognition": ("post", {"pk": "task_advanced"}, PROVINCE_POST),
    "campaigns:overseas_create": (
        "get",
        {"pk": "task_overseas"},
        everyone(
            FORBIDDEN,
            anonymous=LOGIN,
            enterprise_a=OK,
            enterprise_b=OK,
            city_a=REDIRECT,  # to the enterprise picker
            city_b=REDIRECT,
            admin=REDIRECT,
        ),
    ),
    "campaigns:overseas_pick": (
        "get",
        {"pk": "task_overseas"},
        everyone(FORBIDDEN, anonymous=LOGIN, city_a=OK, city_b=OK, admin=OK),
    ),
    "campaigns:overseas_select": ("post", {"pk": "task_overseas"}, CITY_POST),
    "campaigns:return_submission": ("post", {"pk": "submission_a"}, PROVINCE_POST),
    "campaigns:application_detail": ("get", {"pk": "application_a"}, APPLICATION_A),
    "campaigns:application_edit": (
        "get",
        {"pk": "application_a"},
        everyone(
            NOT_FOUND,
            anonymous=LOGIN,
            enterprise_a=FORBIDDEN,
            city_a=FORBIDDEN,
            province=FORBIDDEN,
            admin=OK,
        ),
    ),
    "campaigns:application_action": ("post", {"pk": "application_a"}, APPLICATION_A_POST),
    "campaigns:material_upload": ("post", {"pk": "application_a"}, APPLICATION_A_POST),
    "campaigns:recognize_basic": (
        "post",
        {"pk": "application_a"},
        everyone(FORBIDDEN, anonymous=LOGIN, city_a=REDIRECT, city_b=NOT_FOUND, admin=REDIRECT),
    ),
    "campaigns:assign_expert": ("post", {"pk": "application_a"}, PROVINCE_POST),
    "campaigns:record_objection": ("post", {"pk": "application_a"}, PROVINCE_POST),
    "campaigns:material_download": ("get", {"pk": "material_a"}, APPLICATION_A),
    "campaigns:assignments": ("get", {}, everyone(FORBIDDEN, anonymous=LOGIN, expert=OK, admin=OK)),
    "campaigns:score": (
        "get",
        {"pk": "assignment_other"},
        everyone(FORBIDDEN, anonymous=LOGIN, expert=NOT_FOUND, admin=OK),
    ),
    "campaigns:declare_conflict": (
        "post",
        {"pk": "assignment_other"},
        everyone(FORBIDDEN, anonymous=LOGIN, expert=NOT_FOUND, admin=REDIRECT),
    ),
    "campaigns:factory_tiers": ("get", {"pk": "factory_a"}, ENTERPRISE_A_PAGE),
    "campaigns:factory_scenarios": (
        "post",
        {"pk": "factory_a"},
        everyone(
            NOT_FOUND,
            anonymous=LOGIN,
            enterprise_a=REDIRECT,
            city_a=REDIRECT,
            province=FORBIDDEN,
            expert=FORBIDDEN,
            admin=REDIRECT,
        ),
    ),
    "campaigns:revoke_recognition": ("post", {"pk": "recognition_a"}, PROVINCE_POST),
    "campaigns:notifications": ("get", {}, ALL_LOGGED_IN),
    "campaigns:notification_read": (
        "post",
        {"pk": "notification_city_a"},
        everyone(NOT_FOUND, anonymous=LOGIN, city_a=REDIRECT),
    ),
}

MATRIX.update(
    {
        "campaigns:create": ("get", {}, PROVINCE_PAGE),
        "campaigns:edit": ("get", {"pk": "campaign_2026"}, PROVINCE_PAGE),
        "campaigns:settings": ("get", {"pk": "campaign_2026"}, PROVINCE_PAGE),
    }
)
