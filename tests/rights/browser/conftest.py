"""The browser harness of tests/browser (Chromium, axe-core on every page), reused for the rights journey."""

from tests.browser.conftest import _db_for_all, chromium, page, pytest_runtest_makereport  # noqa: F401
