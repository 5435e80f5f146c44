"""A coordinator who also follows a few people as a referent chooses, in the header, whom they work for: the menu,
the lists and the files follow. Every page audited by axe-core, on a desktop and on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from parcours.organisations.enums import Role
from tests import factories

from .helpers import NARROWEST, follow, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, NARROWEST], ids=["desktop", "320px"])
def test_a_coordinator_switches_to_their_referent_membership_and_back(page, territory, coordinator, operator,
                                                                        viewport):
    if viewport:
        page.set_viewport_size(viewport)
    second = coordinator.memberships.create(organisation=operator, role=Role.REFERENT)
    mine = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=coordinator,
                                    active=True)
    login(page, coordinator)
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Affectation")).to_be_visible()
    switcher = page.get_by_label("Je travaille pour")
    expect(switcher).to_have_value(str(coordinator.memberships.order_by("pk").first().pk))
    if viewport:
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    switcher.select_option(str(second.pk))
    follow(page, page.get_by_role("button", name="Changer"), context="changement de structure")
    expect(page.get_by_role("status")).to_contain_text(f"Vous travaillez maintenant pour {operator.name}")
    expect(menu.get_by_role("link", name="Affectation")).to_have_count(0)
    expect(menu.get_by_role("link", name="Bilans à réaliser")).to_be_visible()
    expect(page.get_by_label("Je travaille pour")).to_have_value(str(second.pk))
    follow(page, menu.get_by_role("link", name="Participants"), context="la liste du / de la référent·e")
    expect(page.locator("main table")).to_contain_text(mine.participant.last_name)

    page.get_by_label("Je travaille pour").select_option(str(coordinator.memberships.order_by("pk").first().pk))
    follow(page, page.get_by_role("button", name="Changer"), context="retour à la coordination")
    expect(menu.get_by_role("link", name="Affectation")).to_be_visible()
    assert page.url.endswith(reverse("web:home"))
