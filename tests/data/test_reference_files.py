"""Structural checks of the reference data files in ``factorytiers/data`` (no Django needed)."""

import csv
from collections import Counter
from pathlib import Path

import pytest

import factorytiers

DATA = Path(factorytiers.__file__).parent / "data"

CSV_FILES = [
    "regions.csv",
    "gbt4754_2017_section_c.csv",
    "sectors.csv",
    "enterprise_natures.csv",
    "size_classes.csv",
    "countries.csv",
    "scenarios_2025.csv",
    "construction_links.csv",
    "china_holidays.csv",
]

CONSTRUCTION_LINKS = {"工厂建设", "研发设计", "生产作业", "生产管理", "运营管理"}


def read(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_is_plain_utf8_without_bom_or_stray_spaces(name):
    raw = (DATA / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    text = raw.decode("utf-8")
    assert not text.startswith("#")
    rows = read(name)
    assert rows
    for row in rows:
        assert None not in row, f"{name}: too many fields in {row}"
        for value in row.values():
            assert value is not None and value == value.strip(), f"{name}: {row}"


def test_regions():
    rows = read("regions.csv")
    by_code = {r["code"]: r for r in rows}
    assert len(rows) == len(by_code) == 13
    assert by_code["140000"]["name"] == "山西省"
    assert by_code["140000"]["level"] == "province"
    reporting = [r for r in rows if r["is_reporting_unit"] == "1"]
    assert len(reporting) == 12
    cities = [r for r in rows if r["level"] == "city"]
    assert sorted(r["code"] for r in cities) == [f"14{n:02d}00" for n in range(1, 12)]
    assert all(r["parent_code"] == "140000" for r in cities)
    assert by_code["140100"]["name"] == "太原市"
    assert by_code["141100"]["name"] == "吕梁市"
    zone = by_code["14Z001"]
    assert zone["name"] == "山西转型综合改革示范区"
    assert zone["short_name"] == "山西转型综改示范区"
    assert zone["level"] == "zone"
    assert zone["parent_code"] == "140000"
    assert zone["is_reporting_unit"] == "1"
    # the internal zone code can never be a GB/T 2260 code (those are six digits)
    assert not zone["code"].isdigit()
    assert {r["level"] for r in rows} <= {"province", "city", "zone", "county"}
    for r in rows:
        assert r["parent_code"] == "" or r["parent_code"] in by_code


def test_gbt4754_counts_and_tree():
    rows = read("gbt4754_2017_section_c.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    levels = Counter(r["level"] for r in rows)
    assert levels == {"门类": 1, "大类": 31, "中类": 179, "小类": 609}
    by_code = {r["code"]: r for r in rows}
    divisions = {r["code"] for r in rows if r["level"] == "大类"}
    assert divisions == {str(n) for n in range(13, 44)}
    for r in rows:
        assert r["name"]
        if r["level"] == "大类":
            assert r["parent"] == "C"
        elif r["level"] == "中类":
            assert len(r["code"]) == 3
            assert by_code[r["parent"]]["level"] == "大类"
            assert r["code"].startswith(r["parent"])
        elif r["level"] == "小类":
            assert len(r["code"]) == 4
            assert by_code[r["parent"]]["level"] == "中类"
            assert r["code"][:3] == r["parent"]
    assert by_code["39"]["name"] == "计算机、通信和其他电子设备制造业"
    assert by_code["3741"]["name"] == "飞机制造"


def test_sectors_cover_the_31_divisions():
    rows = read("sectors.csv")
    assert [r["division_code"] for r in rows] == [str(n) for n in range(13, 44)]
    assert {r["sector"] for r in rows} == {"原材料", "电子信息", "装备制造", "消费品"}
    sector = {r["division_code"]: r["sector"] for r in rows}
    assert sector["39"] == "电子信息"
    assert sector["41"] == "消费品"
    assert sector["42"] == "原材料"


def test_enterprise_natures():
    rows = read("enterprise_natures.csv")
    assert [r["name"] for r in rows] == ["中央企业", "地方国企", "民营企业", "三资企业"]


def test_size_classes():
    rows = {r["code"]: r for r in read("size_classes.csv")}
    assert list(rows) == ["LARGE", "MEDIUM", "SMALL", "MICRO"]
    thresholds = {
        code: (int(r["min_employees"]), int(r["min_revenue_wan"])) for code, r in rows.items()
    }
    assert thresholds == {
        "LARGE": (1000, 40000),
        "MEDIUM": (300, 2000),
        "SMALL": (20, 300),
        "MICRO": (0, 0),
    }


def test_countries():
    rows = read("countries.csv")
    assert len(rows) >= 240
    for key in ("iso2", "iso3", "numeric"):
        values = [r[key] for r in rows]
        assert len(values) == len(set(values)), key
    for r in rows:
        assert len(r["iso2"]) == 2 and len(r["iso3"]) == 3 and len(r["numeric"]) == 3
        assert r["name_zh"] and r["name_en"]
        assert r["brics"] in {"", "member", "partner"}
        assert r["belt_and_road"] in {"0", "1"}
    by_iso2 = {r["iso2"]: r for r in rows}
    members = {r["iso2"] for r in rows if r["brics"] == "member"}
    partners = {r["iso2"] for r in rows if r["brics"] == "partner"}
    assert members == {"BR", "RU", "IN", "CN", "ZA", "EG", "ET", "IR", "AE", "ID"}
    assert partners == {"BY", "BO", "KZ", "CU", "MY", "TH", "UG", "UZ", "NG", "VN"}
    assert by_iso2["CN"]["belt_and_road"] == "0"
    assert by_iso2["AE"]["name_zh"] == "阿拉伯联合酋长国"
    bri = sum(r["belt_and_road"] == "1" for r in rows)
    assert 140 <= bri <= 160


def test_scenarios():
    rows = read("scenarios_2025.csv")
    assert [int(r["number"]) for r in rows] == list(range(1, 41))
    links = [r["link"] for r in rows]
    order = list(dict.fromkeys(links))
    assert order == [
        "工厂建设",
        "产品研发",
        "工艺设计",
        "生产管理",
        "生产作业",
        "运营管理",
        "产品服务",
        "供应链管理",
    ]
    assert [links.count(link) for link in order] == [3, 2, 2, 12, 10, 4, 3, 4]
    assert {r["construction_link"] for r in rows} <= CONSTRUCTION_LINKS
    assert len({r["name"] for r in rows}) == 40
    assert all(r["description"] for r in rows)
    variants = {int(r["number"]) for r in rows if r["name_variant"]}
    assert variants == {17, 18, 37}


def test_construction_links_match_scenarios():
    mapping = {r["guide_link"]: r["construction_link"] for r in read("construction_links.csv")}
    assert len(mapping) == 8
    assert set(mapping.values()) == CONSTRUCTION_LINKS
    for r in read("scenarios_2025.csv"):
        assert mapping[r["link"]] == r["construction_link"]
