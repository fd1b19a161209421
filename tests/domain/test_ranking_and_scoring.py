from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.ranking import rank_problems
from factorytiers.domain.scoring import check_scores, items_from_data, total

SHEET = items_from_data(
    [
        {"key": "maturity", "label": "智能制造成熟度", "max_points": "20"},
        {"key": "infra", "label": "信息基础建设水平", "max_points": "30"},
    ]
)


def test_contiguous_unique_ranks_pass():
    assert rank_problems({10: 2, 11: 1, 12: 3}) == []
    assert rank_problems({}) == []


def test_ranking_problems_are_named():
    assert rank_problems({1: 1, 2: 1}) == ["序号重复：1"]
    assert rank_problems({1: 1, 2: 3}) == ["序号应连续编排为1至2，缺少：2"]
    assert rank_problems({1: 0, 2: 1}) == ["序号应从1开始：0"]
    assert rank_problems({1: None, 2: 1}) == ["有1项未填写序号"]


@given(st.permutations(list(range(1, 12))))
def test_every_permutation_of_one_to_n_is_valid(order):
    assert rank_problems(dict(enumerate(order))) == []


def test_scores_within_the_sheet_are_totalled():
    scores, problems = check_scores(SHEET, {"maturity": "10", "infra": "27.5"})
    assert problems == [] and total(scores) == Decimal("37.50")


def test_bad_scores_name_the_item():
    _scores, problems = check_scores(SHEET, {"maturity": "21", "infra": "abc"})
    assert problems == [
        ("智能制造成熟度", "得分应在0至20之间"),
        ("信息基础建设水平", "“abc”不是数字"),
    ]
    _scores, problems = check_scores(SHEET, {"maturity": "", "infra": "1.234"})
    assert problems == [
        ("智能制造成熟度", "请填写得分"),
        ("信息基础建设水平", "得分最多保留两位小数"),
    ]
