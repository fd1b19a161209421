from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.sectors import EnterpriseNature, Sector, division_of, suggest_sector

# Fixture only: the product loads this mapping from its reference data file. It follows
# the usual 大类 → 所属行业 grouping of GB/T 4754-2017 section C (13–43).
DEFAULT_DIVISION_SECTORS: dict[str, Sector] = {
    **dict.fromkeys(
        ["13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "27", "41"],
        Sector.CONSUMER_GOODS,
    ),
    **dict.fromkeys(["25", "26", "28", "29", "30", "31", "32", "42"], Sector.RAW_MATERIALS),
    **dict.fromkeys(["33", "34", "35", "36", "37", "38", "40", "43"], Sector.EQUIPMENT),
    "39": Sector.ELECTRONICS,
}


def test_the_fixture_covers_the_31_manufacturing_divisions() -> None:
    assert sorted(DEFAULT_DIVISION_SECTORS) == [str(code) for code in range(13, 44)]
    assert set(DEFAULT_DIVISION_SECTORS.values()) == set(Sector)


def test_sectors_carry_the_four_words_the_forms_allow() -> None:
    assert [str(sector) for sector in Sector] == ["原材料", "电子信息", "装备制造", "消费品"]


def test_natures_carry_the_four_words_the_forms_allow() -> None:
    assert [str(nature) for nature in EnterpriseNature] == [
        "中央企业",
        "地方国企",
        "民营企业",
        "三资企业",
    ]


@pytest.mark.parametrize(
    ("code", "division"),
    [("34", "34"), ("341", "34"), ("3411", "34"), (" 3411 ", "34"), ("0511", "05"), ("13", "13")],
)
def test_it_finds_the_division_of_any_level(code: str, division: str) -> None:
    assert division_of(code) == division


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("", ""),
        ("3", "3"),
        ("34111", "34111"),
        ("C34", "C34"),
        ("C3411", "C3411"),
        ("34a", "34a"),
        ("34.1", "34.1"),
        ("３４", "３４"),
        ("٣٤", "٣٤"),
        (" 3 ", "3"),
    ],
)
def test_it_refuses_anything_but_two_to_four_digits(code: str, shown: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        division_of(code)
    assert str(excinfo.value) == (
        f"行业代码“{shown}”应为2至4位数字（大类、中类或小类，如 34、341、3411）"
    )


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("1311", Sector.CONSUMER_GOODS),
        ("2710", Sector.CONSUMER_GOODS),
        ("2511", Sector.RAW_MATERIALS),
        ("3120", Sector.RAW_MATERIALS),
        ("341", Sector.EQUIPMENT),
        ("36", Sector.EQUIPMENT),
        ("3911", Sector.ELECTRONICS),
        ("4190", Sector.CONSUMER_GOODS),
        ("4210", Sector.RAW_MATERIALS),
        ("4320", Sector.EQUIPMENT),
    ],
)
def test_it_suggests_the_sector_of_the_division(code: str, sector: Sector) -> None:
    assert suggest_sector(code, DEFAULT_DIVISION_SECTORS) is sector


@pytest.mark.parametrize("code", ["0511", "06", "4411", "65"])
def test_it_suggests_nothing_outside_the_mapping(code: str) -> None:
    assert suggest_sector(code, DEFAULT_DIVISION_SECTORS) is None


def test_it_follows_whatever_mapping_it_is_given() -> None:
    # 41 and 42 are judgement calls; a province that files them differently edits data.
    assert suggest_sector("4190", {"41": Sector.EQUIPMENT}) is Sector.EQUIPMENT
    assert suggest_sector("4190", {}) is None


def test_it_refuses_a_malformed_code_rather_than_suggesting_nothing() -> None:
    with pytest.raises(ValueError):
        suggest_sector("C3411", DEFAULT_DIVISION_SECTORS)


@given(st.text(alphabet="0123456789", min_size=2, max_size=4))
def test_the_suggestion_is_the_mapping_entry_of_the_first_two_digits(code: str) -> None:
    assert division_of(code) == code[:2]
    assert suggest_sector(code, DEFAULT_DIVISION_SECTORS) == DEFAULT_DIVISION_SECTORS.get(code[:2])
