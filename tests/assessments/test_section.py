"""The questionnaire screens: one domain per screen, progress shown, the whole screen saved by
its own buttons (without script), read-only for officers and once submitted."""

import re

import pytest
from django.urls import reverse

from factorytiers.assessments.models import Assessment
from tests.assessments.conftest import submitted


def url(assessment, domain="STRATEGY"):
    return reverse("assessments:section", args=[assessment.pk, domain])


def screen(model, domain, grade="FULL", **extra):
    """Form data answering every item of a domain's screen."""
    data = {}
    for sub in model.sub_domains_of(domain):
        for item in model.items:
            if item.sub_domain == sub.code:
                data[f"a:{item.code}"] = grade
                data[f"e:{item.code}"] = ""
    data.update(extra)
    return data


def test_a_screen_shows_its_domain_items_level_by_level(ent_client, draft, model):
    response = ent_client.get(url(draft, "PRODUCTION"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "第 9 / 12 部分：制造 › 生产" in content
    for name in ("采购", "计划与调度", "生产作业", "设备管理", "仓储配送", "安全环保", "能源管理"):
        assert f"能力子域：{name}" in content
    assert content.count('type="radio"') == 7 * 15 * 4
    assert "已答 0 / 300 项" in content
    assert 'data-autosave-url="/assessments/' in content
    assert "autosave.js" in content


def test_saved_answers_and_notes_are_shown_checked(ent_client, draft):
    draft.answers = {"STRAT.L1.1": "PARTLY"}
    draft.evidence = {"STRAT.L1.1": "规划文件"}
    draft.left_out = {"STRATEGY": "测试原因"}
    draft.save()
    content = ent_client.get(url(draft)).content.decode()
    assert re.search(r'name="a:STRAT.L1.1" value="PARTLY"[^>]*checked', content)
    assert ">规划文件</textarea>" in content
    assert re.search(r'name="x:STRATEGY" value="1"[^>]*checked', content)
    assert 'value="测试原因"' in content


def test_the_whole_screen_is_saved_by_its_button_and_the_next_one_opens(ent_client, draft, model):
    data = screen(model, "STRATEGY", "MOSTLY", version=1, go="next")
    data["e:STRAT.L1.1"] = "发布文件"
    response = ent_client.post(url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == url(draft, "SKILLS")
    draft.refresh_from_db()
    assert len(draft.answers) == 15 and set(draft.answers.values()) == {"MOSTLY"}
    assert draft.evidence == {"STRAT.L1.1": "发布文件"} and draft.version == 2


def test_the_last_screen_leads_to_the_summary(ent_client, draft, model):
    response = ent_client.post(
        url(draft, "SERVICE"), screen(model, "SERVICE", version=1, go="next")
    )
    assert response["Location"] == reverse("assessments:submit", args=[draft.pk])


def test_leaving_out_a_sub_domain_by_the_form(ent_client, draft, model):
    data = screen(model, "LOGISTICS", version=1, go="stay")
    data.update({"x:LOGISTICS": "1", "r:LOGISTICS": "无自有物流"})
    ent_client.post(url(draft, "LOGISTICS"), data)
    draft.refresh_from_db()
    assert draft.left_out == {"LOGISTICS": "无自有物流"}
    ent_client.post(url(draft, "LOGISTICS"), screen(model, "LOGISTICS", version=2, go="stay"))
    draft.refresh_from_db()
    assert draft.left_out == {}


def test_a_stale_screen_keeps_what_was_typed_and_saves_nothing(ent_client, draft, model):
    Assessment.objects.filter(pk=draft.pk).update(version=5, answers={"STRAT.L1.1": "FULL"})
    data = screen(model, "STRATEGY", "NOT_MET", version=1, go="next")
    data["e:STRAT.L1.2"] = "我刚写的说明"
    response = ent_client.post(url(draft), data)
    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="edit-conflict"' in content and "已被他人修改" in content
    assert ">我刚写的说明</textarea>" in content
    assert re.search(r'name="a:STRAT.L1.1" value="NOT_MET"[^>]*checked', content)
    assert 'name="version" value="5"' in content
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "FULL"} and draft.evidence == {}


def test_a_bad_grade_in_the_form_saves_nothing(ent_client, draft, model):
    data = screen(model, "STRATEGY", version=1, go="next")
    data["a:STRAT.L1.3"] = "SOMETIMES"
    response = ent_client.post(url(draft), data)
    assert response.status_code == 400
    assert "条目“STRAT.L1.3”的答案“SOMETIMES”无效" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {} and draft.version == 1


def test_the_city_officer_reads_the_questionnaire_but_cannot_save(client, users, draft, model):
    client.force_login(users["city_a"])
    response = client.get(url(draft))
    content = response.content.decode()
    assert response.status_code == 200
    assert "data-autosave-url" not in content and " disabled" in content
    assert client.post(url(draft), screen(model, "STRATEGY", version=1)).status_code == 403
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_submitted_assessment_is_shown_read_only(
    ent_client, ent_user, enterprise_a, frozen, model
):
    assessment = submitted(ent_user, enterprise_a)
    content = ent_client.get(url(assessment)).content.decode()
    assert "已提交（只读）" in content and "data-autosave-url" not in content
    response = ent_client.post(url(assessment), screen(model, "STRATEGY", "NOT_MET", version=2))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "status"), [("enterprise_b", 404), ("city_b", 404), ("expert", 403)]
)
def test_others_never_see_the_questionnaire(client, users, draft, role, status):
    client.force_login(users[role])
    response = client.get(url(draft))
    assert response.status_code == status
    assert draft.enterprise.name.encode() not in response.content


def test_an_unknown_domain_is_not_found(ent_client, draft):
    assert ent_client.get(url(draft, "NOPE")).status_code == 404
