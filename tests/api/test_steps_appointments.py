"""POST/PATCH of steps and POST of appointments: the pathways services, the role gate, scoping, optimistic locking."""

import datetime

import pytest

from parcours.audit.models import AuditEvent
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Appointment, Pathway, Step
from parcours.plie.models import EmploymentFollowUp
from parcours.pathways.selectors import pathway_timeline
from parcours.plie.selectors import pathway_open_followup
from parcours.plie.selectors import pathway_file_queryset
from tests import factories

from .helpers import api_for, today


@pytest.fixture
def pathway(operator, referent):
    return factories.PathwayFactory(active=True, operator=operator, referent=referent)


@pytest.fixture
def foreign_pathway(other_operator):
    return factories.PathwayFactory(active=True, operator=other_operator)


def steps_url(pathway) -> str:
    return f"/api/v1/pathways/{pathway.pk}/steps/"


def appointments_url(pathway) -> str:
    return f"/api/v1/pathways/{pathway.pk}/appointments/"


def a_step(**changes) -> dict:
    body = {"step_type": "training_qualifying", "start_date": today().isoformat(),
            "end_date": (today() + datetime.timedelta(days=90)).isoformat(), "operator_name": "AFPA Clermont",
            "hours": "120.00"}
    body.update(changes)
    return body


def an_appointment(**changes) -> dict:
    body = {"date": today().isoformat(), "kind": "individual", "mode": "phone", "duration_minutes": 45,
            "place": "", "summary": "Point sur la formation."}
    body.update(changes)
    return body


# --- steps: creation ----------------------------------------------------------------------------------------------

def test_referent_records_a_step(referent, pathway):
    response = api_for(referent).post(steps_url(pathway), a_step(), format="json")
    assert response.status_code == 201, response.json()
    step = Step.objects.get()
    body = response.json()
    assert body["id"] == step.pk
    assert response["Location"] == f"{steps_url(pathway)}{step.pk}/"
    assert (body["step_type"], body["operator_name"], body["hours"], body["version"], body["followup"]) == (
        "training_qualifying", "AFPA Clermont", "120.00", 1, None)
    audit = AuditEvent.objects.get(action="step.create")
    assert (audit.actor, audit.participant_id, audit.object_id) == (referent, pathway.participant_id, str(step.pk))
    # The interface shows it: the file's timeline, read through its own selector.
    shown = pathway_file_queryset(referent).get(pk=pathway.pk)
    assert [e.kind for e in pathway_timeline(shown, sensitive=True)].count("step") == 1


def test_a_lasting_job_opens_the_followup_through_the_service(referent, pathway):
    response = api_for(referent).post(steps_url(pathway), a_step(
        step_type="unsubsidised_employment", contract_type="cdi", end_date=None, employer_siret="732 829 320 00074"),
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["employer_siret"] == "73282932000074"   # typed with spaces, kept as its 14 digits
    followup = EmploymentFollowUp.objects.get()
    assert response.json()["followup"] == {"status": "open", "started_on": today().isoformat(),
                                           "due_on": followup.due_on.isoformat()}
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.FOLLOWUP
    assert pathway_open_followup(pathway_file_queryset(referent).get(pk=pathway.pk)) == followup
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "step.create", "followup.open", "pathway.start_followup"}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"start_date": "2000-01-01"}, "start_date",
     "Début : l'étape ne peut pas commencer avant l'entrée dans le parcours"),
    ({"step_type": "iae_aci"}, "contract_type", "Type de contrat : obligatoire pour une étape d'emploi."),
    ({"employer_siret": "1234"}, "employer_siret", "SIRET de l'employeur : 14 chiffres attendus (les espaces sont acceptés)."),
    ({"employer_siret": "12345678901234"}, "employer_siret",
     "SIRET de l'employeur : la clé de contrôle ne correspond pas : vérifiez les 14 chiffres."),
    ({"step_type": "skydiving"}, "step_type", "«\xa0skydiving\xa0» n'est pas un choix valide."),
    ({"start_date": None}, "start_date", "Ce champ ne peut être nul."),
    ({"hours": "-3"}, "hours", "Assurez-vous que cette valeur est supérieure ou égale à\xa00."),
])
def test_step_refusals_name_the_field(referent, pathway, changes, field, message):
    response = api_for(referent).post(steps_url(pathway), a_step(**changes), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0].startswith(message)
    assert not Step.objects.exists() and not AuditEvent.objects.exists()


