"""Material packages: one folder per application, safe to unpack, names valid on Windows."""

import io
import zipfile

import pytest

from factorytiers.documents.packages import (
    ApplicationFolder,
    PackageError,
    PackageFile,
    build_package,
)
from factorytiers.domain.naming import safe_archive_path

FORM1 = PackageFile("太原市-附件1-先进级智能工厂名单汇总表.xlsx", b"xlsx-bytes")


def folder(rank=1, enterprise="山西晋华重工有限公司", project="重型装备智能工厂", files=None):
    return ApplicationFolder(
        unit="太原市",
        rank=rank,
        enterprise=enterprise,
        project=project,
        files=files
        if files is not None
        else [
            PackageFile("申报书.docx", b"word-%d" % rank),
            PackageFile("申报书.pdf", b"pdf-%d" % rank),
        ],
    )


def test_the_zip_has_one_folder_per_application_and_the_units_forms(tmp_path):
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
                PackageFile("申报书.docx", b"word-1"),
                PackageFile("申报书.pdf", b"pdf-1"),
                PackageFile("营业执照.pdf", scan),
                PackageFile("附件3-材料清单.xlsx", open_attachment),
            ],
        ),
        folder(2, enterprise="山西云冈食品有限公司", project="食品智能工厂"),
    ]
    target = tmp_path / "太原市-材料包.zip"
    members = build_package(target, folders, [FORM1])
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names == [
            "太原市-附件1-先进级智能工厂名单汇总表.xlsx",
            "太原市-1-山西晋华重工有限公司-重型装备智能工厂/申报书.docx",
            "太原市-1-山西晋华重工有限公司-重型装备智能工厂/申报书.pdf",
            "太原市-1-山西晋华重工有限公司-重型装备智能工厂/营业执照.pdf",
            "太原市-1-山西晋华重工有限公司-重型装备智能工厂/附件3-材料清单.xlsx",
            "太原市-2-山西云冈食品有限公司-食品智能工厂/申报书.docx",
            "太原市-2-山西云冈食品有限公司-食品智能工厂/申报书.pdf",
        ]
        assert archive.read(names[0]) == b"xlsx-bytes"
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
    build_package(target, [folder(1), folder(2, enterprise="晋中（集团）有限公司")], [FORM1])
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            assert not name.startswith(("/", "\\"))
            assert ".." not in name.split("/")
            assert ":" not in name
            assert safe_archive_path(*name.split("/")) == name
        archive.extractall(tmp_path / "out")
    assert (
        tmp_path / "out" / "太原市-2-晋中（集团）有限公司-重型装备智能工厂" / "申报书.pdf"
    ).is_file()


def test_progress_is_reported_after_every_file(tmp_path):
    calls = []
    build_package(
        tmp_path / "p.zip",
        [folder(1), folder(2)],
        [FORM1],
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


@pytest.mark.parametrize(
    ("folders", "message"),
    [
        ([folder(1, files=[PackageFile("../申报书.pdf", b"x")])], "文件名"),
        ([folder(1, files=[PackageFile("C:申报书.pdf", b"x")])], "盘符"),
        ([folder(1, files=[PackageFile("申报书?.pdf", b"x")])], "“?”"),
        ([folder(1, enterprise="晋华/重工")], "序号1（晋华/重工）的文件夹名称有误"),
        ([folder(1), folder(1)], "重名"),
        (
            [
                folder(
                    1,
                    files=[
                        PackageFile("A.pdf", b"1"),
                        PackageFile("a.PDF", b"2"),
                        PackageFile("w.docx", b""),
                    ],
                )
            ],
            "重名",
        ),
        ([folder(1, files=[PackageFile("申报书.pdf", b"x")])], "缺少WORD版材料"),
        ([folder(1, files=[PackageFile("申报书.docx", b"x")])], "缺少PDF版材料"),
        ([folder(1, files=[])], "没有任何材料文件"),
    ],
)
def test_a_package_that_would_be_unsafe_or_incomplete_is_refused_and_nothing_is_written(
    tmp_path, folders, message
):
    target = tmp_path / "p.zip"
    with pytest.raises(PackageError, match=message):
        build_package(target, folders, [FORM1])
    assert list(tmp_path.iterdir()) == []


def test_a_source_failing_midway_leaves_no_partial_archive(tmp_path):
    def broken():
        raise OSError("存储不可用")

    files = [PackageFile("申报书.docx", b"w"), PackageFile("申报书.pdf", broken)]
    with pytest.raises(OSError):
        build_package(tmp_path / "p.zip", [folder(1, files=files)])
    assert list(tmp_path.iterdir()) == []
