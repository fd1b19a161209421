from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.credit_code import (
    CATEGORIES,
    CHARSET,
    DEPARTMENTS,
    ENFORCED_CATEGORY_DEPARTMENTS,
    CreditCodeResult,
    check_credit_code,
    credit_code_check_char,
    make_credit_code,
    org_code_check_char,
)

# Published codes of real organisations. Sources: Wikipedia infobox (华为), the examples
# of the Wikidata property proposal "Unified Social Credit Identifier", a listed-company
# registry page (中国石化), and the list of codes found online in python-stdnum's tests.
REAL_CODES = {
    "914403001922038216": "华为技术有限公司",
    "9111000071093123XX": "国家电网有限公司",
    "91100000000013477B": "中国国家铁路集团有限公司",
    "91110000710926094P": "中国石油化工股份有限公司",
    "91370000728611939A": "山东步长制药股份有限公司",
    "13100000500010213J": "中国宋庆龄基金会",
    "531000005000160090": "中国红十字基金会",
    "5110000050001963XY": "中国福利会",
    "11100000MB1789023A": "最高人民法院",
    "11100000000011519T": "最高人民检察院",
    "71310106424845496E": "上海静安寺",
    "119900000106319731": "新疆生产建设兵团",
    "92141127MA0KD1Y64A": "个体工商户（山西吕梁岚县）",
    "91152201078382010M": "企业（组织机构代码校验码为0）",
    "9115220107837757XE": "企业（组织机构代码校验码为X）",
    "91620105L015101280": "企业（主体标识码含字母L）",
}

HUAWEI = "914403001922038216"


def replaced(code: str, position: int, char: str) -> str:
    return code[: position - 1] + char + code[position:]


# --- known-good codes ---------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_it_accepts_published_codes_of_real_organisations(code: str) -> None:
    assert check_credit_code(code) == CreditCodeResult(True, code, None, "")


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_its_check_characters_match_published_codes(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_it_rebuilds_published_codes_from_their_parts(code: str) -> None:
    built = make_credit_code(
        department=code[0], category=code[1], division=code[2:8], org_body=code[8:16]
    )
    assert built == code


def test_org_code_letters_count_from_ten_through_the_whole_alphabet() -> None:
    # GB 11714 values M=22 and B=11; the GB 32100 charset would give M=21, which would
    # make the Supreme People's Court's code fail.
    assert org_code_check_char("MB178902") == "3"


def test_check_value_thirty_one_becomes_zero() -> None:
    assert credit_code_check_char("53100000500016009") == "0"


def test_check_value_thirty_is_y() -> None:
    assert credit_code_check_char("5110000050001963X") == "Y"


# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        " 914403001922038216 ",
        "914403001922038216\n",
        "\u3000914403001922038216",
        "９１４４０３００１９２２０３８２１６",
    ],
)
def test_it_strips_and_folds_full_width_input(raw: str) -> None:
    assert check_credit_code(raw) == CreditCodeResult(True, HUAWEI, None, "")


def test_it_upper_cases() -> None:
    result = check_credit_code("91110000600037341l")
    assert result.ok
    assert result.code == "91110000600037341L"


def test_it_returns_the_normalised_code_on_failure_too() -> None:
    assert check_credit_code(" 91440300192203821x ").code == "91440300192203821X"


# --- refusals with exact messages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "position", "message"),
    [
        ("", None, "统一社会信用代码不能为空"),
        ("   ", None, "统一社会信用代码不能为空"),
        (HUAWEI[:17], None, "统一社会信用代码应为18位，当前为17位"),
        (HUAWEI + "1", None, "统一社会信用代码应为18位，当前为19位"),
        ("91 440300 1922038216", None, "统一社会信用代码应为18位，当前为20位"),
        (replaced(HUAWEI, 5, "I"), 5, "第5位“I”不是合法字符（不使用I、O、Z、S、V）"),
        (replaced(HUAWEI, 12, "O"), 12, "第12位“O”不是合法字符（不使用I、O、Z、S、V）"),
        (replaced(HUAWEI, 10, "z"), 10, "第10位“Z”不是合法字符（不使用I、O、Z、S、V）"),
        (replaced(HUAWEI, 14, "S"), 14, "第14位“S”不是合法字符（不使用I、O、Z、S、V）"),
        (replaced(HUAWEI, 18, "V"), 18, "第18位“V”不是合法字符（不使用I、O、Z、S、V）"),
        (replaced(HUAWEI, 11, "-"), 11, "第11位“-”不是合法字符（只能是数字或大写英文字母）"),
        (replaced(HUAWEI, 9, "中"), 9, "第9位“中”不是合法字符（只能是数字或大写英文字母）"),
        (
            replaced(HUAWEI, 1, "B"),
            1,
            "第1位“B”不是有效的登记管理部门代码（应为1–9、A、N或Y）",
        ),
        (
            replaced(HUAWEI, 1, "0"),
            1,
            "第1位“0”不是有效的登记管理部门代码（应为1–9、A、N或Y）",
        ),
        (
            replaced(HUAWEI, 2, "5"),
            2,
            "第2位“5”不是有效的机构类别代码"
            "（登记管理部门为工商时应为1企业、2个体工商户、3农民专业合作社）",
        ),
        (
            replaced(HUAWEI, 3, "A"),
            3,
            "第3–8位应为6位数字的行政区划码，第3位“A”不是数字",
        ),
        (
            replaced(HUAWEI, 8, "Y"),
            8,
            "第3–8位应为6位数字的行政区划码，第8位“Y”不是数字",
        ),
        (
            replaced(HUAWEI, 17, "2"),
            17,
            "第17位组织机构代码校验码应为“1”，实为“2”（请核对第9–17位）",
        ),
        (
            replaced(HUAWEI, 12, "3"),
            17,
            "第17位组织机构代码校验码应为“2”，实为“1”（请核对第9–17位）",
        ),
        (replaced(HUAWEI, 18, "7"), 18, "第18位校验码应为“6”，实为“7”"),
        (replaced("9111000071093123XX", 18, "Y"), 18, "第18位校验码应为“X”，实为“Y”"),
    ],
)
def test_it_refuses_with_the_position_and_what_is_wrong(
    raw: str, position: int | None, message: str
) -> None:
    result = check_credit_code(raw)
    assert result.ok is False
    assert result.position_of_error == position
    assert result.message == message


