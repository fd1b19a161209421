"""Province evaluation: experts see only their assignments and score once; list, 公示 with its
working-day end, objections, recognition into the factory's history, revocation."""

from datetime import date

import pytest
from django.urls import reverse

from factorytiers.campaigns.models import Score
from factorytiers.campaigns.services import evaluation, submissions
from factorytiers.documents.selectors import form1_rows
from factorytiers.enterprises.models import TierRecognition
from tests.campaigns.conftest import recommended, stamped, unit_submission
from tests.conftest import make_user


@pytest.fixture
def at_province(users, advanced_task, factory_a, unit_a):
    application = recommended(users, advanced_task, factory_a)
    submissions.rank_applications(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        ranks={application.pk: 1},
        version=unit_submission(advanced_task, unit_a).version,
    )
    submissions.submit_recommendation(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        version=stamped(advanced_task, unit_a).version,
    )
    application.refresh_from_db()
    return application


def points(**overrides):
    base = {
        "maturity": "10",
        "infrastructure": "25",
        "technology": "15",
        "demonstration": "8",
        "benefits": "8",
        "plan": "7",
    }
    base.update(overrides)
    return {f"points_{k}": v for k, v in base.items()}


def test_experts_see_only_their_assignments(client, users, at_province):
    other = make_user("expert2", "expert")
    assignment = evaluation.assign_expert(
        actor=users["province"], application=at_province, expert=other
    )
    client.force_login(users["expert"])
    assert client.get(reverse("campaigns:score", args=[assignment.pk])).status_code == 404
    assert (
        client.get(reverse("campaigns:application_detail", args=[at_province.pk])).status_code
        == 404
    )
    assert "晋华" not in client.get(reverse("campaigns:assignments")).content.decode()


def test_an_expert_scores_once_with_the_campaign_sheet(client, users, at_province):
    assignment = evaluation.assign_expert(
        actor=users["province"], application=at_province, expert=users["expert"]
    )
    at_province.refresh_from_db()
    assert at_province.state == "under_review"
    client.force_login(users["expert"])
    url = reverse("campaigns:score", args=[assignment.pk])
    bad = client.post(url, {**points(infrastructure="31"), "comment": "好"})
    assert "信息基础建设水平：得分应在0至30之间" in bad.content.decode()
    assert not Score.objects.exists()
    client.post(url, {**points(), "comment": "建设基础扎实"})
    score = Score.objects.get()
    assert str(score.total) == "73.00" and score.comment == "建设基础扎实"
    assert score.sheet[0]["label"] == "智能制造成熟度"
    again = client.post(url, {**points(plan="10"), "comment": "改分"})
    assert "评分已提交，不能修改" in again.content.decode()
    assert Score.objects.get().total == score.total


def test_a_declared_conflict_blocks_scoring(client, users, at_province):
    assignment = evaluation.assign_expert(
        actor=users["province"], application=at_province, expert=users["expert"]
    )
    client.force_login(users["expert"])
    client.post(
        reverse("campaigns:declare_conflict", args=[assignment.pk]), {"note": "曾为该企业提供咨询"}
    )
    assignment.refresh_from_db()
    assert assignment.has_conflict
    client.post(reverse("campaigns:score", args=[assignment.pk]), {**points(), "comment": "x"})
    assert not Score.objects.exists()
    # From the declaration on, the application and its materials are out of the expert's sight.
    detail = reverse("campaigns:application_detail", args=[at_province.pk])
    assert client.get(detail).status_code == 404
    for material in at_province.materials.all():
        download = reverse("campaigns:material_download", args=[material.pk])
        assert client.get(download).status_code == 404


