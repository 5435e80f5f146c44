"""POST/GET /api/v1/applications/: the web form's service, the interface's scoping, errors naming the field."""

import datetime

import pytest
from rest_framework.test import APIClient

from parcours.audit.models import AccessLog, AuditEvent
from parcours.core import plausibility
from parcours.plie.intake import selectors
from parcours.plie.intake.models import Application
from parcours.participants.enums import DocumentKind
from parcours.participants.models import Participant
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway, PathwayTransition
from tests import factories

from .helpers import api_for, application_body, scan, today

URL = "/api/v1/applications/"


def post(user, **changes):
    return api_for(user).post(URL, application_body(**changes), format="multipart")


def nothing_written():
    return not Pathway.objects.exists() and not Participant.objects.exists() and not AuditEvent.objects.exists()


# --- creation -----------------------------------------------------------------------------------------------------

def test_prescriber_submits_through_the_service(prescriber, prescriber_org):
    response = post(prescriber)
    assert response.status_code == 201, response.json()
    body = response.json()
    pathway = Pathway.objects.get()
    assert body["id"] == pathway.pk
    assert response["Location"] == f"/api/v1/applications/{pathway.pk}/"
    assert body["status"] == "submitted"
    assert body["prescriber_organisation"] == {"id": prescriber_org.pk, "name": prescriber_org.name}
    assert (body["last_name"], body["first_name"]) == ("Lefèvre", "Amélie")
    assert body["file"] is None          # a prescriber learns the outcome, not the file
    application = pathway.application
    assert application.prescribed_by == prescriber
    assert application.situations == ["rsa"]
    assert application.barriers_seen == ["mobility", "housing"]
    assert application.eligibility["eligible"] is True
    assert application.eligibility["reference_date"] == today().isoformat()
    participant = pathway.participant
    assert (participant.commune.insee, participant.situation("rsa"), participant.situation("deld")) == ("63113", True, True)
    document = application.signed_scan
    assert (document.kind, document.content_type, document.uploaded_by) == (
        DocumentKind.SIGNED_APPLICATION, "application/pdf", prescriber)


def test_created_application_is_where_the_interface_looks(prescriber, prescriber_org, coordinator):
    pk = post(prescriber).json()["id"]
    assert [p.pk for p in selectors.applications_sent(prescriber)] == [pk]
    assert [p.pk for p in selectors.applications_awaiting_assignment(coordinator)] == [pk]


def test_submission_is_audited_and_logged(prescriber, prescriber_org):
    pk = post(prescriber).json()["id"]
    pathway = Pathway.objects.get(pk=pk)
    actions = sorted(AuditEvent.objects.filter(participant_id=pathway.participant_id, actor=prescriber)
                     .values_list("action", flat=True))
    assert actions == ["application_submit", "document_create", "participant_create", "pathway_create"]
    transition = PathwayTransition.objects.get(pathway=pathway)
    assert (transition.transition, transition.to_state, transition.by) == ("submit", "submitted", prescriber)


def test_duplicate_is_flagged_for_the_team(prescriber, prescriber_org, coordinator):
    known = factories.ParticipantFactory(territory=prescriber_org.territory, last_name="LEFEVRE",
                                         first_name="amelie", birth_date="1985-03-12")
    pk = post(prescriber).json()["id"]
    assert list(Application.objects.get(pathway_id=pk).possible_duplicate_of.all()) == [known]
    seen = api_for(coordinator).get(f"{URL}{pk}/").json()
    assert seen["file"]["possible_duplicates"] == [known.pk]


def test_ineligible_application_is_accepted_and_recorded(prescriber, prescriber_org):
    response = post(prescriber, situations=None)
    assert response.status_code == 201, response.json()
    assert Application.objects.get().eligibility["eligible"] is False


