"""The maturity model as data: the project's GB/T 39116-2020 file, and validation of any model."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from factorytiers.domain.maturity import (
    DEFAULT_MODEL_PATH,
    LEVEL_RULE_BAND,
    AnswerError,
    MaturityModel,
    ModelError,
    build_model,
    load_model,
)

# The structure table of the project's maturity specification.
STRUCTURE = {
    "人员": {"组织战略": ["组织战略"], "人员技能": ["人员技能"]},
    "技术": {"数据": ["数据"], "集成": ["集成"], "信息安全": ["信息安全"]},
    "资源": {"装备": ["装备"], "网络": ["网络"]},
    "制造": {
        "设计": ["产品设计", "工艺设计"],
        "生产": ["采购", "计划与调度", "生产作业", "设备管理", "仓储配送", "安全环保", "能源管理"],
        "物流": ["物流"],
        "销售": ["销售"],
        "服务": ["客户服务", "产品服务"],
    },
}


@cache
def real_model() -> MaturityModel:
    return load_model(DEFAULT_MODEL_PATH)


# --------------------------------------------------------------------------------------------
# The project's model file
# --------------------------------------------------------------------------------------------


def test_the_model_file_loads_from_a_path_or_its_text() -> None:
    from_text = load_model(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))

    assert load_model(str(DEFAULT_MODEL_PATH)) == real_model()
    assert from_text == real_model()


def test_it_names_its_edition_and_version() -> None:
    model = real_model()

    assert model.edition == "GB/T 39116-2020"
    assert re.fullmatch(r"\d+\.\d+\.\d+", model.version)
    assert "GB/T 39117-2020" in model.method


def test_it_scores_by_the_bands_with_the_0_8_threshold() -> None:
    model = real_model()

    assert model.level_rule == LEVEL_RULE_BAND
    assert model.met_threshold == Decimal("0.8")
    assert model.bands == tuple(map(Decimal, ("0.8", "1.8", "2.8", "3.8", "4.8")))


def test_it_has_the_four_grades() -> None:
    grades = [(grade.name, grade.value) for grade in real_model().grades]

    assert grades == [
        ("全部满足", Decimal(1)),
        ("大部分满足", Decimal("0.8")),
        ("部分满足", Decimal("0.5")),
        ("不满足", Decimal(0)),
    ]
    assert real_model().grade("大部分满足") == real_model().grade("MOSTLY")


def test_it_has_the_five_levels_with_their_names_and_meanings() -> None:
    levels = real_model().levels

    assert [(level.number, level.name) for level in levels] == [
        (1, "规划级"),
        (2, "规范级"),
        (3, "集成级"),
        (4, "优化级"),
        (5, "引领级"),
    ]
    assert all(level.meaning for level in levels)


def test_it_has_4_elements_12_domains_and_20_sub_domains_as_specified() -> None:
    model = real_model()

    structure = {
        element.name: {
            domain.name: [sub.name for sub in model.sub_domains_of(domain.code)]
            for domain in model.domains_of(element.code)
        }
        for element in model.elements
    }

    assert (len(model.elements), len(model.domains), len(model.sub_domains)) == (4, 12, 20)
    assert structure == STRUCTURE


def test_codes_are_stable_upper_case_identifiers() -> None:
    model = real_model()
    codes = [e.code for e in model.elements] + [d.code for d in model.domains]
    codes += [s.code for s in model.sub_domains]

    assert all(re.fullmatch(r"[A-Z][A-Z_]*", code) for code in codes)
    assert len({s.code for s in model.sub_domains}) == 20


def test_every_declared_level_of_a_sub_domain_has_two_to_four_items() -> None:
    model = real_model()

    for sub in model.sub_domains:
        # No public source says which sub-domains start above 一级: all declare 1–5.
        assert sub.levels == (1, 2, 3, 4, 5), sub.code
        for level in sub.levels:
            assert 2 <= len(model.items_at(sub.code, level)) <= 4, (sub.code, level)


def test_item_codes_are_unique_and_carry_their_level() -> None:
    items = real_model().items
    prefixes: dict[str, str] = {}

    assert len({item.code for item in items}) == len(items) == 300
    for item in items:
        prefix, level, _ = item.code.split(".")
        assert level == f"L{item.level}", item.code
        assert prefixes.setdefault(prefix, item.sub_domain) == item.sub_domain, item.code


def test_item_texts_are_distinct_chinese_evidence_statements() -> None:
    items = real_model().items

    assert len({item.text for item in items}) == len(items)
    for item in items:
        assert re.search(r"[\u4e00-\u9fff]", item.text), item.code
        assert 10 <= len(item.text) <= 80, item.code
        assert item.weight == 1, item.code


def test_both_manufacturing_types_weigh_every_sub_domain_equally_by_default() -> None:
    model = real_model()

    assert [(t.code, t.name) for t in model.manufacturing_types] == [
        ("DISCRETE", "离散型"),
        ("PROCESS", "流程型"),
    ]
    for kind in model.manufacturing_types:
        assert set(kind.weights) == {sub.code for sub in model.sub_domains}
        assert set(kind.weights.values()) == {Decimal(1)}
    assert model.weights("流程型") == model.weights("PROCESS")


def test_the_file_keeps_decimals_exact() -> None:
    # Floats never enter: TOML numbers are read as Decimals, strings stay strings.
    data = tomllib.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"), parse_float=Decimal)

    assert data["met_threshold"] == "0.8"
    assert build_model(data) == real_model()


def test_model_lookups_refuse_unknown_codes() -> None:
    model = real_model()

    assert model.sub_domain("PLANNING_SCHEDULING").name == "计划与调度"
    assert model.item("PLAN.L3.1").sub_domain == "PLANNING_SCHEDULING"
    assert model.domain("PRODUCTION").element == "MANUFACTURING"
    with pytest.raises(AnswerError, match="NOPE"):
        model.sub_domain("NOPE")
    with pytest.raises(AnswerError, match="混合型"):
        model.manufacturing_type("混合型")


# --------------------------------------------------------------------------------------------
# Validation of a model
# --------------------------------------------------------------------------------------------

VALID = """\
edition = "TEST"
version = "1"
level_rule = "band"
met_threshold = "0.8"
bands = ["0.8", "1.8", "2.8", "3.8", "4.8"]

