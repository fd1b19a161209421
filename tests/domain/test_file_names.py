"""The names of uploaded files: checked on upload as the package build checks them, and
rebuilt from a safe stem and the detected extension when a file is handed out."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.naming import (
    MAX_FILE_STEM_LENGTH,
    name_problem,
    safe_archive_path,
    safe_file_name,
)
from factorytiers.domain.uploads import CONTENT_TYPES, UNKNOWN_CONTENT_TYPE, content_type


@pytest.mark.parametrize(
    ("original", "extension", "expected"),
    [
        ("申报书.pdf", ".pdf", "申报书.pdf"),
        ("evil.html", ".pdf", "evil.pdf"),
        ("invoice\u202efdp.exe", ".pdf", "invoicefdp.pdf"),
        ("\u2066申报\u2069书\u200b.docx", ".docx", "申报书.docx"),
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ("C:\\Users\\王\\申报书.docx", ".docx", "申报书.docx"),
        ("aux.docx", ".docx", "aux_.docx"),
        ("CON", ".pdf", "CON_.pdf"),
        ("com1.txt", ".pdf", "com1_.pdf"),
        ("a:b|c?.pdf", ".pdf", "abc.pdf"),
        ("申报书. .", ".pdf", "申报书.pdf"),
        ("   ", ".pdf", "文件.pdf"),
        ("\u202e", ".pdf", "文件.pdf"),
        (".pdf", ".pdf", "pdf.pdf"),
        ("报告\x0b终稿.pdf", ".pdf", "报告终稿.pdf"),
        ("𠀀𪚥𰻞.pdf", ".pdf", "𠀀𪚥𰻞.pdf"),
    ],
)
def test_a_handed_out_name_is_the_safe_stem_and_the_detected_extension(
    original, extension, expected
):
    assert safe_file_name(original, extension) == expected


def test_an_empty_stem_takes_the_fallback():
    assert safe_file_name("///", ".pdf", fallback="推荐文件") == "推荐文件.pdf"


def test_a_long_stem_is_cut():
    name = safe_file_name("长" * 500 + ".pdf", ".pdf")
    assert name == "长" * MAX_FILE_STEM_LENGTH + ".pdf"


@given(st.text(max_size=300), st.sampled_from(sorted(CONTENT_TYPES)))
def test_every_handed_out_name_fits_into_the_package_and_shows_what_it_is(original, extension):
    name = safe_file_name(original, extension)
    assert name.endswith(extension)
    assert safe_archive_path(name) == name
    assert name_problem(name, "文件名") == ""
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in name)
    assert "/" not in name and "\\" not in name


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("aux.docx", "保留的设备名"),
        ("CON", "保留的设备名"),
        ("lpt9.申报书.pdf", "保留的设备名"),
        ("申报书:终稿.pdf", "“:”"),
        ("a<b.pdf", "“<”"),
        ('a"b.pdf', '“"”'),
        ("a|b.pdf", "“|”"),
        ("a?b.pdf", "“?”"),
        ("a*b.pdf", "“*”"),
        ("a/b.pdf", "“/”"),
        ("a\\b.pdf", "“\\”"),
        ("a\tb.pdf", "控制字符"),
        ("申报书.", "以“.”结尾"),
        ("", "不能为空"),
        ("   ", "不能为空"),
    ],
)
def test_an_upload_name_the_package_would_refuse_is_refused_naming_the_field(name, words):
    problem = name_problem(name, "文件名")
    assert problem.startswith("文件名") and words in problem


@pytest.mark.parametrize(
    "name",
    ["申报书.pdf", "晋华重工-智能工厂（一期）.docx", "auxiliary.pdf", "𠀀𪚥.pdf", "con-1.pdf"],
)
def test_an_ordinary_name_passes(name):
    assert name_problem(name, "文件名") == ""


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        (".pdf", "application/pdf"),
        (".PDF", "application/pdf"),
        (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (".png", "image/png"),
        (".html", UNKNOWN_CONTENT_TYPE),
        ("", UNKNOWN_CONTENT_TYPE),
    ],
)
def test_the_content_type_follows_the_detected_extension_only(extension, expected):
    assert content_type(extension) == expected