def test_the_team_may_send_for_a_prescribing_structure(coordinator, prescriber_org):
    response = post(coordinator, prescriber_organisation=prescriber_org.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["file"]["prescribed_by"] == coordinator.email
    assert body["file"]["possible_duplicates"] == []


def test_the_team_must_name_the_structure_when_it_has_several(coordinator, prescriber_org, plie):
    response = post(coordinator)
    assert response.status_code == 400
    assert list(response.json()) == ["prescriber_organisation"]
    assert "plusieurs structures" in response.json()["prescriber_organisation"][0]


def test_reentry_of_a_known_person_by_the_team(coordinator, prescriber_org, operator):
    earlier = factories.PathwayFactory(participant__territory=prescriber_org.territory, status=PathwayStatus.REFUSED,
                                       operator=operator)
    response = post(coordinator, prescriber_organisation=prescriber_org.pk, participant=earlier.participant_id)
    assert response.status_code == 201, response.json()
    assert Pathway.objects.get(pk=response.json()["id"]).participant_id == earlier.participant_id
    assert Participant.objects.count() == 1


def test_a_prescriber_cannot_start_from_a_known_person(prescriber, prescriber_org):
    earlier = factories.PathwayFactory(participant__territory=prescriber_org.territory, status=PathwayStatus.REFUSED)
    response = post(prescriber, participant=earlier.participant_id)
    assert response.status_code == 400
    assert response.json() == {"participant": ["Seule l'équipe du PLIE présente à nouveau une personne déjà connue."]}
    assert Pathway.objects.count() == 1


# --- refusals: 400 naming the field, nothing written ---------------------------------------------------------------

@pytest.mark.parametrize("field", ["last_name", "first_name", "sex", "birth_date", "motivation",
                                   "participant_signed_on", "prescriber_signed_on"])
def test_a_missing_required_field_is_named(prescriber, prescriber_org, field):
    response = post(prescriber, **{field: None})
    assert response.status_code == 400
    assert response.json() == {field: ["Ce champ est obligatoire."]}
    assert nothing_written()


def test_the_signed_scan_is_required_as_in_the_web_form(prescriber, prescriber_org):
    body = application_body()
    del body["signed_scan"]
    response = api_for(prescriber).post(URL, body, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"signed_scan": [
        "Joignez le dossier signé par la personne et le prescripteur (PDF, JPEG ou PNG)."]}
    assert nothing_written()


def test_a_scan_that_is_not_a_pdf_jpeg_or_png_is_refused(prescriber, prescriber_org):
    response = post(prescriber, signed_scan=scan(b"MZ\x90\x00 executable", "dossier.pdf"))
    assert response.status_code == 400
    assert response.json() == {"signed_scan": ["Le fichier doit être un PDF, un JPEG ou un PNG."]}
    assert nothing_written()


SOON = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"commune": "75056"}, "commune", "Aucune commune du territoire n'a le code INSEE « 75056 »."),
    ({"qpv": "inconnu"}, "qpv", "Aucun quartier prioritaire du territoire n'a le code « inconnu »."),
    ({"commune": "63124", "qpv": "croix-de-neyrat"}, "qpv",
     "Ce quartier prioritaire n'est pas situé dans la commune indiquée."),
    ({"postal_code": "6300"}, "postal_code", "Le code postal compte 5 chiffres."),
    # A birth date in the future is implausible (core/plausibility.py); a signature in three days is plausible,
    # and refused by the service's own rule.
    ({"birth_date": "2999-01-01"}, "birth_date", plausibility.birth_date_problem(datetime.date(2999, 1, 1))),
    ({"participant_signed_on": SOON}, "participant_signed_on", "La date ne peut pas être dans le futur."),
    ({"motivation": "   "}, "motivation", "Ce champ ne peut être vide."),
    # DRF's own French messages (with their non-breaking spaces).
    ({"situations": ["astronaut"]}, "situations", "«\xa0astronaut\xa0» n'est pas un choix valide."),
    ({"sex": "X"}, "sex", "«\xa0X\xa0» n'est pas un choix valide."),
    ({"birth_date": "12/03/1985"}, "birth_date",
     "La date n'a pas le bon format. Utilisez un des formats suivants\xa0: YYYY-MM-DD."),
])
def test_bad_values_are_refused_naming_the_field(prescriber, prescriber_org, changes, field, message):
    response = post(prescriber, **changes)
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert nothing_written()


def test_another_structure_cannot_be_used(prescriber, territory):
    other = factories.OrganisationFactory(territory=territory, prescriber=True)
    response = post(prescriber, prescriber_organisation=other.pk)
    assert response.status_code == 400
    assert response.json() == {"prescriber_organisation": [
        "Vous ne pouvez pas adresser de candidature au nom de cette structure."]}
    assert nothing_written()


def test_json_is_not_accepted_the_scan_being_a_file(prescriber, prescriber_org):
    body = application_body()
    del body["signed_scan"]
    response = api_for(prescriber).post(URL, body, format="json")
    assert response.status_code == 415
    assert nothing_written()


@pytest.mark.parametrize("role", ["referent", "dpo"])
def test_other_roles_may_not_submit(territory, operator, plie, role):
    user = factories.UserFactory(membership=(operator if role == "referent" else plie, role))
    response = post(user)
    assert response.status_code == 403
    assert response.json() == {"detail": "Votre rôle ne donne pas accès à cette opération de l'API."}
    assert nothing_written()


def test_without_a_token_nothing_is_written(prescriber_org):
    response = APIClient().post(URL, application_body(), format="multipart")
    assert response.status_code == 401
    assert nothing_written()


# --- reading: the interface's scoping -----------------------------------------------------------------------------

