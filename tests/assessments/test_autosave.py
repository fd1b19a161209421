"""Autosave: each answer, note and leave-out choice is saved on its own as it is given, with a
version check; the answer is a small fragment the page shows."""

import pytest
from django.urls import reverse

from factorytiers.assessments.models import Assessment
from tests.assessments.conftest import submitted


def save(client, assessment, kind, key, value, version=None, **extra):
    data = {"kind": kind, "key": key, "value": value, **extra}
    data["version"] = assessment.version if version is None else version
    return client.post(reverse("assessments:autosave", args=[assessment.pk]), data)


def test_an_answer_is_saved_and_the_time_shown(ent_client, draft):
    response = save(ent_client, draft, "answer", "STRAT.L1.1", "MOSTLY")
    assert response.status_code == 200
    content = response.content.decode()
    assert "已保存 10:30:00" in content
    assert 'data-version="2"' in content and 'data-answered="1"' in content
    assert 'data-total="300"' in content
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "MOSTLY"} and draft.version == 2


def test_autosaves_chain_on_the_returned_version(ent_client, draft):
    for version, grade in enumerate(["FULL", "PARTLY", "NOT_MET"], start=1):
        assert save(ent_client, draft, "answer", "DATA.L2.1", grade, version).status_code == 200
    draft.refresh_from_db()
    assert draft.answers == {"DATA.L2.1": "NOT_MET"} and draft.version == 4


def test_an_empty_value_clears_the_answer(ent_client, draft):
    save(ent_client, draft, "answer", "STRAT.L1.1", "FULL")
    draft.refresh_from_db()
    save(ent_client, draft, "answer", "STRAT.L1.1", "")
    draft.refresh_from_db()
    assert draft.answers == {}


def test_evidence_notes_are_saved_and_cleared(ent_client, draft):
    save(
        ent_client,
        draft,
        "evidence",
        "STRAT.L1.1",
        "  《2026年智能制造规划》（总经理办公会纪要）  ",
    )
    draft.refresh_from_db()
    assert draft.evidence == {"STRAT.L1.1": "《2026年智能制造规划》（总经理办公会纪要）"}
    save(ent_client, draft, "evidence", "STRAT.L1.1", "")
    draft.refresh_from_db()
    assert draft.evidence == {}


def test_a_sub_domain_is_left_out_with_its_reason(ent_client, draft):
    save(ent_client, draft, "left_out", "LOGISTICS", "1")
    draft.refresh_from_db()
    save(ent_client, draft, "left_out_reason", "LOGISTICS", "产品由客户自提，无自有物流")
    draft.refresh_from_db()
    assert draft.left_out == {"LOGISTICS": "产品由客户自提，无自有物流"}
    response = save(ent_client, draft, "answer", "STRAT.L1.1", "FULL")
    assert 'data-total="285"' in response.content.decode()  # 15 items of 物流 no longer count
    draft.refresh_from_db()
    save(ent_client, draft, "left_out", "LOGISTICS", "")
    draft.refresh_from_db()
    assert draft.left_out == {}


def test_the_manufacturing_type_is_saved(ent_client, draft):
    assert save(ent_client, draft, "manufacturing_type", "type", "PROCESS").status_code == 200
    draft.refresh_from_db()
    assert draft.manufacturing_type == "PROCESS"


def test_autosave_does_not_fill_the_history(ent_client, draft):
    for grade in ("FULL", "MOSTLY"):
        draft.refresh_from_db()
        save(ent_client, draft, "answer", "STRAT.L1.1", grade)
    assert draft.history.count() == 1  # the creation only


def test_a_stale_version_is_told_and_nothing_is_saved(ent_client, draft):
    save(ent_client, draft, "answer", "STRAT.L1.1", "FULL")  # another window: version 2
    response = save(ent_client, draft, "answer", "STRAT.L1.2", "FULL", version=1)
    assert response.status_code == 409
    content = response.content.decode()
    assert "未保存：此问卷已在其他窗口或由同事修改" in content and 'data-conflict="1"' in content
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "FULL"} and draft.version == 2


def test_a_stale_page_may_still_save_a_field_nobody_else_changed(ent_client, draft):
    save(ent_client, draft, "answer", "STRAT.L1.1", "FULL")  # the previous screen: version 2
    response = save(ent_client, draft, "answer", "STRAT.L1.2", "PARTLY", version=1, previous="")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "FULL", "STRAT.L1.2": "PARTLY"} and draft.version == 3


def test_a_field_changed_elsewhere_is_never_overwritten(ent_client, draft):
    save(ent_client, draft, "evidence", "STRAT.L1.1", "另一窗口写的说明")  # version 2
    response = save(
        ent_client, draft, "evidence", "STRAT.L1.1", "本窗口的说明", version=1, previous=""
    )
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.evidence == {"STRAT.L1.1": "另一窗口写的说明"}
    response = save(
        ent_client,
        draft,
        "evidence",
        "STRAT.L1.1",
        "改过的说明",
        version=1,
        previous="另一窗口写的说明",
    )
    assert response.status_code == 200  # the page had seen the stored note


