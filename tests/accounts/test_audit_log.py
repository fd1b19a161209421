"""The audit log and the notifications read in plain words: action and field labels, 是/否,
names — never a code such as ``application.recommend`` or ``late: True``; notifications are
written in the reader's language when they are read."""

import re

from django.urls import reverse
from django.utils import translation

from factorytiers.accounts.models import AuditAction, AuditEntry
from factorytiers.campaigns import notify
from factorytiers.campaigns.models import Campaign, Notification, Task
from factorytiers.campaigns.services import submissions
from factorytiers.enterprises import services as enterprise_services
from tests.campaigns.conftest import recommended, stamped, step, submitted, unit_submission


def test_the_audit_log_speaks_plainly(client, users, factory_a, unit_a):
    campaign = Campaign.objects.get(year=2026)
    task = campaign.tasks.get(kind=Task.Kind.ADVANCED)
    application = recommended(users, task, factory_a)
    submissions.rank_applications(
        actor=users["city_a"],
        task=task,
        unit=unit_a,
        ranks={application.pk: 1},
        version=unit_submission(task, unit_a).version,
    )
    submissions.submit_recommendation(
        actor=users["city_a"], task=task, unit=unit_a, version=stamped(task, unit_a).version
    )
    enterprise = factory_a.enterprise
    enterprise_services.update_enterprise(
        actor=users["city_a"],
        enterprise=enterprise,
        data={"is_pilot_winner": True, "contact_name": "王芳"},
        version=enterprise.version,
    )
    client.force_login(users["province"])
    html = client.get(reverse("accounts:audit_log")).content.decode()
    page = re.sub(
        r"<[^>]+>", " ", re.search(r'<table[^>]*id="audit-log".*?</table>', html, re.S)[0]
    )
    for plain in (
        "同意推荐",
        "报送省级",
        "上传申报材料",
        "修改企业信息",
        "智能制造示范工厂揭榜单位：否 → 是",
    ):
        assert plain in page, plain
    assert "企业联系人：张伟 → 王芳" in page
    for code in ("application.recommend", "submission.submit", "late", "True", "sha256"):
        assert code not in page, code


def test_an_entry_with_a_key_named_items_is_shown(client, users):
    AuditEntry.objects.create(
        actor=users["admin"],
        action=AuditAction.MATURITY_MODEL_IMPORT,
        target_type="assessments.maturitymodeledition",
        target_id="1",
        target_label="GB/T 39116-2020 v2",
        changes={"facts": {"items": 300, "active": True}},
    )
    client.force_login(users["admin"])
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "条目数：300" in page and "启用：是" in page


def test_a_notification_is_written_in_the_readers_language(users, factory_a):
    campaign = Campaign.objects.get(year=2026)
    application = submitted(users, campaign.tasks.get(kind=Task.Kind.ADVANCED), factory_a)
    with translation.override("en"):
        step(users["city_a"], application, "return", "请补充材料")  # the actor reads English
    application.refresh_from_db()
    notify.application_changed(application, "请补充材料")
    notification = Notification.objects.filter(recipient=users["enterprise_a"]).latest("pk")
    assert notification.params["state"] == "returned"
    with translation.override("zh-hans"):
        assert notify.message(notification) == (
            "“智能工厂建设项目”状态：已退回，请按意见修改后重新提交。意见：请补充材料"
        )
    with translation.override("en"):
        assert notify.message(notification).startswith("“智能工厂建设项目” status:")


def test_the_enterprise_history_names_values(client, users, enterprise_a):
    enterprise_services.update_enterprise(
        actor=users["city_a"],
        enterprise=enterprise_a,
        data={"is_pilot_winner": True},
        version=enterprise_a.version,
    )
    client.force_login(users["city_a"])
    page = client.get(reverse("enterprises:history", args=[enterprise_a.pk])).content.decode()
    assert "智能制造示范工厂揭榜单位：否 → 是" in page
    assert "False" not in page and "True" not in page
