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
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
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


def concatenate(documents: list[bytes]) -> bytes:
    """One PDF of the documents' pages, in order (each document's fonts kept as they are), with
    the first one's title, other properties and language."""
    writer = PdfWriter()
    for number, document in enumerate(documents):
        reader = PdfReader(io.BytesIO(document))
        writer.append(reader)
        if number == 0:
            writer.add_metadata(reader.metadata or {})
            language = reader.trailer["/Root"].get("/Lang")
            if language is not None:
                writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
