"""Material packages: one folder for the unit and task holding its forms and, per application, the
申报书 as 地市-序号-企业名称-项目名称.docx / .pdf beside a subfolder of that name with its
other materials; safe to unpack, names valid on Windows."""

import io
import re
import zipfile

import pytest

from factorytiers.documents.packages import (
    ApplicationFolder,
    PackageError,
    PackageFile,
    build_package,
)
from factorytiers.domain.naming import safe_archive_path

ROOT = "太原市-先进级智能工厂推荐申报材料"
FORM1 = PackageFile("太原市-附件1-先进级智能工厂名单汇总表.xlsx", b"xlsx-bytes")


def folder(
    rank=1,
    enterprise="山西晋华重工有限公司",
    project="重型装备智能工厂",
    files=(),
    word="申报书.docx",
    pdf="申报书.pdf",
):
    return ApplicationFolder(
        unit="太原市",
        rank=rank,
        enterprise=enterprise,
        project=project,
        word=PackageFile(word, b"word-%d" % rank) if word else None,
        pdf=PackageFile(pdf, b"pdf-%d" % rank) if pdf else None,
        files=files,
    )


def test_the_zip_holds_one_folder_with_the_forms_each_application_form_and_its_materials(tmp_path):
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"scan" * 1000)
    opened = []

    def open_attachment():
        opened.append(True)
        return io.BytesIO(b"attachment")

    folders = [
        folder(
            1,
            files=[
                PackageFile("营业执照.pdf", scan),
                PackageFile("附件3-材料清单.xlsx", open_attachment),
            ],
        ),
        folder(2, enterprise="山西云冈食品有限公司", project="食品智能工厂"),
    ]
    target = tmp_path / "太原市-材料包.zip"
    members = build_package(target, ROOT, folders, [FORM1])
    first = f"{ROOT}/太原市-1-山西晋华重工有限公司-重型装备智能工厂"
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names == [
            f"{ROOT}/太原市-附件1-先进级智能工厂名单汇总表.xlsx",
            f"{first}.docx",
            f"{first}.pdf",
            f"{first}/营业执照.pdf",
            f"{first}/附件3-材料清单.xlsx",
            f"{ROOT}/太原市-2-山西云冈食品有限公司-食品智能工厂.docx",
            f"{ROOT}/太原市-2-山西云冈食品有限公司-食品智能工厂.pdf",
        ]
        assert archive.read(names[0]) == b"xlsx-bytes"
        assert archive.read(names[1]) == b"word-1"
        assert archive.read(names[2]) == b"pdf-1"
        assert archive.read(names[3]) == b"scan" * 1000
        assert archive.read(names[4]) == b"attachment"
        assert archive.testzip() is None
        for info in archive.infolist():
            assert info.flag_bits & 0x800  # UTF-8 names
    assert [member.size for member in members][3] == 4000
    assert opened == [True]
    assert not (tmp_path / "太原市-材料包.zip.part").exists()


def test_every_member_is_safe_to_unpack_and_valid_on_windows(tmp_path):
    target = tmp_path / "p.zip"
    folders = [
        folder(1, files=[PackageFile("说明.pdf", b"x")]),
        folder(2, enterprise="晋中（集团）有限公司", files=[PackageFile("说明.pdf", b"y")]),
    ]
    build_package(target, ROOT, folders, [FORM1])
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            assert not name.startswith(("/", "\\"))
            assert ".." not in name.split("/")
            assert ":" not in name
            assert safe_archive_path(*name.split("/")) == name
        archive.extractall(tmp_path / "out")
    unpacked = tmp_path / "out" / ROOT
    assert (unpacked / "太原市-2-晋中（集团）有限公司-重型装备智能工厂.pdf").is_file()
    assert (unpacked / "太原市-2-晋中（集团）有限公司-重型装备智能工厂" / "说明.pdf").is_file()


def test_progress_is_reported_after_every_file(tmp_path):
    calls = []
    build_package(
        tmp_path / "p.zip",
        ROOT,
        [folder(1), folder(2)],
        [FORM1],
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


@pytest.mark.parametrize(
    ("folders", "message"),
    [
        ([folder(1, files=[PackageFile("../说明.pdf", b"x")])], "文件名"),
        ([folder(1, files=[PackageFile("C:说明.pdf", b"x")])], "盘符"),
        ([folder(1, files=[PackageFile("说明?.pdf", b"x")])], "“?”"),
        ([folder(1, enterprise="晋华/重工")], "序号1（晋华/重工）的文件夹名称有误"),
        ([folder(1), folder(1)], "重名"),
        (
            [folder(1, files=[PackageFile("A.pdf", b"1"), PackageFile("a.PDF", b"2")])],
            "重名",
        ),
        ([folder(1, word=None)], "序号1（山西晋华重工有限公司）缺少WORD版申报书（.doc或.docx）"),
        ([folder(1, pdf=None)], "序号1（山西晋华重工有限公司）缺少PDF版申报书"),
        ([folder(1, pdf="申报书.docx")], "PDF版申报书“申报书.docx”不是PDF文件"),
    ],
)
def test_a_package_that_would_be_unsafe_or_incomplete_is_refused_and_nothing_is_written(
    tmp_path, folders, message
):
    target = tmp_path / "p.zip"
    with pytest.raises(PackageError, match=re.escape(message)):
        build_package(target, ROOT, folders, [FORM1])
    assert list(tmp_path.iterdir()) == []


def test_without_the_word_and_pdf_rule_an_empty_application_is_still_refused(tmp_path):
    with pytest.raises(PackageError, match="没有任何材料文件"):
        build_package(
            tmp_path / "p.zip", ROOT, [folder(1, word=None, pdf=None)], require_word_and_pdf=False
        )


def test_a_source_failing_midway_leaves_no_partial_archive_and_names_the_file(tmp_path):
    def broken():
        raise OSError("Input/output error")

    application = folder(1, files=[PackageFile("说明.pdf", broken)])
    with pytest.raises(PackageError) as error:
        build_package(tmp_path / "p.zip", ROOT, [application])
    assert str(error.value) == (
        f"“{ROOT}/太原市-1-山西晋华重工有限公司-重型装备智能工厂/说明.pdf”的文件读取失败"
        "（服务器存储暂不可用），请稍后重试"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_missing_stored_file_is_named(tmp_path):
    missing = tmp_path / "gone.pdf"
    application = folder(1, files=[PackageFile("说明.pdf", missing)])
    with pytest.raises(PackageError, match=re.escape("说明.pdf”的文件在服务器存储中找不到")):
        build_package(tmp_path / "p.zip", ROOT, [application])
    assert list(tmp_path.iterdir()) == []
