"""Four eyes on a role opening personal data: one administrator asks, a second one confirms from the
administration home and the account page. Every page audited by axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from parcours.organisations.models import Membership
from tests import factories

from .helpers import follow, login, visit

pytestmark = pytest.mark.browser


def test_a_director_role_is_asked_by_one_administrator_and_confirmed_by_another(page, plie, administrator):
    second = factories.UserFactory(membership=(plie, "administrator"))
    newcomer = factories.UserFactory(first_name="Awa", last_name="Diallo")
    login(page, administrator)
    visit(page, reverse("administration:user_edit", args=[newcomer.pk]), context="le compte, avant la demande")
    page.get_by_label("Structure").select_option(str(plie.pk))
    page.get_by_label("Rôle").select_option("director")
    follow(page, page.get_by_role("button", name="Ajouter"), context="la demande enregistrée")
    expect(page.get_by_role("status")).to_contain_text("un·e autre administrateur·rice doit la confirmer")
    expect(page.get_by_role("button", name="confirmer")).to_have_count(0)
    expect(page.get_by_role("button", name="annuler ma demande")).to_be_visible()

    page.context.clear_cookies()
    login(page, second)
    visit(page, reverse("administration:overview"), context="l'accueil de l'administration, une demande en attente")
    follow(page, page.get_by_role("link", name="Awa Diallo"), context="le compte, la demande à confirmer")
    follow(page, page.get_by_role("button", name="confirmer"), context="la demande confirmée")
    expect(page.get_by_role("status")).to_contain_text("le rôle est attribué")
    assert Membership.objects.filter(user=newcomer, organisation=plie, role="director", is_active=True).exists()
