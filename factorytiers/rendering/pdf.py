"""PDF from a print-HTML template (WeasyPrint), with the CJK fonts embedded.

Print templates extend ``documents/print_base.html``; the same template rendered by a view is the
in-browser print preview. Images (charts) are passed in the context as ``data:`` URIs
(:func:`png_data_uri`), so a document never fetches anything over the network.

The fonts are set up once: WeasyPrint's ``FontConfiguration`` and the ``@font-face`` stylesheet
(which loads the four Noto CJK faces into it) are made on a thread's first PDF and kept for the
thread's life — once per process under gunicorn's sync workers and Celery's prefork pool, and
never shared between two threads, since the Pango font map beneath is not made for that.

Python's cyclic garbage collector is paused (:func:`collector_paused`) while WeasyPrint parses,
lays out and writes a document. It builds hundreds of thousands of objects that live until the
PDF is written (the box tree, copied page by page), and the collector traverses them again and
again as they accumulate: a quarter of the time of a 附件2 report with a long attached table,
and growing faster than its rows. Almost none of them is garbage in a cycle (the peak memory
grows by a few MB without the collector); what there is goes at the collector's next run.
"""

from __future__ import annotations

import base64
import gc
import io
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.template.loader import render_to_string
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from factorytiers.rendering.fonts import PROJECT_ROOT, font_face_css


class ResourceRefused(ValueError):
    """A print template referred to a resource outside the project (or on the network)."""


class _LocalOnlyFetcher(URLFetcher):
    """Serve data: URIs and files inside the project; refuse everything else, loudly."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"})

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(url2pathname(parsed.path)).resolve()
            if not path.is_relative_to(PROJECT_ROOT):
                raise ResourceRefused(f"打印模板引用了项目以外的文件：{url}")
        elif parsed.scheme != "data":
            raise ResourceRefused(f"打印模板引用了不允许的资源：{url}")
        return super().fetch(url, headers)


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


_fonts = threading.local()


def fonts() -> tuple[FontConfiguration, CSS]:
    """This thread's font configuration and the stylesheet of the CJK faces in it."""
    config = getattr(_fonts, "config", None)
    # WeasyPrint keeps the faces in a temporary folder; one cleaned away under a long-lived
    # process is made again rather than failing every later PDF.
    folder = getattr(config, "_folder", None)
    if config is not None and (folder is None or Path(folder).is_dir()):
        return config, _fonts.css
    config = FontConfiguration()
    css = CSS(string=font_face_css(), font_config=config, url_fetcher=_LocalOnlyFetcher())
    _fonts.config, _fonts.css = config, css
    return config, css


_collector = threading.Lock()
_rendering = 0  # documents being rendered now, by any thread
_collector_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the block runs, on again after the last of the
    threads in such a block leaves it (the collector is one for the process); left off if it
    was off before."""
    global _rendering, _collector_was_enabled
    with _collector:
        if _rendering == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _rendering += 1
    try:
        yield
    finally:
        with _collector:
            _rendering -= 1
            if _rendering == 0 and _collector_was_enabled:
                gc.enable()


# WeasyPrint logs each page it lays out to this logger (at INFO, which ``settings.LOGGING``
# lets through to no handler but the one ``_pages_laid_out`` adds while a document is drawn).
_PROGRESS = logging.getLogger("weasyprint.progress")
_PAGE_MESSAGE = "Step 5 - Creating layout - Page %d"


@contextmanager
def _pages_laid_out(on_page: Callable[[int], None] | None) -> Iterator[None]:
    """Call ``on_page(n)`` as WeasyPrint lays out page n of this thread's document."""
    if on_page is None:
        yield
        return
    thread = threading.get_ident()

    class PageHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread and record.msg == _PAGE_MESSAGE and record.args:
                on_page(int(record.args[0]))

    handler = PageHandler()
    _PROGRESS.addHandler(handler)
    try:
        yield
    finally:
        _PROGRESS.removeHandler(handler)


