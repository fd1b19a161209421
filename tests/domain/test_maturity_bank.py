"""The maturity model as stored data, and a replacement item bank read from spreadsheet rows."""

from decimal import Decimal
from functools import cache

import pytest

from factorytiers.domain.maturity import (
    DEFAULT_MODEL_PATH,
    LEVEL_RULE_MET_LEVELS,
    build_model,
    load_model,
)
from factorytiers.domain.maturity_bank import (
    BANK_HEADERS,
    bank_rows,
    bank_to_data,
    model_to_data,
    weight_rows,
)


@cache
def base():
    return load_model(DEFAULT_MODEL_PATH)


def rows():
    return [BANK_HEADERS, *bank_rows(base())]


def test_the_model_file_survives_the_round_trip_through_plain_data() -> None:
    data = model_to_data(base())
    assert build_model(data) == base()
    assert data["met_threshold"] == "0.8"
    assert data["bands"] == ["0.8", "1.8", "2.8", "3.8", "4.8"]


def test_the_exported_item_bank_imports_back_to_the_same_model() -> None:
    result = bank_to_data(rows(), base=base(), edition=base().edition, version=base().version)
    assert result.ok and result.item_count == 300
    assert build_model(result.data) == base()


def test_an_import_keeps_the_chinese_text_exactly_as_written() -> None:
    result = bank_to_data(rows(), base=base(), edition="E", version="2")
    texts = [item["text"] for sub in result.data["sub_domains"] for item in sub["items"]]
    assert "，" in texts[0]  # full-width punctuation is not folded


def test_rows_name_levels_by_number_chinese_numeral_or_title_and_weights_may_be_blank() -> None:
    table = rows()
    table[1] = ("人员", "组织战略", "组织战略", 1.0, "STRAT.L1.1", "条目一", None)
    table[2] = ("人员", "组织战略", "组织战略", "规划级", "STRAT.L1.2", "条目二", "2")
    table[3] = ("人员", "组织战略", "组织战略", "一级", "STRAT.L1.3", "条目三", 0.5)
    model = build_model(bank_to_data(table, base=base(), edition="E", version="2").data)
    assert [(i.level, i.weight) for i in model.items_at("STRATEGY", 1)] == [
        (1, Decimal(1)),
        (1, Decimal(2)),
        (1, Decimal("0.5")),
    ]


def test_a_regrouped_edition_gets_new_codes_and_keeps_known_ones() -> None:
    table = [BANK_HEADERS]
    table += [
        ("人员", "组织战略", "组织战略", level, f"S.L{level}", f"要求{level}", 1)
        for level in (1, 2, 3, 4, 5)
    ]
    table += [
        ("制造", "智能运营", "能耗双控", level, f"N.L{level}", f"要求{level}", 1)
        for level in (2, 3, 4, 5)
    ]
    table += [("制造", "智能运营", "能耗双控", 1, "N.L1", "要求", 1)]
    result = bank_to_data(table, base=base(), edition="GB/T 39116-202X", version="draft-1")
    model = build_model(result.data)
    assert [d.code for d in model.domains] == ["STRATEGY", "D2"]
    assert [s.code for s in model.sub_domains] == ["STRATEGY", "S2"]
    assert model.sub_domain("S2").levels == (1, 2, 3, 4, 5)
    assert model.edition == "GB/T 39116-202X" and model.version == "draft-1"


def test_a_sub_domain_without_items_at_a_level_does_not_take_part_there() -> None:
    table = [row for row in rows() if not (row[4].startswith("PDES.") and ".L1." in row[4])]
    model = build_model(bank_to_data(table, base=base(), edition="E", version="2").data)
    assert model.sub_domain("PRODUCT_DESIGN").levels == (2, 3, 4, 5)


def test_the_level_rule_can_be_switched_by_the_import() -> None:
    result = bank_to_data(
        rows(), base=base(), edition="E", version="2", level_rule=LEVEL_RULE_MET_LEVELS
    )
    assert build_model(result.data).level_rule == LEVEL_RULE_MET_LEVELS


