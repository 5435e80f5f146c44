"""Situations as data: each programme declares the criteria it reads; the person holds them as rows.

A second programme, registered by this test alone, adds a criterion of its own: no migration of the person's table,
the person's rows hold it, the rectification and the export show it, and the PLIE's forms refuse it. "Orient to the
Mission Locale" becomes the other programmes of the territory whose rules the person meets, beside the PLIE's
decision (form panel, command)."""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import timezone, translation

from parcours.audit.models import AuditEvent
from parcours.core.workflow import Workflow
from parcours.organisations.enums import OrganisationKind
from parcours.participants.models import ParticipantSituation
from parcours.participants.services import participant_situations_write
from parcours.pathways.models import PathwayTransition
from parcours.plie.eligibility import age_on, eligibility_decide
from parcours.privacy.rights import participant_export_data, participant_rectify
from parcours.programmes.models import Programme
from parcours.programmes.registry import (
    Criterion, ProgrammeDefinition, criteria_catalogue, criteria_refusal, criterion_label, programme_register,
    programme_unregister,
)
from parcours.web.intake.forms import ApplicationForm
from parcours.web.rights.forms import RectificationForm
from tests import factories
from tests.api.helpers import api_for, application_body
from tests.intake.helpers import post_data, submit

YOUTH = "test_youth_criteria"
NEET = Criterion("neet", "Ni en emploi, ni en études, ni en formation")
WORKFLOW = Workflow(state_field="status", log_model=PathwayTransition, log_object_field="pathway",
                    states={"welcomed": "Accueilli·e"}, initial="welcomed")


def _young(programme, facts) -> bool:
    return age_on(facts.birth_date, facts.reference_date) <= 25


def _definition(**changes) -> ProgrammeDefinition:
    values = dict(kind=YOUTH, label="Accompagnement jeunes (test)", workflow=WORKFLOW, step_types=(),
                  exit_reasons=(), in_pathway_states=frozenset(), eligibility=_young,
                  # Its own criterion, and the RSA it reads as the PLIE does (declared alike).
                  criteria=(NEET, Criterion("rsa", "Bénéficiaire du RSA")))
    values.update(changes)
    return ProgrammeDefinition(**values)


@pytest.fixture
def youth_definition():
    definition = _definition()
    programme_register(definition)
    yield definition
    programme_unregister(YOUTH)


@pytest.fixture
def youth_programme(youth_definition, territory):
    organisation = factories.OrganisationFactory(territory=territory, kind=OrganisationKind.OPERATOR,
                                                 name="Mission Locale Clermont")
    return Programme.objects.create(territory=territory, kind=YOUTH, name="Jeunes 16-25 (test)",
                                    organisation=organisation)