def render_pdf(
    template_name: str, context: dict, *, on_page: Callable[[int], None] | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes (A4, fonts embedded).
    ``on_page(n)`` is called as page n is laid out (a long document's progress)."""
    html = render_to_string(template_name, context)
    font_config, font_css = fonts()
    with collector_paused(), _pages_laid_out(on_page):
        document = HTML(
            string=html, base_url=PROJECT_ROOT.as_uri() + "/", url_fetcher=_LocalOnlyFetcher()
        )
        return document.write_pdf(stylesheets=[font_css], font_config=font_config)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def join(front: bytes, back: bytes) -> bytes:
    """One PDF of ``front``'s pages, then ``back``'s, with ``front``'s title, other
    properties, language and outline.

    ``back`` is kept byte for byte and ``front`` written after it as an incremental update
    (ISO 32000-1 §7.5.6): ``front``'s objects renumbered after ``back``'s, a new page tree
    root over the two documents' own, a new catalog, and a cross-reference section for these
    alone. Only ``front`` and the three objects at the top of ``back`` are parsed, so the time
    grows with ``front`` alone: a 附件2 report's few pages of text before an attached table of
    thousands of pages (which pypdf's ``append`` took seconds to copy object by object)."""
    back_reader = PdfReader(io.BytesIO(back))
    front_reader = PdfReader(io.BytesIO(front))
    shift = int(back_reader.trailer["/Size"])
    front_size = int(front_reader.trailer["/Size"])
    new_root = front_size  # a number free in ``front``: the shift makes it free in the file

    back_pages_ref = back_reader.trailer["/Root"].raw_get("/Pages")
    back_pages = back_pages_ref.get_object()
    catalog = front_reader.trailer["/Root"]
    front_pages_ref = catalog.raw_get("/Pages")
    objects = _reachable(
        [front_reader.trailer.raw_get("/Root"), front_reader.trailer.raw_get("/Info")]
    )
    top = NameObject("/Parent"), NameObject("/Pages")
    out = io.BytesIO()
    out.write(back if back.endswith(b"\n") else back + b"\n")
    offsets: dict[int, int] = {}

    def put(number: int, obj, renumber) -> None:
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode())
        _write_object(obj, out, renumber)
        out.write(b"\nendobj\n")

    def shifted(number: int) -> int:
        return number + shift

    for number, obj in sorted(objects.items()):
        if number == catalog.indirect_reference.idnum:
            obj = DictionaryObject(obj)
            obj[top[1]] = IndirectObject(new_root, 0, None)
        elif number == front_pages_ref.idnum:
            obj = DictionaryObject(obj)
            obj[top[0]] = IndirectObject(new_root, 0, None)
        put(shifted(number), obj, shifted)
    front_count = int(front_pages_ref.get_object()["/Count"])
    put(
        shifted(new_root),
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(
                    [
                        IndirectObject(front_pages_ref.idnum, 0, None),
                        # Written shifted like the rest: the back's own number once shifted.
                        IndirectObject(back_pages_ref.idnum - shift, 0, None),
                    ]
                ),
                NameObject("/Count"): NumberObject(front_count + int(back_pages["/Count"])),
            }
        ),
        shifted,
    )
    back_top = DictionaryObject(back_pages)
    back_top[top[0]] = IndirectObject(shifted(new_root), 0, None)
    put(back_pages_ref.idnum, back_top, lambda number: number)

    xref = out.tell()
    out.write(b"xref\n")
    numbers = sorted(offsets)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        out.write(f"{run[0]} {len(run)}\n".encode())
        out.write(b"".join(f"{offsets[n]:010d} 00000 n\r\n".encode() for n in run))
    trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(shifted(new_root) + 1),
            NameObject("/Root"): IndirectObject(catalog.indirect_reference.idnum, 0, None),
            NameObject("/Prev"): NumberObject(_last_xref(back)),
        }
    )
    info = front_reader.trailer.raw_get("/Info")
    if info is not None:
        trailer[NameObject("/Info")] = IndirectObject(info.idnum, 0, None)
    if "/ID" in back_reader.trailer:  # an updated file keeps its first identifier (§14.4)
        trailer[NameObject("/ID")] = back_reader.trailer["/ID"]
    out.write(b"trailer\n")
    _write_object(trailer, out, shifted)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _reachable(refs) -> dict[int, object]:
    """The objects reachable from ``refs`` (indirect references), by number."""
    found: dict[int, object] = {}
    todo = [ref for ref in refs if ref is not None]
    while todo:
        ref = todo.pop()
        if ref.idnum in found:
            continue
        obj = found[ref.idnum] = ref.get_object()
        stack = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                if item.idnum not in found:
                    todo.append(item)
            elif isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return found


def _write_object(obj, out: io.BytesIO, renumber: Callable[[int], int]) -> None:
    """``obj`` in PDF syntax, its indirect references renumbered."""
    if isinstance(obj, IndirectObject):
        out.write(f"{renumber(obj.idnum)} 0 R".encode())
    elif isinstance(obj, dict):
        # A stream's bytes as they are stored (still encoded by its filters).
        data = obj._data if isinstance(obj, StreamObject) else None
        out.write(b"<<")
        for key, value in obj.items():
            if data is not None and key == "/Length":
                continue
            out.write(b"\n")
            key.write_to_stream(out)
            out.write(b" ")
            _write_object(value, out, renumber)
        if data is not None:
            out.write(f"\n/Length {len(data)}".encode())
        out.write(b"\n>>")
        if data is not None:
            out.write(b"\nstream\n")
            out.write(data)
            out.write(b"\nendstream")
    elif isinstance(obj, list):
        out.write(b"[")
        for item in obj:
            out.write(b" ")
            _write_object(item, out, renumber)
        out.write(b" ]")
    else:
        obj.write_to_stream(out)


def _last_xref(pdf: bytes) -> int:
    """Where the file's last cross-reference section starts (its ``startxref``)."""
    found = re.findall(rb"startxref\s+(\d+)", pdf[-1024:])
    if not found:
        raise ValueError("no startxref")
    return int(found[-1])
