"""GET /api/v1/indicators/: exactly the JSON of `parcours indicators --format json`, for the PLIE team only."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from parcours.core import plausibility
from parcours.plie.enums import PathwayStatus
from tests import factories

from .helpers import api_for, today

URL = "/api/v1/indicators/"


@pytest.fixture
def figures(territory, operator):
    """Entries, exits of several kinds and steps on the territory; the same again on another territory."""
    def seed(where):
        for reason in ("sustainable_employment", "moved", "abandonment"):
            factories.PathwayFactory(active=True, operator=operator if where == territory else None,
                                     participant__territory=where, status=PathwayStatus.EXITED,
                                     exit_date=today() - datetime.timedelta(days=5), exit_reason=reason)
        ongoing = factories.PathwayFactory(active=True, participant__territory=where,
                                           participant__sex="M", participant__education_level="V")
        factories.StepFactory(pathway=ongoing, step_type="training_qualifying")
        factories.StepFactory(pathway=ongoing, step_type="iae_aci", contract_type="cdd",
                              end_date=today() + datetime.timedelta(days=30))

    seed(territory)
    elsewhere = factories.TerritoryFactory(name="Ailleurs")
    seed(elsewhere)
    factories.PathwayFactory(active=True, participant__territory=elsewhere)
    return elsewhere


def period() -> dict:
    return {"from": (today() - datetime.timedelta(days=365)).isoformat(), "to": today().isoformat()}


def command_json(territory, **dates) -> dict:
    out = io.StringIO()
    call_command("indicators", "--from", dates["from"], "--to", dates["to"], "--format", "json",
                 "--territory", territory.name, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("role", ["coordinator", "director", "administrator"])
def test_the_team_gets_exactly_the_command_s_json(request, role, territory, figures):
    response = api_for(request.getfixturevalue(role)).get(URL, period())
    assert response.status_code == 200
    expected = command_json(territory, **period())
    assert response.json() == expected
    assert expected["entries"] == 4 and expected["exits"]["total"] == 3   # the world counted something
    assert expected["steps"]["started"] == 2


def test_another_territory_s_team_sees_its_own_figures(figures):
    their_plie = factories.OrganisationFactory(territory=figures, plie=True)
    coordinator = factories.UserFactory(membership=(their_plie, "coordinator"))
    body = api_for(coordinator).get(URL, period()).json()
    assert body == command_json(figures, **period())
    assert body["entries"] == 5


@pytest.mark.parametrize("role", ["referent", "prescriber"])
def test_other_roles_get_403(request, role, figures):
    response = api_for(request.getfixturevalue(role)).get(URL, period())
    assert response.status_code == 403
    assert response.json() == {"detail": "Les indicateurs sont réservés à l'équipe d'animation du PLIE."}


def test_without_a_token_401():
    assert APIClient().get(URL, period()).status_code == 401


@pytest.mark.parametrize(("query", "expected"), [
    ({"to": "2025-12-31"}, {"from": ["Ce champ est obligatoire."]}),
    ({"from": "2025-01-01"}, {"to": ["Ce champ est obligatoire."]}),
    ({}, {"from": ["Ce champ est obligatoire."], "to": ["Ce champ est obligatoire."]}),
    ({"from": "2025-13-01", "to": "2025-12-31"},
     {"from": ["La date n'a pas le bon format. Utilisez un des formats suivants\xa0: YYYY-MM-DD."]}),
    ({"from": "2025-01-01", "to": "demain"},
     {"to": ["La date n'a pas le bon format. Utilisez un des formats suivants\xa0: YYYY-MM-DD."]}),
    ({"from": "2025-06-01", "to": "2025-01-01"}, {"to": ["La date de fin précède la date de début."]}),
    ({"from": "1789-07-14", "to": "2025-01-01"},
     {"from": [plausibility.event_date_problem(datetime.date(1789, 7, 14))]}),
])
def test_bad_periods_are_a_400_naming_the_parameter(coordinator, query, expected):
    response = api_for(coordinator).get(URL, query)
    assert response.status_code == 400
    assert response.json() == expected


def test_query_count_does_not_depend_on_the_volume(coordinator, territory, operator, django_assert_num_queries):
    client = api_for(coordinator)
    factories.PathwayFactory(active=True, operator=operator)
    with django_assert_num_queries(4):
        assert client.get(URL, period()).json()["entries"] == 1
    for _ in range(9):
        factories.StepFactory(pathway=factories.PathwayFactory(active=True, operator=operator))
    with django_assert_num_queries(4):
        assert client.get(URL, period()).json()["entries"] == 10