def test_it_reports_the_leftmost_problem_first() -> None:
    code = replaced(replaced(HUAWEI, 2, "7"), 6, "A")
    assert check_credit_code(code).position_of_error == 2


def test_it_accepts_any_category_outside_the_enforced_departments() -> None:
    # Copies of the category table disagree outside 工商 (one lists 54 for 村民委员会).
    code = make_credit_code(department="5", category="4", division="140100", org_body="12345678")
    assert check_credit_code(code).ok


def test_only_the_enterprise_registration_row_is_enforced() -> None:
    assert ENFORCED_CATEGORY_DEPARTMENTS == frozenset({"9"})
    assert CATEGORIES["9"] == {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}


def test_it_lists_every_registration_department() -> None:
    assert set(DEPARTMENTS) == set("123456789ANY")
    assert set(CATEGORIES) == set(DEPARTMENTS)


def test_it_refuses_a_registered_code_whose_check_character_breaks_the_standard() -> None:
    # Some codes issued in 厦门 before 2016 are genuine but fail the MOD 31 check; the
    # product cannot tell them from typos, so they are refused (see the module notes).
    result = check_credit_code("91350203M0001QKT19")
    assert result.position_of_error == 18


# --- builders -----------------------------------------------------------------------------


def test_it_builds_an_enterprise_code_by_default() -> None:
    code = make_credit_code(division="140100", org_body="MA0XXXXX")
    assert code == "91140100MA0XXXXX78"
    assert check_credit_code(code).ok


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"division": "14010", "org_body": "MA0XXXXX"},
            "行政区划码应为6位数字，收到“14010”",
        ),
        (
            {"division": "140100", "org_body": "MA0XXXX"},
            "组织机构代码本体应为8位，收到“MA0XXXX”",
        ),
        (
            {"division": "140100", "org_body": "MA0XXXXX", "department": "91"},
            "登记管理部门代码和机构类别代码各为1位",
        ),
        (
            {"division": "140100", "org_body": "MA0XXXXX", "department": "B"},
            "第1位“B”不是有效的登记管理部门代码（应为1–9、A、N或Y）",
        ),
        (
            {"division": "14010A", "org_body": "MA0XXXXX"},
            "第3–8位应为6位数字的行政区划码，第8位“A”不是数字",
        ),
        (
            {"division": "140100", "org_body": "MA0IXXXX"},
            "第12位“I”不是合法字符（不使用I、O、Z、S、V）",
        ),
    ],
)
def test_it_refuses_to_build_from_malformed_parts(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        make_credit_code(**kwargs)
    assert str(excinfo.value) == message


@pytest.mark.parametrize("first17", ["", "9144030019220382", "9144030019220382I"])
def test_check_char_needs_seventeen_charset_characters(first17: str) -> None:
    with pytest.raises(ValueError, match="计算校验码需要17位合法字符"):
        credit_code_check_char(first17)


@pytest.mark.parametrize("body", ["", "1922038", "192203821", "1922038a"])
def test_org_check_char_needs_eight_digits_or_capitals(body: str) -> None:
    with pytest.raises(ValueError, match="计算组织机构代码校验码需要8位数字或大写字母"):
        org_code_check_char(body)


# --- properties ---------------------------------------------------------------------------


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    department = draw(st.sampled_from(sorted(DEPARTMENTS)))
    if department in ENFORCED_CATEGORY_DEPARTMENTS:
        category = draw(st.sampled_from(sorted(CATEGORIES[department])))
    else:
        category = draw(st.sampled_from(CHARSET))
    division = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    org_body = draw(st.text(alphabet=CHARSET, min_size=8, max_size=8))
    return make_credit_code(
        department=department, category=category, division=division, org_body=org_body
    )


@given(valid_codes())
def test_any_built_code_passes(code: str) -> None:
    assert check_credit_code(code) == CreditCodeResult(True, code, None, "")
    assert check_credit_code(code.lower()).ok


@given(valid_codes(), st.integers(min_value=1, max_value=18), st.data())
def test_any_single_substitution_is_caught_and_located(
    code: str, position: int, data: st.DataObject
) -> None:
    original = code[position - 1]
    char = data.draw(st.sampled_from([c for c in CHARSET if c != original]))
    result = check_credit_code(replaced(code, position, char))

    assert result.ok is False
    assert result.position_of_error is not None
    assert f"第{result.position_of_error}位" in result.message
    # The wrong character itself is reported, or the check that caught it: the org-code
    # check for the org body, the final check otherwise. A new department can also make
    # the existing category invalid.
    expected = {position, 18}
    if position == 1:
        expected.add(2)
    if 9 <= position <= 17:
        expected.add(17)
    assert result.position_of_error in expected


@given(valid_codes())
def test_check_chars_agree_with_the_checker(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


@given(st.text(max_size=25))
def test_it_never_raises_and_always_explains_a_refusal(raw: str) -> None:
    result = check_credit_code(raw)
    assert result.ok == (result.message == "")
    if result.position_of_error is not None:
        assert f"第{result.position_of_error}位" in result.message
