"""Login, home and the page shell, in Chromium, audited by axe-core on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import DEFAULT_PASSWORD, NARROWEST, PHONE, follow, login, visit

pytestmark = pytest.mark.browser


def test_login_page_then_home_as_coordinator(page, coordinator):
    login(page, coordinator)
    assert page.url.endswith(reverse("web:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {coordinator.first_name}")
    expect(page).to_have_title("Accueil — Parcours")
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Accueil", exact=True)) \
        .to_have_attribute("aria-current", "page")


def test_wrong_password_error_is_announced_and_linked_to_the_fields(page, coordinator):
    visit(page, reverse("web:login"), context="connexion")
    page.get_by_label("Courriel", exact=True).fill(coordinator.email)
    page.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD + "-faux")
    follow(page, page.get_by_role("button", name="Se connecter"), context="connexion, mot de passe faux")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Saisissez un courriel et un mot de passe valides")
    for label in ("Courriel", "Mot de passe"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile("^Saisissez un courriel et un mot de passe valides"))
    expect(page.get_by_label("Courriel", exact=True)).to_have_value(coordinator.email)
    expect(page.get_by_label("Courriel", exact=True)).to_be_focused()


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST], ids=["375px", "320px"])
def test_home_on_a_phone_is_accessible_and_does_not_scroll_sideways(page, coordinator, viewport):
    page.set_viewport_size(viewport)
    login(page, coordinator)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_in_viewport()


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(page, coordinator):
    login(page, coordinator)
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop comes after the skipped header
    assert page.evaluate("document.activeElement.closest('header')") is None


def test_switching_actor_in_one_context_signs_in_the_next_user(page, coordinator, referent):
    login(page, coordinator)
    page.context.clear_cookies()
    login(page, referent)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {referent.first_name}")
