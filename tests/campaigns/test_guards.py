"""The guards of a campaign year, each with its reason in Chinese and nothing stored when it
refuses: hard conditions (and the city's written exception), one application per factory, tier
and year, no application below the tier in force, the unit's report (late applications, ranks
around decided ones, 序号 before reporting, the overseas list), 揭榜 acceptances, the quota."""

from datetime import date

import pytest
from django.urls import reverse

from factorytiers.campaigns.errors import ServiceError
from factorytiers.campaigns.models import (
    Application,
    OverseasRecommendation,
    Submission,
    Transition,
)
from factorytiers.campaigns.services import applications, evaluation, submissions
from factorytiers.enterprises.models import Factory, TierRecognition
from factorytiers.reference.models import Country
from tests.access import database_rows
from tests.campaigns.conftest import (
    draft,
    recommended,
    stamped,
    step,
    submitted,
    unit_submission,
    with_materials,
)
from tests.conftest import make_enterprise, make_user


def _page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args)).content.decode()


def _act(client, user, application, action, **data):
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)
    application.refresh_from_db()
    return client.post(
        reverse("campaigns:application_action", args=[application.pk]),
        {"action": action, "version": application.version, **data},
        follow=True,
    ).content.decode()


# -- hard conditions ---------------------------------------------------------------------------


def test_a_hard_condition_not_met_blocks_the_enterprise(client, users, advanced_task, factory_a):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a, level=1)
    )
    client.force_login(users["enterprise_a"])
    before = database_rows()
    page = _act(client, users["enterprise_a"], application, "submit")
    assert "未满足条件：智能制造能力成熟度二级及以上。如确需继续，须由市级管理员填写说明。" in page
    assert database_rows() == before
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_the_citys_written_reason_lets_it_go_on_and_the_province_reads_it(
    client, users, advanced_task, factory_a, unit_a
):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a, level=1)
    )
    client.force_login(users["city_a"])
    application.refresh_from_db()
    refused = client.post(
        reverse("campaigns:override_conditions", args=[application.pk]),
        {"reason": " ", "version": application.version},
        follow=True,
    ).content.decode()
    assert (
        "条件未满足仍予受理的理由：这个字段是必填项。" in refused or "这个字段是必填项" in refused
    )
    client.post(
        reverse("campaigns:override_conditions", args=[application.pk]),
        {"reason": "统计部门规上名录显示达标", "version": application.version},
    )
    step(users["enterprise_a"], application, "submit")
    step(users["city_a"], application, "recommend")
    application.refresh_from_db()
    assert application.state == "recommended"
    assert application.condition_override == "统计部门规上名录显示达标"
    assert application.override_by == users["city_a"]
    page = _page(client, users["province"], "campaigns:application_detail", application.pk)
    assert "统计部门规上名录显示达标" in page and "条件未满足的说明" in page


def test_the_officer_recommends_an_unmet_application_only_with_a_reason(
    client, users, advanced_task, factory_a
):
    application = submitted(users, advanced_task, factory_a)
    # The registry changes after submission: the enterprise is now 规下 by the stored check.
    Application.objects.filter(pk=application.pk).update(
        condition_results=[
            {"code": "above_scale", "label": "规模以上工业企业", "outcome": "not_met", "detail": ""}
        ]
    )
    page = _act(client, users["city_a"], application, "recommend")
    assert "未满足条件：规模以上工业企业" in page
    assert Application.objects.get(pk=application.pk).state == "submitted"
    _act(client, users["city_a"], application, "recommend", override_reason="已纳入本年度规上名录")
    application.refresh_from_db()
    assert (application.state, application.condition_override) == (
        "recommended",
        "已纳入本年度规上名录",
    )


# -- one application per factory, tier and year; not below the tier in force -----------------


def test_a_second_application_for_the_same_factory_tier_and_year_is_refused(
    users, advanced_task, factory_a
):
    draft(users["enterprise_a"], advanced_task, factory_a)
    with pytest.raises(ServiceError, match="晋华一厂在2026年度已有一项先进级申报，不能重复申报"):
        draft(users["enterprise_a"], advanced_task, factory_a, project="二期")
    assert Application.objects.count() == 1


