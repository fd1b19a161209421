"""Checking national-platform results: one entry, and the rows of an import."""

from datetime import date, datetime
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.credit_code import make_credit_code
from factorytiers.domain.maturity import (
    DEFAULT_MODEL_PATH,
    LEVEL_RULE_MET_LEVELS,
    MaturityModel,
    level_for_score,
    level_name,
    load_model,
)
from factorytiers.domain.platform_results import (
    HEADERS,
    ResultError,
    check_result,
    check_rows,
    parse_date,
    parse_level,
    parse_score,
    parse_year,
)

TODAY = date(2026, 4, 1)
CODE_A = make_credit_code(division="140100", org_body="MA0A0001")
CODE_B = make_credit_code(division="140200", org_body="MA0B0002")
KNOWN = {CODE_A: 1}


@cache
def model(rule: str | None = None) -> MaturityModel:
    text = DEFAULT_MODEL_PATH.read_text(encoding="utf-8")
    if rule:
        text = text.replace('level_rule = "band"', f'level_rule = "{rule}"')
    return load_model(text)


def row(code=CODE_A, year=2026.0, score=3.55, level="三级", on=date(2026, 3, 15)):
    return [code, year, score, level, on]


def check(*rows, known=KNOWN, rule=None):
    return check_rows([list(HEADERS), *rows], enterprises=known, model=model(rule), today=TODAY)


def test_a_good_row_is_read_with_exact_values() -> None:
    result = check(row())
    assert result.ok
    (good,) = result.good
    assert (good.row, good.enterprise_id, good.year) == (2, 1, 2026)
    assert good.score == Decimal("3.55") and good.level == 3
    assert good.assessed_on == date(2026, 3, 15)


def test_text_cells_as_typed_in_excel_are_read_too() -> None:
    result = check([f" {CODE_A.lower()} ", "2026", "２.８０", " 三级 ", "2026年3月15日"])
    assert result.ok, result.bad
    assert result.good[0].score == Decimal("2.80")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (row(code="91140100MA0A00010X"), "校验码"),
        (row(code=CODE_B), f"本单位企业名录中没有统一社会信用代码为“{CODE_B}”的企业"),
        (row(year=2019), "年度“2019”无效，应为2020至2026之间的年份"),
        (row(year=2027), "年度“2027”无效"),
        (row(year="二〇二六"), "年度“二〇二六”无效"),
        (row(score=3.555), "评估得分“3.555”最多保留两位小数"),
        (row(score="5.01"), "评估得分 5.01 不在 0 到 5 之间"),
        (row(score=-1), "不在 0 到 5 之间"),
        (row(score=""), "评估得分为空"),
        (row(score="三点五"), "评估得分“三点五”不是数字"),
        (row(level="3级"), "成熟度等级“3级”无效，应为未达一级、一级、二级、三级、四级、五级之一"),
        (row(level="二级"), "评估得分 3.55 与成熟度等级“二级”不符：按分数带应为三级"),
        (row(score=0.79, level="一级"), "按分数带应为未达一级"),
        (row(on="2026-02-30"), "评估日期“2026-02-30”不是有效的日期"),
        (row(on="下周"), "评估日期“下周”不是日期"),
        (row(on=date(2026, 4, 2)), "评估日期 2026-04-02 晚于今天"),
        (row(on=date(2025, 12, 31)), "评估日期 2025-12-31 不在2026年度内"),
        (row(on=None), "评估日期为空"),
    ],
)
def test_a_bad_row_is_named_with_what_is_wrong(cells, message) -> None:
    result = check(row(), cells)
    assert not result.ok
    assert [bad.row for bad in result.bad] == [3]
    assert message in result.bad[0].message, result.bad[0].message
    assert [good.row for good in result.good] == [2]


def test_every_problem_of_a_row_is_listed() -> None:
    (bad,) = check(row(code=CODE_B, score=9, on="x")).bad
    assert len(bad.errors) == 3


