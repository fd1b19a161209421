"""Bounds of ZIP packages and of the sheets inside an XLSX, checked without unpacking more than
the limits allow and without a spreadsheet library."""

import io
import random
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.archives import (
    HIDDEN,
    VERY_HIDDEN,
    VISIBLE,
    ArchiveLimits,
    Extent,
    ProblemKind,
    WorkbookUnreadable,
    cell_position,
    check_archive,
    declared_dimension,
    parse_dimension,
    scan_extent,
    sheet_extent,
    unsafe_name,
    workbook_info,
)
from tests.ooxml import (
    column_letters,
    declare_size,
    docx,
    mark_encrypted,
    package,
    sheet_xml,
    xlsx,
    xlsx_members,
)

MB = 1024 * 1024
LIMITS = ArchiveLimits(
    max_members=50, max_unpacked_bytes=8 * MB, max_member_bytes=4 * MB, max_ratio=100
)


def check(data: bytes, limits: ArchiveLimits = LIMITS):
    return check_archive(io.BytesIO(data), limits)


def opened(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


# --- the package -------------------------------------------------------------------------------


def test_an_ordinary_workbook_and_document_are_within_the_limits():
    assert check(xlsx([("结果", sheet_xml([["a", 1]]), VISIBLE)])) is None
    assert check(docx()) is None


def test_the_stream_is_left_at_its_start():
    stream = io.BytesIO(docx())
    stream.seek(10)
    check_archive(stream, LIMITS)
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "data",
    [b"", b"plain text", b"PK\x03\x04" + b"\x00" * 40, docx()[: len(docx()) // 2]],
    ids=["empty", "text", "zip-signature-only", "truncated"],
)
def test_what_is_not_a_whole_zip_is_not_an_archive(data):
    assert check(data).kind == ProblemKind.NOT_AN_ARCHIVE


def test_too_many_members():
    members = {f"part{n}.xml": b"<a/>" for n in range(51)}
    problem = check(package(members))
    assert (problem.kind, problem.found, problem.limit) == (ProblemKind.TOO_MANY_MEMBERS, 51, 50)


def test_a_member_declaring_a_gigabyte_is_refused_from_the_directory_alone():
    data = declare_size(
        docx(extra={"word/media/pad.bin": b"\x00" * 1000}), "word/media/pad.bin", 1 << 30
    )
    problem = check(data)
    assert problem.kind == ProblemKind.MEMBER_TOO_LARGE
    assert (problem.found, problem.limit, problem.name) == (1 << 30, 4 * MB, "word/media/pad.bin")


def test_members_together_over_the_unpacked_limit():
    noise = random.Random(14)
    members = {f"word/media/{n}.bin": noise.randbytes(3 * MB) for n in range(3)}
    problem = check(docx(extra=members))
    assert problem.kind == ProblemKind.UNPACKED_TOO_LARGE
    assert problem.found > 8 * MB and problem.limit == 8 * MB


def test_a_highly_compressed_member_is_refused_by_its_ratio():
    problem = check(docx(extra={"word/media/zeros.bin": b"\x00" * (2 * MB)}))
    assert problem.kind == ProblemKind.RATIO_TOO_HIGH
    assert problem.found > 100 and problem.limit == 100 and problem.name == "word/media/zeros.bin"


def test_a_small_member_may_compress_well():
    assert check(docx(extra={"word/blank.xml": b" " * (MB // 2)})) is None


def test_a_stored_member_has_no_ratio_problem():
    data = package(
        {"[Content_Types].xml": b"<a/>", "big.bin": b"\x00" * (2 * MB)},
        compression=zipfile.ZIP_STORED,
    )
    assert check(data) is None


def test_a_member_unpacking_to_more_than_it_declares_is_damaged():
    data = declare_size(
        docx(extra={"word/media/pad.bin": b"\x00" * 50_000}), "word/media/pad.bin", 100
    )
    problem = check(data)
    assert (problem.kind, problem.name) == (ProblemKind.DAMAGED, "word/media/pad.bin")


def test_without_verification_only_the_directory_is_read():
    data = declare_size(
        docx(extra={"word/media/pad.bin": b"\x00" * 50_000}), "word/media/pad.bin", 100
    )
    assert check_archive(io.BytesIO(data), LIMITS, verify=False) is None


def test_an_encrypted_member_is_refused():
    problem = check(mark_encrypted(docx(), "word/document.xml"))
    assert (problem.kind, problem.name) == (ProblemKind.ENCRYPTED, "word/document.xml")


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "word/../../evil.xml", "/etc/passwd", "C:/evil.xml", "..\\evil.xml"],
)
def test_names_that_climb_out_are_unsafe(name):
    assert unsafe_name(name)
    problem = check(docx(extra={name: b"<a/>"}))
    assert problem.kind == ProblemKind.UNSAFE_NAME


@pytest.mark.parametrize("name", ["word/document.xml", "xl/worksheets/sheet1.xml", "a..b/c.xml"])
def test_ordinary_names_are_safe(name):
    assert not unsafe_name(name)


@given(st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=8))
def test_any_small_package_within_the_limits_passes(sizes):
    members = {f"m{n}.bin": bytes(n % 251 for n in range(size)) for n, size in enumerate(sizes)}
    assert check(package(members)) is None


@given(st.integers(min_value=1, max_value=20))
def test_the_member_count_limit_is_exact(limit):
    members = {f"m{n}.xml": b"<a/>" for n in range(limit)}
    tight = ArchiveLimits(limit, 8 * MB, 4 * MB, 100)
    assert check(package(members), tight) is None
    members["one-more.xml"] = b"<a/>"
    assert check(package(members), tight).kind == ProblemKind.TOO_MANY_MEMBERS


# --- cell references and dimensions ------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, position",
    [
        ("A1", (1, 1)),
        ("Z9", (9, 26)),
        ("AA10", (10, 27)),
        ("XFD1048576", (1_048_576, 16_384)),
        ("$B$3", (3, 2)),
        ("xfd1", (1, 16_384)),
    ],
)
def test_cell_positions(ref, position):
    assert cell_position(ref) == position


@pytest.mark.parametrize("ref", ["", "1", "A", "A1B", "R1C1", "A-1"])
def test_what_is_not_a_cell_reference(ref):
    assert cell_position(ref) is None


@given(st.integers(min_value=1, max_value=16_384), st.integers(min_value=1, max_value=1_048_576))
def test_cell_positions_round_trip(column, row):
    assert cell_position(f"{column_letters(column)}{row}") == (row, column)


@pytest.mark.parametrize(
    "ref, size",
    [
        ("A1:F120", (120, 6)),
        ("A1", (1, 1)),
        ("A1:XFD1048576", (1_048_576, 16_384)),
        ("C3:B2", (3, 3)),
    ],
)
def test_dimensions(ref, size):
    assert parse_dimension(ref) == size


@pytest.mark.parametrize("ref", ["", "A1:B2:C3", "A1:", "nonsense"])
def test_unreadable_dimensions(ref):
    assert parse_dimension(ref) is None


def test_the_declared_dimension_is_read_from_the_start_of_the_sheet():
    data = xlsx([("结果", sheet_xml([["a"]], dimension="A1:XFD1048576"), VISIBLE)])
    assert declared_dimension(opened(data), "xl/worksheets/sheet1.xml") == (1_048_576, 16_384)


def test_a_sheet_without_a_dimension_declares_none():
    data = xlsx([("结果", sheet_xml([["a"]]), VISIBLE)])
    assert declared_dimension(opened(data), "xl/worksheets/sheet1.xml") is None


def test_only_the_head_of_the_sheet_is_read_for_the_dimension():
    late = b" " * 100_000 + b'<dimension ref="A1:XFD1048576"/>'
    data = xlsx([("结果", sheet_xml([["a"]], padding=late), VISIBLE)])
    assert declared_dimension(opened(data), "xl/worksheets/sheet1.xml") is None


# --- the sheets of a workbook ------------------------------------------------------------------


def test_sheets_in_order_with_state_part_and_active_tab():
    data = xlsx(
        [
            ("隐藏", sheet_xml(), HIDDEN),
            ("结果", sheet_xml(), VISIBLE),
            ("深藏", sheet_xml(), VERY_HIDDEN),
        ],
        active=1,
    )
    info = workbook_info(opened(data))
    assert [(s.name, s.state, s.part) for s in info.sheets] == [
        ("隐藏", HIDDEN, "xl/worksheets/sheet1.xml"),
        ("结果", VISIBLE, "xl/worksheets/sheet2.xml"),
        ("深藏", VERY_HIDDEN, "xl/worksheets/sheet3.xml"),
    ]
    assert info.active == 1
    assert info.sheet("结果").part == "xl/worksheets/sheet2.xml" and info.sheet("无") is None


def test_an_active_tab_past_the_sheets_is_the_first():
    data = xlsx([("结果", sheet_xml(), VISIBLE)], active=7)
    assert workbook_info(opened(data)).active == 0


def test_absolute_relationship_targets_are_resolved():
    members = xlsx_members([("结果", sheet_xml(), VISIBLE)])
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/', b'Target="/xl/worksheets/'
    )
    info = workbook_info(opened(package(members)))
    assert info.sheets[0].part == "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    "workbook",
    [
        b"<workbook",
        b'<!DOCTYPE w [<!ENTITY a "aaaa">]><workbook>&a;</workbook>',
    ],
    ids=["not-xml", "entity"],
)
def test_an_unreadable_workbook_part(workbook):
    members = xlsx_members([("结果", sheet_xml(), VISIBLE)])
    members["xl/workbook.xml"] = workbook
    with pytest.raises(WorkbookUnreadable):
        workbook_info(opened(package(members)))


