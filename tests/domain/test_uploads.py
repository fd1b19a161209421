import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.uploads import check_upload, detect_kind

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def ooxml(main_part: str | None, content_types: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        if main_part:
            archive.writestr(main_part, "<x/>")
        archive.writestr("other.txt", "x")
    return buffer.getvalue()


def check(content: bytes, kinds=("pdf", "docx", "xlsx", "image"), max_bytes=10 * MB):
    return check_upload(
        io.BytesIO(content), size=len(content), allowed_kinds=kinds, max_bytes=max_bytes
    )


@pytest.mark.parametrize(
    ("content", "kind", "extension"),
    [
        (b"%PDF-1.7\n...", "pdf", ".pdf"),
        (ooxml("word/document.xml"), "docx", ".docx"),
        (ooxml("xl/workbook.xml"), "xlsx", ".xlsx"),
        (PNG, "image", ".png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image", ".jpg"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(content, kind, extension):
    result = check(content)
    assert result.ok and result.kind == kind and result.extension == extension


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "Windows 可执行文件"),
        (b"\x7fELF\x02\x01" + b"\x00" * 60, "Linux 可执行文件"),
        (b"#!/bin/sh\nrm -rf /\n", "脚本文件"),
        (ooxml(None), "不是WORD(.docx)或Excel(.xlsx)文档"),
        (ooxml("word/document.xml", content_types=False), "普通压缩包"),
        (b"PK\x03\x04broken", "损坏的压缩包"),
        (b"hello, plain text", "无法识别"),
    ],
)
def test_executables_and_fakes_are_refused_whatever_the_name(content, message):
    result = check(content)
    assert not result.ok and message in result.message


def test_a_kind_the_slot_does_not_take_is_refused_naming_both():
    result = check(b"%PDF-1.4", kinds=("docx",))
    assert not result.ok and "PDF" in result.message and "WORD(.docx)" in result.message


def test_size_limits():
    assert "超过1MB" in check(b"%PDF-" + b"0" * MB, max_bytes=MB).message
    assert check(b"", max_bytes=MB).message == "文件为空"


def test_detection_leaves_the_stream_at_its_start():
    stream = io.BytesIO(ooxml("word/document.xml"))
    detect_kind(stream)
    assert stream.tell() == 0


@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_get_an_answer_and_executables_never_pass(data):
    result = check(data)
    if data.startswith((b"MZ", b"\x7fELF", b"#!")):
        assert not result.ok
    assert result.ok or result.message