[[grades]]
key = "FULL"
name = "全部满足"
value = "1"

[[grades]]
key = "MOSTLY"
name = "大部分满足"
value = "0.8"

[[grades]]
key = "NOT_MET"
name = "不满足"
value = "0"

[[levels]]
number = 1
name = "规划级"

[[levels]]
number = 2
name = "规范级"

[[levels]]
number = 3
name = "集成级"

[[levels]]
number = 4
name = "优化级"

[[levels]]
number = 5
name = "引领级"

[[manufacturing_types]]
code = "DISCRETE"
name = "离散型"

[manufacturing_types.weights]
SD_A = "1"

[[elements]]
code = "E1"
name = "人员"

[[domains]]
code = "D1"
name = "组织战略"
element = "E1"

[[sub_domains]]
code = "SD_A"
name = "组织战略"
domain = "D1"
levels = [1, 2, 3, 4, 5]
items = [
  { code = "A.L1.1", level = 1, text = "一级条目" },
  { code = "A.L2.1", level = 2, text = "二级条目" },
  { code = "A.L3.1", level = 3, text = "三级条目" },
  { code = "A.L4.1", level = 4, text = "四级条目" },
  { code = "A.L5.1", level = 5, text = "五级条目" },
]

[[sub_domains]]
code = "SD_B"
name = "人员技能"
domain = "D1"
levels = [2, 3]
items = [
  { code = "B.L2.1", level = 2, text = "二级条目乙", weight = "2" },
  { code = "B.L3.1", level = 3, text = "三级条目乙" },
]
"""


def broken(*replacements: tuple[str, str]) -> str:
    text = VALID
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_the_valid_example_loads() -> None:
    model = load_model(VALID)

    assert [sub.levels for sub in model.sub_domains] == [(1, 2, 3, 4, 5), (2, 3)]
    assert model.item("B.L2.1").weight == Decimal(2)
    assert model.item("B.L3.1").weight == Decimal(1)
    assert model.weights("离散型") == {"SD_A": Decimal(1), "SD_B": Decimal(1)}


BROKEN = {
    "duplicate item code": (
        broken(('code = "B.L3.1"', 'code = "A.L1.1"')),
        ["条目编码", "A.L1.1", "重复"],
    ),
    "duplicate sub-domain code": (
        broken(('code = "SD_B"', 'code = "SD_A"')),
        ["能力子域编码", "SD_A", "重复"],
    ),
    "duplicate domain code": (
        broken(
            (
                'element = "E1"\n',
                'element = "E1"\n\n[[domains]]\ncode = "D1"\nname = "又一"\nelement = "E1"\n',
            )
        ),
        ["能力域编码", "D1", "重复"],
    ),
    "unknown parent domain": (
        broken(('domain = "D1"\nlevels = [2, 3]', 'domain = "D9"\nlevels = [2, 3]')),
        ["SD_B", "D9", "不存在"],
    ),
    "unknown parent element": (
        broken(('element = "E1"', 'element = "E9"')),
        ["D1", "E9", "不存在"],
    ),
    "item weight zero": (
        broken(('weight = "2"', 'weight = "0"')),
        ["B.L2.1", "权重", "大于 0"],
    ),
    "item weight negative": (
        broken(('weight = "2"', 'weight = "-1"')),
        ["B.L2.1", "大于 0"],
    ),
    "item weight not a number": (
        broken(('weight = "2"', 'weight = "两"')),
        ["B.L2.1", "不是数字"],
    ),
    "type weight negative": (
        broken(('SD_A = "1"', 'SD_A = "-0.5"')),
        ["离散型", "DISCRETE", "SD_A", "大于 0"],
    ),
    "type weight for an unknown sub-domain": (
        broken(('SD_A = "1"', 'SD_X = "1"')),
        ["DISCRETE", "SD_X", "不存在"],
    ),
    "item level above 5": (
        broken(('{ code = "B.L3.1", level = 3', '{ code = "B.L3.1", level = 6')),
        ["B.L3.1", "6", "1…5"],
    ),
    "item level 0": (
        broken(('{ code = "A.L1.1", level = 1', '{ code = "A.L1.1", level = 0')),
        ["A.L1.1", "0", "1…5"],
    ),
    "declared level above 5": (
        broken(("levels = [2, 3]", "levels = [2, 3, 6]")),
        ["SD_B", "6", "1…5"],
    ),
    "declared level twice": (
        broken(("levels = [2, 3]", "levels = [2, 3, 3]")),
        ["SD_B", "重复", "3"],
    ),
    "item at an undeclared level": (
        broken(("levels = [2, 3]", "levels = [2]")),
        ["B.L3.1", "3", "SD_B"],
    ),
    "declared level without items": (
        broken(("levels = [2, 3]", "levels = [2, 3, 4]")),
        ["SD_B", "第 4 级", "没有条目"],
    ),
    "level without any sub-domain": (
        broken(
            ("levels = [1, 2, 3, 4, 5]", "levels = [1, 2, 3, 4]"),
            ('  { code = "A.L5.1", level = 5, text = "五级条目" },\n', ""),
        ),
        ["第 5 级", "没有任何能力子域"],
    ),
    "grade above 1": (
        broken(('value = "0.8"', 'value = "1.5"')),
        ["MOSTLY", "1.5", "0 到 1"],
    ),
    "grade below 0": (
        broken(('value = "0.8"', 'value = "-0.2"')),
        ["MOSTLY", "-0.2"],
    ),
    "grade not a number": (
        broken(('value = "0.8"', 'value = "八成"')),
        ["MOSTLY", "八成", "不是数字"],
    ),
    "grade value twice": (
        broken(('value = "0.8"', 'value = "1"')),
        ["MOSTLY", "相同"],
    ),
    "grade key twice": (
        broken(('key = "MOSTLY"', 'key = "FULL"')),
        ["评分等级", "FULL", "重复"],
    ),
    "unknown level rule": (
        broken(('level_rule = "band"', 'level_rule = "median"')),
        ["level_rule", "median"],
    ),
    "threshold above 1": (
        broken(('met_threshold = "0.8"', 'met_threshold = "1.2"')),
        ["met_threshold", "1.2"],
    ),
    "bands not increasing": (
        broken(('"1.8", "2.8"', '"2.8", "1.8"')),
        ["bands", "1.8"],
    ),
    "bands and levels do not match": (
        broken(('"4.8"]', '"4.8", "4.9"]')),
        ["bands", "6", "5"],
    ),
    "band above full marks": (
        broken(('"4.8"]', '"5.2"]')),
        ["bands", "5.2"],
    ),
    "levels out of order": (
        broken(("number = 3", "number = 4")),
        ["第 3 个等级", "4"],
    ),
    "element without domains": (
        broken(('name = "人员"\n', 'name = "人员"\n\n[[elements]]\ncode = "E2"\nname = "技术"\n')),
        ["E2", "没有能力域"],
    ),
    "duplicate manufacturing type": (
        broken(
            (
                'name = "离散型"\n',
                'name = "离散型"\n\n[[manufacturing_types]]\ncode = "PROCESS"\nname = "离散型"\n',
            )
        ),
        ["制造类型", "离散型", "重复"],
    ),
    "misspelt key": (
        broken(('edition = "TEST"', 'edition = "TEST"\neditoin = "x"')),
        ["模型", "未知的键", "editoin"],
    ),
    "misspelt item key": (
        broken(('{ code = "B.L3.1", level = 3, text', '{ code = "B.L3.1", level = 3, txt')),
        ["SD_B", "未知的键", "txt"],
    ),
    "missing version": (
        broken(('version = "1"\n', "")),
        ["缺少", "version"],
    ),
    "empty item text": (
        broken(('text = "三级条目乙"', 'text = "  "')),
        ["B.L3.1", "text"],
    ),
    "level as text": (
        broken(('{ code = "B.L3.1", level = 3', '{ code = "B.L3.1", level = "3"')),
        ["B.L3.1", "整数"],
    ),
    "not TOML": (VALID + "items = [\n", ["TOML"]),
}


@pytest.mark.parametrize(("text", "fragments"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_model_is_refused_with_a_message_naming_the_entry(
    text: str, fragments: list[str]
) -> None:
    with pytest.raises(ModelError) as refused:
        load_model(text)

    message = str(refused.value)
    for fragment in fragments:
        assert fragment in message


def test_a_float_is_refused_when_the_data_does_not_come_from_toml() -> None:
    data = tomllib.loads(VALID, parse_float=Decimal)
    data["met_threshold"] = 0.8

    with pytest.raises(ModelError, match="浮点数"):
        build_model(data)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="找不到"):
        load_model(tmp_path / "missing.toml")
