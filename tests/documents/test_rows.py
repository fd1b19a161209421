"""Rows of the forms refuse values the notice does not allow, naming the row and column."""

from dataclasses import replace
from decimal import Decimal

import pytest

from factorytiers.documents.rows import (
    Form1Row,
    Form4Row,
    FormRowError,
    introduction_length,
)
from factorytiers.domain.document_names import InvalidFileName, document_file_name
from tests.documents.form_data import form2_rows, form5_rows


def test_an_introduction_of_exactly_500_characters_is_accepted():
    row = replace(form5_rows()[0], introduction="智" * 500)
    assert introduction_length(row.introduction) == 500


def test_an_introduction_over_500_characters_is_refused_with_the_count():
    with pytest.raises(FormRowError) as error:
        replace(form5_rows()[0], introduction="智" * 501)
    assert error.value.message == "序号1（海外智能工厂简介）：共501字，超过500字的上限，请删减1字"
    assert error.value.column == "海外智能工厂简介"


def test_line_breaks_do_not_count_against_the_limit():
    row = replace(form5_rows()[0], introduction="智" * 250 + "\r\n" + "能" * 250)
    assert introduction_length(row.introduction) == 500


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"sector": "化工"},
            "序号1（所属行业）：“化工”不是允许的值（原材料、电子信息、装备制造、消费品）",
        ),
        ({"employees": -1}, "序号1（从业人数）：不能为负数，当前为-1"),
        ({"employees": True}, "序号1（从业人数）：应为整数"),
        ({"revenue_wan": Decimal("-5")}, "序号1（营业收入(万元)）：不能为负数，当前为-5"),
        ({"contact": " "}, "序号1（企业联系人及联系方式）：不能为空"),
        ({"seq": 0}, "序号0（序号）：应为从1开始的整数"),
    ],
)
def test_form5_values_outside_the_notice_are_refused(change, message):
    with pytest.raises(FormRowError) as error:
        replace(form5_rows()[0], **change)
    assert error.value.message == message


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"tier": "卓越级"}, "工厂级别"),
        ({"nature": "外资企业"}, "企业性质"),
        ({"size_class": "特大型企业"}, "企业类型"),
        ({"industry_group": ""}, "行业中类"),
        ({"score": Decimal("-0.5")}, "能力成熟度自评估得分"),
    ],
)
def test_form2_values_outside_the_notice_are_refused(change, column):
    with pytest.raises(FormRowError) as error:
        replace(form2_rows()[0], **change)
    assert error.value.column == column


def test_form1_needs_a_scenario_and_names():
    with pytest.raises(FormRowError, match="至少填写一个场景"):
        Form1Row(1, "企业", "工厂", [" "])
    with pytest.raises(FormRowError, match="工厂名称"):
        Form1Row(1, "企业", "", ["场景"])
    with pytest.raises(FormRowError, match="揭榜项目名称"):
        Form4Row(1, "企业", "")


@pytest.mark.parametrize(
    ("unit", "message"),
    [("太原|市", "不允许的字符“|”"), ("", "缺少报送单位名称"), ("太原市\x01", "控制字符")],
)
def test_file_names_windows_would_refuse_are_refused(unit, message):
    with pytest.raises(InvalidFileName, match=message):
        document_file_name(unit, "附件1", "先进级智能工厂名单汇总表", "xlsx")


def test_an_unknown_extension_is_refused():
    with pytest.raises(InvalidFileName):
        document_file_name("太原市", "附件1", "表", "exe")