def test_a_package_without_a_workbook_part():
    with pytest.raises(WorkbookUnreadable):
        workbook_info(opened(docx()))


# --- the extent really used --------------------------------------------------------------------


def extent(xml: bytes, max_rows: int = 20_001, max_columns: int = 64) -> Extent:
    data = xlsx([("结果", xml, VISIBLE)])
    return sheet_extent(
        opened(data), "xl/worksheets/sheet1.xml", max_rows=max_rows, max_columns=max_columns
    )


def test_the_extent_of_an_ordinary_sheet():
    assert extent(sheet_xml([["a", "b", "c"], [1, 2, 3]])) == Extent(2, 3)


def test_an_empty_sheet():
    assert extent(sheet_xml()) == Extent(0, 0)


def test_a_lying_dimension_does_not_hide_a_far_cell():
    found = extent(sheet_xml([["a"]], dimension="A1:B2", cells=[("XFD1048576", "x")]))
    assert found.rows == 1_048_576 and not found.complete


def test_a_cell_in_the_last_column_of_row_1():
    found = extent(sheet_xml(cells=[("XFD1", "x")]))
    assert (found.columns, found.complete) == (16_384, False)


def test_rows_and_cells_without_references_follow_the_one_before():
    xml = b'<worksheet><sheetData><row><c/><c/></row><row><c/><c/><c/></row><row r="9"><c/></row></sheetData></worksheet>'
    assert extent(xml) == Extent(9, 3)


