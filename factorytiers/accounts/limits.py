"""Bounds of what a request may carry, written once for every view.

- ``RequestLimitMiddleware`` refuses a request whose Content-Length passes REQUEST_MAX_BYTES
  (413) or whose body comes chunked without one (411) before a byte of it is read, and parses
  every POST itself so that a refusal during parsing (an upload past its cap, form fields past
  DATA_UPLOAD_MAX_MEMORY_SIZE, a malformed body) is answered with a Chinese page, not a 500;
- ``BoundedUploadHandler`` writes uploads to temporary files (as Django's own handler does) and
  stops as soon as one file passes UPLOAD_MAX_BYTES or the files together pass
  REQUEST_MAX_BYTES, removing every temporary file of the request;
- ``check_upload`` is the check of a stored file: its size, its content (domain/uploads.py)
  and, for DOCX and XLSX, the bounds of the package (domain/archives.py), in Chinese.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from factorytiers.domain import uploads
from factorytiers.domain.archives import ArchiveLimits, Problem, ProblemKind, check_archive

ARCHIVE_KINDS = ("docx", "xlsx")


def size_text(size: float) -> str:
    """A size as people read it: “50 MB”, “1.5 MB”, “200 KB”."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return _("%(n)d 字节") % {"n": size}


def archive_limits() -> ArchiveLimits:
    return ArchiveLimits(
        max_members=settings.ARCHIVE_MAX_MEMBERS,
        max_unpacked_bytes=settings.ARCHIVE_MAX_UNPACKED_BYTES,
        max_member_bytes=settings.ARCHIVE_MAX_UNPACKED_BYTES,
        max_ratio=settings.ARCHIVE_MAX_RATIO,
    )


def problem_message(problem: Problem) -> str:
    """What is wrong with a package or a sheet, in the user's words, naming the limit."""
    facts = {
        "found": problem.found,
        "limit": problem.limit,
        "name": problem.name,
        "found_size": size_text(problem.found),
        "limit_size": size_text(problem.limit),
    }
    messages = {
        ProblemKind.NOT_AN_ARCHIVE: _(
            "文件不完整或已损坏，无法作为WORD(.docx)或Excel(.xlsx)文档打开"
        ),
        ProblemKind.DAMAGED: _("文件已损坏：其中的“%(name)s”解压后与记录的大小不符"),
        ProblemKind.ENCRYPTED: _("文件已加密：请取消密码保护后再上传"),
        ProblemKind.UNSAFE_NAME: _("文件中含有不安全的路径“%(name)s”"),
        ProblemKind.TOO_MANY_MEMBERS: _("文件内部包含 %(found)d 个部件，超过 %(limit)d 个的上限"),
        ProblemKind.UNPACKED_TOO_LARGE: _("文件解压后超过 %(limit_size)s 的上限"),
        ProblemKind.MEMBER_TOO_LARGE: _(
            "文件中的“%(name)s”解压后为 %(found_size)s，超过 %(limit_size)s 的上限"
        ),
        ProblemKind.RATIO_TOO_HIGH: _(
            "文件中的“%(name)s”压缩比为 %(found)d 倍，超过 %(limit)d 倍的上限，疑似压缩炸弹"
        ),
        ProblemKind.NO_SHEET: _("工作簿中没有工作表“%(name)s”"),
        ProblemKind.HIDDEN_SHEET: _(
            "工作表“%(name)s”是隐藏的：请在Excel中取消隐藏并核对内容后再导入"
        ),
        ProblemKind.VERY_HIDDEN_SHEET: _(
            "工作表“%(name)s”被设为深度隐藏（在Excel中看不到）：请删除该工作表或改用模板重新填写"
        ),
        ProblemKind.TOO_MANY_ROWS: _(
            "工作表“%(name)s”有 %(found)d 行，超过上限 %(limit)d 行（含表头）"
        ),
        ProblemKind.TOO_MANY_COLUMNS: _("工作表“%(name)s”有 %(found)d 列，超过上限 %(limit)d 列"),
    }
    return messages[problem.kind] % facts


def check_upload(upload, *, allowed_kinds, max_bytes: int | None = None) -> uploads.UploadCheck:
    """An uploaded file checked by its size (at most UPLOAD_MAX_BYTES whatever ``max_bytes``
    says), its content, and for DOCX and XLSX the bounds of the package."""
    cap = (
        settings.UPLOAD_MAX_BYTES
        if max_bytes is None
        else min(max_bytes, settings.UPLOAD_MAX_BYTES)
    )
    stream = upload.file if hasattr(upload, "file") else upload
    if upload.size > cap:
        return uploads.UploadCheck(
            False,
            None,
            "",
            _("文件大小 %(size)s，超过 %(limit)s 的上限")
            % {"size": size_text(upload.size), "limit": size_text(cap)},
        )
    check = uploads.check_upload(
        stream, size=upload.size, allowed_kinds=allowed_kinds, max_bytes=cap
    )
    if check.ok and check.kind in ARCHIVE_KINDS:
        problem = check_archive(stream, archive_limits())
        if problem is not None:
            return uploads.UploadCheck(False, check.kind, "", problem_message(problem))
    return check


# --------------------------------------------------------------------------------------------
# The request
# --------------------------------------------------------------------------------------------


class UploadRefused(Exception):
    """An upload stopped while it was being received; the message says which limit."""


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Files go to temporary files in FILE_UPLOAD_TEMP_DIR; the upload stops at the first byte
    past a file's cap or the request's, and no temporary file of the request is left."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        self.done = []
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self._abort(
                _("文件“%(name)s”超过 %(limit)s 的上限，未上传")
                % {"name": self.file_name, "limit": size_text(settings.UPLOAD_MAX_BYTES)}
            )
        if self.received > settings.REQUEST_MAX_BYTES:
            self._abort(
                _("本次上传的文件合计超过 %(limit)s 的上限，未上传")
                % {"limit": size_text(settings.REQUEST_MAX_BYTES)}
            )
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        done = super().file_complete(file_size)
        self.done.append(done)
        return done

    def _abort(self, message: str):
        for upload in [*self.done, self.file]:
            upload.close()  # a closed temporary upload removes its file
        raise UploadRefused(message)


class RequestLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            status, message = refusal
            return render(request, "request_refused.html", {"message": message}, status=status)
        return self.get_response(request)

    @staticmethod
    def refusal(request) -> tuple[int, str] | None:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.strip().isdigit():
            return 400, _("请求的长度（Content-Length）无效")
        limit = size_text(settings.REQUEST_MAX_BYTES)
        if int(declared) > settings.REQUEST_MAX_BYTES:
            return 413, _("提交的内容为 %(size)s，超过 %(limit)s 的上限，未处理") % {
                "size": size_text(int(declared)),
                "limit": limit,
            }
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return 411, _("提交的内容没有注明长度，未处理：请使用浏览器页面上传")
        if request.method != "POST":
            return None
        try:
            request.POST  # noqa: B018 (parsed here, where a refusal can still be answered)
        except UploadRefused as exc:
            return 413, str(exc)
        except RequestDataTooBig:
            return 413, _("表单内容超过 %(limit)s 的上限，未处理") % {
                "limit": size_text(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            }
        except (TooManyFieldsSent, TooManyFilesSent):
            return 400, _("表单中的字段或文件过多，未处理")
        except MultiPartParserError:
            return 400, _("提交的表单内容不完整或已损坏，未处理：请重新提交")
        return None
