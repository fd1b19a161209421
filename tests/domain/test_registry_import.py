"""The registry import's pure rules: headers, cells, rows, duplicates, the plan, CSV bytes."""

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from factorytiers.domain.credit_code import make_credit_code
from factorytiers.domain.registry_import import (
    FIELD_HEADERS,
    CellError,
    Lookups,
    RefusedRow,
    RegistryFileError,
    check_rows,
    csv_rows,
    decode_csv,
    dump_check,
    error_rows,
    find_columns,
    load_check,
    lookups_key,
    normalize_header,
    parse_amount,
    parse_count,
    parse_flag,
    parse_industry,
    parse_nature,
    parse_unit,
    plan_import,
)

TAIYUAN, DATONG = 1, 2
LOOKUPS = Lookups(
    industries={"3311": (10, "装备制造"), "1351": (11, "消费品"), "3999": (12, "")},
    units={
        "140100": TAIYUAN,
        "太原市": TAIYUAN,
        "太原": TAIYUAN,
        "140105": TAIYUAN,
        "140200": DATONG,
        "大同市": DATONG,
    },
    unit_names={TAIYUAN: "太原市", DATONG: "大同市"},
)
CITY = Lookups(
    industries=LOOKUPS.industries,
    units=LOOKUPS.units,
    unit_names=LOOKUPS.unit_names,
    allowed_units=frozenset({TAIYUAN}),
    default_unit=TAIYUAN,
)
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所在地市",
    "行业代码",
    "从业人员",
    "营业收入(万元)",
    "企业性质",
]


def code(n: int) -> str:
    return make_credit_code(division="140100", org_body=f"MA{n:06d}")


def row(n: int, **overrides):
    values = {
        "统一社会信用代码": code(n),
        "企业名称": f"太原第{n}机械有限公司",
        "所在地市": "太原市",
        "行业代码": "3311",
        "从业人员": 120,
        "营业收入(万元)": 5000.5,
        "企业性质": "私营企业",
    } | overrides
    return [values[h] for h in HEADER]


# -- headers ---------------------------------------------------------------------------------


def test_every_synonym_maps_to_its_field_also_with_full_width_brackets_and_spaces():
    for name, headers in FIELD_HEADERS.items():
        for header in headers:
            typed = " " + header.replace("(", "（").replace(")", "）") + "："
            others = [h for h in ("信用代码", "企业名称") if FIELD_HEADERS[name][0] != h]
            others = [h for h in others if not (name == "credit_code" and h == "信用代码")]
            others = [h for h in others if not (name == "name" and h == "企业名称")]
            columns = find_columns([[*others, typed]], needs_unit=False)
            assert columns.positions[name] == len(others), header


def test_header_found_below_a_title_row_and_columns_by_name():
    rows = [["2025年规上工业企业名录"], [], ["单位详细名称", "  信用代码 ", "行政区划代码"]]
    cols = find_columns(rows, needs_unit=True)
    assert cols.header_row == 3
    assert cols.positions == {"name": 0, "credit_code": 1, "unit": 2}


def test_no_header_row_empty_file_and_twice_the_same_field_are_refused():
    with pytest.raises(RegistryFileError, match="没有找到表头行"):
        find_columns([[code(1), "某公司"]], needs_unit=False)
    with pytest.raises(RegistryFileError, match="文件是空的"):
        find_columns([], needs_unit=False)
    with pytest.raises(RegistryFileError, match="“企业名称”与“单位详细名称”都是企业名称"):
        find_columns([["信用代码", "企业名称", "单位详细名称"]], needs_unit=False)
    with pytest.raises(RegistryFileError, match="表头缺少列：所在地市"):
        find_columns([["信用代码", "企业名称"]], needs_unit=True)


@given(st.text(max_size=20))
@example("A\u00b4")  # NFKC gives “A”, a space and U+0301, which compose once the space is gone
def test_normalize_header_never_fails_and_is_idempotent(text):
    assert normalize_header(normalize_header(text)) == normalize_header(text)


# -- cells ------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=2_147_483_647))
def test_count_reads_ints_floats_and_text_with_commas(n):
    assert parse_count(n) == n
    assert parse_count(float(n)) == n
    assert parse_count(f"{n:,}") == n


@pytest.mark.parametrize("value", [-1, 1.5, "十二", "", True, "1e3", 2_147_483_648])
def test_count_refuses(value):
    with pytest.raises(CellError):
        parse_count(value)


@given(st.decimals(min_value=0, max_value=Decimal("999999999999"), places=2))
def test_amount_keeps_two_decimals(amount):
    assert parse_amount(str(amount)) == amount
    assert parse_amount(f"{amount:,}") == amount


@pytest.mark.parametrize("value", ["-1", "NaN", "inf", "abc", True, "1e20"])
def test_amount_refuses(value):
    with pytest.raises(CellError):
        parse_amount(value)


