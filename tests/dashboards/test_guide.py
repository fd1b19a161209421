"""The user guide (docs/guide/*.md) read in the product: the index, a chapter per role, links
between chapters and screenshots served as static files; raw HTML in a source is not rendered."""

from pathlib import Path

import pytest
from django.urls import reverse

from factorytiers.dashboards import guide

ROOT = Path(__file__).resolve().parents[2]


def test_the_index_links_every_chapter(client, users):
    client.force_login(users["city_a"])
    content = client.get(reverse("guide")).content.decode()
    assert "<h1>使用指南</h1>" in content
    for chapter in guide.CHAPTERS:
        assert f'href="{reverse("guide_chapter", args=[chapter])}"' in content


@pytest.mark.parametrize("chapter", guide.CHAPTERS)
def test_each_chapter_shows_its_screenshots_as_static_files(client, users, chapter):
    client.force_login(users["expert"])
    response = client.get(reverse("guide_chapter", args=[chapter]))
    content = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{guide.page(chapter).title} · 使用指南" in content
    images = [line for line in content.split('src="')[1:] if "/static/guide/" in line]
    assert images, chapter
    for image in images:
        name = image.split('"')[0].rsplit("/", 1)[1]
        assert (ROOT / "docs" / "guide" / "images" / name).is_file(), name


def test_a_chapter_that_is_none_is_not_found(client, users):
    client.force_login(users["province"])
    assert client.get(reverse("guide_chapter", args=["README"])).status_code == 404


def test_raw_html_in_a_source_is_shown_as_text():
    page = guide._render("# 标题\n\n<script>alert(1)</script>\n\n[市级](city.md#top)\n")
    assert "<script>" not in page.html
    assert "&lt;script&gt;" in page.html
    assert f'href="{reverse("guide_chapter", args=["city"])}#top"' in page.html
    assert page.title == "标题"