def test_an_application_below_the_tier_in_force_is_refused(users, campaign, factory_a):
    TierRecognition.objects.create(
        factory=factory_a,
        tier="先进级",
        year=2025,
        recognized_by="province",
        document_number="晋工信〔2025〕1号",
        recognized_on=date(2025, 6, 1),
    )
    basic = campaign.tasks.get(kind="ongoing")
    with pytest.raises(ServiceError, match="晋华一厂已认定为先进级（在有效期内），不能申报基础级"):
        draft(users["enterprise_a"], basic, factory_a)
    assert not Application.objects.exists()


# -- the unit's report ----------------------------------------------------------------------


def _reported(users, task, factory, unit):
    application = recommended(users, task, factory)
    submissions.rank_applications(
        actor=users["city_a"],
        task=task,
        unit=unit,
        ranks={application.pk: 1},
        version=unit_submission(task, unit).version,
    )
    submissions.submit_recommendation(
        actor=users["city_a"], task=task, unit=unit, version=stamped(task, unit).version
    )
    return application


def test_a_late_application_waits_for_the_provinces_return(
    client, users, advanced_task, factory_a, unit_a
):
    _reported(users, advanced_task, factory_a, unit_a)
    notice = "本单位已向省级报送该任务。现在提交的申报，须待省级退回本单位报送后，市级才能办理。"
    assert notice in _page(client, users["enterprise_a"], "campaigns:task", advanced_task.pk)
    apply = _page(client, users["enterprise_a"], "campaigns:application_create", advanced_task.pk)
    assert notice in apply
    second = Factory.objects.create(
        enterprise=factory_a.enterprise, name="晋华二厂", location="太原"
    )
    late = submitted(users, advanced_task, second, project="二厂项目")
    page = _page(client, users["city_a"], "campaigns:application_detail", late.pk)
    assert "省级退回本单位报送后，才能办理这项申报" in page
    assert 'id="action-recommend"' not in page
    client.force_login(users["city_a"])
    before = database_rows()
    refused = _act(client, users["city_a"], late, "recommend")
    assert "本单位该任务已报送省级，已锁定" in refused
    assert database_rows() == before
    report = Submission.objects.get(task=advanced_task, unit=unit_a)
    submissions.return_submission(
        actor=users["province"], submission=report, comment="请补充", version=report.version
    )
    assert 'id="action-recommend"' in _page(
        client, users["city_a"], "campaigns:application_detail", late.pk
    )


def test_after_a_return_ranks_are_checked_over_every_recommendation(
    client, users, advanced_task, factory_a, unit_a
):
    first = _reported(users, advanced_task, factory_a, unit_a)
    # The province decides on the first, then returns the report.
    Application.objects.filter(pk=first.pk).update(state="listed")
    report = Submission.objects.get(task=advanced_task, unit=unit_a)
    submissions.return_submission(
        actor=users["province"], submission=report, comment="补充推荐", version=report.version
    )
    second = Factory.objects.create(
        enterprise=factory_a.enterprise, name="晋华二厂", location="太原"
    )
    other = recommended(users, advanced_task, second, project="二厂项目")
    client.force_login(users["city_a"])
    url = reverse("campaigns:rank", args=[advanced_task.pk])
    version = unit_submission(advanced_task, unit_a).version
    refused = client.post(url, {f"rank_{other.pk}": "1", "version": version}, follow=True)
    assert "序号重复：1" in refused.content.decode()
    assert Application.objects.get(pk=other.pk).city_rank is None
    client.post(url, {f"rank_{other.pk}": "2", "version": version})
    assert Application.objects.get(pk=other.pk).city_rank == 2
    page = _page(client, users["city_a"], "campaigns:task", advanced_task.pk)
    assert "省级已受理或已决定的申报保留原序号" in page


def test_a_report_names_the_applications_without_a_rank(
    client, users, advanced_task, factory_a, unit_a
):
    recommended(users, advanced_task, factory_a)
    before = database_rows()
    with pytest.raises(
        ServiceError, match="以下申报尚未排定序号：太原晋华重工有限公司 · 智能工厂建设项目"
    ):
        submissions.submit_recommendation(
            actor=users["city_a"],
            task=advanced_task,
            unit=unit_a,
            version=unit_submission(advanced_task, unit_a).version,
        )
    assert Submission.objects.get().state == "draft"
    assert database_rows().keys() == before.keys()


