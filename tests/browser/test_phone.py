"""Outreach work happens on a phone: every page of each role's menu, and a participant's file, read at
375 and 320 px wide on the demo PLIE — accessible (axe) and without sideways scrolling of the page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from parcours.organisations.models import User
from parcours.demo.accounts import DEMO_PASSWORD

from .helpers import NARROWEST, PHONE, login, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def demo():
    call_command("load_territory", stdout=StringIO())
    # A seed whose demo gives the INFA referent open files: the test opens one of them.
    call_command("demo_data", "--people", "60", "--seed", "1", stdout=StringIO())


def menu_paths(page) -> list[str]:
    links = page.get_by_role("navigation", name="Menu principal").get_by_role("link")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def assert_fits(page, width: int, what: str) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{what}: the page scrolls sideways ({scroll_width}px for {width}px)"


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["375px", "320px"])
@pytest.mark.parametrize("email", ["referente.infa@demo.parcours.fr", "coordination@demo.parcours.fr",
                                   "prescriptrice.ccas@demo.parcours.fr", "admin@demo.parcours.fr"])
def test_every_menu_page_reads_on_a_phone(page, demo, email, viewport):
    page.set_viewport_size(viewport)
    login(page, User.objects.get(email=email), password=DEMO_PASSWORD)
    paths = menu_paths(page)
    assert paths, "the menu is reachable on a phone"
    if "prescriptrice" in email:
        paths.append(reverse("intake:application_create"))  # filled in with the person, often away from a desk
    for path in paths:
        visit(page, path, context=f"{email} {path} à {viewport['width']}px")
        assert_fits(page, viewport["width"], path)
        if path == "/parcours/":
            file_link = page.locator("main table a[href^='/parcours/']").first
            expect(file_link).to_be_visible()
            file_path = file_link.get_attribute("href")
            visit(page, file_path, context=f"dossier à {viewport['width']}px")
            assert_fits(page, viewport["width"], "dossier")
