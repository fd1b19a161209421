"""Every role's pages on demo data, from a phone (390 px) to a desktop (1366 px):

- WCAG 2.1 AA as axe-core checks it (no serious or critical violation) on every page a role
  reaches from its navigation and its home, each with a title of its own;
- no page scrolls sideways, at 390 and at 1366, and no table cell is squeezed to a character
  per line at 1366; the navigation fits on one line at 1366 and collapses behind a toggler
  at 390 that opens it;
- the user guide's screenshots (docs/guide/images/) are taken here, at 1366 × 768, so they
  always show the product as it is.

The data is the demo (``manage.py load_demo``, 60 enterprises), on a frozen day of the 2027
campaign: 2 March 2027, before its first deadline.
"""

import random
import re
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from PIL import Image, ImageChops

from factorytiers.accounts.models import User
from factorytiers.campaigns import demo as campaign_demo
from factorytiers.campaigns.models import Application, Campaign, ExpertAssignment, State
from factorytiers.campaigns.selectors import waiting_assignments
from factorytiers.campaigns.services import evaluation, submissions
from factorytiers.enterprises.models import Enterprise
from tests.browser.conftest import log_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IMAGES = ROOT / "docs" / "guide" / "images"
TODAY = "2027-03-02 09:30 +0800"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = ["enterprise", "city", "province", "expert", "admin"]
# Links that are no page to check: files, the log-out, the Django admin and the API's Swagger
# UI (their libraries' own pages, not ours), the language switch.
NOT_PAGES = re.compile(
    r"(\.(xlsx|pdf|docx|zip|csv|ics|png)$)|/download|/export|/materials/\d+/$|/logout"
    r"|^/admin/|^/api/docs|^/i18n/|/media/"
)


@pytest.fixture
def demo(live_server, settings, tmp_path):
    """The demo data and each role's log-in, on the frozen day."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", enterprises=60, stdout=StringIO())
        taiyuan = Enterprise.objects.filter(unit__code="140100").order_by("pk").first()
        yield {
            "enterprise": taiyuan.credit_code,
            "city": "taiyuan",
            "province": "province",
            "expert": "expert",
            "admin": "admin",
        }


def _page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    return page


def _axe(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    problems = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            problems.append(
                f"{page.url} {violation['id']} ({violation['impact']}): "
                f"{violation['help']} — {len(violation['nodes'])}× e.g. {targets}"
            )
    return problems


def _overflow(page) -> str | None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             && !e.closest('.table-responsive, .collapse:not(.show)'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))"""
        )
        return f"{page.url} is {width[0]} px wide at {width[1]} px: {wide}"
    return None


SQUEEZED = """() => [...document.querySelectorAll('main td, main th')]
  .filter(c => c.innerText.trim().length >= 4 && c.offsetParent !== null)
  .filter(c => {
    const style = getComputedStyle(c);
    const inner = c.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return inner < 1.9 * parseFloat(style.fontSize);
  })
  .slice(0, 5).map(c => c.innerText.trim().slice(0, 20))"""


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], main a[href]:not([download])", "els => els.map(e => e.href)"
    )
    origin = urlsplit(page.url)
    found = []
    for href in hrefs:
        url = urlsplit(href)
        if url.netloc != origin.netloc or not url.path or NOT_PAGES.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def _kind(path: str) -> str:
    """Pages of one URL name share a template (filters only change the rows): one of each."""
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return path


def _save_screenshot(png: bytes, path: Path) -> None:
    """Write the picture unless it differs from the committed one only by font smoothing
    (a few pixels), so a run of the suite leaves the checkout clean when no page changed."""
    if path.exists():
        old = Image.open(path).convert("RGB")
        new = Image.open(BytesIO(png)).convert("RGB")
        if old.size == new.size:
            changed = ImageChops.difference(old, new).convert("L").point(lambda v: v > 48)
            if sum(changed.histogram()[1:]) < old.size[0] * old.size[1] // 500:
                return
    path.write_bytes(png)