def test_amount_rounds_half_up_and_reads_floats_exactly():
    assert parse_amount("1.005") == Decimal("1.01")
    assert parse_amount(5000.5) == Decimal("5000.50")


@pytest.mark.parametrize(
    ("value", "nature"),
    [
        ("私营企业", "民营企业"),
        ("有限责任公司", "民营企业"),
        ("国有企业", "地方国企"),
        ("中央企业", "中央企业"),
        ("外商投资企业", "三资企业"),
        ("港澳台商投资企业", "三资企业"),
        ("110", "地方国企"),
        ("173", "民营企业"),
        ("310", "三资企业"),
        ("民营企业", "民营企业"),
    ],
)
def test_nature_from_registration_type(value, nature):
    assert parse_nature(value) == nature


def test_nature_unknown_is_refused_in_chinese():
    with pytest.raises(CellError, match="无法识别为企业性质"):
        parse_nature("其他")


@pytest.mark.parametrize(
    ("value", "flag"), [("是", True), ("否", False), (1.0, True), ("N", False)]
)
def test_flag(value, flag):
    assert parse_flag(value) is flag


def test_industry_accepts_code_with_letter_name_or_float():
    for value in ("3311", "C3311", "3311 金属结构制造", 3311.0, "３３１１"):
        assert parse_industry(value, LOOKUPS.industries) == 10
    with pytest.raises(CellError, match="不是GB/T 4754-2017制造业"):
        parse_industry("331", LOOKUPS.industries)


def test_unit_by_name_code_county_or_township_code():
    for value in ("太原市", "太原", "140100", 140105.0, "140105001", "140105001001"):
        assert parse_unit(value, LOOKUPS) == TAIYUAN
    with pytest.raises(CellError, match="不是本省的地市"):
        parse_unit("上海市", LOOKUPS)


def test_city_officer_refused_another_unit_with_the_reason():
    with pytest.raises(CellError) as error:
        parse_unit("大同市", CITY)
    assert str(error.value) == "企业属于大同市，不在本单位（太原市）范围内，不能导入"


# -- rows -------------------------------------------------------------------------------------


def test_rows_parsed_refused_and_duplicates_name_the_first_row():
    rows = [
        HEADER,
        row(1),
        row(2, 从业人员="很多"),
        [],
        row(1, 企业名称="重复的企业"),
        row(3, 统一社会信用代码="91140100MA0000001X"),
    ]
    check = check_rows(rows, LOOKUPS)
    assert [p.row for p in check.parsed] == [2]
    assert check.parsed[0].values == {
        "name": "太原第1机械有限公司",
        "unit": TAIYUAN,
        "industry": 10,
        "employees": 120,
        "revenue_wan": Decimal("5000.50"),
        "nature": "民营企业",
    }
    refused = {bad.row: bad.message for bad in check.refused}
    assert refused[3] == "从业人员：“很多”不是整数（人数）"
    assert refused[5] == "统一社会信用代码：与第2行的统一社会信用代码重复（同一企业只能有一行）"
    assert refused[6].startswith("统一社会信用代码：第")
    assert set(refused) == {3, 5, 6}


def test_a_file_with_only_a_header_has_no_data():
    with pytest.raises(RegistryFileError, match="文件中没有数据行"):
        check_rows([HEADER, ["", None]], LOOKUPS)


def test_a_city_officer_without_a_unit_column_imports_into_its_own_unit():
    rows = [["信用代码", "单位详细名称"], [code(1), "太原某公司"]]
    check = check_rows(rows, CITY)
    assert check.parsed[0].values["unit"] == TAIYUAN


@given(
    st.lists(
        st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats()),
        min_size=7,
        max_size=7,
    )
)
def test_any_cells_give_a_parsed_or_refused_row_never_an_exception(cells):
    check = check_rows([HEADER, [code(1), *cells[1:]]], LOOKUPS)
    assert len(check.parsed) + len(check.refused) == 1
    for bad in check.refused:
        assert bad.problems and all(reason for _, reason in bad.problems)


# -- the plan ---------------------------------------------------------------------------------


def _existing(n: int, **overrides):
    return {
        "name": f"太原第{n}机械有限公司",
        "unit": TAIYUAN,
        "industry": 10,
        "employees": 120,
        "revenue_wan": Decimal("5000.50"),
        "nature": "民营企业",
    } | overrides


def test_plan_new_changed_unchanged_refused():
    rows = [HEADER, row(1), row(2), row(3), row(4, 行业代码="3999"), row(5, 企业性质=None)]
    check = check_rows(rows, LOOKUPS)
    existing = {code(2): _existing(2), code(3): _existing(3, employees=99)}
    plan = plan_import(check, existing, taken={code(5)}, sectors={10: "装备制造", 12: ""})
    assert [r.row for r in plan.new] == [2]
    assert plan.new[0].values["sector"] == "装备制造"
    assert [r.row for r in plan.unchanged] == [3]
    assert [(c.row.row, [(x.field, x.old, x.new) for x in c.changes]) for c in plan.changed] == [
        (4, [("employees", 99, 120)])
    ]
    assert [(r.row, r.message) for r in plan.refused] == [
        (5, "行业代码：无法由该行业代码确定所属行业"),
        (6, "统一社会信用代码：该统一社会信用代码已由其他单位登记，不能导入"),
    ]
    assert plan.counts() == {"new": 1, "changed": 1, "unchanged": 1, "refused": 2}


