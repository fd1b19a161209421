"""Browser tests: Playwright (sync API) driving Debian's Chromium against the live test server.

Every test in this folder runs on a transactional database holding the migrations' data
(reference data, seeded models), with a ``page`` on the live server and ``log_in``.
"""

import os
import shutil

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


# One request at a time. With SQLite in memory, the live server's request threads share the
# test's one database connection, so two requests at once (an autosave and the beacon a
# closing page sends) would interleave their transactions on it. A production server gives each
# worker its own connection; here the server answers requests in turn (and closes each
# connection, so the browser's other requests are not kept waiting).
class _OneRequestAtATime(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The server's own thread already uses the test's connections (LiveServerThread.run).
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = _OneRequestAtATime

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls made by test code
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "Secret#2026"


@pytest.hookimpl(tryfirst=True)  # before pytest-django reads the markers to order the tests
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def _restore_seed_data(seeded_transactional_db):
    pass


@pytest.fixture(scope="session")
def browser(seed_data):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; .ci/run installs it.")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    # Irreversible actions ask for confirmation; the tests confirm (and record the questions).
    page.confirmations = []

    def confirm(dialog):
        page.confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)
    yield page
    context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
