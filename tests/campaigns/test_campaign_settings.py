"""The province edits the campaign's settings (tier conditions, score sheet, 公示, quota):
validated with errors naming the field; applications submitted earlier keep their snapshot."""

import copy

from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.campaigns.forms import CampaignSettingsForm
from factorytiers.campaigns.models import Campaign
from factorytiers.campaigns.services import applications
from factorytiers.enterprises.models import Factory

from .conftest import draft, step, submitted, with_materials


def current_form_data(campaign, **changes):
    """What the settings page posts back unchanged (built from the form's own initial)."""
    form = CampaignSettingsForm(campaign=campaign)
    data = {}
    for name, field in form.fields.items():
        value = form[name].initial if name in form.initial else field.initial
        if isinstance(value, list):
            data[name] = value
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    sheet = campaign.settings["score_sheet"]
    data.update(
        {
            "sheet-TOTAL_FORMS": str(len(sheet)),
            "sheet-INITIAL_FORMS": str(len(sheet)),
            "sheet-MIN_NUM_FORMS": "0",
            "sheet-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(sheet):
        for key in ("key", "label", "max_points", "guide"):
            data[f"sheet-{i}-{key}"] = row[key]
    data.update(changes)
    return data


def test_posting_the_page_back_unchanged_keeps_the_settings(client, users, campaign):
    before = copy.deepcopy(campaign.settings)
    client.force_login(users["province"])
    response = client.post(
        reverse("campaigns:settings", args=[campaign.pk]), current_form_data(campaign)
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.settings == before
    assert campaign.version == 2


def test_the_province_changes_conditions_publicity_quota_and_score_sheet(client, users, campaign):
    client.force_login(users["province"])
    data = current_form_data(
        campaign,
        t1_min_maturity_level="3",
        t1_required_links=["生产作业", "生产管理"],
        t1_min_ai_share="12.5",
        t1_extra_disqualifiers="近三年未发生重大质量事故\n\n",
        publicity_working_days="7",
        city_quota="5",
        validity_years="3",
        **{
            "sheet-0-max_points": "25",
            "sheet-5-DELETE": "on",
            "sheet-TOTAL_FORMS": "7",
            "sheet-6-label": "安全生产水平",
            "sheet-6-max_points": "5",
        },
    )
    response = client.post(reverse("campaigns:settings", args=[campaign.pk]), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    advanced = campaign.settings["tiers"]["先进级"]
    assert advanced["min_maturity_level"] == 3
    assert advanced["required_links"] == ["生产作业", "生产管理"]
    assert advanced["min_ai_share"] == "0.125"
    assert advanced["extra_disqualifiers"] == ["近三年未发生重大质量事故"]
    assert campaign.settings["publicity_working_days"] == 7
    assert campaign.settings["city_quota"] == 5
    assert campaign.settings["validity_years"] == 3
    sheet = campaign.settings["score_sheet"]
    assert [(r["key"], r["max_points"]) for r in sheet] == [
        ("maturity", "25"),
        ("infrastructure", "30"),
        ("technology", "20"),
        ("demonstration", "10"),
        ("benefits", "10"),
        ("item1", "5"),
    ]
    assert campaign.settings["material_slots"]  # settings not on the page are kept
    entry = AuditEntry.objects.get(action="campaign.settings")
    assert set(entry.changes["changed"]) == {
        "tiers",
        "publicity_working_days",
        "city_quota",
        "validity_years",
        "score_sheet",
    }


def test_bad_settings_name_the_field_and_save_nothing(client, users, campaign):
    before = copy.deepcopy(campaign.settings)
    client.force_login(users["province"])
    data = current_form_data(
        campaign,
        t2_min_maturity_level="1",
        publicity_working_days="0",
        t3_min_ai_share="150",
        **{"sheet-1-max_points": "abc"},
    )
    response = client.post(reverse("campaigns:settings", args=[campaign.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "领航级 · 人工智能场景最低占比（%）：" in page
    assert "评分表第2项 · 分值：" in page
    campaign.refresh_from_db()
    assert campaign.settings == before and campaign.version == 1
    # Once the form's own checks pass, the whole-settings rules answer, naming the field.
    data = current_form_data(campaign, t2_min_maturity_level="1", t1_required_links=[])
    response = client.post(reverse("campaigns:settings", args=[campaign.pk]), data)
    page = response.content.decode()
    assert "卓越级 · 最低成熟度等级：不应低于先进级的要求（二级）" in page
    assert "先进级 · 须覆盖的建设环节：请至少选择一个环节" in page
    campaign.refresh_from_db()
    assert campaign.settings == before and campaign.version == 1


def test_a_second_editor_of_the_settings_is_told_and_nothing_is_overwritten(
    client, users, campaign
):
    client.force_login(users["province"])
    url = reverse("campaigns:settings", args=[campaign.pk])
    first = current_form_data(campaign, publicity_working_days="7")
    second = current_form_data(campaign, publicity_working_days="9")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409 and "edit-conflict" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.settings["publicity_working_days"] == 7


def test_a_change_applies_to_applications_submitted_after_it(
    client, users, campaign, advanced_task, factory_a
):
    earlier = submitted(users, advanced_task, factory_a, project="一期项目", level=2)
    client.force_login(users["province"])
    data = current_form_data(campaign, t1_min_maturity_level="3")
    assert client.post(reverse("campaigns:settings", args=[campaign.pk]), data).status_code == 302
    second = Factory.objects.create(
        enterprise=factory_a.enterprise, name="晋华二厂", location="太原"
    )
    later = with_materials(
        users["enterprise_a"],
        draft(users["enterprise_a"], advanced_task, second, project="二期项目", level=2),
    )
    # 二级 no longer meets the new minimum: the city's written reason lets it go on.
    applications.override_conditions(
        actor=users["city_a"], application=later, reason="另行核实", version=later.version
    )
    later = step(users["enterprise_a"], later, "submit")
    earlier.refresh_from_db()

    def maturity(application):
        return next(c for c in application.condition_results if c["code"] == "maturity")

    assert earlier.settings_snapshot["tiers"]["先进级"]["min_maturity_level"] == 2
    assert maturity(earlier)["outcome"] == "met"
    assert later.settings_snapshot["tiers"]["先进级"]["min_maturity_level"] == 3
    assert maturity(later)["outcome"] == "not_met"
    assert (
        Campaign.objects.get(pk=campaign.pk).settings["tiers"]["先进级"]["min_maturity_level"] == 3
    )


def test_the_settings_page_refuses_other_roles_and_put(client, users, campaign):
    url = reverse("campaigns:settings", args=[campaign.pk])
    client.force_login(users["city_a"])
    assert client.post(url, current_form_data(campaign, city_quota="1")).status_code == 403
    client.force_login(users["province"])
    assert client.put(url).status_code == 405
    campaign.refresh_from_db()
    assert campaign.settings["city_quota"] is None
