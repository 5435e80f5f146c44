"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

One Chromium for the package, one fresh context (cookies, storage) per test. Every document a
test loads must be audited by axe-core (see helpers.py), else the test fails at teardown.
"""

import os

import pytest

from .helpers import DESKTOP, PageAudit

# Debian's package; PARCOURS_CHROMIUM only exists to exercise the "absent" path.
CHROMIUM = os.environ.get("PARCOURS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Tests never reach the network: any host but the live server fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
MISSING_CHROMIUM = (
    f"CHROMIUM ABSENT: {CHROMIUM} not found, browser tests (journeys, axe-core accessibility) NOT RUN. "
    "Install it: sudo apt-get install chromium (CI=true turns this into a failure)."
)

# Playwright must never fetch a browser of its own.
os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"


@pytest.fixture(autouse=True)
def _db_for_all(transactional_db):
    """Overrides tests/conftest.py: the live server thread only sees committed data."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.browser_call_failed = report.failed


def pytest_terminal_summary(terminalreporter):
    """Repeats the missing-Chromium skip as a banner: a green run without browser tests is not enough."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and "CHROMIUM ABSENT" in r.longrepr[2]]
    if skipped:
        terminalreporter.write_sep("#", f"{len(skipped)} BROWSER TESTS SKIPPED: {CHROMIUM} IS MISSING",
                                   red=True, bold=True)
        terminalreporter.write_line(MISSING_CHROMIUM, red=True, bold=True)


@pytest.fixture(scope="package")
def chromium():
    """Debian's Chromium, launched once for tests/browser; skipped loudly (failed on CI) if absent."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true requires the browser tests. {MISSING_CHROMIUM}", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an event loop marked running in this thread; Django refuses ORM
    # calls then. Allowed only while Playwright runs (the ORM stays synchronous and single-threaded).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        # launch() gives Chromium a fresh empty --user-data-dir in a temp folder, removed on close.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(request, chromium, live_server):
    """A new page in a fresh context, relative URLs resolve against the live server.

    At teardown, fails if a loaded document was not audited, a script raised or a sub-resource
    answered >= 400 (only when the test itself passed, to keep its own failure readable).
    """
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("Browser tests must be marked @pytest.mark.browser (so that -m 'not browser' skips them).")
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR", viewport=DESKTOP,
                                   service_workers="block")
    context.set_default_timeout(5_000)
    context.set_default_navigation_timeout(10_000)
    page = context.new_page()
    audit = PageAudit(page)
    yield page
    context.close()
    problems = audit.problems()
    if problems and not getattr(request.node, "browser_call_failed", False):
        pytest.fail("Browser page checks at teardown:\n  " + "\n  ".join(problems), pytrace=False)
