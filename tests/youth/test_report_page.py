"""The Mission Locale's report page: the figures of `parcours youth-report` for the chosen period, to its
direction only."""

import pytest
from django.urls import reverse

from tests import factories
from tests.interchange.helpers import run
from tests.youth.dataset import aid, event, sites_make, young, youth_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(territory):
    mission_locale = factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")
    return factories.UserFactory(membership=(mission_locale, "youth_manager"))


@pytest.fixture
def imported(tmp_path, territory):
    sites_make(territory)
    code, out, err = run("import", str(youth_set(
        tmp_path / "set", young_people=[young("J-1", sex="M", first_reception_date="2024-02-01")],
        events=[event("E-1", date="2024-02-01", site="champratel"), event("E-2", date="2024-03-01")],
        aids=[aid("AI-1", amount="1234.5", decision_date="2024-02-02")])))
    assert code == 0, err


def test_the_direction_reads_the_report_of_the_period(client, manager, imported):
    client.force_login(manager)
    html = client.get(reverse("youth:report"), {"date_from": "2024-01-01", "date_to": "2024-12-31"}).content.decode()
    assert "Période du 2024-01-01 au 2024-12-31." in html
    assert "<tr><th scope=\"row\">Premier accueil</th><td class=\"number\">1</td><td class=\"number\">1</td>" in html
    assert "<tr><th scope=\"row\">Champratel</th><td class=\"number\">1</td></tr>" in html   # the site's name
    assert "<tr><th scope=\"row\">Siège</th><td class=\"number\">1</td></tr>" in html
    assert "1 234,50 €" in html
    # Another period: no interview, said so.
    html = client.get(reverse("youth:report"), {"date_from": "2023-01-01", "date_to": "2023-12-31"}).content.decode()
    assert "Aucun entretien individuel dans la période." in html
    assert "Rapport de la Mission Locale" in html   # the menu entry


def test_a_period_backwards_is_refused_with_the_field_named(client, manager):
    client.force_login(manager)
    response = client.get(reverse("youth:report"), {"date_from": "2024-12-31", "date_to": "2024-01-01"})
    assert response.status_code == 400
    assert "La fin de la période précède son début." in response.content.decode()


def test_the_plie_team_does_not_open_it(client, coordinator, director):
    for user in (coordinator, director):
        client.force_login(user)
        assert client.get(reverse("youth:report")).status_code == 403
