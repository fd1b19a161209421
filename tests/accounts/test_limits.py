"""The request limits on their own: the upload handler counts the stream, whatever the request
declared, and removes its temporary files when it stops; every problem of a package or a sheet
has its Chinese wording."""

import io
from pathlib import Path

import pytest
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory

from factorytiers.accounts.limits import (
    BoundedUploadHandler,
    UploadRefused,
    problem_message,
    size_text,
)
from factorytiers.domain.archives import Problem, ProblemKind
from tests.hostile.conftest import CJK, LIBRARY_WORDS

KB = 1024
MB = 1024 * KB


@pytest.fixture
def temp_dir(settings, tmp_path) -> Path:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.UPLOAD_MAX_BYTES = 300 * KB
    settings.REQUEST_MAX_BYTES = 500 * KB
    return tmp_path


def multipart(*files: tuple[str, bytes]) -> bytes:
    parts = [
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n" % (name.encode(), content)
        for name, content in files
    ]
    return b"".join(parts) + b"--xyz--\r\n"


def parse(body: bytes, declared: int):
    """The body parsed as a server would stream it, trusting a declared length (as a chunked
    request under another server might), with the bounded handler alone."""
    request = RequestFactory().post("/")
    handler = BoundedUploadHandler(request)
    meta = {"CONTENT_TYPE": "multipart/form-data; boundary=xyz", "CONTENT_LENGTH": str(declared)}
    return MultiPartParser(meta, io.BytesIO(body), [handler]).parse()


def test_files_within_the_caps_arrive_whole(temp_dir):
    _post, files = parse(multipart(("a.pdf", b"%PDF-" + b"a" * (200 * KB))), 10**9)
    upload = files["file"]
    assert upload.size == 200 * KB + 5 and upload.read(5) == b"%PDF-"
    upload.close()


def test_one_file_past_its_cap_stops_the_upload_and_leaves_no_file(temp_dir):
    with pytest.raises(UploadRefused, match=r"big\.pdf”超过 300 KB 的上限"):
        parse(multipart(("big.pdf", b"x" * (400 * KB))), 10**9)
    assert list(temp_dir.iterdir()) == []


def test_files_together_past_the_request_cap_stop_it_and_leave_no_file(temp_dir):
    body = multipart(*[(f"{n}.pdf", b"x" * (200 * KB)) for n in range(3)])
    with pytest.raises(UploadRefused, match="合计超过 500 KB 的上限"):
        parse(body, 10**9)
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize("kind", list(ProblemKind))
def test_every_problem_is_worded_in_chinese(kind):
    text = problem_message(Problem(kind, 1_048_576, 20_001, "结果"))
    assert CJK.search(text) and not LIBRARY_WORDS.search(text)


@pytest.mark.parametrize(
    ("size", "text"),
    [(50 * MB, "50 MB"), (1536 * KB, "1.5 MB"), (200 * KB, "200 KB"), (1 << 30, "1024 MB")],
)
def test_sizes_as_people_read_them(size, text):
    assert size_text(size) == text
