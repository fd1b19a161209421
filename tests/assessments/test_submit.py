"""The summary before submitting, and the submission: scored once, then read-only."""

from decimal import Decimal

from django.urls import reverse

from factorytiers.accounts.models import AuditEntry
from factorytiers.assessments.models import Assessment
from tests.assessments.conftest import FOUR, grades_by_level


def url(assessment):
    return reverse("assessments:submit", args=[assessment.pk])


def answer_all(assessment, model, by_level=FOUR, **fields):
    Assessment.objects.filter(pk=assessment.pk).update(
        answers=grades_by_level(model, by_level), **fields
    )
    assessment.refresh_from_db()


def test_the_summary_lists_what_is_missing(ent_client, draft):
    draft.answers = {"STRAT.L1.1": "FULL"}
    draft.save()
    response = ent_client.get(url(draft))
    content = response.content.decode()
    assert response.status_code == 200
    assert "未作答的条目（共 299 个）" in content
    assert "还有 299 个条目未作答（第一个：STRAT.L1.2）" in content
    assert 'id="submit-button" disabled' in content
    assert "暂估得分" in content


def test_the_summary_shows_the_score_to_come_and_the_left_out_reasons(ent_client, draft, model):
    answer_all(draft, model, left_out={"LOGISTICS": "客户自提"})
    content = ent_client.get(url(draft)).content.decode()
    assert "3.80 · 四级" in content
    assert "物流 › 物流：客户自提" in content
    assert 'id="submit-button" disabled' not in content


def test_submitting_stores_the_scores_and_closes_the_assessment(ent_client, ent_user, draft, model):
    answer_all(draft, model, left_out={"LOGISTICS": "客户自提"})
    response = ent_client.post(url(draft), {"version": draft.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.version == 2
    assert draft.score == Decimal("3.80") and draft.score_exact == "3.8"
    assert (draft.level, draft.band_level, draft.met_levels) == (4, 4, 4)
    assert draft.borderline is False and draft.rounding_changes_band is False
    assert draft.level_scores == {"1": "1", "2": "1", "3": "1", "4": "0.8", "5": "0"}
    assert draft.domain_scores["4"]["PRODUCTION"] == "0.8"
    assert "LOGISTICS" not in draft.domain_scores["4"]
    assert draft.sub_domain_scores["5"]["SALES"] == "0"
    assert str(draft.submitted_at.astimezone().date()) == "2026-04-01"
    assert str(draft.submitted_on) == "2026-04-01" and draft.submitted_by == ent_user
    assert draft.history.first().status == "submitted"
    entry = AuditEntry.objects.get(action="assessment.submit")
    assert entry.changes == {"facts": {"score": "3.80", "level": "四级"}}


def test_a_borderline_result_is_marked(ent_client, draft, model):
    # 一级: per sub-domain (1 + 0.8 + 0.8) / 3 = 0.8667, met; 二级: 0.8, met; 三级: 0.
    # S = 1.6667 falls in the 一级 band although two levels are met: a borderline case.
    answers = {}
    for item in model.items:
        if item.level == 1:
            answers[item.code] = "FULL" if item.code.endswith(".1") else "MOSTLY"
        else:
            answers[item.code] = "MOSTLY" if item.level == 2 else "NOT_MET"
    Assessment.objects.filter(pk=draft.pk).update(answers=answers)
    ent_client.post(url(draft), {"version": 1})
    draft.refresh_from_db()
    assert draft.score == Decimal("1.67")
    assert draft.band_level == 1 and draft.met_levels == 2
    assert draft.level == 1 and draft.borderline is True
    content = ent_client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert "边界情况：按总分所在分数带为一级，自一级起连续达标的等级数为 2" in content


def test_unanswered_items_keep_it_a_draft(ent_client, draft, model):
    answers = grades_by_level(model, FOUR)
    del answers["SALES.L3.2"]
    Assessment.objects.filter(pk=draft.pk).update(answers=answers)
    response = ent_client.post(url(draft), {"version": 1})
    assert response.status_code == 400
    assert "还有 1 个条目未作答（第一个：SALES.L3.2）" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.score is None and draft.version == 1
    assert not AuditEntry.objects.filter(action="assessment.submit").exists()


def test_a_leave_out_without_reason_keeps_it_a_draft(ent_client, draft, model):
    answer_all(draft, model, left_out={"LOGISTICS": " "})
    response = ent_client.post(url(draft), {"version": 1})
    assert "能力子域“物流”选择了不适用，请填写原因" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_leaving_out_every_sub_domain_of_a_level_cannot_be_scored(ent_client, draft, model):
    answer_all(draft, model, left_out={sub.code: "不适用" for sub in model.sub_domains})
    response = ent_client.post(url(draft), {"version": 1})
    assert "第 1 级的能力子域都被剔除了，无法评分" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_stale_submit_is_refused(ent_client, draft, model):
    answer_all(draft, model, version=3)
    response = ent_client.post(url(draft), {"version": 1})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_submitted_assessment_goes_to_its_result(ent_client, draft, model):
    answer_all(draft, model)
    ent_client.post(url(draft), {"version": 1})
    response = ent_client.post(url(draft), {"version": 2})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2


def test_the_city_officer_sees_the_summary_but_cannot_submit(client, users, draft, model):
    answer_all(draft, model)
    client.force_login(users["city_a"])
    content = client.get(url(draft)).content.decode()
    assert "submit-button" not in content
    assert client.post(url(draft), {"version": 1}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
