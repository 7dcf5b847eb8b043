"""Browser tests: Playwright for Python driving Debian's Chromium, headless, every page axe-checked.

Never `playwright install` (it downloads a browser and fails on a closed network): the
tests use /usr/bin/chromium (override with CHROMIUM_PATH). Without it they skip with one
line saying how to enable them, unless REQUIRE_BROWSER=1 (CI), which makes it an error.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
# make (loading demo data) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The machine's closed network refuses Chromium's background connections; these flags
# stop it from trying (see ARCHITECTURE.md, "Tests").
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = (
    f"Browser tests skipped: no Chromium at {CHROMIUM}. "
    "Enable them with `apt-get install chromium` (or set CHROMIUM_PATH); "
    "never `playwright install`."
)


def _require_browser() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)):
        if _require_browser():
            pytest.fail(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}.")
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="samenspraak-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            # Playwright gives every launch a fresh, empty profile; keep its temp files here.
            downloads_path=profile,
        )
        try:
            yield browser
        finally:
            browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def demo(transactional_db):
    """The demo data, loaded the way `make run` loads it."""
    from samenspraak.demo.loader import load_demo

    return load_demo()


@pytest.fixture
def page(browser, live_server, demo) -> Iterator[object]:
    """A fresh browser context (own cookies) per test, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def assert_accessible(page) -> None:
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe found accessibility violations on {page.url}:\n{details}"


def login(page, email: str, password: str) -> None:
    page.goto("/account/inloggen/")
    assert_accessible(page)
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