def _pending_migrations() -> dict:
    """What `makemigrations` would write now (it runs untranslated, so do we)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with translation.override(None):
        return MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(graph=loader.graph)


# --- a criterion of a second programme ------------------------------------------------------------------------------

def test_a_second_programme_adds_a_criterion_without_a_migration_of_the_person(youth_definition, territory,
                                                                              coordinator):
    assert _pending_migrations() == {}
    assert list(criteria_catalogue())[-1] == "neet" and criterion_label("neet") == NEET.label
    person = factories.ParticipantFactory(territory=territory)
    before = participant_situations_write(participant=person, values={"neet": True}, by=coordinator)
    assert before == {"neet": None}
    assert person.situation_values() == {"neet": True, "rsa": True}
    row = ParticipantSituation.objects.get(participant=person, code="neet")
    assert (row.value, row.recorded_on, row.recorded_by) == (True, timezone.localdate(), coordinator)

    # The person's rights see it: rectified like any criterion, exported with its value.
    form = RectificationForm(participant=person)
    assert form.fields["neet"].label == NEET.label and form.initial["neet"] is True
    participant_rectify(participant=person, by=coordinator, expected_version=person.version,
                        values={"neet": False})
    person.refresh_from_db()
    assert person.situation("neet") is False and person.version == 2
    assert participant_export_data(participant=person, by=coordinator)["situation_at_entry"]["neet"] is False


def test_the_plie_does_not_take_another_programme_s_criterion(youth_definition, prescriber, prescriber_org,
                                                              territory):
    with pytest.raises(ValidationError) as refused:
        submit(prescriber, prescriber_org, situations=["rsa", "neet"])
    assert refused.value.message_dict["situations"] == ["Critère d'un autre programme, que le PLIE ne lit pas : neet."]
    with pytest.raises(ValidationError) as refused:
        submit(prescriber, prescriber_org, situations=["chomage"])
    assert refused.value.message_dict["situations"] == ["Situation inconnue : chomage."]
    # The form does not offer it: a posted code is an invalid choice of the field.
    form = ApplicationForm(post_data(territory, situations=["neet"]), territory=territory,
                           organisations=territory.organisations.all())
    assert not form.is_valid() and "neet" in form.errors["situations"][0]
    # The API neither (version 1 lists the PLIE's situations).
    response = api_for(prescriber).post(reverse("api:application-list"), application_body(situations=["neet"]),
                                        format="multipart")
    assert (response.status_code, response.json()) == (400, {"situations": ["«\xa0neet\xa0» n'est pas un choix valide."]})
    # The command says which field and why.
    payload = {"reference_date": "2025-06-15", "birth_date": "1980-01-01", "commune_insee": "63113",
               "qpv_code": None, "situations": ["neet"]}
    with pytest.raises(CommandError, match="^situations : critère d'un autre programme, pas une situation du PLIE"):
        call_command("eligibility", stdin=io.StringIO(json.dumps(payload)), stdout=io.StringIO())


def test_the_registry_refuses_ill_declared_criteria(youth_definition):
    for criteria, message in [
        ((Criterion("RSA!", "x"),), "criterion code"),
        ((NEET, NEET), "declared twice"),
        ((Criterion("rsa", "Allocataire du RSA"),), "differs from"),          # not as the PLIE declares it
        ((Criterion("neet", NEET.label, sensitive=True),), "differs from"),   # not as the youth programme does
    ]:
        with pytest.raises(ValueError, match=message):
            programme_register(_definition(kind="test_other", criteria=criteria))
    assert criteria_refusal(["neet", "rsa"]) is None
    assert criteria_refusal(["chomage"]) == "Critère de situation inconnu : chomage."
    assert criteria_refusal(["rsa", "neet"], definition=youth_definition) is None


# --- the person's rows ----------------------------------------------------------------------------------------------

def test_situations_write_records_yes_and_no_and_forgets_unknown(territory, coordinator, referent):
    person = factories.ParticipantFactory(territory=territory, situations={"rsa": True, "ass": False})
    old = ParticipantSituation.objects.get(participant=person, code="rsa")
    before = participant_situations_write(participant=person, by=referent,
                                          values={"rsa": True, "ass": None, "deld": False, "rqth": None})
    assert before == {"rsa": True, "ass": False, "deld": None, "rqth": None}
    assert person.situation_values() == {"deld": False, "rsa": True}
    assert person.situation("ass") is None   # unknown: no row
    unchanged = ParticipantSituation.objects.get(pk=old.pk)
    assert (unchanged.recorded_on, unchanged.recorded_by) == (old.recorded_on, None)  # same value: left as it was
    with pytest.raises(ValueError):
        participant_situations_write(participant=person, by=referent, values={"": True})


def test_the_database_holds_one_row_per_criterion_and_a_code(territory):
    person = factories.ParticipantFactory(territory=territory, situations={})
    ParticipantSituation.objects.create(participant=person, code="rsa", value=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantSituation.objects.create(participant=person, code="rsa", value=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantSituation.objects.create(participant=person, code="", value=False)


def test_rectifying_a_criterion_to_unknown_removes_its_row_and_is_audited(territory, coordinator):
    person = factories.ParticipantFactory(territory=territory)
    participant_rectify(participant=person, by=coordinator, expected_version=person.version,
                        values={"rsa": None, "deld": True})
    assert person.situation_values() == {"deld": True}
    changes = AuditEvent.objects.get(action="participant_rectify", participant_id=person.pk).changes
    assert (changes["rsa"], changes["deld"]) == ([True, None], [None, True])
    with pytest.raises(ValidationError) as refused:
        participant_rectify(participant=person, by=coordinator, expected_version=person.version + 1,
                            values={"rsa": "oui"})
    assert "rsa" in refused.value.message_dict


# --- the other programmes beside the PLIE's decision ----------------------------------------------------------------

def test_other_programmes_whose_rules_the_person_meets_are_shown_beside_the_plie_s_decision(
        youth_programme, territory, client, prescriber):
    today = timezone.localdate()
    young = today.replace(year=today.year - 20)
    decision = eligibility_decide(territory, reference_date=today, birth_date=young, commune_insee="63113",
                                  qpv_code=None, situations=["rsa"])
    assert (decision.eligible, decision.reasons) == (False, ["age"])
    assert decision.other_programmes == [{"kind": YOUTH, "label": "Accompagnement jeunes (test)",
                                          "name": "Jeunes 16-25 (test)"}]
    # A programme of the territory answers: the PLIE's youth band no longer names the Mission Locale.
    assert decision.suggested_orientation is None
    older = eligibility_decide(territory, reference_date=today, birth_date=datetime.date(1980, 1, 1),
                               commune_insee="63113", qpv_code=None, situations=["rsa"])
    assert (older.eligible, older.other_programmes) == (True, [])

    client.force_login(prescriber)
    html = client.post(reverse("intake:eligibility_preview"), {
        "birth_date": young.isoformat(), "commune": territory.communes.get(insee="63113").pk,
        "situations": ["rsa"]}).content.decode()
    assert "Non éligible au PLIE" in html and "Jeunes 16-25 (test)" in html
    assert "Orientation suggérée : la Mission Locale" not in html

    out = io.StringIO()
    call_command("eligibility", stdout=out, stdin=io.StringIO(json.dumps({
        "reference_date": today.isoformat(), "birth_date": young.isoformat(), "commune_insee": "63113",
        "qpv_code": None, "situations": ["rsa"]})))
    result = json.loads(out.getvalue())
    assert (result["other_programmes"], result["suggested_orientation"]) == (decision.other_programmes, None)


def test_without_another_programme_the_plie_still_names_the_mission_locale(territory):
    today = timezone.localdate()
    decision = eligibility_decide(territory, reference_date=today, birth_date=today.replace(year=today.year - 20),
                                  commune_insee="63113", qpv_code=None, situations=["rsa"])
    assert (decision.other_programmes, decision.suggested_orientation) == ([], "mission_locale")