def test_the_weight_sheet_sets_weights_per_manufacturing_type() -> None:
    sheet = weight_rows(base())
    sheet[1] = ("组织战略", "2", 3.5)
    model = build_model(
        bank_to_data(rows(), base=base(), edition="E", version="2", weights=sheet).data
    )
    assert model.weights("离散型")["STRATEGY"] == Decimal(2)
    assert model.weights("流程型")["STRATEGY"] == Decimal("3.5")
    assert model.weights("流程型")["SKILLS"] == Decimal(1)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("人员", "组织战略", "组织战略", "六级", "X.1", "文字", 1), "第302行：“等级”为“六级”"),
        (("人员", "组织战略", "组织战略", 1, "", "文字", 1), "第302行：“条目编码”为空"),
        (("人员", "组织战略", "组织战略", 1, "A B", "文字", 1), "不能含空白"),
        (("人员", "组织战略", "组织战略", 1, "X.1", "", 1), "第302行：“条目内容”为空"),
        (("人员", "组织战略", "组织战略", 1, "X.1", "文字", 0), "“权重”为“0”，应大于 0"),
        (("人员", "组织战略", "组织战略", 1, "X.1", "文字", "重"), "“权重”为“重”，不是数字"),
        (("", "组织战略", "组织战略", 1, "X.1", "文字", 1), "“能力要素”为空"),
        (
            ("人员", "组织战略", "组织战略", 1, "STRAT.L2.1", "文字", 1),
            "“条目编码”“STRAT.L2.1”与第5行重复",
        ),
        (
            ("技术", "组织战略", "组织战略", 1, "X.1", "文字", 1),
            "能力域“组织战略”在第2行属于能力要素“人员”，此处却是“技术”",
        ),
        (
            ("人员", "人员技能", "组织战略", 1, "X.1", "文字", 1),
            "能力子域“组织战略”在第2行属于能力域“组织战略”，此处却是“人员技能”",
        ),
    ],
)
def test_every_bad_row_is_named_by_its_spreadsheet_row(row, message) -> None:
    table = [*rows(), row]  # spreadsheet row 302: the header and 300 items come first
    result = bank_to_data(table, base=base(), edition="E", version="2")
    assert not result.ok and result.data is None
    assert any(message in error for error in result.errors), result.errors


def test_all_bad_rows_are_listed_not_only_the_first() -> None:
    table = rows()
    table[5] = (*table[5][:3], "七级", *table[5][4:])
    table[9] = (*table[9][:5], "", table[9][6])
    result = bank_to_data(table, base=base(), edition="E", version="2")
    assert [error.split("：")[0] for error in result.errors] == ["第6行", "第10行"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (("能力要素", "能力域", "能力子域", "等级", "条目编码"), "第1行表头缺少列：条目内容"),
        ((), "第1行表头缺少列"),
    ],
)
def test_a_wrong_header_is_refused(header, message) -> None:
    result = bank_to_data([header, ("人员",)], base=base(), edition="E", version="2")
    assert message in result.errors[0]


def test_an_empty_sheet_or_missing_version_is_refused() -> None:
    assert "条目表是空的" in bank_to_data([], base=base(), edition="E", version="2").errors
    errors = bank_to_data(rows(), base=base(), edition=" ", version="").errors
    assert "请填写模型版本名称（edition）" in errors and "请填写版本号（version）" in errors


def test_a_level_without_any_sub_domain_makes_the_model_incomplete() -> None:
    table = [row for row in rows() if ".L5." not in str(row[4])]
    result = bank_to_data(table, base=base(), edition="E", version="2")
    assert result.errors == ("导入后的模型不完整：第 5 级没有任何能力子域的条目，无法评分",)


def test_the_weight_sheet_is_checked_too() -> None:
    sheet = [("能力子域", "离散型"), ("不存在的子域", 1), ("组织战略", -1)]
    errors = bank_to_data(rows(), base=base(), edition="E", version="2", weights=sheet).errors
    assert errors == (
        "“权重”表第2行：能力子域“不存在的子域”不在条目表中",
        "“权重”表第3行：“权重”为“-1”，应大于 0",
    )