def _guide_pages(role: str, username: str) -> list[tuple[str, str]]:
    """The pages each chapter of the guide shows: (image name, URL)."""
    campaign = Campaign.objects.get(year=2027)
    advanced = campaign.tasks.get(kind="advanced")
    user = User.objects.get(username=username)
    if role == "enterprise":
        return [
            ("enterprise-home", "/"),
            ("enterprise-profile", reverse("enterprises:detail", args=[user.enterprise_id])),
            ("enterprise-assessment", reverse("assessments:mine")),
            ("enterprise-campaign", reverse("campaigns:detail", args=[campaign.pk])),
        ]
    if role == "city":
        return [
            ("city-home", "/"),
            ("city-enterprises", reverse("enterprises:list")),
            ("city-task", reverse("campaigns:task", args=[advanced.pk])),
            ("city-statistics", reverse("documents:statistics")),
        ]
    if role == "province":
        return [
            ("province-home", "/"),
            ("province-campaign", reverse("campaigns:detail", args=[campaign.pk])),
            ("province-settings", reverse("campaigns:settings", args=[campaign.pk])),
            ("province-task", reverse("campaigns:task", args=[advanced.pk])),
        ]
    if role == "expert":
        _open_review(campaign, user)
        assignment = (
            waiting_assignments(ExpertAssignment.objects.filter(expert=user)).order_by("pk").first()
        )
        pages = [("expert-home", "/"), ("expert-assignments", reverse("campaigns:assignments"))]
        if assignment is not None:
            pages.append(("expert-score", reverse("campaigns:score", args=[assignment.pk])))
        return pages
    return [
        ("admin-home", "/"),
        # One kind of entry: its actors and objects are the same on every run.
        ("admin-audit-log", reverse("accounts:audit_log") + "?action=campaign.create"),
        ("admin-models", reverse("assessments:models")),
    ]


def _open_review(campaign, expert) -> None:
    """The guide shows the expert at work: one 2027 application that its city reports early and
    the province hands to the expert, through the same services as the pages."""
    year = campaign_demo.Year(campaign, random.Random(1))
    task = campaign.tasks.get(kind="advanced")
    application = (
        Application.objects.filter(task=task, state=State.SUBMITTED).order_by("pk").first()
    )
    city = year.city(application.unit_id)
    campaign_demo._step(city, application, "recommend", "材料齐全，同意推荐。")
    submissions.rank_applications(
        actor=city,
        task=task,
        unit=application.unit,
        ranks={application.pk: 1},
        version=campaign_demo._report_version(task, application.unit),
    )
    year.report_unit(city, task, application.unit)
    application.refresh_from_db()
    evaluation.assign_expert(actor=year.province, application=application, expert=expert)


def _title(page) -> str:
    return page.title().strip()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_accessible_fits_a_desktop_and_is_shown_in_the_guide(
    browser, live_server, demo, role
):
    page = _page(browser, live_server, DESKTOP)
    log_in(page, demo[role], settings.DEMO_PASSWORD)
    # The guide's screenshots, as the page is at 1366 × 768 (docs/guide/<role>.md shows them).
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, url in _guide_pages(role, demo[role]):
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("networkidle")
        if page.locator(".home-chart").count():
            page.wait_for_timeout(1500)  # the charts' own entry animation
        _save_screenshot(
            page.screenshot(animations="disabled", caret="hide"), IMAGES / f"{name}.png"
        )
    page.goto("/")
    home = _links(page)
    # The navigation (drop-downs included) stays on one line at 1366 px.
    assert page.locator("#navbar-toggler").is_hidden()
    assert page.locator("nav.navbar").bounding_box()["height"] < 72
    # Breadth first: the home and the navigation, then the pages they link to; one page of
    # each kind (URL name and filters).
    queue, seen, problems, titles = [("/", 0)] + [(path, 1) for path in home], set(), [], {}
    for path, depth in queue:
        kind = _kind(path)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status == 200, path
        problems += _axe(page)
        if message := _overflow(page):
            problems.append(message)
        if squeezed := page.evaluate(SQUEEZED):
            problems.append(f"{path}: cells squeezed to a character per line: {squeezed}")
        title = _title(page)
        if title.startswith("·") or not title:
            problems.append(f"{path}: no title of its own ({title!r})")
        titles[kind] = title
        if depth < 2:
            queue += [(link, depth + 1) for link in _links(page)]
    print(role, len(seen), "pages:", sorted(seen))
    page.context.close()
    assert len(seen) >= 3
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_a_phone_shows_every_list_of_a_role_without_sideways_scrolling(
    browser, live_server, demo, role
):
    page = _page(browser, live_server, PHONE)
    log_in(page, demo[role], settings.DEMO_PASSWORD)
    toggler = page.locator("#navbar-toggler")
    assert toggler.is_visible()
    assert page.locator("#main-nav").is_hidden()
    entries = page.eval_on_selector_all("#main-nav a[href^='/']", "els => els.map(e => e.href)")
    problems = [m for m in [_overflow(page)] if m] + _axe(page)
    for href in entries:
        path = urlsplit(href).path
        if NOT_PAGES.search(path):
            continue
        page.goto(path)
        problems += [m for m in [_overflow(page)] if m]
    # The toggler opens the menu, and its links work.
    page.goto("/")
    toggler.click()
    nav = page.locator("#main-nav")
    nav.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    problems += _axe(page)
    page.locator("#help-link").click()
    page.wait_for_url("**/guide/")
    assert page.locator("#guide-page h1").is_visible()
    page.context.close()
    assert not problems, "\n".join(problems)
