"""The user guide (docs/guide/*.md) as pages of the product: one Markdown source, read on
GitHub and here alike. Links between chapters become the chapters' URLs, images the static
files under ``guide/`` (settings.STATICFILES_DIRS); raw HTML in the sources is not rendered."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from markdown_it import MarkdownIt

GUIDE_DIR = settings.BASE_DIR / "docs" / "guide"
# slug → file; the index is README.md.
CHAPTERS = ("enterprise", "city", "province", "expert", "admin")


@dataclass(frozen=True)
class Page:
    title: str
    html: str


def _url(href: str) -> str:
    if "://" in href or href.startswith(("#", "/", "mailto:")):
        return href
    path, _, anchor = href.partition("#")
    suffix = f"#{anchor}" if anchor else ""
    if path.startswith("images/"):
        return static(f"guide/{path.removeprefix('images/')}")
    stem = path.removesuffix(".md")
    if stem in ("README", ""):
        return reverse("guide") + suffix
    if stem in CHAPTERS:
        return reverse("guide_chapter", args=[stem]) + suffix
    return href


def _render(text: str) -> Page:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    tokens = md.parse(text)
    title = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and not title:
            title = tokens[index + 1].content
        if token.type == "table_open":
            token.attrSet("class", "table table-bordered table-sm")
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("href", _url(str(child.attrGet("href") or "")))
            elif child.type == "image":
                child.attrSet("src", _url(str(child.attrGet("src") or "")))
                child.attrSet("class", "img-fluid border rounded guide-shot")
                child.attrSet("loading", "lazy")
    return Page(title=title, html=md.renderer.render(tokens, md.options, {}))


@cache
def _page_cached(name: str, mtime: float) -> Page:
    return _render((GUIDE_DIR / name).read_text(encoding="utf-8"))


def page(chapter: str | None) -> Page | None:
    """The index (``None``) or a chapter, rendered; ``None`` for a chapter that is not one."""
    if chapter is not None and chapter not in CHAPTERS:
        return None
    path: Path = GUIDE_DIR / f"{chapter or 'README'}.md"
    return _page_cached(path.name, path.stat().st_mtime)