def test_prefixed_tags_are_counted():
    xml = b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="70000"><x:c r="A70000"/></x:row></x:sheetData></x:worksheet>'
    assert not extent(xml).complete


def test_other_tags_starting_like_row_or_c_are_not_cells():
    xml = b'<worksheet><cols><col min="1" max="16384"/></cols><sheetData><row r="1"><c r="A1"/></row></sheetData><rowBreaks count="1"><brk id="900000"/></rowBreaks></worksheet>'
    assert extent(xml) == Extent(1, 1)


def test_the_scan_stops_at_the_first_row_past_the_limit():
    chunks_read = []

    def chunks():
        for n in range(1, 1_000_000):
            chunks_read.append(n)
            yield f'<row r="{n}"><c r="A{n}"/></row>'.encode()

    found = scan_extent(chunks(), max_rows=100, max_columns=64)
    assert (found.rows, found.complete) == (101, False) and len(chunks_read) == 101


def test_tags_split_across_chunks_are_read_whole():
    xml = (
        b'<sheetData><row r="1"><c r="A1"/></row><row r="30000"><c r="BM30000"/></row></sheetData>'
    )
    for size in (1, 2, 3, 7, 13):
        pieces = iter([xml[i : i + size] for i in range(0, len(xml), size)])
        found = scan_extent(pieces, max_rows=10**7, max_columns=10**5)
        assert found == Extent(30_000, 65)


def test_an_endless_tag_counts_as_past_the_limits():
    def chunks():
        yield b"<sheetData><row "
        for _ in range(5):
            yield b"x" * 20_000

    found = scan_extent(chunks(), max_rows=100, max_columns=64)
    assert not found.complete and found.rows > 100


@given(st.lists(st.tuples(st.integers(1, 5000), st.integers(1, 200)), min_size=1, max_size=30))
def test_the_extent_is_the_farthest_cell(cells):
    xml = sheet_xml(cells=[(f"{column_letters(c)}{r}", "x") for r, c in cells])
    found = scan_extent(iter([xml]), max_rows=10**6, max_columns=10**4)
    assert found == Extent(max(r for r, _ in cells), max(c for _, c in cells))


@given(
    st.one_of(
        st.from_regex(r"\s?\$?[A-Za-z]{1,4}\$?[0-9]{1,11}\s?", fullmatch=True),
        st.text(alphabet="AZaz$0159 \t:", max_size=12),
    )
)
def test_a_sheets_reference_bytes_read_as_cell_position_reads_the_text(ref):
    from factorytiers.domain.archives import _fast_position

    raw = ref.encode()
    assert _fast_position(raw) == cell_position(raw.decode("ascii", "replace"))