def test_a_step_before_entry_in_pathway_is_refused_by_state(referent, operator):
    submitted = factories.PathwayFactory(operator=operator, referent=referent)
    response = api_for(referent).post(steps_url(submitted), a_step(), format="json")
    assert response.status_code == 400
    assert "ne s'enregistre que pendant le parcours" in response.json()["non_field_errors"][0]
    assert not Step.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "director"])
def test_the_team_writes_as_in_the_interface(request, role, pathway):
    response = api_for(request.getfixturevalue(role)).post(steps_url(pathway), a_step(), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("role", ["administrator", "prescriber"])
def test_other_roles_get_403_before_any_lookup(request, role, pathway):
    client = api_for(request.getfixturevalue(role))
    for url in (steps_url(pathway), "/api/v1/pathways/999999/steps/"):
        response = client.post(url, a_step(), format="json")
        assert response.status_code == 403
        assert response.json() == {"detail": "Votre rôle ne permet pas de modifier un dossier de parcours."}
    assert client.post(appointments_url(pathway), an_appointment(), format="json").status_code == 403
    assert not Step.objects.exists() and not Appointment.objects.exists()


def test_another_structure_s_pathway_is_not_found(referent, foreign_pathway, foreign_coordinator):
    for user in (referent, foreign_coordinator):
        client = api_for(user)
        assert client.post(steps_url(foreign_pathway), a_step(), format="json").status_code == 404
        assert client.post(appointments_url(foreign_pathway), an_appointment(), format="json").status_code == 404
    assert not Step.objects.exists() and not Appointment.objects.exists()


# --- steps: update with optimistic locking ------------------------------------------------------------------------

@pytest.fixture
def step(pathway):
    return factories.StepFactory(pathway=pathway, step_type="mobilisation")


def test_patch_updates_and_bumps_the_version(referent, pathway, step):
    response = api_for(referent).patch(f"{steps_url(pathway)}{step.pk}/",
                                       {"version": 1, "comment": "Assiduité excellente."}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["comment"], response.json()["version"]) == ("Assiduité excellente.", 2)
    step.refresh_from_db()
    assert (step.comment, step.version, step.step_type) == ("Assiduité excellente.", 2, "mobilisation")
    audit = AuditEvent.objects.get(action="step.update")
    assert audit.changes == {"comment": ["", "Assiduité excellente."]}


def test_a_stale_patch_is_a_409_and_writes_nothing(referent, coordinator, pathway, step):
    url = f"{steps_url(pathway)}{step.pk}/"
    assert api_for(coordinator).patch(url, {"version": 1, "comment": "Premier."}, format="json").status_code == 200
    response = api_for(referent).patch(url, {"version": 1, "comment": "Second."}, format="json")
    assert response.status_code == 409
    assert response.json() == {"version": [
        "Cette fiche a été modifiée par quelqu'un d'autre depuis votre lecture (version 1) : relisez-la, puis "
        "renvoyez vos modifications avec sa version actuelle."]}
    step.refresh_from_db()
    assert (step.comment, step.version) == ("Premier.", 2)
    assert AuditEvent.objects.filter(action="step.update").count() == 1


def test_patch_without_version_names_it(referent, pathway, step):
    response = api_for(referent).patch(f"{steps_url(pathway)}{step.pk}/", {"comment": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["Ce champ est obligatoire."]}


def test_the_job_that_opened_the_followup_keeps_its_type(referent, pathway):
    created = api_for(referent).post(steps_url(pathway), a_step(
        step_type="unsubsidised_employment", contract_type="cdi", end_date=None), format="json").json()
    response = api_for(referent).patch(f"{steps_url(pathway)}{created['id']}/",
                                       {"version": created["version"], "step_type": "mobilisation"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"step_type": [
        "Type d'étape : cet emploi a ouvert le suivi dans l'emploi, il ne peut plus changer."]}


def test_a_step_is_reached_only_through_its_own_pathway(referent, pathway, operator):
    other_of_mine = factories.PathwayFactory(active=True, operator=operator)
    step = factories.StepFactory(pathway=other_of_mine)
    response = api_for(referent).patch(f"{steps_url(pathway)}{step.pk}/", {"version": 1, "comment": "x"},
                                       format="json")
    assert response.status_code == 404
    assert api_for(referent).patch(f"{steps_url(other_of_mine)}{step.pk}/", {"version": 1, "comment": "x"},
                                   format="json").status_code == 200


def test_another_structure_s_step_is_not_found(referent, foreign_pathway):
    step = factories.StepFactory(pathway=foreign_pathway)
    response = api_for(referent).patch(f"{steps_url(foreign_pathway)}{step.pk}/", {"version": 1, "comment": "x"},
                                       format="json")
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.comment == ""


def test_put_and_delete_are_not_offered(referent, pathway, step):
    client = api_for(referent)
    assert client.put(f"{steps_url(pathway)}{step.pk}/", a_step(), format="json").status_code == 405
    assert client.delete(f"{steps_url(pathway)}{step.pk}/").status_code == 405
    appointment = factories.AppointmentFactory(pathway=pathway)
    assert client.patch(f"{appointments_url(pathway)}{appointment.pk}/", {"place": "x"},
                        format="json").status_code == 405


# --- appointments -------------------------------------------------------------------------------------------------

def test_referent_records_an_appointment(referent, pathway):
    response = api_for(referent).post(appointments_url(pathway), an_appointment(), format="json")
    assert response.status_code == 201, response.json()
    appointment = Appointment.objects.get()
    assert response.json()["id"] == appointment.pk
    assert (appointment.referent, appointment.duration_minutes, appointment.mode) == (referent, 45, "phone")
    pathway.refresh_from_db()
    assert pathway.last_contact_date == today()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"appointment.create", "pathway.last_contact"}
    shown = pathway_file_queryset(referent).get(pk=pathway.pk)
    assert [e.kind for e in pathway_timeline(shown, sensitive=True)].count("appointment") == 1


SOON = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()   # plausible, but not yet held


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"date": SOON}, "date", "Date : un rendez-vous s'enregistre une fois tenu, pas dans le futur."),
    ({"date": "2999-01-01"}, "date", "La date doit être comprise entre le 01/01/1990"),
    ({"date": "2000-01-01"}, "date", "Date : le rendez-vous ne peut pas précéder l'entrée dans le parcours"),
    ({"duration_minutes": 0}, "duration_minutes", "Assurez-vous que cette valeur est supérieure ou égale à\xa01."),
    ({"duration_minutes": 601}, "duration_minutes", "Assurez-vous que cette valeur est inférieure ou égale à 600."),
    ({"mode": ""}, "mode", "Modalité : ce champ est obligatoire."),
    ({"kind": "telepathy"}, "kind", "«\xa0telepathy\xa0» n'est pas un choix valide."),
])
def test_appointment_refusals_name_the_field(referent, pathway, changes, field, message):
    response = api_for(referent).post(appointments_url(pathway), an_appointment(**changes), format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0].startswith(message)
    assert not Appointment.objects.exists() and not AuditEvent.objects.exists()


