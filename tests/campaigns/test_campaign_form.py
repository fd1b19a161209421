"""The province creates a year's campaign with its tasks (prefilled from the year before),
and edits it; a second editor is told of the conflict."""

from datetime import date

import pytest
from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.campaigns.models import Application, Campaign, Task

from .conftest import draft


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


CAMPAIGN = {
    "year": "2027",
    "title": "山西省工业和信息化厅关于开展2027年度智能工厂梯度培育有关工作的通知",
    "document_number": "晋工信装备字〔2027〕12号",
    "issued_on": "2027-03-08",
    "issuer": "山西省工业和信息化厅",
    "contact_name": "梁智渊",
    "contact_department": "山西省工信厅装备处",
    "contact_phone": "0351-3183088",
    "free_statement": "均不收取任何费用。",
    "notes": "纸质材料寄送装备处。",
}


def task_rows(rows, prefix="tasks", initial=0):
    data = management(prefix, len(rows), initial)
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def form_data(campaign=None, rows=(), initial=0, **overrides):
    data = dict(CAMPAIGN if campaign is None else campaign)
    data.update(task_rows(list(rows), initial=initial))
    data.update(overrides)
    return data


ADVANCED = {"kind": "advanced", "title": "先进级智能工厂推荐", "deadline": "2027-05-06"}
LEADING = {"kind": "leading", "title": "领航级智能工厂培育推荐", "deadline_note": "无固定日期"}


