import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from parcours.accounts.enums import ApiTokenRevocation
from parcours.accounts.models import ApiToken

from tests import factories


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(user)}")
    return client


@pytest.fixture
def own_pathway(operator, referent):
    return factories.PathwayFactory(active=True, operator=operator, referent=referent)


@pytest.fixture
def other_pathway(territory):
    other_operator = factories.OrganisationFactory(territory=territory, operator=True)
    return factories.PathwayFactory(active=True, operator=other_operator)


def test_no_token_no_data():
    response = APIClient().get("/api/v1/pathways/")
    assert response.status_code == 401


def test_a_token_sees_only_what_its_user_sees(referent, own_pathway, other_pathway):
    client = api_for(referent)
    listed = client.get("/api/v1/pathways/").json()
    assert [row["id"] for row in listed["results"]] == [own_pathway.pk]
    assert client.get(f"/api/v1/pathways/{other_pathway.pk}/").status_code == 404
    assert client.get(f"/api/v1/participants/{other_pathway.participant_id}/").status_code == 404
    assert client.get(f"/api/v1/pathways/{other_pathway.pk}/steps/").status_code == 404


def test_prescriber_sees_no_participant_file(prescriber, own_pathway):
    client = api_for(prescriber)
    assert client.get("/api/v1/participants/").status_code == 403   # no file to open: the area is closed
    assert client.get(f"/api/v1/pathways/{own_pathway.pk}/").status_code == 403


def test_team_sees_the_territory(coordinator, own_pathway, other_pathway):
    ids = {row["id"] for row in api_for(coordinator).get("/api/v1/pathways/").json()["results"]}
    assert ids == {own_pathway.pk, other_pathway.pk}


def test_the_administrator_reads_no_person(plie, own_pathway):
    """Administration manages accounts, structures and rules: no person's data, list or detail."""
    administrator = factories.UserFactory(membership=(plie, "administrator"))
    client = api_for(administrator)
    for url in ("/api/v1/participants/", f"/api/v1/participants/{own_pathway.participant_id}/",
                "/api/v1/pathways/", f"/api/v1/pathways/{own_pathway.pk}/", "/api/v1/applications/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert own_pathway.participant.last_name not in response.content.decode()


def test_referent_reads_rqth(referent, own_pathway):
    row = api_for(referent).get(f"/api/v1/participants/{own_pathway.participant_id}/").json()
    assert "rqth" in row


def test_steps_and_appointments_of_a_visible_pathway(referent, own_pathway):
    from parcours.pathways.models import Appointment, Step

    Step.objects.create(pathway=own_pathway, step_type="mobilisation", start_date=own_pathway.entry_date)
    Appointment.objects.create(pathway=own_pathway, date=own_pathway.entry_date, kind="individual", duration_minutes=45)
    client = api_for(referent)
    steps = client.get(f"/api/v1/pathways/{own_pathway.pk}/steps/").json()["results"]
    appointments = client.get(f"/api/v1/pathways/{own_pathway.pk}/appointments/").json()["results"]
    assert [s["step_type"] for s in steps] == ["mobilisation"]
    assert [a["duration_minutes"] for a in appointments] == [45]


def test_list_query_count_is_constant(coordinator, operator, django_assert_max_num_queries):
    client = api_for(coordinator)
    for _ in range(3):
        factories.PathwayFactory(active=True, operator=operator)
    with django_assert_max_num_queries(8) as first:
        client.get("/api/v1/pathways/")
    for _ in range(10):
        factories.PathwayFactory(active=True, operator=operator)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/api/v1/pathways/")


def test_openapi_schema_and_docs_are_served(client, coordinator):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    client.force_login(coordinator)
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_token_page_creates_shows_once_and_revokes(client, referent):
    client.force_login(referent)
    created = client.post(reverse("api_access:token"), {"label": "Logiciel du CCAS"})
    secret = created.context["new_secret"]
    assert secret.startswith("prc_") and secret in created.content.decode()
    token = ApiToken.objects.get(user=referent)
    assert secret not in client.get(reverse("api_access:token")).content.decode()
    assert secret not in client.get(reverse("accounts:account")).content.decode()
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_reason == ApiTokenRevocation.HOLDER
