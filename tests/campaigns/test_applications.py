"""An enterprise's application: draft, materials checked by content, submission with the
conditions checked against the recorded settings; return and resubmit keep everything."""

import pytest
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.campaigns.errors import ServiceError
from factorytiers.campaigns.models import Application, Material, Notification, Transition
from factorytiers.campaigns.services import applications
from tests.campaigns.conftest import (
    PDF,
    docx_bytes,
    draft,
    scenarios,
    step,
    upload,
    with_materials,
)
from tests.conftest import make_user


def test_an_enterprise_creates_a_draft_through_the_form(client, users, advanced_task, factory_a):
    client.force_login(users["enterprise_a"])
    ids = [s.pk for s in scenarios(9, 22, 30)]
    response = client.post(
        reverse("campaigns:application_create", args=[advanced_task.pk]),
        {
            "factory": factory_a.pk,
            "project_name": "  晋华一厂  智能工厂 ",
            "maturity_level": 3,
            "scenarios": ids,
            "ai_scenarios": ids[:1],
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert (application.state, application.kind, application.project_name) == (
        "draft",
        "先进级",
        "晋华一厂 智能工厂",
    )
    assert application.unit == factory_a.enterprise.unit
    assert application.scenarios.filter(uses_ai=True).count() == 1
    page = client.get(
        reverse("campaigns:application_detail", args=[application.pk])
    ).content.decode()
    assert "草稿，尚未提交" in page and "condition-met" in page


def test_bad_input_names_the_field_and_saves_nothing(client, users, advanced_task, factory_a):
    client.force_login(users["enterprise_a"])
    ai_only = [scenarios(9)[0].pk]
    response = client.post(
        reverse("campaigns:application_create", args=[advanced_task.pk]),
        {"factory": factory_a.pk, "project_name": "", "ai_scenarios": ai_only},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "项目名称：" in content and "其中应用人工智能的场景：" in content
    assert not Application.objects.exists()


def test_another_enterprises_factory_cannot_be_chosen(client, users, advanced_task, factory_b):
    client.force_login(users["enterprise_a"])
    response = client.post(
        reverse("campaigns:application_create", args=[advanced_task.pk]),
        {"factory": factory_b.pk, "project_name": "项目"},
    )
    assert response.status_code == 400 and not Application.objects.exists()


def test_uploads_keep_every_version_under_generated_names(client, users, advanced_task, factory_a):
    application = draft(users["enterprise_a"], advanced_task, factory_a)
    client.force_login(users["enterprise_a"])
    url = reverse("campaigns:material_upload", args=[application.pk])
    for _ in range(2):
        client.post(url, {"slot": "form_pdf", "file": upload("../../申报书.pdf", PDF)})
    versions = list(Material.objects.filter(slot="form_pdf").order_by("number"))
    assert [m.number for m in versions] == [1, 2]
    assert all(
        m.file.name.startswith("materials/") and m.file.name.endswith(".pdf") for m in versions
    )
    assert "申报书" not in versions[0].file.name
    download = client.get(reverse("campaigns:material_download", args=[versions[0].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "slot", "message"),
    [
        ("申报书.pdf", b"MZ\x90\x00" + b"\x00" * 100, "form_pdf", "Windows 可执行文件"),
        ("申报书.docx", PDF, "form_docx", "此处只接受WORD(.docx)"),
        ("申报书.docx", b"PK\x03\x04broken", "form_docx", "损坏的压缩包"),
        ("x.pdf", PDF, "no_such_slot", "不存在"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(
    client, users, advanced_task, factory_a, name, content, slot, message
):
    application = draft(users["enterprise_a"], advanced_task, factory_a)
    client.force_login(users["enterprise_a"])
    response = client.post(
        reverse("campaigns:material_upload", args=[application.pk]),
        {"slot": slot, "file": upload(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Material.objects.exists()


def test_the_size_limit_comes_from_the_campaign_settings(users, advanced_task, factory_a, campaign):
    campaign.settings["max_upload_mb"] = 0
    campaign.save()
    application = draft(users["enterprise_a"], advanced_task, factory_a)

    with pytest.raises(ServiceError, match="超过"):
        applications.upload_material(
            actor=users["enterprise_a"],
            application=application,
            slot="form_pdf",
            upload=upload("a.pdf", PDF),
        )


def test_submission_needs_the_mandatory_materials(client, users, advanced_task, factory_a):
    application = draft(users["enterprise_a"], advanced_task, factory_a)
    client.force_login(users["enterprise_a"])
    response = client.post(
        reverse("campaigns:application_action", args=[application.pk]),
        {"action": "submit"},
        follow=True,
    )
    assert "申报书（WORD版）、申报书（PDF版）" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "draft" and not Transition.objects.exists()


def test_submission_records_the_settings_and_the_conditions_and_notifies(
    client, users, advanced_task, factory_a, campaign, django_capture_on_commit_callbacks
):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a)
    )
    client.force_login(users["enterprise_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("campaigns:application_action", args=[application.pk]),
            {"action": "submit", "version": application.version},
        )
    application.refresh_from_db()
    assert application.state == "submitted" and application.submitted_at
    assert application.settings_snapshot == campaign.settings
    assert {c["code"]: c["outcome"] for c in application.condition_results}["coverage"] == "met"
    assert Notification.objects.filter(recipient=users["city_a"]).exists()
    assert AuditEntry.objects.filter(action="application.submit").exists()
    # A later change of the settings does not change what the application was checked against.
    campaign.settings["tiers"]["先进级"]["min_maturity_level"] = 5
    campaign.save()
    application.refresh_from_db()
    assert application.settings_snapshot["tiers"]["先进级"]["min_maturity_level"] == 2


def test_return_and_resubmit_keep_every_version_and_comment(
    client, users, advanced_task, factory_a
):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a)
    )
    enterprise, city = users["enterprise_a"], users["city_a"]
    action = reverse("campaigns:application_action", args=[application.pk])

    def act(name, comment=""):
        application.refresh_from_db()
        data = {"action": name, "comment": comment, "version": application.version}
        return client.post(action, data)

    client.force_login(enterprise)
    act("submit")
    client.force_login(city)
    act("return", "请补充财务报表")
    client.force_login(enterprise)
    page = client.get(
        reverse("campaigns:application_detail", args=[application.pk])
    ).content.decode()
    assert "已退回，请按意见修改后重新提交" in page and "请补充财务报表" in page
    client.post(
        reverse("campaigns:material_upload", args=[application.pk]),
        {"slot": "form_docx", "file": upload("申报书v2.docx", docx_bytes())},
    )
    act("submit")
    client.force_login(city)
    act("return", "场景说明不清")
    application.refresh_from_db()
    assert application.state == "returned"
    assert list(Material.objects.filter(slot="form_docx").values_list("number", flat=True)) == [
        2,
        1,
    ]
    comments = list(
        Transition.objects.filter(to_state="returned").values_list("comment", flat=True)
    )
    assert comments == ["请补充财务报表", "场景说明不清"]
    assert Transition.objects.filter(application=application).count() == 4


def test_a_return_without_a_comment_is_refused(client, users, advanced_task, factory_a):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a)
    )

    step(users["enterprise_a"], application, "submit")
    client.force_login(users["city_a"])
    client.post(
        reverse("campaigns:application_action", args=[application.pk]), {"action": "return"}
    )
    application.refresh_from_db()
    assert application.state == "submitted"


def test_a_second_editor_is_told_of_the_conflict(
    client, users, advanced_task, factory_a, enterprise_a
):
    application = draft(users["enterprise_a"], advanced_task, factory_a, project="原项目")
    url = reverse("campaigns:application_edit", args=[application.pk])
    stale = {
        "factory": factory_a.pk,
        "project_name": "第二人的名称",
        "version": application.version,
    }
    client.force_login(users["enterprise_a"])
    first = client.post(
        url,
        {"factory": factory_a.pk, "project_name": "第一人的名称", "version": application.version},
    )
    assert first.status_code == 302
    client.force_login(make_user("ent_a2", "enterprise", enterprise=enterprise_a))
    second = client.post(url, stale)
    content = second.content.decode()
    assert second.status_code == 409 and 'id="edit-conflict"' in content
    assert "第二人的名称" in content  # the second editor's input is kept
    application.refresh_from_db()
    assert application.project_name == "第一人的名称"


def test_a_second_officer_acting_on_a_stale_page_is_told_and_nothing_changes(
    client, users, advanced_task, factory_a, unit_a
):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a)
    )

    application = step(users["enterprise_a"], application, "submit")
    opened = application.version
    action = reverse("campaigns:application_action", args=[application.pk])
    client.force_login(users["city_a"])
    client.post(action, {"action": "recommend", "version": opened})
    client.force_login(make_user("city_a2", "city", unit=unit_a))
    response = client.post(
        action, {"action": "reject", "comment": "不符合", "version": opened}, follow=True
    )
    assert "已被他人修改" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "recommended"


def test_another_unit_cannot_see_or_act(client, users, advanced_task, factory_a):
    application = draft(users["enterprise_a"], advanced_task, factory_a)
    client.force_login(users["city_b"])
    assert (
        client.get(reverse("campaigns:application_detail", args=[application.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("campaigns:application_action", args=[application.pk]),
            {"action": "reject", "comment": "x"},
        ).status_code
        == 404
    )


def test_the_action_endpoint_refuses_get(client, users, advanced_task, factory_a):
    application = draft(users["enterprise_a"], advanced_task, factory_a)
    client.force_login(users["enterprise_a"])
    assert (
        client.get(reverse("campaigns:application_action", args=[application.pk])).status_code
        == 405
    )