@pytest.fixture
def world(territory, prescriber_org, operator, referent):
    """An application of the prescriber's structure assigned to the referent's structure; one of another
    prescriber, at another operator; one of another territory."""
    own = factories.ApplicationFactory(prescriber_organisation=prescriber_org,
                                       pathway__participant__territory=territory,
                                       pathway__status=PathwayStatus.ASSIGNED, pathway__operator=operator,
                                       pathway__referent=referent, pathway__assigned_at=today())
    other = factories.ApplicationFactory(pathway__participant__territory=territory,
                                         pathway__operator=factories.OrganisationFactory(territory=territory,
                                                                                         operator=True))
    elsewhere = factories.ApplicationFactory(
        pathway__participant__territory=factories.TerritoryFactory(name="Ailleurs"))
    return own.pathway, other.pathway, elsewhere.pathway


def ids(user) -> list[int]:
    response = api_for(user).get(URL)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_a_prescriber_sees_only_what_their_structure_sent_with_its_outcome(prescriber, world):
    own, other, elsewhere = world
    assert ids(prescriber) == [own.pk]
    row = api_for(prescriber).get(f"{URL}{own.pk}/").json()
    assert row["status"] == "assigned"
    assert row["file"] is None
    for hidden in (other, elsewhere):
        assert api_for(prescriber).get(f"{URL}{hidden.pk}/").status_code == 404


def test_a_referent_sees_their_structure_s_applications_with_the_file(referent, world):
    own, other, elsewhere = world
    assert ids(referent) == [own.pk]
    row = api_for(referent).get(f"{URL}{own.pk}/").json()
    assert row["file"]["participant"] == own.participant_id
    assert row["file"]["motivation"] == "Reprendre un emploi avec un accompagnement renforcé."
    assert row["file"]["referent"] == own.referent.email
    assert row["file"]["possible_duplicates"] is None      # the team's concern, as in the interface
    assert api_for(referent).get(f"{URL}{other.pk}/").status_code == 404


def test_the_team_sees_its_territory(coordinator, world):
    own, other, elsewhere = world
    assert ids(coordinator) == [own.pk, other.pk]
    their_plie = factories.OrganisationFactory(territory=elsewhere.participant.territory, plie=True)
    assert ids(factories.UserFactory(membership=(their_plie, "coordinator"))) == [elsewhere.pk]


def test_other_roles_get_403_on_list_and_detail(plie, world):
    dpo = factories.UserFactory(membership=(plie, "dpo"))
    client = api_for(dpo)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{world[0].pk}/").status_code == 403
    assert client.get(f"{URL}999999/").status_code == 403    # the same for a missing id: nothing revealed


def test_opening_an_application_is_in_the_access_log(prescriber, referent, world):
    own = world[0]
    api_for(referent).get(f"{URL}{own.pk}/")
    api_for(prescriber).get(f"{URL}{own.pk}/")
    rows = list(AccessLog.objects.order_by("pk").values_list("user_id", "participant_id", "screen"))
    assert rows == [(referent.pk, own.participant_id, "api_application"),
                    (prescriber.pk, own.participant_id, "api_application_status")]


@pytest.mark.parametrize("who", ["prescriber", "coordinator", "referent"])
def test_list_query_count_does_not_grow(request, who, territory, prescriber_org, operator, referent,
                                        django_assert_num_queries):
    user = request.getfixturevalue(who)
    client = api_for(user)

    def add(n):
        for _ in range(n):
            application = factories.ApplicationFactory(prescriber_organisation=prescriber_org,
                                                       pathway__participant__territory=territory,
                                                       pathway__operator=operator, pathway__referent=referent)
            application.possible_duplicate_of.add(factories.ParticipantFactory(territory=territory))

    add(1)
    # +1: the access-log rows of the people on the page, one insert whatever their number.
    expected = {"prescriber": 5, "coordinator": 6, "referent": 5}[who]
    with django_assert_num_queries(expected):
        assert len(client.get(URL).json()["results"]) == 1
    add(9)
    with django_assert_num_queries(expected):
        assert len(client.get(URL).json()["results"]) == 10


def test_opening_a_participant_or_a_pathway_is_in_the_access_log(referent, world):
    own = world[0]
    client = api_for(referent)
    assert client.get(f"/api/v1/participants/{own.participant_id}/").status_code == 200
    assert client.get(f"/api/v1/pathways/{own.pk}/").status_code == 200
    assert client.get("/api/v1/participants/").status_code == 200  # a list shows each person on its page
    assert client.get("/api/v1/pathways/").status_code == 200
    assert client.get(URL).status_code == 200
    rows = list(AccessLog.objects.order_by("pk").values_list("user_id", "participant_id", "screen"))
    assert rows == [(referent.pk, own.participant_id, "api_participant"),
                    (referent.pk, own.participant_id, "api_pathway"),
                    (referent.pk, own.participant_id, "api_participant_list"),
                    (referent.pk, own.participant_id, "api_pathway_list"),
                    (referent.pk, own.participant_id, "api_application_list")]