def batch(client, assessment, changes, version):
    data = {"kind": [], "key": [], "value": [], "previous": [], "version": version}
    for kind, key, value, previous in changes:
        for name, item in zip(
            ("kind", "key", "value", "previous"), (kind, key, value, previous), strict=True
        ):
            data[name].append(item)
    return client.post(reverse("assessments:autosave", args=[assessment.pk]), data)


# What a closing page sends: the request that was on its way (STRAT.L1.1 = FULL) and what was
# still waiting (STRAT.L1.1 = PARTLY after it, and a note).
CLOSING = [
    ("answer", "STRAT.L1.1", "FULL", ""),
    ("answer", "STRAT.L1.1", "PARTLY", "FULL"),
    ("evidence", "STRAT.L1.2", "说明", ""),
]


def test_a_closing_page_sends_everything_at_once(ent_client, draft):
    assert batch(ent_client, draft, CLOSING, version=1).status_code == 200
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "PARTLY"} and draft.evidence == {"STRAT.L1.2": "说明"}
    assert draft.version == 2


def test_a_request_resent_by_a_closing_page_is_no_conflict(ent_client, draft):
    save(ent_client, draft, "answer", "STRAT.L1.1", "FULL")  # it did arrive: version 2
    assert batch(ent_client, draft, CLOSING, version=1).status_code == 200
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "PARTLY"} and draft.version == 3


def test_a_batch_with_one_field_changed_elsewhere_saves_nothing(ent_client, draft):
    save(ent_client, draft, "answer", "STRAT.L1.1", "NOT_MET")  # another window
    assert batch(ent_client, draft, CLOSING, version=1).status_code == 409
    draft.refresh_from_db()
    assert draft.answers == {"STRAT.L1.1": "NOT_MET"} and draft.evidence == {}


def test_a_batch_with_one_bad_field_saves_nothing(ent_client, draft):
    changes = [("answer", "STRAT.L1.1", "FULL", ""), ("answer", "STRAT.L1.2", "BEST", "")]
    response = batch(ent_client, draft, changes, version=1)
    assert response.status_code == 400 and "STRAT.L1.2" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {}


@pytest.mark.parametrize(
    ("kind", "key", "value", "message"),
    [
        ("answer", "STRAT.L1.1", "EXCELLENT", "条目“STRAT.L1.1”的答案“EXCELLENT”无效"),
        ("answer", "NOPE.1", "FULL", "条目“NOPE.1”不在本问卷中"),
        ("evidence", "STRAT.L1.1", "证" * 2001, "证据说明有2001字，最多2000字"),
        ("left_out", "NOPE", "1", "能力子域“NOPE”不在本问卷中"),
        ("left_out_reason", "LOGISTICS", "无", "请先勾选“物流”不适用，再填写原因"),
        ("manufacturing_type", "type", "混合型", "制造类型“混合型”无效"),
        ("score", "STRAT.L1.1", "1", "请求不完整"),
        ("answer", "", "FULL", "请求不完整"),
    ],
)
def test_bad_input_is_refused_naming_the_item(ent_client, draft, kind, key, value, message):
    response = save(ent_client, draft, kind, key, value)
    assert response.status_code == 400
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 1 and draft.answers == {} and draft.evidence == {}
    assert draft.left_out == {} and draft.manufacturing_type == "DISCRETE"


def test_a_submitted_assessment_is_read_only(ent_client, ent_user, enterprise_a, frozen):
    assessment = submitted(ent_user, enterprise_a)
    response = save(ent_client, assessment, "answer", "STRAT.L1.1", "NOT_MET")
    assert response.status_code == 409
    assert "已提交，不能再修改" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.answers["STRAT.L1.1"] == "FULL"


def test_another_enterprise_cannot_find_the_draft(client, users, draft):
    client.force_login(users["enterprise_b"])
    assert save(client, draft, "answer", "STRAT.L1.1", "FULL").status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {}


@pytest.mark.parametrize("role", ["city_a", "province", "admin"])
def test_officers_and_the_admin_cannot_answer_for_the_enterprise(client, users, draft, role):
    client.force_login(users[role])
    assert save(client, draft, "answer", "STRAT.L1.1", "FULL").status_code == 403
    assert Assessment.objects.get().answers == {}


def test_a_colleague_of_the_same_enterprise_may_answer(client, second_ent_user, draft):
    client.force_login(second_ent_user)
    assert save(client, draft, "answer", "STRAT.L1.1", "FULL").status_code == 200


def test_get_is_not_allowed(ent_client, draft):
    assert ent_client.get(reverse("assessments:autosave", args=[draft.pk])).status_code == 405