def test_the_new_campaign_form_is_prefilled_from_the_previous_year(client, users):
    client.force_login(users["province"])
    response = client.get(reverse("campaigns:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["year"] == 2027
    assert "2027年度" in form.initial["title"]
    assert form.initial["issued_on"] == date(2027, 3, 8)
    assert form.initial["contact_phone"] == "0351-3183088"
    rows = response.context["formset"].initial
    assert [r["kind"] for r in rows] == list(
        Campaign.objects.get(year=2026).tasks.order_by("order").values_list("kind", flat=True)
    )
    advanced = next(r for r in rows if r["kind"] == "advanced")
    assert advanced["deadline"] == date(2027, 5, 6)
    assert next(r for r in rows if r["kind"] == "leading")["deadline"] is None
    report = next(r for r in rows if r["kind"] == "report")
    assert "2027年度" in report["deliverable"]


def test_the_province_creates_a_campaign_with_its_tasks(client, users):
    client.force_login(users["province"])
    response = client.post(reverse("campaigns:create"), form_data(rows=[ADVANCED, LEADING]))
    campaign = Campaign.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:detail", args=[campaign.pk]
    )
    assert campaign.document_number == "晋工信装备字〔2027〕12号"
    assert campaign.notes == "纸质材料寄送装备处。"
    assert campaign.province.code == "140000"
    # Settings and platforms carry over from 2026, as separate copies.
    previous = Campaign.objects.get(year=2026)
    assert campaign.settings == previous.settings
    assert campaign.platforms == previous.platforms
    assert list(campaign.tasks.values_list("kind", "deadline", "deadline_note", "order")) == [
        ("advanced", date(2027, 5, 6), "", 1),
        ("leading", None, "无固定日期", 2),
    ]
    assert AuditEntry.objects.filter(action="campaign.create", target_id=str(campaign.pk)).exists()
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "纸质材料寄送装备处。" in page and "先进级智能工厂推荐" in page


@pytest.mark.parametrize(
    ("overrides", "rows", "message"),
    [
        ({"year": "2026"}, [ADVANCED], "年度：2026年度工作已存在"),
        ({"contact_phone": "12345"}, [ADVANCED], "联系电话："),
        ({"title": ""}, [ADVANCED], "通知标题："),
        ({}, [ADVANCED, dict(ADVANCED, title="重复")], "工作任务第2行 · 类型：与第1行重复"),
        ({}, [dict(ADVANCED, deadline="")], "工作任务第1行 · 截止日期：请填写截止日期"),
        ({}, [dict(ADVANCED, deadline="2027-02-01")], "工作任务第1行 · 截止日期：早于发文日期"),
        ({}, [dict(ADVANCED, deadline="2027-13-01")], "工作任务第1行 · 截止日期："),
        ({}, [], "工作任务：请至少设置一项任务"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, users, overrides, rows, message):
    client.force_login(users["province"])
    response = client.post(reverse("campaigns:create"), form_data(rows=rows, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Campaign.objects.filter(year=2027).exists()
    assert Campaign.objects.count() == 1


def test_a_city_officer_may_not_create_a_campaign(client, users):
    client.force_login(users["city_a"])
    response = client.post(reverse("campaigns:create"), form_data(rows=[ADVANCED]))
    assert response.status_code == 403
    assert not Campaign.objects.filter(year=2027).exists()


def edit_data(campaign, **changes):
    tasks = list(campaign.tasks.order_by("order"))
    rows = [
        {
            "id": str(t.pk),
            "kind": t.kind,
            "title": t.title,
            "deadline": t.deadline.isoformat() if t.deadline else "",
            "deadline_note": t.deadline_note,
            "deliverable": t.deliverable,
            "instructions": t.instructions,
        }
        for t in tasks
    ]
    data = {
        **{
            field: getattr(campaign, field)
            for field in CAMPAIGN
            if field not in ("issued_on", "year")
        },
        "year": str(campaign.year),
        "issued_on": campaign.issued_on.isoformat(),
        "version": str(campaign.version),
    }
    data.update(task_rows(rows, initial=len(rows)))
    data.update(changes)
    return data


def test_the_province_edits_the_campaign_and_a_deadline(client, users, campaign):
    client.force_login(users["province"])
    advanced = campaign.tasks.get(kind="advanced")
    index = list(campaign.tasks.order_by("order")).index(advanced)
    response = client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        edit_data(
            campaign,
            document_number="晋工信装备字〔2026〕5号",
            **{f"tasks-{index}-deadline": "2026-05-08"},
        ),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    advanced.refresh_from_db()
    assert campaign.document_number == "晋工信装备字〔2026〕5号"
    assert campaign.version == 2
    assert advanced.deadline == date(2026, 5, 8)
    entry = AuditEntry.objects.get(action="campaign.update")
    assert entry.changes["changed"]["document_number"] == ["", "晋工信装备字〔2026〕5号"]
    assert entry.changes["facts"]["updated"] == ["先进级智能工厂推荐"]


def test_a_second_editor_is_told_of_the_conflict_and_nothing_is_overwritten(
    client, users, campaign
):
    client.force_login(users["province"])
    url = reverse("campaigns:edit", args=[campaign.pk])
    first = edit_data(campaign, contact_name="王敏")
    second = edit_data(campaign, contact_name="李华")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    assert "edit-conflict" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.contact_name == "王敏" and campaign.version == 2


def test_a_task_with_applications_cannot_be_deleted(client, users, campaign, factory_a):
    advanced = campaign.tasks.get(kind="advanced")
    draft(users["enterprise_a"], advanced, factory_a)
    index = list(campaign.tasks.order_by("order")).index(advanced)
    client.force_login(users["province"])
    response = client.post(
        reverse("campaigns:edit", args=[campaign.pk]),
        edit_data(campaign, contact_name="王敏", **{f"tasks-{index}-DELETE": "on"}),
    )
    assert response.status_code == 400
    assert f"工作任务第{index + 1}行 · 先进级智能工厂推荐：已有申报、报送或公示，不能删除" in (
        response.content.decode()
    )
    campaign.refresh_from_db()
    assert campaign.contact_name == "梁智渊" and campaign.version == 1
    assert Task.objects.filter(pk=advanced.pk).exists()
    assert Application.objects.count() == 1


def test_an_unused_task_is_deleted_and_a_new_one_added(client, users, campaign):
    tasks = list(campaign.tasks.order_by("order"))
    ongoing_index = next(i for i, t in enumerate(tasks) if t.kind == "ongoing")
    data = edit_data(campaign, **{f"tasks-{ongoing_index}-DELETE": "on"})
    client.force_login(users["province"])
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), data)
    assert response.status_code == 302
    assert not campaign.tasks.filter(kind="ongoing").exists()
    assert campaign.tasks.count() == len(tasks) - 1
    # A new row adds a task.
    campaign.refresh_from_db()
    data = edit_data(campaign)
    total = int(data["tasks-TOTAL_FORMS"])
    data.update(
        {
            "tasks-TOTAL_FORMS": str(total + 1),
            f"tasks-{total}-kind": "ongoing",
            f"tasks-{total}-title": "常态化培育和过程管理",
            f"tasks-{total}-deadline_note": "全年",
        }
    )
    assert client.post(reverse("campaigns:edit", args=[campaign.pk]), data).status_code == 302
    assert campaign.tasks.get(kind="ongoing").order == total + 1


def test_two_unused_tasks_may_swap_kinds_in_one_save(client, users, campaign):
    first, second = campaign.tasks.order_by("order")[:2]
    data = edit_data(campaign, **{"tasks-0-kind": second.kind, "tasks-1-kind": first.kind})
    client.force_login(users["province"])
    assert client.post(reverse("campaigns:edit", args=[campaign.pk]), data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.kind, second.kind) == ("self_assessment", "overseas")


def test_another_campaigns_task_id_is_treated_as_a_conflict(client, users, campaign):
    client.force_login(users["province"])
    data = edit_data(campaign, **{"tasks-0-id": "999999", "contact_name": "王敏"})
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), data)
    assert response.status_code == 409 and "edit-conflict" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.contact_name == "梁智渊"
