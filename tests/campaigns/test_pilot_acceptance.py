"""揭榜单位验收: a 揭榜 enterprise fills the four parts of 附件3 with their uploads; the city
recommends in the order of 附件4 and submits to the province."""

from django.urls import reverse

from factorytiers.accounts.models import Role
from factorytiers.campaigns.models import Application, Material
from factorytiers.campaigns.services import applications
from factorytiers.documents.selectors import form4_rows
from tests.conftest import make_enterprise, make_user

from .conftest import PDF, docx_bytes, stamped, step, unit_submission, upload

PARTS = {
    "part1": "企业名称：太原晋华重工有限公司；地址：太原市小店区。",
    "part2": "营业收入较揭榜前增长18%，劳动生产率提升25%。",
    "part3": "围绕矿山装备柔性装配的痛点，建设数字孪生产线。",
    "part4": "形成离散装配智能工厂建设模式，已在省内三家企业推广。",
}


def pilot(enterprise):
    enterprise.is_pilot_winner = True
    enterprise.save()
    return enterprise


def acceptance_task(campaign):
    return campaign.tasks.get(kind="pilot_acceptance")


def apply(client, task, project="矿山装备智能制造示范工厂揭榜项目", **parts):
    data = {"project_name": project, **PARTS, **parts}
    return client.post(reverse("campaigns:application_create", args=[task.pk]), data)


def test_only_a_pilot_winner_may_apply_and_nothing_is_saved_otherwise(
    client, users, campaign, enterprise_a
):
    client.force_login(users["enterprise_a"])
    response = apply(client, acceptance_task(campaign))
    assert response.status_code == 400
    assert "只有智能制造示范工厂揭榜单位可以申请验收" in response.content.decode()
    assert not Application.objects.exists()


def test_the_four_parts_are_filled_shown_and_kept_without_a_factory(
    client, users, campaign, enterprise_a
):
    pilot(enterprise_a)
    task = acceptance_task(campaign)
    client.force_login(users["enterprise_a"])
    form_page = client.get(reverse("campaigns:application_create", args=[task.pk])).content
    for label in (
        "一、揭榜单位基本信息",
        "二、项目指标情况",
        "三、揭榜任务建设情况",
        "四、项目建设成效",
    ):
        assert label in form_page.decode()
    assert "揭榜项目名称" in form_page.decode()
    assert apply(client, task).status_code == 302
    application = Application.objects.get()
    assert application.kind == "揭榜验收" and application.factory is None
    assert application.parts == PARTS
    assert application.maturity_source == ""  # no tier conditions for an acceptance
    page = client.get(reverse("campaigns:application_detail", args=[application.pk])).content
    html = page.decode()
    for text in PARTS.values():
        assert text in html
    assert 'id="conditions"' not in html


def test_a_part_over_5000_characters_is_refused_naming_the_part(
    client, users, campaign, enterprise_a
):
    pilot(enterprise_a)
    client.force_login(users["enterprise_a"])
    response = apply(client, acceptance_task(campaign), part3="智" * 5001)
    assert response.status_code == 400
    assert "三、揭榜任务建设情况：" in response.content.decode()
    assert not Application.objects.exists()


def test_each_part_takes_its_uploads_in_versions_and_refuses_bad_files(
    client, users, campaign, enterprise_a
):
    pilot(enterprise_a)
    client.force_login(users["enterprise_a"])
    apply(client, acceptance_task(campaign))
    application = Application.objects.get()
    url = reverse("campaigns:material_upload", args=[application.pk])
    assert (
        client.post(url, {"slot": "part1", "file": upload("基本信息.pdf", PDF)}).status_code == 302
    )
    client.post(url, {"slot": "part1", "file": upload("基本信息（修改）.pdf", PDF)})
    client.post(url, {"slot": "part3", "file": upload("建设情况.docx", docx_bytes())})
    response = client.post(
        url,
        {"slot": "part4", "file": upload("成效.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
        follow=True,
    )
    assert "四、项目建设成效 附件" in response.content.decode()
    assert sorted(Material.objects.values_list("slot", "number", "original_name")) == [
        ("part1", 1, "基本信息.pdf"),
        ("part1", 2, "基本信息（修改）.pdf"),
        ("part3", 1, "建设情况.docx"),
    ]
    # The WORD and PDF of the application materials are required to submit.
    response = client.post(
        reverse("campaigns:application_action", args=[application.pk]),
        {"action": "submit", "version": application.version},
        follow=True,
    )
    assert "验收申请材料（WORD版）" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "draft"


def pilot_application(user, task, project):
    application = applications.create_application(
        actor=user,
        task=task,
        data={"project_name": project, "parts": PARTS},
        scenarios=[],
        ai_scenarios=[],
    )
    for slot, name, content in [
        ("form_docx", "验收申请.docx", docx_bytes()),
        ("form_pdf", "验收申请.pdf", PDF),
    ]:
        applications.upload_material(
            actor=user, application=application, slot=slot, upload=upload(name, content)
        )
    return step(user, application, "submit")


def test_the_city_recommends_in_order_and_the_rows_of_attachment_4_follow_it(
    client, users, campaign, enterprise_a, unit_a
):
    task = acceptance_task(campaign)
    second = pilot(make_enterprise(unit_a, name="太原智能装备有限公司", body="MA0A0021"))
    second_user = make_user("ent_a_pilot", Role.ENTERPRISE, enterprise=second)
    pilot(enterprise_a)
    first = pilot_application(users["enterprise_a"], task, "矿山装备揭榜项目")
    other = pilot_application(second_user, task, "智能装备揭榜项目")
    client.force_login(users["city_a"])
    for application in (first, other):
        client.post(
            reverse("campaigns:application_action", args=[application.pk]),
            {"action": "recommend", "version": application.version},
        )
    submission = unit_submission(task, unit_a)
    response = client.post(
        reverse("campaigns:rank", args=[task.pk]),
        {f"rank_{first.pk}": "2", f"rank_{other.pk}": "1", "version": submission.version},
    )
    assert response.status_code == 302
    submission = stamped(task, unit_a)
    client.post(
        reverse("campaigns:submit_recommendation", args=[task.pk]),
        {"version": submission.version},
    )
    [(_unit, rows)] = form4_rows(users["province"], campaign, [unit_a])
    assert [(r.seq, r.enterprise_name, r.project_name) for r in rows] == [
        (1, "太原智能装备有限公司", "智能装备揭榜项目"),
        (2, "太原晋华重工有限公司", "矿山装备揭榜项目"),
    ]
    assert Application.objects.get(project_name="智能装备揭榜项目").parts == PARTS
    assert set(Application.objects.values_list("state", flat=True)) == {"at_province"}
    assert form4_rows(users["city_b"], campaign, [unit_a]) == [("太原市", [])]


def test_unique_contiguous_ranks_are_required_and_nothing_changes_otherwise(
    client, users, campaign, enterprise_a, unit_a
):
    task = acceptance_task(campaign)
    pilot(enterprise_a)
    first = pilot_application(users["enterprise_a"], task, "揭榜一期")
    second = pilot_application(users["enterprise_a"], task, "揭榜二期")
    for application in (first, second):
        step(users["city_a"], application, "recommend")
    client.force_login(users["city_a"])
    submission = unit_submission(task, unit_a)
    response = client.post(
        reverse("campaigns:rank", args=[task.pk]),
        {f"rank_{first.pk}": "1", f"rank_{second.pk}": "3", "version": submission.version},
        follow=True,
    )
    assert "序号应连续编排为1至2，缺少：2" in response.content.decode()
    assert list(Application.objects.values_list("city_rank", flat=True)) == [None, None]
