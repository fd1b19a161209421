import copy
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.campaign_settings import (
    next_year_title,
    settings_problems,
    shift_year,
)

DEFAULTS = json.loads(
    (Path(__file__).parents[2] / "factorytiers/campaigns/seed/settings_defaults.json").read_text(
        encoding="utf-8"
    )
)


def changed(**edits):
    settings = copy.deepcopy(DEFAULTS)
    for path, value in edits.items():
        target = settings
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return settings


def fields(settings):
    return [field for field, _problem in settings_problems(settings)]


def test_the_seeded_defaults_have_no_problem():
    assert settings_problems(DEFAULTS) == []


@pytest.mark.parametrize("level", [0, 6, "3", None, True, 2.5])
def test_a_maturity_level_outside_one_to_five_names_the_tier_and_field(level):
    assert fields(changed(tiers__先进级__min_maturity_level=level)) == ["先进级 · 最低成熟度等级"]


def test_a_higher_tier_asking_less_maturity_than_the_tier_below_is_refused():
    problems = settings_problems(changed(tiers__卓越级__min_maturity_level=1))
    assert problems == [("卓越级 · 最低成熟度等级", "不应低于先进级的要求（二级）")]


@pytest.mark.parametrize(
    ("links", "problem"),
    [
        (["生产作业", "仓储物流"], "未知环节：仓储物流"),
        (["生产作业", "生产作业"], "有重复的环节"),
        ([], "请至少选择一个环节"),
        ("生产作业", "格式有误"),
    ],
)
def test_required_links_must_be_known_distinct_and_present(links, problem):
    assert settings_problems(changed(tiers__基础级__required_links=links)) == [
        ("基础级 · 须覆盖的建设环节", problem)
    ]


@pytest.mark.parametrize("share", ["0", "1.5", "-0.2", "abc", "0.123456"])
def test_an_ai_share_must_be_a_fraction_up_to_one(share):
    assert fields(changed(tiers__领航级__min_ai_share=share)) == ["领航级 · 人工智能场景最低占比"]


def test_no_ai_share_means_no_ai_condition():
    assert settings_problems(changed(tiers__卓越级__min_ai_share=None)) == []


def test_an_unknown_coverage_rule_and_a_blank_extra_condition_are_named():
    settings = changed(
        tiers__先进级__coverage_rule="loose", tiers__先进级__extra_disqualifiers=[" "]
    )
    assert fields(settings) == ["先进级 · 覆盖要求", "先进级 · 附加条件"]


def test_a_missing_tier_is_named():
    settings = copy.deepcopy(DEFAULTS)
    del settings["tiers"]["领航级"]
    assert settings_problems(settings) == [("领航级", "缺少该级别的条件设置")]


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("publicity_working_days", 0, "公示期（工作日）"),
        ("publicity_working_days", 31, "公示期（工作日）"),
        ("publicity_working_days", "5", "公示期（工作日）"),
        ("city_quota", 0, "每单位推荐名额"),
        ("validity_years", 11, "认定有效期（年）"),
        ("max_upload_mb", 0, "单个材料大小上限（MB）"),
    ],
)
def test_numbers_out_of_range_name_their_field(key, value, field):
    assert fields(changed(**{key: value})) == [field]


def test_quota_and_validity_may_be_left_open():
    assert settings_problems(changed(city_quota=None, validity_years=None)) == []
    assert settings_problems(changed(city_quota=3, validity_years=3)) == []


def test_score_sheet_rows_are_named_by_their_number():
    settings = changed(
        score_sheet__1__max_points="0",
        score_sheet__2__key="maturity",
        score_sheet__3__label="",
        score_sheet__4__max_points="1.005",
    )
    assert settings_problems(settings) == [
        ("评分表第2项 · 分值", "应大于0且不超过1000"),
        ("评分表第3项 · 代码", "与前面的评分项重复（maturity）"),
        ("评分表第4项 · 评分项", "请填写名称"),
        ("评分表第5项 · 分值", "最多保留两位小数"),
    ]


def test_an_empty_score_sheet_is_refused():
    assert settings_problems(changed(score_sheet=[])) == [("评分表", "请至少设置一个评分项")]


def test_a_duplicated_item_name_and_a_bad_key_are_refused():
    settings = changed(score_sheet__1__label="智能制造成熟度", score_sheet__2__key="Tech-1")
    assert fields(settings) == ["评分表第2项 · 评分项", "评分表第3项 · 代码"]


def test_shift_year_keeps_the_date_and_moves_29_february_to_the_28th():
    assert shift_year(date(2026, 5, 6)) == date(2027, 5, 6)
    assert shift_year(date(2028, 2, 29)) == date(2029, 2, 28)
    assert shift_year(date(2027, 2, 28), 1) == date(2028, 2, 28)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_shift_year_lands_in_the_next_year_within_a_day_of_the_same_date(day):
    shifted = shift_year(day)
    assert shifted.year == day.year + 1
    assert shifted.month == day.month
    assert day.day - shifted.day in (0, 1)
    assert timedelta(days=364) <= shifted - day <= timedelta(days=366)


def test_the_title_year_moves_to_the_next_year_but_other_numbers_stay():
    title = "山西省工业和信息化厅关于开展2026年度智能工厂梯度培育有关工作的通知（第12026号）"
    assert next_year_title(title, 2026) == (
        "山西省工业和信息化厅关于开展2027年度智能工厂梯度培育有关工作的通知（第12026号）"
    )


def test_task_rows_need_one_row_per_kind_and_a_deadline_or_a_note():
    from factorytiers.domain.campaign_settings import task_problems

    issued = date(2027, 3, 8)
    rows = [
        ("advanced", date(2027, 5, 6), ""),
        ("overseas", None, ""),
        ("advanced", date(2027, 3, 1), ""),
        ("leading", None, "无固定日期"),
    ]
    assert task_problems(rows, issued) == [
        ("工作任务第2行 · 截止日期", "请填写截止日期，或在时间说明中写明无固定日期"),
        ("工作任务第3行 · 类型", "与第1行重复"),
        ("工作任务第3行 · 截止日期", "早于发文日期"),
    ]
    assert task_problems([], issued) == [("工作任务", "请至少设置一项任务")]
    assert task_problems(rows[:1] + rows[3:], issued) == []
