"""Steps, the rule that opens the follow-up in employment, and the follow-up's outcomes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from parcours.audit.models import AuditEvent
from parcours.core.concurrency import StaleObjectError
from parcours.core.workflow import TransitionRefused
from parcours.pathways import services
from parcours.plie.enums import ExitReason, PathwayStatus
from parcours.pathways.models import PathwayTransition, Step
from parcours.plie.models import EmploymentFollowUp
from parcours.pathways.services import add_months
from parcours.plie import steps
from parcours.plie.steps import lasts_six_months
from tests import factories

from .conftest import TODAY, days_ago

D = datetime.date


# --- month arithmetic -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, months, expected", [
    (D(2024, 1, 15), 6, D(2024, 7, 15)),
    (D(2024, 8, 31), 6, D(2025, 2, 28)),
    (D(2023, 8, 31), 6, D(2024, 2, 29)),
    (D(2024, 10, 1), 6, D(2025, 4, 1)),
    (D(2024, 12, 31), 2, D(2025, 2, 28)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_six_months_boundary_is_inclusive_of_the_last_day():
    assert lasts_six_months(D(2024, 1, 1), D(2024, 6, 30))
    assert not lasts_six_months(D(2024, 1, 1), D(2024, 6, 29))
    assert lasts_six_months(D(2024, 8, 31), D(2025, 2, 27))
    assert not lasts_six_months(D(2024, 8, 31), D(2025, 2, 26))
    assert not lasts_six_months(D(2024, 1, 1), None)


# --- step rules -----------------------------------------------------------------------------------------------

def step_values(**overrides):
    values = {"step_type": "training_qualifying", "start_date": days_ago(10), "end_date": None,
              "operator_name": "AFPA", "employer_siret": "", "contract_type": "", "social_clause": None,
              "hours": None, "comment": ""}
    values.update(overrides)
    return values


def test_step_create_is_audited(active, referent):
    step = services.step_create(pathway=active, by=referent, values=step_values())
    assert step.pk and step.version == 1
    event = AuditEvent.objects.get(action="step.create")
    assert event.participant_id == active.participant_id
    assert event.changes["step_type"] == [None, "training_qualifying"]


@pytest.mark.parametrize("overrides, field, text", [
    ({"start_date": days_ago(81)}, "start_date", "avant l'entrée"),
    ({"start_date": TODAY + datetime.timedelta(days=1)}, "start_date", "après aujourd'hui"),
    ({"end_date": days_ago(11)}, "end_date", "précéder son début"),
    ({"employer_siret": "1234"}, "employer_siret", "14 chiffres"),
    ({"employer_siret": "1234567890123A"}, "employer_siret", "14 chiffres"),
    ({"employer_siret": "12345678901234"}, "employer_siret", "la clé de contrôle ne correspond pas"),
    ({"step_type": "unsubsidised_employment"}, "contract_type", "obligatoire"),
    ({"step_type": "unsubsidised_employment", "contract_type": "cdd"}, "end_date", "date de fin prévue"),
])
def test_step_rules_are_refused_with_the_field_named(active, referent, overrides, field, text):
    with pytest.raises(ValidationError) as refused:
        services.step_create(pathway=active, by=referent, values=step_values(**overrides))
    messages = refused.value.message_dict[field]
    assert any(text in m for m in messages)
    assert not Step.objects.exists()


def test_step_start_on_entry_and_today_are_accepted(active, referent):
    services.step_create(pathway=active, by=referent, values=step_values(start_date=active.entry_date))
    services.step_create(pathway=active, by=referent, values=step_values(start_date=TODAY))
    assert Step.objects.count() == 2


@pytest.mark.parametrize("status", [PathwayStatus.ADMITTED, PathwayStatus.EXITED, PathwayStatus.ASSIGNED])
def test_steps_only_while_active_or_in_followup(participant, referent, operator, status):
    pathway = factories.PathwayFactory(participant=participant, operator=operator, referent=referent, status=status,
                                       decision="admitted", commission_date=days_ago(90),
                                       entry_date=days_ago(80) if status == PathwayStatus.EXITED else None,
                                       exit_date=days_ago(5) if status == PathwayStatus.EXITED else None,
                                       exit_reason="moved" if status == PathwayStatus.EXITED else "")
    with pytest.raises(ValidationError, match="pendant le parcours"):
        services.step_create(pathway=pathway, by=referent, values=step_values())


def test_administrator_may_not_write(active, administrator):
    with pytest.raises(ValidationError, match="rôle"):
        services.step_create(pathway=active, by=administrator, values=step_values())


# --- the follow-up rule ---------------------------------------------------------------------------------------

def job(**overrides):
    values = {"step_type": "unsubsidised_employment", "operator_name": "Entrepôt du Centre",
              "employer_siret": "73282932000074"}
    values.update(overrides)
    return step_values(**values)


def test_cdi_opens_the_followup_and_moves_the_pathway(active, referent):
    step = services.step_create(pathway=active, by=referent, values=job(contract_type="cdi"))
    followup = EmploymentFollowUp.objects.get()
    assert followup.step == step and followup.started_on == step.start_date
    assert followup.due_on == add_months(step.start_date, 6)
    active.refresh_from_db()
    assert active.status == PathwayStatus.FOLLOWUP
    log = PathwayTransition.objects.get(transition="start_followup")
    assert log.by == referent and log.from_state == "active"
    assert AuditEvent.objects.filter(action="followup.open").exists()


def test_followup_months_come_from_the_territory(active, referent, territory):
    factories.plie_rules_set(territory, followup_months=3)
    step = services.step_create(pathway=active, by=referent, values=job(contract_type="cdi"))
    assert step.followup.due_on == add_months(step.start_date, 3)


@pytest.mark.parametrize("contract_type", ["cdd", "ctt"])
def test_fixed_term_of_exactly_six_months_opens_the_followup(active, referent, contract_type):
    start = days_ago(30)
    end = add_months(start, 6) - datetime.timedelta(days=1)
    services.step_create(pathway=active, by=referent, values=job(contract_type=contract_type, start_date=start,
                                                                 end_date=end))
    assert EmploymentFollowUp.objects.count() == 1


@pytest.mark.parametrize("contract_type", ["cdd", "ctt"])
def test_fixed_term_one_day_short_of_six_months_does_not(active, referent, contract_type):
    start = days_ago(30)
    end = add_months(start, 6) - datetime.timedelta(days=2)
    services.step_create(pathway=active, by=referent, values=job(contract_type=contract_type, start_date=start,
                                                                 end_date=end))
    assert not EmploymentFollowUp.objects.exists()
    active.refresh_from_db()
    assert active.status == PathwayStatus.ACTIVE


@pytest.mark.parametrize("step_type, opens", [
    ("unsubsidised_employment", True), ("subsidised_contract", True), ("geiq", True),
    ("iae_aci", False), ("iae_ei", False), ("iae_etti", False), ("iae_ai", False), ("regie_quartier", False),
])
def test_which_step_types_open_the_followup(active, referent, step_type, opens):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", step_type=step_type))
    assert EmploymentFollowUp.objects.exists() is opens


@pytest.mark.parametrize("contract_type", ["cui", "apprenticeship", "professionalisation", "none"])
def test_other_contract_types_do_not_open_it(active, referent, contract_type):
    services.step_create(pathway=active, by=referent,
                         values=job(contract_type=contract_type, end_date=TODAY + datetime.timedelta(days=400)))
    assert not EmploymentFollowUp.objects.exists()


def test_cdi_with_an_end_date_does_not_open_it(active, referent):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", end_date=TODAY))
    assert not EmploymentFollowUp.objects.exists()


def test_only_one_open_followup(active, referent):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi"))
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=days_ago(2)))
    assert EmploymentFollowUp.objects.count() == 1
    assert Step.objects.count() == 2


def test_editing_a_step_into_a_lasting_job_opens_the_followup(active, referent):
    step = services.step_create(pathway=active, by=referent, values=job(contract_type="cdd", end_date=TODAY))
    assert not EmploymentFollowUp.objects.exists()
    end = add_months(step.start_date, 6)
    services.step_update(step=step, by=referent, values=job(contract_type="cdd", end_date=end),
                         expected_version=1)
    assert EmploymentFollowUp.objects.filter(step=step).exists()
    active.refresh_from_db()
    assert active.status == PathwayStatus.FOLLOWUP


def test_a_stale_step_edit_is_refused(active, referent, coordinator):
    step = services.step_create(pathway=active, by=referent, values=step_values())
    services.step_update(step=step, by=coordinator, values=step_values(comment="Vu avec l'OF."), expected_version=1)
    with pytest.raises(StaleObjectError) as stale:
        services.step_update(step=step, by=referent, values=step_values(comment="Autre"), expected_version=1)
    assert "modifiée par quelqu'un d'autre" in str(stale.value)
    assert Step.objects.get().comment == "Vu avec l'OF."


def test_the_followup_job_keeps_its_type_and_start(active, referent):
    step = services.step_create(pathway=active, by=referent, values=job(contract_type="cdi"))
    with pytest.raises(ValidationError) as refused:
        services.step_update(step=step, by=referent, values=job(contract_type="cdd", end_date=TODAY),
                             expected_version=1)
    assert "contract_type" in refused.value.message_dict
    with pytest.raises(ValidationError, match="L'emploi a pris fin"):
        services.step_end(step=step, by=referent, end_date=TODAY, expected_version=1)


def test_step_end(active, referent):
    step = services.step_create(pathway=active, by=referent, values=step_values())
    with pytest.raises(ValidationError) as refused:
        services.step_end(step=step, by=referent, end_date=TODAY + datetime.timedelta(days=1), expected_version=1)
    assert "end_date" in refused.value.message_dict
    with pytest.raises(ValidationError, match="précéder son début"):
        services.step_end(step=step, by=referent, end_date=days_ago(11), expected_version=1)
    services.step_end(step=step, by=referent, end_date=TODAY, expected_version=1)
    step.refresh_from_db()
    assert step.end_date == TODAY and step.version == 2
    assert AuditEvent.objects.filter(action="step.end").exists()


# --- follow-up outcomes ---------------------------------------------------------------------------------------

def test_sustainable_employment_is_refused_before_the_due_date(active, referent):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=days_ago(30)))
    with pytest.raises(TransitionRefused, match="échéance"):
        steps.followup_validate(pathway=active, by=referent)
    active.refresh_from_db()
    assert active.status == PathwayStatus.FOLLOWUP


def test_sustainable_employment_at_the_due_date(participant, operator, referent):
    pathway = factories.PathwayFactory(participant=participant, operator=operator, referent=referent, active=True,
                                       application_date=days_ago(300), commission_date=days_ago(260),
                                       entry_date=days_ago(250))
    services.step_create(pathway=pathway, by=referent, values=job(contract_type="cdi", start_date=add_months(TODAY, -6)))
    followup = EmploymentFollowUp.objects.get()
    assert followup.due_on == TODAY
    steps.followup_validate(pathway=pathway, by=referent)
    pathway.refresh_from_db()
    followup.refresh_from_db()
    assert pathway.status == PathwayStatus.EXITED
    assert pathway.exit_reason == ExitReason.SUSTAINABLE_EMPLOYMENT and pathway.exit_date == TODAY
    assert followup.status == "validated" and followup.closed_by == referent
    assert AuditEvent.objects.filter(action="pathway.validate_sustainable_employment").exists()


def test_job_ended_returns_to_active_and_ends_the_step(active, referent):
    step = services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=days_ago(30)))
    steps.followup_job_ended(pathway=active, by=referent, ended_on=days_ago(3))
    active.refresh_from_db()
    step.refresh_from_db()
    assert active.status == PathwayStatus.ACTIVE
    assert step.end_date == days_ago(3) and step.version == 2
    assert step.followup.status == "job_ended"
    # The pathway goes on: a new lasting job opens a new follow-up.
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=TODAY))
    assert EmploymentFollowUp.objects.filter(status="open").count() == 1


def test_job_ended_before_the_job_started_is_refused(active, referent):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=days_ago(30)))
    with pytest.raises(TransitionRefused):
        steps.followup_job_ended(pathway=active, by=referent, ended_on=days_ago(31))


def test_double_submitted_transition_acts_once(active, referent):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=days_ago(30)))
    steps.followup_job_ended(pathway=active, by=referent, ended_on=days_ago(3))
    with pytest.raises(TransitionRefused, match="impossible"):
        steps.followup_job_ended(pathway=active, by=referent, ended_on=days_ago(3))
    assert PathwayTransition.objects.filter(transition="job_ended").count() == 1


# --- exit -----------------------------------------------------------------------------------------------------

def test_exit_with_a_reason(active, referent):
    services.pathway_exit(pathway=active, by=referent, reason="qualifying_training", exit_date=TODAY)
    active.refresh_from_db()
    assert active.status == PathwayStatus.EXITED and active.exit_reason == "qualifying_training"
    assert AuditEvent.objects.get(action="pathway.exit").changes["status"] == ["active", "exited"]


def test_exit_in_sustainable_employment_is_only_through_the_followup(active, referent):
    with pytest.raises(TransitionRefused, match="échéance du suivi"):
        services.pathway_exit(pathway=active, by=referent, reason="sustainable_employment", exit_date=TODAY)


def test_exit_closes_an_open_followup(active, referent):
    services.step_create(pathway=active, by=referent, values=job(contract_type="cdi", start_date=days_ago(30)))
    services.pathway_exit(pathway=active, by=referent, reason="moved", exit_date=TODAY)
    assert EmploymentFollowUp.objects.get().status == "job_ended"