def test_list_publicity_objection_and_recognition_enter_the_factory_history(
    client, users, at_province, advanced_task, factory_a
):
    evaluation.assign_expert(
        actor=users["province"], application=at_province, expert=users["expert"]
    )
    client.force_login(users["province"])
    client.post(
        reverse("campaigns:fix_list", args=[advanced_task.pk]),
        {"selected": [at_province.pk], "shown": str(at_province.pk)},
    )
    at_province.refresh_from_db()
    assert at_province.state == "listed"
    client.post(
        reverse("campaigns:open_publicity", args=[advanced_task.pk]), {"starts_on": "2026-06-11"}
    )
    at_province.refresh_from_db()
    assert at_province.state == "publicity"
    batch = at_province.publicity
    # 6-11 Thu (1), 6-12 Fri (2), 6-15 Mon (3), 6-16 (4), 6-17 (5); 端午节 2026 is 6-19..6-21, later
    assert (batch.number, batch.ends_on) == (1, date(2026, 6, 17))
    client.post(
        reverse("campaigns:record_objection", args=[at_province.pk]),
        {"received_on": "2026-06-12", "content": "反映数据不实"},
    )
    assert at_province.objections.get().content == "反映数据不实"
    early = client.post(
        reverse("campaigns:record_recognition", args=[batch.pk]),
        {"document_number": "晋工信装备字〔2026〕88号", "recognized_on": "2026-06-15"},
        follow=True,
    )
    assert "应在公示结束（2026-06-17）之后" in early.content.decode()
    client.post(
        reverse("campaigns:record_recognition", args=[batch.pk]),
        {"document_number": "晋工信装备字〔2026〕88号", "recognized_on": "2026-06-20"},
    )
    at_province.refresh_from_db()
    recognition = TierRecognition.objects.get()
    assert at_province.state == "recognized" and at_province.recognition == recognition
    assert (recognition.tier, recognition.recognized_by, recognition.year) == (
        "先进级",
        "province",
        2026,
    )
    client.force_login(users["enterprise_a"])
    history = client.get(reverse("campaigns:factory_tiers", args=[factory_a.pk])).content.decode()
    assert "晋工信装备字〔2026〕88号" in history and "先进级" in history


def test_a_publicity_over_national_day_ends_by_the_official_calendar(
    client, users, at_province, advanced_task
):
    evaluation.assign_expert(
        actor=users["province"], application=at_province, expert=users["expert"]
    )
    client.force_login(users["province"])
    client.post(
        reverse("campaigns:fix_list", args=[advanced_task.pk]),
        {"selected": [at_province.pk], "shown": str(at_province.pk)},
    )
    response = client.post(
        reverse("campaigns:open_publicity", args=[advanced_task.pk]),
        {"starts_on": "2026-09-28"},
        follow=True,
    )
    # 9-28 Mon (1), 9-29 (2), 9-30 (3), 10-01..10-07 国庆节 (国办发明电〔2025〕7号), 10-08 (4), 10-09 (5)
    assert advanced_task.publicities.get().ends_on == date(2026, 10, 9)
    assert "2026-10-09" in response.content.decode()


def test_revocation_and_downgrade_are_kept_in_the_history(client, users, factory_a):
    recognition = TierRecognition.objects.create(
        factory=factory_a,
        tier="先进级",
        year=2026,
        recognized_by="province",
        document_number="晋工信〔2026〕1号",
        recognized_on=date(2026, 6, 20),
    )
    client.force_login(users["province"])
    url = reverse("campaigns:revoke_recognition", args=[recognition.pk])
    client.post(url, {"reason": "", "revoked_on": "2026-09-01"})
    assert not TierRecognition.objects.get(pk=recognition.pk).revoked
    client.post(
        url,
        {
            "reason": "发生较大安全事故",
            "revoked_on": "2026-09-01",
            "downgrade_to": "基础级",
            "document_number": "晋工信〔2026〕9号",
            "version": recognition.version,
        },
    )
    recognition.refresh_from_db()
    assert recognition.revoked and recognition.revoked_reason == "发生较大安全事故"
    assert recognition.replaced_by.tier == "基础级"
    assert recognition.history.count() == 2


def test_the_forms_selector_returns_ranked_plain_rows(users, at_province, campaign, unit_a):
    [(unit_name, rows)] = form1_rows(users["province"], campaign, [unit_a])
    assert unit_name == "太原市"
    assert rows[0].seq == 1 and rows[0].enterprise_name == "太原晋华重工有限公司"
    assert rows[0].factory_name == "晋华一厂"
    assert rows[0].scenario_names == ("车间智能排产", "先进过程控制", "智能经营决策")
    assert form1_rows(users["city_b"], campaign, [unit_a]) == [("太原市", [])]
