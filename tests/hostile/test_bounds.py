"""Bounds of what an upload may carry and unpack to: oversized or lying spreadsheets, zip bombs,
hidden sheets, damaged packages, oversized or chunked requests. Each is refused with a 4xx and a
Chinese message naming the limit, nothing is stored, and no temporary file is left behind.

Every file is built here by hand (tests/ooxml.py); none is given to a spreadsheet library before
the bounds are checked, so a file that would make one allocate the whole sheet is safe to send.
The limits are set small so that the real data stays small.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factorytiers.campaigns.models import Campaign
from factorytiers.domain.archives import HIDDEN, VERY_HIDDEN, VISIBLE
from factorytiers.domain.platform_results import HEADERS
from tests.campaigns.conftest import PDF, draft
from tests.hostile.conftest import refusal_text
from tests.ooxml import declare_size, docx, package, sheet_xml, xlsx, xlsx_members

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KB = 1024
MB = 1024 * KB
HEADER_ROW = [list(HEADERS)]
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def _small_limits(settings, tmp_path):
    settings.IMPORT_MAX_ROWS = 20_001
    settings.IMPORT_MAX_COLUMNS = 64
    settings.ARCHIVE_MAX_UNPACKED_BYTES = 4 * MB
    settings.ARCHIVE_MAX_MEMBERS = 40
    settings.ARCHIVE_MAX_RATIO = 100
    settings.UPLOAD_MAX_BYTES = 3 * MB
    settings.REQUEST_MAX_BYTES = 4 * MB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * KB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()


def digits(size: int) -> bytes:
    """Text that compresses only about twofold, as ordinary content does."""
    return "".join(random.Random(size).choices("0123456789", k=size)).encode()


def results_sheet(**kwargs) -> bytes:
    return sheet_xml(HEADER_ROW, **kwargs)


def book(*sheets: tuple[str, bytes, str], active: int = 0) -> bytes:
    return xlsx(list(sheets), active=active)


def with_parts(parts: dict[str, bytes]) -> bytes:
    members = xlsx_members([("结果", results_sheet(), VISIBLE)])
    members.update(parts)
    return package(members)


# Each case: (id, the file, what the refusal must name).
SPREADSHEETS = [
    (
        "huge-dimension",
        lambda: book(("结果", results_sheet(dimension="A1:XFD1048576"), VISIBLE)),
        "有 1048576 行，超过上限 20001 行",
    ),
    (
        "cell-at-XFD1048576-without-dimension",
        lambda: book(("结果", results_sheet(cells=[("XFD1048576", "x")]), VISIBLE)),
        "超过上限 20001 行",
    ),
    (
        "cell-at-XFD1048576-under-a-lying-dimension",
        lambda: book(
            ("结果", results_sheet(dimension="A1:E2", cells=[("XFD1048576", "x")]), VISIBLE)
        ),
        "超过上限 20001 行",
    ),
    (
        "cell-in-the-last-column",
        lambda: book(("结果", results_sheet(cells=[("XFD2", "x")]), VISIBLE)),
        "有 16384 列，超过上限 64 列",
    ),
    (
        "zip-bomb-member-declaring-a-gigabyte",
        lambda: declare_size(
            book(("结果", results_sheet(padding=b" " * 20_000), VISIBLE)), SHEET, 1 << 30
        ),
        "解压后为 1024 MB，超过 4 MB 的上限",
    ),
    (
        "unpacked-total-over-the-limit",
        lambda: with_parts({f"xl/media/image{n}.bin": digits(1536 * KB + n) for n in range(3)}),
        "文件解压后超过 4 MB 的上限",
    ),
    (
        "too-many-members",
        lambda: with_parts({f"xl/media/image{n}.png": b"x" for n in range(50)}),
        "超过 40 个的上限",
    ),
    (
        "compression-ratio-of-a-bomb",
        lambda: book(("结果", results_sheet(padding=b" " * (2 * MB)), VISIBLE)),
        "倍的上限，疑似压缩炸弹",
    ),
    (
        "member-unpacking-to-more-than-it-declares",
        lambda: declare_size(
            book(("结果", results_sheet(padding=b" " * 50_000), VISIBLE)), SHEET, 300
        ),
        "解压后与记录的大小不符",
    ),
    (
        "hidden-data-sheet",
        lambda: book(
            ("结果", results_sheet(), HIDDEN), ("看得见的表", results_sheet(), VISIBLE), active=1
        ),
        "工作表“结果”是隐藏的",
    ),
    (
        "very-hidden-data-sheet",
        lambda: book(
            ("结果", results_sheet(), VERY_HIDDEN),
            ("看得见的表", results_sheet(), VISIBLE),
            active=1,
        ),
        "工作表“结果”被设为深度隐藏",
    ),
    (
        "path-climbing-out",
        lambda: with_parts({"../../evil.xml": b"<a/>"}),
        "不安全的路径",
    ),
    ("not-a-zip", lambda: "统一社会信用代码,年度\n".encode() * 20, "无法识别文件内容的格式"),
    (
        "truncated-zip",
        lambda: book(("结果", results_sheet(), VISIBLE))[:600],
        "损坏",
    ),
    (
        "workbook-part-with-an-entity",
        lambda: with_parts(
            {"xl/workbook.xml": b'<!DOCTYPE w [<!ENTITY a "aaaa">]><workbook>&a;</workbook>'}
        ),
        "无法读取Excel文件",
    ),
]


@pytest.mark.parametrize(
    ("content", "named"),
    [pytest.param(content, named, id=case) for case, content, named in SPREADSHEETS],
)
def test_a_city_officers_hostile_spreadsheet_is_refused(city_client, unchanged, content, named):
    upload = SimpleUploadedFile("平台结果.xlsx", content(), content_type=XLSX)
    with unchanged():
        response = city_client.post(reverse("assessments:platform_import"), {"file": upload})
    assert named in refusal_text(response)


ITEM_BANK = [
    (
        "zip-bomb",
        lambda: declare_size(
            book(("条目", sheet_xml([["x"]], padding=b" " * 20_000), VISIBLE)), SHEET, 1 << 30
        ),
        "超过 4 MB 的上限",
    ),
    (
        "hidden-items-sheet",
        lambda: book(("说明", sheet_xml(), VISIBLE), ("条目", sheet_xml([["x"]]), HIDDEN)),
        "工作表“条目”是隐藏的",
    ),
    (
        "far-cell",
        lambda: book(("条目", sheet_xml([["x"]], cells=[("XFD1048576", "x")]), VISIBLE)),
        "超过上限 20001 行",
    ),
]


@pytest.mark.parametrize(
    ("content", "named"),
    [pytest.param(content, named, id=case) for case, content, named in ITEM_BANK],
)
def test_the_operators_hostile_item_bank_is_refused(client, users, unchanged, content, named):
    client.force_login(users["admin"])
    data = {
        "file": SimpleUploadedFile("条目库.xlsx", content(), content_type=XLSX),
        "edition": "GB/T 39116-2020",
        "version": "2026-hostile",
        "level_rule": "band",
        "activate": "on",
    }
    with unchanged():
        response = client.post(reverse("assessments:models"), data)
    assert named in refusal_text(response)


# --- the request itself ------------------------------------------------------------------------


def leftover(settings) -> list[Path]:
    return list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())


def test_an_oversized_content_length_is_refused_before_the_body_is_read(
    city_client, unchanged, settings
):
    with unchanged():
        response = city_client.post(
            reverse("assessments:platform_import"),
            data=b"x" * 100,
            content_type="multipart/form-data; boundary=xyz",
            CONTENT_LENGTH=str(600 * MB),
        )
    assert response.status_code == 413
    assert "超过 4 MB 的上限" in refusal_text(response)
    assert leftover(settings) == []


def test_a_chunked_upload_without_a_length_is_refused(city_client, unchanged, settings):
    body = b"--xyz\r\n" + b"x" * (5 * MB) + b"\r\n--xyz--\r\n"
    with unchanged():
        response = city_client.post(
            reverse("assessments:platform_import"),
            data=body,
            content_type="multipart/form-data; boundary=xyz",
            CONTENT_LENGTH="",
            HTTP_TRANSFER_ENCODING="chunked",
        )
    assert response.status_code == 411
    assert "没有注明长度" in refusal_text(response)
    assert leftover(settings) == []


def test_form_fields_past_their_limit_are_refused(city_client, unchanged, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * KB
    with unchanged():
        response = city_client.post(
            reverse("assessments:platform_import"),
            data=f"keep_good_rows={'x' * (100 * KB)}",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 413
    assert "表单内容超过 64 KB 的上限" in refusal_text(response)


@pytest.fixture
def campaign(db) -> Campaign:
    return Campaign.objects.get(year=2026)


@pytest.fixture
def application_page(client, users, factory_a, campaign):
    application = draft(users["enterprise_a"], campaign.tasks.get(kind="advanced"), factory_a)
    client.force_login(users["enterprise_a"])
    return reverse("campaigns:material_upload", args=[application.pk])


def test_a_material_past_the_per_file_cap_is_stopped_while_it_arrives(
    client, application_page, unchanged, settings
):
    big = PDF + b"%" * (3 * MB + KB)
    with unchanged():
        response = client.post(
            application_page, {"slot": "form_pdf", "file": SimpleUploadedFile("申报书.pdf", big)}
        )
    assert response.status_code == 413
    assert "文件“申报书.pdf”超过 3 MB 的上限" in refusal_text(response)
    assert leftover(settings) == []


def test_the_campaigns_own_cap_applies_below_the_servers(
    client, application_page, unchanged, campaign
):
    campaign.settings["max_upload_mb"] = 1
    campaign.save()
    big = PDF + b"%" * (MB + KB)
    with unchanged():
        response = client.post(
            application_page, {"slot": "form_pdf", "file": SimpleUploadedFile("申报书.pdf", big)}
        )
    assert "超过 1 MB 的上限" in refusal_text(response)


DOCX_BOMBS = [
    (
        "declaring-a-gigabyte",
        lambda: declare_size(
            docx(extra={"word/media/image1.png": b"\x00" * 20_000}),
            "word/media/image1.png",
            1 << 30,
        ),
        "解压后为 1024 MB，超过 4 MB 的上限",
    ),
    (
        "ratio",
        lambda: docx(extra={"word/media/image1.png": b"\x00" * (2 * MB)}),
        "疑似压缩炸弹",
    ),
    (
        "too-many-members",
        lambda: docx(extra={f"word/media/image{n}.png": b"x" for n in range(60)}),
        "超过 40 个的上限",
    ),
]


@pytest.mark.parametrize(
    ("content", "named"),
    [pytest.param(content, named, id=case) for case, content, named in DOCX_BOMBS],
)
def test_a_docx_bomb_material_is_refused_at_upload(
    client, application_page, unchanged, settings, content, named
):
    upload = SimpleUploadedFile("申报书.docx", content())
    with unchanged():
        response = client.post(application_page, {"slot": "form_docx", "file": upload})
    assert named in refusal_text(response)
    assert leftover(settings) == []