def test_one_enterprise_and_year_appears_once_per_file() -> None:
    result = check(row(), row(on=date(2026, 3, 20)))
    assert [bad.row for bad in result.bad] == [3]
    assert "与第2行重复：同一企业同一年度只能有一条结果" in result.bad[0].message


def test_columns_are_found_by_header_and_empty_rows_skipped() -> None:
    header = ["企业名称", "评估日期", "成熟度等级", "评估得分", "年度", "统一社会信用代码"]
    rows = [header, [None] * 6, ["某公司", date(2026, 1, 5), "一级", 0.8, 2026, CODE_A]]
    result = check_rows(rows, enterprises=KNOWN, model=model(), today=TODAY)
    assert result.ok and result.good[0].row == 3 and result.good[0].level == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "文件是空的"),
        ([["统一社会信用代码", "年度"]], "第1行表头缺少列：评估得分、成熟度等级、评估日期"),
        ([list(HEADERS), [None] * 5], "文件中没有数据行"),
    ],
)
def test_a_file_without_the_columns_or_rows_is_refused(rows, message) -> None:
    result = check_rows(rows, enterprises=KNOWN, model=model(), today=TODAY)
    assert not result.ok and message in result.file_errors[0]


def test_too_many_rows_are_refused_before_reading_them() -> None:
    rows = [list(HEADERS)] + [row()] * 20_001
    result = check_rows(rows, enterprises=KNOWN, model=model(), today=TODAY)
    assert result.file_errors == ("一次最多导入20000行，文件中有20001行",)


@given(cents=st.integers(min_value=0, max_value=500))
def test_under_the_band_rule_a_score_matches_exactly_its_band(cents: int) -> None:
    score = Decimal(cents) / 100
    band = level_for_score(score, model=model())
    for level in range(6):
        outcome = check(row(score=str(score), level=level_name(level)))
        assert outcome.ok is (level == band)


@pytest.mark.parametrize(
    ("score", "level", "ok"),
    [
        ("1.75", "二级", True),
        ("1.75", "一级", True),
        ("1.75", "三级", False),
        ("0.85", "一级", True),
    ],
)
def test_under_the_met_levels_rule_the_score_only_bounds_the_level(score, level, ok) -> None:
    outcome = check(row(score=score, level=level), rule=LEVEL_RULE_MET_LEVELS)
    assert outcome.ok is ok
    if not ok:
        assert "按连续达标等级数判定" in outcome.bad[0].message


def test_one_entry_is_checked_with_the_same_rules() -> None:
    values = check_result(
        score=Decimal("3.71"),
        level=3,
        year=2026,
        assessed_on=date(2026, 3, 1),
        model=model(),
        today=TODAY,
    )
    assert values == (Decimal("3.71"), 3, 2026, date(2026, 3, 1))
    with pytest.raises(ResultError, match="按分数带应为三级"):
        check_result(
            score=Decimal("3.71"),
            level=4,
            year=2026,
            assessed_on=date(2026, 3, 1),
            model=model(),
            today=TODAY,
        )


def test_parsers_accept_what_excel_gives() -> None:
    assert parse_year(2026.0, today=TODAY) == 2026
    assert parse_score(3.5, model=model()) == Decimal("3.50")
    assert parse_score("3.550", model=model()) == Decimal("3.55")
    assert parse_level("未达一级", model=model()) == 0
    assert parse_date(datetime(2026, 3, 15, 9, 0), today=TODAY) == date(2026, 3, 15)
    assert parse_date(46096.0, today=TODAY) == date(2026, 3, 15)  # a serial day number
    assert parse_date("2026/3/5", today=TODAY) == date(2026, 3, 5)
    with pytest.raises(ResultError):
        parse_date(46096.5, today=TODAY)
    with pytest.raises(ResultError):
        parse_score(True, model=model())