def test_a_report_needs_the_stamped_recommendation_file(users, advanced_task, factory_a, unit_a):
    application = recommended(users, advanced_task, factory_a)
    submissions.rank_applications(
        actor=users["city_a"],
        task=advanced_task,
        unit=unit_a,
        ranks={application.pk: 1},
        version=unit_submission(advanced_task, unit_a).version,
    )
    with pytest.raises(ServiceError, match="推荐文件：请先上传盖章的推荐文件扫描件（PDF）"):
        submissions.submit_recommendation(
            actor=users["city_a"],
            task=advanced_task,
            unit=unit_a,
            version=unit_submission(advanced_task, unit_a).version,
        )
    assert Application.objects.get().state == "recommended"


def _overseas(enterprise, task, user, name="晋华印尼工厂", iso2="ID"):
    factory = Factory.objects.create(
        enterprise=enterprise,
        name=name,
        location="海外",
        is_overseas=True,
        country=Country.objects.get(iso2=iso2),
    )
    return submissions.propose_overseas(
        actor=user,
        task=task,
        enterprise=enterprise,
        data={
            "factory": factory,
            "self_assessed_level": "先进级",
            "sector": "装备制造",
            "employees": 300,
            "revenue_wan": 20000,
            "introduction": "简介",
            "contact": "张伟 13912345678",
        },
    )


def test_the_overseas_list_is_reported_whole_or_declared_empty(
    client, users, campaign, enterprise_a, unit_a
):
    task = campaign.tasks.get(kind="overseas")
    with pytest.raises(ServiceError, match="如确无推荐，请勾选“本单位无海外智能工厂推荐”后报送"):
        submissions.submit_recommendation(actor=users["city_a"], task=task, unit=unit_a, version=1)
    entry = _overseas(enterprise_a, task, users["enterprise_a"])
    with pytest.raises(
        ServiceError, match="以下海外智能工厂尚未填写序号（不推荐的请移出名单）：晋华印尼工厂"
    ):
        submissions.submit_recommendation(
            actor=users["city_a"],
            task=task,
            unit=unit_a,
            version=unit_submission(task, unit_a).version,
        )
    assert OverseasRecommendation.objects.get(pk=entry.pk).rank is None
    # Removed from the list, the unit reports that it has none, in so many words.
    submissions.remove_overseas(actor=users["city_a"], entry=entry, version=entry.version)
    client.force_login(users["city_a"])
    client.post(
        reverse("campaigns:submit_recommendation", args=[task.pk]),
        {"version": unit_submission(task, unit_a).version, "no_overseas": "1"},
    )
    report = Submission.objects.get(task=task, unit=unit_a)
    assert report.state == "submitted" and report.no_overseas


def test_an_overseas_entry_is_edited_and_removed_until_the_unit_reports(
    client, users, campaign, enterprise_a, unit_a
):
    task = campaign.tasks.get(kind="overseas")
    entry = _overseas(enterprise_a, task, users["enterprise_a"])
    submissions.update_overseas(
        actor=users["enterprise_a"], entry=entry, data={"employees": 320}, version=entry.version
    )
    entry.refresh_from_db()
    assert entry.employees == 320
    submissions.select_overseas(
        actor=users["city_a"],
        task=task,
        unit=unit_a,
        ranks={entry.pk: 1},
        version=unit_submission(task, unit_a).version,
    )
    submissions.submit_recommendation(
        actor=users["city_a"], task=task, unit=unit_a, version=unit_submission(task, unit_a).version
    )
    entry.refresh_from_db()
    with pytest.raises(ServiceError, match="已锁定"):
        submissions.update_overseas(
            actor=users["enterprise_a"], entry=entry, data={"employees": 1}, version=entry.version
        )
    with pytest.raises(ServiceError, match="已锁定"):
        submissions.remove_overseas(actor=users["city_a"], entry=entry, version=entry.version)
    assert OverseasRecommendation.objects.get(pk=entry.pk).employees == 320


# -- 揭榜 acceptances and the quota ----------------------------------------------------------


def test_the_acceptance_is_offered_to_pilot_winners_only(client, users, campaign, factory_a):
    task = campaign.tasks.get(kind="pilot_acceptance")
    page = _page(client, users["enterprise_a"], "campaigns:task", task.pk)
    assert 'id="new-application"' not in page
    with pytest.raises(ServiceError, match="只有智能制造示范工厂揭榜单位可以申请验收"):
        draft(users["enterprise_a"], task, factory_a)
    factory_a.enterprise.is_pilot_winner = True
    factory_a.enterprise.save()
    assert 'id="new-application"' in _page(client, users["enterprise_a"], "campaigns:task", task.pk)