def test_a_new_enterprise_needs_the_required_fields():
    check = check_rows([HEADER, row(1, 企业性质="", 行业代码=None)], LOOKUPS)
    plan = plan_import(check, {}, sectors={10: "装备制造"})
    assert plan.refused[0].message == "—：新登记的企业须填写：行业代码、企业性质"


def test_blank_cells_leave_an_existing_enterprise_unchanged():
    check = check_rows([HEADER, row(1, 从业人员="", 企业性质=None)], LOOKUPS)
    plan = plan_import(check, {code(1): _existing(1, employees=7)}, sectors={})
    assert plan.unchanged and not plan.changed


def test_fingerprint_changes_with_the_registry_and_not_otherwise():
    check = check_rows([HEADER, row(1), row(2)], LOOKUPS)
    before = plan_import(check, {code(2): _existing(2)}, sectors={10: "装备制造"}).fingerprint()
    again = plan_import(check, {code(2): _existing(2)}, sectors={10: "装备制造"}).fingerprint()
    after = plan_import(
        check, {code(2): _existing(2, employees=1)}, sectors={10: "装备制造"}
    ).fingerprint()
    assert before == again != after


# -- the checked rows kept between the dry run and the apply step ----------------------------


def test_kept_check_gives_the_same_plan_and_fingerprint():
    rows = [
        [*HEADER, "是否规上", "主营业务收入"],
        [*row(1), "是", "88.456"],
        [*row(2, 从业人员="很多"), None, None],
        [*row(3), "否", None],
        [*row(1), None, None],
    ]
    check = check_rows(rows, LOOKUPS)
    key = lookups_key(LOOKUPS, 100)
    kept = load_check(dump_check(check, key), key)
    assert kept is not None
    assert kept.columns == check.columns
    assert kept.parsed == check.parsed  # values compared with their types (Decimal, bool, int)
    assert kept.parsed[0].values["main_business_revenue_wan"] == Decimal("88.46")
    assert [(b.row, b.message, b.credit_code) for b in kept.refused] == [
        (b.row, b.message, b.credit_code) for b in check.refused
    ]
    existing = {code(3): _existing(3, employees=1)}
    plans = [plan_import(c, existing, sectors={10: "装备制造"}) for c in (check, kept)]
    assert (
        plans[0].counts()
        == plans[1].counts()
        == {
            "new": 1,
            "changed": 1,
            "unchanged": 0,
            "refused": 2,
        }
    )
    assert plans[0].fingerprint() == plans[1].fingerprint()


def test_kept_check_is_not_used_against_other_reference_rows_or_when_damaged():
    check = check_rows([HEADER, row(1)], LOOKUPS)
    content = dump_check(check, lookups_key(LOOKUPS, 100))
    assert lookups_key(CITY, 100) != lookups_key(LOOKUPS, 100) != lookups_key(LOOKUPS, 5)
    assert load_check(content, lookups_key(CITY, 100)) is None
    assert load_check(content, lookups_key(LOOKUPS, 5)) is None
    assert load_check(content[:-3], lookups_key(LOOKUPS, 100)) is None
    assert load_check(b"not compressed", lookups_key(LOOKUPS, 100)) is None


def test_error_rows_keep_the_cells_under_the_header():
    bad = RefusedRow(7, ("=cmd|' /C calc'!A0", "x"), (("企业名称", "有误"),))
    assert list(error_rows(["a", "b", "c"], [bad])) == [
        [7, "=cmd|' /C calc'!A0", "x", "", "企业名称：有误"]
    ]


# -- CSV --------------------------------------------------------------------------------------


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_utf8_with_or_without_bom_reads_back(text):
    assert decode_csv(text.encode()) == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode()) == text


def test_gbk_is_read_and_other_bytes_are_refused():
    assert decode_csv("统一社会信用代码,企业名称".encode("gbk")) == "统一社会信用代码,企业名称"
    for data in (b"\xff\xfe\x00\x00", "名称".encode("utf-16"), b"\x80\x80\x80"):
        with pytest.raises(RegistryFileError, match="无法识别文件编码"):
            decode_csv(data)


def test_csv_rows_bounded():
    assert csv_rows('a,"b,c"\r\n1,2\r\n', max_rows=5) == [["a", "b,c"], ["1", "2"]]
    with pytest.raises(RegistryFileError, match="超过2行"):
        csv_rows("a\n1\n2\n", max_rows=2)
