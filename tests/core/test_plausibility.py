"""Input plausibility (core/plausibility.py): each rule, then each door refusing in French and naming the field.

Doors: the web forms (intake application, step end, rectification, administration), the API (application, step,
appointment) and the interchange import. Nothing is written when a value is refused.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.core import plausibility
from parcours.core.formfields import PhoneField
from parcours.organisations.models import Organisation
from parcours.participants.models import Participant
from parcours.pathways.models import Step
from parcours.plie.intake.models import Application
from tests import factories
from tests.api.helpers import api_for, application_body
from tests.intake.helpers import post_data, scan
from tests.interchange.helpers import error_lines, pathway, person, run, step, write_set

TODAY = datetime.date(2026, 6, 15)
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\u202e\u2066", "\x00\x07\x1b", "\u3164\u2800", "\u00a0\u2003\ufeff",
             "\u0301"]


# --- the rules ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "ok"), [
    (datetime.date(1, 1, 1), False), (datetime.date(1899, 12, 31), False), (datetime.date(1900, 1, 1), True),
    (TODAY, True), (TODAY + datetime.timedelta(days=1), False), (datetime.date(9999, 12, 31), False),
])
def test_birth_date_between_1900_and_today(value, ok):
    assert (plausibility.birth_date_problem(value, today=TODAY) is None) is ok


@pytest.mark.parametrize(("value", "ok"), [
    (datetime.date(1, 1, 1), False), (datetime.date(1989, 12, 31), False), (datetime.date(1990, 1, 1), True),
    (datetime.date(2031, 6, 15), True), (datetime.date(2031, 6, 16), False), (datetime.date(9999, 12, 31), False),
])
def test_event_date_between_1990_and_five_years_ahead(value, ok):
    assert (plausibility.event_date_problem(value, today=TODAY) is None) is ok


def test_five_years_ahead_of_29_february_is_28_february():
    assert plausibility.event_date_max(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)


def test_validators_raise_in_french():
    with pytest.raises(ValidationError, match="La date de naissance doit être comprise entre le 01/01/1900"):
        plausibility.validate_birth_date(datetime.date(1, 1, 1))
    with pytest.raises(ValidationError, match="La date doit être comprise entre le 01/01/1990"):
        plausibility.validate_event_date(datetime.date(9999, 12, 31))


@pytest.mark.parametrize("value", INVISIBLE)
def test_a_name_of_invisible_characters_only_is_refused(value):
    assert plausibility.name_problem(value) is not None
    with pytest.raises(ValidationError, match="aucun caractère visible"):
        plausibility.name_clean(value)


@pytest.mark.parametrize(("raw", "clean"), [
    ("Martin", "Martin"), ("Jean\u200b-Pierre", "Jean-Pierre"), ("\u202eMartin\u202c", "Martin"),
    ("Le\tGall\n", "Le Gall"), ("N\u2019Diaye  Sow", "N\u2019Diaye Sow"), ("Mohammad\u200cReza", "Mohammad\u200cReza"),
    ("", ""),
])
def test_names_lose_control_and_invisible_characters(raw, clean):
    assert plausibility.name_clean(raw) == clean


@pytest.mark.parametrize(("typed", "stored", "shown"), [
    ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"), ("06.12.34.56.78", "+33612345678", "06 12 34 56 78"),
    ("+33 4 73 98 35 78", "+33473983578", "04 73 98 35 78"), ("0033473983578", "+33473983578", "04 73 98 35 78"),
    ("+32 2 555 12 34", "+3225551234", "+32 2 555 12 34"), ("06 39 98 12 34", "+33639981234", "06 39 98 12 34"),
])
def test_phones_are_stored_in_e164_and_shown_nationally(typed, stored, shown):
    assert plausibility.phone_e164(typed) == stored
    assert plausibility.phone_display(stored) == shown


@pytest.mark.parametrize("typed", ["12", "06 12", "appelez-moi", "+33 6 12 34 56 78 90", "\u200b"])
def test_an_invalid_phone_is_refused_in_french(typed):
    with pytest.raises(ValidationError, match="Numéro de téléphone invalide"):
        plausibility.phone_e164(typed)


def test_a_number_kept_from_before_shows_as_it_was_typed():
    assert plausibility.phone_display("standard de la mairie") == "standard de la mairie"
    assert PhoneField().prepare_value("+33612345678") == "06 12 34 56 78"


# --- web forms ----------------------------------------------------------------------------------------------------

def _apply(client, prescriber, prescriber_org, territory, **changes):
    client.force_login(prescriber)
    return client.post(reverse("intake:application_create"), {
        **post_data(territory, **changes), "prescriber_organisation": prescriber_org.pk, "signed_scan": scan()})


@pytest.mark.parametrize(("field", "label", "value", "message"), [
    ("birth_date", "Date de naissance", "0001-01-01", "La date de naissance doit être comprise entre le 01/01/1900"),
    ("participant_signed_on", "Date de signature par la personne", "1989-12-31",
     "La date doit être comprise entre le 01/01/1990"),
    ("last_name", "Nom", "\u200b\u200b", "Ce texte ne contient aucun caractère visible"),
    ("first_name", "Prénom", "\u202e\u2066", "Ce texte ne contient aucun caractère visible"),
    ("phone", "Téléphone", "06 12", "Numéro de téléphone invalide"),
])
def test_the_application_form_refuses_implausible_values_naming_the_field(
        client, prescriber, prescriber_org, territory, field, label, value, message):
    response = _apply(client, prescriber, prescriber_org, territory, **{field: value})
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert f'<a href="#id_{field}">{label}</a> : {message}' in html
    assert not Application.objects.exists() and not Participant.objects.exists()


def test_the_application_form_stores_clean_names_and_an_e164_phone(client, prescriber, prescriber_org, territory,
                                                                   coordinator):
    response = _apply(client, prescriber, prescriber_org, territory, last_name="Lef\u200bèvre\u202e",
                      phone="06 12 34 56 78")
    assert response.status_code == 302
    person = Participant.objects.get()
    assert (person.last_name, person.phone) == ("Lefèvre", "+33612345678")
    client.force_login(coordinator)   # the PLIE team reads the whole application
    html = client.get(response["Location"]).content.decode()
    assert "06 12 34 56 78" in html and "+33612345678" not in html


def test_a_step_cannot_end_in_9999(client, referent, operator):
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    client.force_login(referent)
    response = client.post(reverse("pathways:step_add", args=[pathway.pk]), {
        "step_type": "mobilisation", "start_date": timezone.localdate().isoformat(), "end_date": "9999-12-31",
        "operator_name": "AFPA"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_end_date">Fin</a> : La date doit être comprise entre le 01/01/1990' in html
    assert not Step.objects.exists()


def test_the_rectification_refuses_a_birth_date_in_year_1(client, coordinator, operator):
    pathway = factories.PathwayFactory(active=True, operator=operator)
    person = pathway.participant
    client.force_login(coordinator)
    url = reverse("rights:rectify", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200, "the rectification page is reachable"
    data = {**{name: value for name, value in page.context["form"].initial.items() if value is not None},
            "birth_date": "0001-01-01", "version": person.version}
    data["commune"] = data["commune"].pk if hasattr(data.get("commune"), "pk") else data.get("commune", "")
    data["qpv"] = data["qpv"].pk if hasattr(data.get("qpv"), "pk") else data.get("qpv", "")
    response = client.post(url, data)
    assert "La date de naissance doit être comprise entre le 01/01/1900" in response.content.decode()
    person.refresh_from_db()
    assert person.birth_date.year > 1


def test_the_administration_refuses_an_invisible_structure_name_and_stores_its_phone_in_e164(client, administrator):
    client.force_login(administrator)
    url = reverse("administration:organisation_create")
    response = client.post(url, {"name": "\u200b\u3164", "kind": "operator", "is_active": "on"})
    assert "Ce texte ne contient aucun caractère visible" in response.content.decode()
    response = client.post(url, {"name": "Régie\u200b de quartier", "kind": "operator", "phone": "04 73 98 35 78",
                                 "is_active": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Régie de quartier", phone="+33473983578").exists()


# --- the API ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "message"), [
    ("birth_date", "0001-01-01", "La date de naissance doit être comprise entre le 01/01/1900"),
    ("prescriber_signed_on", "9999-01-01", "La date doit être comprise entre le 01/01/1990"),
    ("last_name", "\u200b", "Ce texte ne contient aucun caractère visible"),
    ("phone", "appelez-moi", "Numéro de téléphone invalide"),
])
def test_the_api_refuses_an_implausible_application_naming_the_field(prescriber, prescriber_org, field, value,
                                                                     message):
    response = api_for(prescriber).post("/api/v1/applications/", application_body(**{field: value}),
                                        format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == [field] and response.json()[field][0].startswith(message)
    assert not Participant.objects.exists()


def test_the_api_stores_the_phone_in_e164(prescriber, prescriber_org):
    response = api_for(prescriber).post("/api/v1/applications/", application_body(phone="06 12 34 56 78"),
                                        format="multipart")
    assert response.status_code == 201, response.json()
    assert Participant.objects.get().phone == "+33612345678"


@pytest.mark.parametrize(("url", "body", "field"), [
    ("steps", {"step_type": "mobilisation", "start_date": "0001-01-01"}, "start_date"),
    ("steps", {"step_type": "mobilisation", "start_date": "2025-01-01", "end_date": "9999-12-31"}, "end_date"),
    ("steps", {"step_type": "mobilisation", "start_date": "2025-01-01", "operator_name": "\u200b\u200b"},
     "operator_name"),
    ("appointments", {"date": "1900-01-01", "kind": "individual", "mode": "phone", "duration_minutes": 30},
     "date"),
])
def test_the_api_refuses_implausible_steps_and_appointments(referent, operator, url, body, field):
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    response = api_for(referent).post(f"/api/v1/pathways/{pathway.pk}/{url}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert "caractère visible" in response.json()[field][0] or "La date doit être comprise" in response.json()[field][0]
    assert not Step.objects.exists()


# --- the interchange import ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("file", "row", "expected"), [
    ("participants", person(birth_date="1850-01-01"),
     "participants.csv:2: birth_date: La date de naissance doit être comprise entre le 01/01/1900"),
    ("participants", person(last_name="\u200b\u200b"),
     "participants.csv:2: last_name: Ce texte ne contient aucun caractère visible"),
    ("pathways", pathway(application_date="1985-01-10"),
     "pathways.csv:2: application_date: La date doit être comprise entre le 01/01/1990"),
    ("steps", step(operator="\u202e\u2066"), "steps.csv:2: operator: Ce texte ne contient aucun caractère visible"),
])
def test_the_import_refuses_implausible_cells_naming_the_column(tmp_path, territory, file, row, expected):
    files = {"participants": [person()], "pathways": [pathway()]}
    files[file] = [row]
    code, _out, err = run("import", str(write_set(tmp_path / "set", **files)))
    assert code == 1
    assert any(line.startswith(expected) for line in error_lines(err)), error_lines(err)
    assert not Participant.objects.exists()


def test_the_import_strips_control_characters_from_names(tmp_path, territory):
    directory = write_set(tmp_path / "set", participants=[person(last_name="Mar\u200btin\u202e")],
                          pathways=[pathway()])
    code, _out, err = run("import", str(directory))
    assert code == 0, err
    assert Participant.objects.get().last_name == "Martin"
