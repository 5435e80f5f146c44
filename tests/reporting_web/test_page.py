"""The indicators page: who may see it, what it shows, how it filters and refuses bad input."""

import re
from html import unescape

import pytest

from parcours.organisations.models import Organisation
from tests import factories
from tests.reporting_web.conftest import YEAR_2024

URL = "/indicateurs/"


def row_value(html: str, label: str) -> str:
    """The value cell next to a row header of the page's tables (the first table holding it)."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>\s*<td class="number">([^<]*)</td>', html)
    assert match, f"no row « {label} »"
    return unescape(match.group(1))


def plain(text: str) -> str:
    """French typography uses no-break spaces before % and between thousands."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("role", ["coordinator", "director"])
def test_the_animation_team_sees_the_page_and_its_menu_entry(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert '<a href="/indicateurs/" aria-current="page">Indicateurs</a>' in response.content.decode()


@pytest.mark.parametrize("role", ["referent", "prescriber"])
def test_other_roles_are_refused_and_have_no_menu_entry(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}export.csv").status_code == 403
    assert 'href="/indicateurs/"' not in client.get("/").content.decode()


def test_a_visitor_is_sent_to_the_sign_in_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_figures_are_the_spec_indicators_of_the_period(client, coordinator, dataset):
    client.force_login(coordinator)
    html = client.get(URL, YEAR_2024).content.decode()
    assert row_value(html, "Participant·es en parcours sur la période") == "6"
    assert row_value(html, "Entrées en parcours") == "5"
    assert row_value(html, "Sorties") == "4"
    assert row_value(html, "Sorties positives") == "2"
    assert plain(row_value(html, "Taux de sorties positives")) == "50,0 %"
    assert row_value(html, "Durée moyenne des parcours (jours)") == "264,00"
    for heading in ["Synthèse des résultats", "2.1 Caractéristiques des entrées", "2.2 Caractéristiques des sorties",
                    "2.3 Le contenu des parcours", "Évolution année par année"]:
        assert heading in html
    # Every table has its chart, each chart names its values for screen readers.
    assert html.count('role="img"') >= 5
    assert "Femmes : 40,0 % ; Hommes : 60,0 %" in plain(html)


def test_another_period_gives_other_figures(client, coordinator, dataset):
    client.force_login(coordinator)
    html = client.get(URL, {"date_from": "2025-01-01", "date_to": "2025-12-31"}).content.decode()
    assert row_value(html, "Entrées en parcours") == "1"  # W9 enters on 2025-01-01


def test_the_operator_filter_narrows_the_figures(client, coordinator, dataset):
    maison = Organisation.objects.get(name="Maison de l'emploi")
    client.force_login(coordinator)
    html = client.get(URL, {**YEAR_2024, "operator": maison.pk}).content.decode()
    assert row_value(html, "Entrées en parcours") == "1"  # only W1
    assert row_value(html, "Participant·es en parcours sur la période") == "1"
    # The exports keep the filter.
    assert f"export.xlsx?date_from=2024-01-01&amp;date_to=2024-12-31&amp;operator={maison.pk}" in html


def test_quick_periods_keep_the_filters_and_mark_the_current_one(client, coordinator, dataset):
    client.force_login(coordinator)
    html = client.get(URL, YEAR_2024).content.decode()
    assert 'href="?date_from=2024-01-01&amp;date_to=2024-12-31"' in html or \
        "date_from=2024-01-01&amp;date_to=2024-12-31" in html
    assert re.search(r'aria-current="(true|page)"[^>]*>\s*2024|>2024</a>', html)


def test_figures_never_include_another_territory(client, coordinator, dataset, tmp_path):
    from tests.reporting.dataset import import_dataset

    import_dataset(tmp_path / "other", factories.TerritoryFactory(name="Autre PLIE"), prefix="X")
    client.force_login(coordinator)
    html = client.get(URL, YEAR_2024).content.decode()
    assert row_value(html, "Entrées en parcours") == "5"


@pytest.mark.parametrize(("params", "message"), [
    ({"date_from": "2024-12-31", "date_to": "2024-01-01"}, "La date de fin précède la date de début."),
    ({"date_from": "31/02/2024"}, "La date de début n&#x27;est pas une date valide (jj/mm/aaaa)."),
    ({"date_to": "demain"}, "La date de fin n&#x27;est pas une date valide (jj/mm/aaaa)."),
    ({"date_from": "0200-01-01"}, "La date doit être comprise entre le 01/01/1990 et le "),
    ({"operator": "abc"}, "Cette structure référente n&#x27;existe pas sur votre territoire."),
    ({"referent": "999999"}, "Ce ou cette référent·e n&#x27;existe pas sur votre territoire."),
])
def test_bad_filters_give_the_page_back_with_a_french_error_naming_the_field(client, coordinator, params, message):
    client.force_login(coordinator)
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    field = next(iter(params)) if "précède" not in message else "date_to"
    assert f'aria-describedby="id_{field}_erreurs"' in html


def test_another_territorys_operator_and_referent_are_refused(client, coordinator):
    other_territory = factories.TerritoryFactory(name="Autre PLIE")
    foreign_operator = factories.OrganisationFactory(territory=other_territory, operator=True)
    foreign_referent = factories.UserFactory(membership=(foreign_operator, "referent"))
    client.force_login(coordinator)
    assert client.get(URL, {"operator": foreign_operator.pk}).status_code == 400
    assert client.get(URL, {"referent": foreign_referent.pk}).status_code == 400


def test_the_referent_filter_lists_the_territorys_referents(client, coordinator, referent):
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    assert f'<option value="{referent.pk}">{referent.get_full_name()}</option>' in html
    assert client.get(URL, {"referent": referent.pk}).status_code == 200