def test_an_accepted_pilot_units_excellent_application_is_outside_the_quota(
    users, campaign, factory_a, unit_a
):
    campaign.settings["city_quota"] = 1
    campaign.save()
    task = campaign.tasks.get(kind="excellent")
    other = make_enterprise(unit_a, name="太原二号装备有限公司", body="MA0A0031")
    other_user = make_user("ent_a2", "enterprise", enterprise=other)
    other_factory = Factory.objects.create(enterprise=other, name="二号工厂", location="太原")
    numbers = (1, 4, 9, 22, 30)

    def excellent(user, factory):
        application = with_materials(user, draft(user, task, factory, level=3, numbers=numbers))
        applications.override_conditions(
            actor=users["city_a"],
            application=application,
            reason="另行评审",
            version=application.version,
        )
        return step(user, application, "submit")

    first = excellent(other_user, other_factory)
    step(users["city_a"], first, "recommend")  # the unit's one place is taken
    pilot = excellent(users["enterprise_a"], factory_a)
    with pytest.raises(ServiceError, match="本单位推荐名额为1个，已用完"):
        step(users["city_a"], pilot, "recommend")
    TierRecognition.objects.create(
        factory=factory_a,
        tier="揭榜验收",
        year=2026,
        recognized_by="ministry",
        document_number="工信厅通装函〔2026〕9号",
        recognized_on=date(2026, 3, 1),
    )
    step(users["city_a"], pilot, "recommend")
    assert Application.objects.get(pk=pilot.pk).state == "recommended"


# -- tier history ------------------------------------------------------------------------------


def test_a_higher_recognition_ends_the_lower_and_the_history_keeps_both(
    client, users, factory_a, campaign
):
    basic = TierRecognition.objects.create(
        factory=factory_a,
        tier="基础级",
        year=2025,
        recognized_by="unit",
        document_number="并工信发〔2025〕1号",
        recognized_on=date(2025, 3, 1),
    )
    from factorytiers.campaigns.services.factories import recognize

    advanced = recognize(
        factory=factory_a,
        tier="先进级",
        year=2026,
        level="province",
        unit=campaign.province,
        document_number="晋工信装备字〔2026〕88号",
        recognized_on=date(2026, 6, 20),
        valid_until=None,
    )
    basic.refresh_from_db()
    assert basic.valid_until == date(2026, 6, 19) and basic.replaced_by == advanced
    in_force = TierRecognition.objects.in_force(date(2026, 7, 1)).filter(factory=factory_a)
    assert list(in_force.values_list("tier", flat=True)) == ["先进级"]
    page = _page(client, users["enterprise_a"], "campaigns:factory_tiers", factory_a.pk)
    assert "已由先进级取代（2026-06-20起）" in page


def test_revoke_and_downgrade_say_what_they_did(client, users, factory_a):
    recognition = TierRecognition.objects.create(
        factory=factory_a,
        tier="先进级",
        year=2025,
        recognized_by="province",
        document_number="晋工信〔2025〕1号",
        recognized_on=date(2025, 6, 1),
    )
    client.force_login(users["province"])
    page = client.post(
        reverse("campaigns:revoke_recognition", args=[recognition.pk]),
        {
            "reason": "发生较大安全事故",
            "revoked_on": "2026-09-01",
            "downgrade_to": "基础级",
            "document_number": "晋工信〔2026〕9号",
            "version": recognition.version,
        },
        follow=True,
    ).content.decode()
    assert "已将晋华一厂的先进级认定自2026-09-01起降为基础级（文号晋工信〔2026〕9号）。" in page
    assert "已降为基础级（2026-09-01：发生较大安全事故）" in page