def test_an_exited_pathway_takes_no_appointment(referent, operator):
    exited = factories.PathwayFactory(active=True, operator=operator, status=PathwayStatus.EXITED,
                                      exit_date=today(), exit_reason="moved")
    response = api_for(referent).post(appointments_url(exited), an_appointment(), format="json")
    assert response.status_code == 400
    assert "ne s'enregistre que pendant le parcours" in response.json()["non_field_errors"][0]
    assert Pathway.objects.get(pk=exited.pk).last_contact_date is None


# --- lists --------------------------------------------------------------------------------------------------------

def test_step_and_appointment_lists_have_a_constant_query_count(referent, pathway, django_assert_num_queries):
    # session/token, user, memberships, pathway, rows, count, one access-log row (the person's file is opened)
    client = api_for(referent)
    factories.StepFactory(pathway=pathway)
    factories.AppointmentFactory(pathway=pathway)
    with django_assert_num_queries(6):
        assert len(client.get(steps_url(pathway)).json()["results"]) == 1
    with django_assert_num_queries(6):
        assert len(client.get(appointments_url(pathway)).json()["results"]) == 1
    for _ in range(9):
        factories.StepFactory(pathway=pathway)
        factories.AppointmentFactory(pathway=pathway)
    with django_assert_num_queries(6):
        assert len(client.get(steps_url(pathway)).json()["results"]) == 10
    with django_assert_num_queries(6):
        assert len(client.get(appointments_url(pathway)).json()["results"]) == 10
