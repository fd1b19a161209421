from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from factorytiers.domain.naming import (
    ILLEGAL_CHARACTERS,
    MAX_FOLDER_NAME_LENGTH,
    RESERVED_NAMES,
    InvalidName,
    UnsafeArchivePath,
    application_folder_name,
    safe_archive_path,
)

GOOD = {
    "unit": "太原市",
    "rank": 1,
    "enterprise": "山西示例装备制造有限公司",
    "project": "智能工厂",
}
LABELS = {"unit": "地市", "rank": "序号", "enterprise": "企业名称", "project": "项目名称"}
TEXT_FIELDS = ["unit", "enterprise", "project"]
WINDOWS_REFUSED = '<>:"/\\|?*'


def folder(**changes: object) -> str:
    return application_folder_name(**{**GOOD, **changes})  # type: ignore[arg-type]


def refusal(**changes: object) -> InvalidName:
    with pytest.raises(InvalidName) as excinfo:
        folder(**changes)
    return excinfo.value


# --- folder names -------------------------------------------------------------------------


def test_it_joins_the_four_parts_with_hyphens() -> None:
    assert folder() == "太原市-1-山西示例装备制造有限公司-智能工厂"


def test_it_strips_each_part() -> None:
    name = folder(
        unit="  太原市 ", enterprise="\u3000山西示例装备制造有限公司\t", project="智能工厂\n"
    )
    assert name == "太原市-1-山西示例装备制造有限公司-智能工厂"


def test_it_keeps_hyphens_dots_and_full_width_punctuation_inside_parts() -> None:
    name = folder(
        unit="山西转型综合改革示范区",
        rank=12,
        enterprise="中铝（山西）新材料有限公司",
        project="5G+工业互联网：v2.0-二期",
    )
    assert name == "山西转型综合改革示范区-12-中铝（山西）新材料有限公司-5G+工业互联网：v2.0-二期"


def test_invalid_name_is_a_value_error() -> None:
    assert issubclass(InvalidName, ValueError)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("char", list(WINDOWS_REFUSED))
def test_it_refuses_characters_windows_refuses(field: str, char: str) -> None:
    error = refusal(**{field: f"示例{char}名称"})
    assert error.field == field
    assert str(error) == f"{LABELS[field]}含有文件夹名称不允许的字符“{char}”"


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("code", [0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x1F])
def test_it_refuses_control_characters(field: str, code: int) -> None:
    error = refusal(**{field: f"示例{chr(code)}名称"})
    assert error.field == field
    assert str(error) == f"{LABELS[field]}含有不允许的控制字符（U+{code:04X}）"


def test_it_refuses_an_illegal_character_at_the_edge_too() -> None:
    assert refusal(project="智能工厂?").field == "project"
    assert refusal(unit="<太原市").field == "unit"


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", ["", "   ", "\u3000", "\t\n"])
def test_it_refuses_empty_parts(field: str, value: str) -> None:
    error = refusal(**{field: value})
    assert error.field == field
    assert str(error) == f"{LABELS[field]}不能为空"


@pytest.mark.parametrize(
    ("rank", "message"), [(0, "序号应从1开始，当前为0"), (-3, "序号应从1开始，当前为-3")]
)
def test_it_refuses_a_rank_below_one(rank: int, message: str) -> None:
    error = refusal(rank=rank)
    assert error.field == "rank"
    assert str(error) == message


@pytest.mark.parametrize(
    ("rank", "message"),
    [
        (True, "序号应为整数，收到True"),
        ("1", "序号应为整数，收到'1'"),
        (1.0, "序号应为整数，收到1.0"),
    ],
)
def test_it_refuses_a_rank_that_is_not_an_integer(rank: object, message: str) -> None:
    error = refusal(rank=rank)
    assert error.field == "rank"
    assert str(error) == message


@pytest.mark.parametrize("project", ["智能工厂.", "智能工厂...", "智能工厂. "])
def test_it_refuses_a_name_ending_in_a_dot(project: str) -> None:
    error = refusal(project=project)
    assert error.field == "project"
    assert str(error) == "项目名称不能以“.”结尾（Windows 不允许文件夹名称以点或空格结尾）"


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(
    "value",
    ["CON", "con", "Prn", "AUX", "NUL", "COM1", "com9", "LPT1", "lpt9", "NUL.txt", "CON .x"],
)
def test_it_refuses_windows_device_names(field: str, value: str) -> None:
    error = refusal(**{field: value})
    assert error.field == field
    assert (
        str(error) == f"{LABELS[field]}“{value}”是 Windows 保留的设备名，不能用作文件夹或文件名称"
    )


@pytest.mark.parametrize("value", ["CONSOLE", "COM10", "COM0", "LPT", "AUXILIARY", "NULL", "X.CON"])
def test_it_allows_names_that_only_resemble_device_names(value: str) -> None:
    assert folder(project=value).endswith(f"-{value}")


def test_it_allows_a_name_of_exactly_the_limit() -> None:
    prefix = "太原市-1-山西示例装备制造有限公司-"
    project = "项" * (MAX_FOLDER_NAME_LENGTH - len(prefix))
    assert len(folder(project=project)) == MAX_FOLDER_NAME_LENGTH == 150