def test_a_revocation_before_the_recognition_is_refused(users, factory_a):
    recognition = TierRecognition.objects.create(
        factory=factory_a,
        tier="基础级",
        year=2026,
        recognized_by="unit",
        document_number="并工信发〔2026〕1号",
        recognized_on=date(2026, 3, 1),
    )
    from factorytiers.campaigns.services.factories import revoke_recognition

    with pytest.raises(ServiceError, match="撤销日期：不能早于认定日期（2026-03-01）"):
        revoke_recognition(
            actor=users["province"],
            recognition=recognition,
            reason="错误",
            revoked_on=date(2026, 2, 1),
            version=recognition.version,
        )
    assert not TierRecognition.objects.get(pk=recognition.pk).revoked


# -- no input lost -------------------------------------------------------------------------------


def test_the_enterprises_note_is_kept_with_its_submission(client, users, advanced_task, factory_a):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a)
    )
    _act(client, users["enterprise_a"], application, "submit", comment="近三年报表见附件")
    assert Transition.objects.get(to_state="submitted").comment == "近三年报表见附件"


def test_the_expert_form_keeps_every_value_and_names_the_wrong_one(
    client, users, advanced_task, factory_a, unit_a
):
    application = _reported(users, advanced_task, factory_a, unit_a)
    assignment = evaluation.assign_expert(
        actor=users["province"], application=application, expert=users["expert"]
    )
    client.force_login(users["expert"])
    response = client.post(
        reverse("campaigns:score", args=[assignment.pk]),
        {
            "points_maturity": "10",
            "points_infrastructure": "35",
            "points_technology": "15",
            "points_demonstration": "8",
            "points_benefits": "8",
            "points_plan": "abc",
            "comment": "基础较好",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "信息基础建设水平：得分应在0至30之间" in page
    assert "后续实施计划：“abc”不是数字" in page
    assert 'value="35"' in page and 'value="15"' in page and 'value="abc"' in page
    assert "基础较好</textarea>" in page


# -- the ministry's result ---------------------------------------------------------------------


@pytest.mark.parametrize("passed", [True, False])
def test_the_ministrys_result_ends_the_application(users, campaign, factory_a, passed):
    task = campaign.tasks.get(kind="excellent")
    application = Application.objects.create(
        campaign=campaign,
        task=task,
        kind="卓越级",
        enterprise=factory_a.enterprise,
        unit=factory_a.enterprise.unit,
        factory=factory_a,
        project_name="卓越项目",
        state="province_recommended",
        created_by=users["enterprise_a"],
    )
    evaluation.record_ministry_result(
        actor=users["province"],
        application=application,
        passed=passed,
        document_number="工信厅通装函〔2026〕300号",
        decided_on=date(2026, 11, 20),
        version=application.version,
    )
    application.refresh_from_db()
    if passed:
        assert application.state == "recognized"
        assert application.recognition.tier == "卓越级"
        assert application.recognition.recognized_by == "ministry"
    else:
        assert application.state == "ministry_not_passed"
        assert not TierRecognition.objects.exists()
    assert application.ministry_document_number == "工信厅通装函〔2026〕300号"


def test_a_second_publicity_batch_publicises_the_applications_listed_after_the_first(
    users, advanced_task, factory_a, unit_a
):
    first = _reported(users, advanced_task, factory_a, unit_a)
    evaluation.fix_list(
        actor=users["province"], task=advanced_task, selected_ids={first.pk}, shown_ids={first.pk}
    )
    batch1 = evaluation.open_publicity(
        actor=users["province"], task=advanced_task, starts_on=date(2026, 6, 11)
    )
    later = Application.objects.create(
        campaign=advanced_task.campaign,
        task=advanced_task,
        kind="先进级",
        enterprise=factory_a.enterprise,
        unit=unit_a,
        factory=Factory.objects.create(
            enterprise=factory_a.enterprise, name="晋华二厂", location="太原"
        ),
        project_name="二厂项目",
        state="listed",
        city_rank=2,
        created_by=users["enterprise_a"],
    )
    batch2 = evaluation.open_publicity(
        actor=users["province"], task=advanced_task, starts_on=date(2026, 7, 1)
    )
    assert (batch1.number, batch2.number) == (1, 2)
    assert list(batch2.applications.values_list("pk", flat=True)) == [later.pk]
    evaluation.record_recognition(
        actor=users["province"],
        publicity=batch2,
        document_number="晋工信装备字〔2026〕99号",
        recognized_on=date(2026, 7, 10),
    )
    assert Application.objects.get(pk=later.pk).state == "recognized"
    assert Application.objects.get(pk=first.pk).state == "publicity"