def test_it_refuses_a_name_over_the_limit_asking_to_shorten_the_longest_part() -> None:
    prefix = "太原市-1-山西示例装备制造有限公司-"
    error = refusal(project="项" * (MAX_FOLDER_NAME_LENGTH + 1 - len(prefix)))
    assert error.field == "project"
    assert str(error) == "文件夹名称共151个字符，超过150个字符的上限，请缩短项目名称"


def test_the_length_refusal_points_at_the_enterprise_when_it_is_longest() -> None:
    error = refusal(enterprise="企" * 140)
    assert error.field == "enterprise"
    assert str(error).endswith("请缩短企业名称")


def test_it_reports_the_leftmost_bad_part_first() -> None:
    assert refusal(unit="", rank=0, project="?").field == "unit"
    assert refusal(rank=0, enterprise="", project="?").field == "rank"


safe_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")).filter(
        lambda char: char not in ILLEGAL_CHARACTERS and char != "."
    ),
    min_size=2,
    max_size=20,
).filter(lambda text: text == text.strip())


@given(
    st.sampled_from(TEXT_FIELDS),
    st.sampled_from(sorted(ILLEGAL_CHARACTERS)),
    safe_text,
    st.data(),
)
def test_any_illegal_character_is_refused_with_its_field(
    field: str, char: str, base: str, data: st.DataObject
) -> None:
    # Inside the part, because stripping legitimately removes whitespace controls at edges.
    at = data.draw(st.integers(min_value=1, max_value=len(base) - 1))
    with pytest.raises(InvalidName) as excinfo:
        folder(**{field: base[:at] + char + base[at:]})
    assert excinfo.value.field == field
    assert LABELS[field] in str(excinfo.value)


@given(safe_text, st.integers(min_value=1, max_value=999), safe_text, safe_text)
def test_any_accepted_name_is_the_four_stripped_parts(
    unit: str, rank: int, enterprise: str, project: str
) -> None:
    assume(all(part.upper() not in RESERVED_NAMES for part in (unit, enterprise, project)))
    name = application_folder_name(unit=unit, rank=rank, enterprise=enterprise, project=project)
    assert name == f"{unit}-{rank}-{enterprise}-{project}"
    assert len(name) <= MAX_FOLDER_NAME_LENGTH
    assert not set(name) & ILLEGAL_CHARACTERS


# --- archive paths ------------------------------------------------------------------------


def test_it_joins_archive_parts_with_forward_slashes() -> None:
    path = safe_archive_path("太原市-1-山西示例装备制造有限公司-智能工厂", "附件1 申报书.pdf")
    assert path == "太原市-1-山西示例装备制造有限公司-智能工厂/附件1 申报书.pdf"


def test_a_single_part_is_a_top_level_member() -> None:
    assert safe_archive_path("汇总表.xlsx") == "汇总表.xlsx"


@pytest.mark.parametrize(
    ("parts", "index", "message"),
    [
        ((), None, "压缩包内路径不能为空"),
        (("",), 1, "压缩包内路径第1段不能为空"),
        (("a", " "), 2, "压缩包内路径第2段不能为空"),
        (("a", ".."), 2, "压缩包内路径第2段“..”不允许（不能指向当前或上级目录）"),
        ((".", "a"), 1, "压缩包内路径第1段“.”不允许（不能指向当前或上级目录）"),
        (("/etc", "passwd"), 1, "压缩包内路径第1段“/etc”不能是绝对路径"),
        (("\\\\server",), 1, "压缩包内路径第1段“\\\\server”不能是绝对路径"),
        (("C:",), 1, "压缩包内路径第1段“C:”不能包含盘符"),
        (("c:windows",), 1, "压缩包内路径第1段“c:windows”不能包含盘符"),
        (("a/../b",), 1, "压缩包内路径第1段含有文件夹名称不允许的字符“/”"),
        (("a\\b",), 1, "压缩包内路径第1段含有文件夹名称不允许的字符“\\”"),
        (("a", "b?.pdf"), 2, "压缩包内路径第2段含有文件夹名称不允许的字符“?”"),
        (("a", "b\x00.pdf"), 2, "压缩包内路径第2段含有不允许的控制字符（U+0000）"),
        (
            ("aux.pdf",),
            1,
            "压缩包内路径第1段“aux.pdf”是 Windows 保留的设备名，不能用作文件夹或文件名称",
        ),
        (("目录.", "a"), 1, "压缩包内路径第1段“目录.”不能以点或空格结尾"),
        (("a", "b.pdf "), 2, "压缩包内路径第2段“b.pdf ”不能以点或空格结尾"),
    ],
)
def test_it_refuses_unsafe_archive_paths(
    parts: tuple[str, ...], index: int | None, message: str
) -> None:
    with pytest.raises(UnsafeArchivePath) as excinfo:
        safe_archive_path(*parts)
    assert excinfo.value.index == index
    assert str(excinfo.value) == message


def test_unsafe_archive_path_is_a_value_error() -> None:
    assert issubclass(UnsafeArchivePath, ValueError)


@given(st.lists(st.text(max_size=12), min_size=1, max_size=4))
def test_an_accepted_archive_path_stays_inside_the_archive(parts: list[str]) -> None:
    try:
        path = safe_archive_path(*parts)
    except UnsafeArchivePath:
        return
    segments = path.split("/")
    assert segments == parts
    assert not path.startswith("/")
    assert "\\" not in path
    assert ":" not in path
    assert all(segment not in {"", ".", ".."} for segment in segments)
