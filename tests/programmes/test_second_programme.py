"""A second programme, defined and registered by this test alone, lives beside the PLIE without touching it.

Its definition has other states (one of them spelled like a PLIE state, to prove that nothing reads a state
without its programme), other step types, other exits and its own eligibility rule. A pathway runs through it
with the generic kernel (pathways.services), while the PLIE's pathways, commission agenda, indicators, scope and
export stay exactly what they were. Nothing in src/ knows this definition.
"""

import datetime
from dataclasses import dataclass

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from parcours.core.workflow import Transition, TransitionRefused, Workflow
from parcours.interchange.exporter import dataset_export
from parcours.organisations.capabilities import CAPABILITIES, PATHWAY_READ, PATHWAY_WRITE, capability_define
from parcours.organisations.enums import OrganisationKind, Role
from parcours.pathways import services
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.selectors import pathway_timeline
from parcours.pathways.models import Pathway, PathwayTransition
from parcours.plie.commissions.selectors import commission_pending
from parcours.plie.commissions.services import commission_plan
from parcours.plie.eligibility import age_on
from parcours.programmes.eligibility import EligibilityFacts, programmes_open_to
from parcours.programmes.models import Programme
from parcours.programmes.registry import (
    Parameter, ProgrammeDefinition, definition_of, programme_register, programme_unregister,
)
from parcours.reporting.indicators import indicators_compute
from tests import factories

YOUTH = "test_youth"
ADVISE_CODE = "test_youth.advise"
# The programme's own capability, granted to referents by its definition (and revoked when it is unregistered).
ADVISE = CAPABILITIES[ADVISE_CODE].code if ADVISE_CODE in CAPABILITIES else capability_define(
    ADVISE_CODE, "Accompagner les jeunes (test)")
ADVISERS = frozenset({ADVISE})
ADVISING = frozenset({ADVISE, PATHWAY_READ, PATHWAY_WRITE})


@dataclass(frozen=True)
class OnDay:
    on: datetime.date


def _entry(pathway, payload: OnDay, by):
    pathway.entry_date = payload.on


def _autonomy(pathway, payload: OnDay, by):
    pathway.exit_date, pathway.exit_reason = payload.on, "autonomy"


def _check_diagnostic(pathway, payload):
    if not pathway.notes.exists():
        raise TransitionRefused("Le diagnostic s'écrit dans une note.")


YOUTH_WORKFLOW = Workflow(
    state_field="status", log_model=PathwayTransition, log_object_field="pathway",
    # "assessed" is also a PLIE state (waiting for the commission): here it means "diagnostic made".
    states={"welcomed": "Accueilli·e", "assessed": "Diagnostic réalisé", "engaged": "Engagé·e",
            "autonomous": "Autonome"},
    initial="welcomed")
for _t in [
    Transition("diagnose", frozenset({"welcomed"}), "assessed", "Clore le diagnostic", ADVISERS, _check_diagnostic),
    Transition("engage", frozenset({"assessed"}), "engaged", "Signer l'engagement", ADVISERS, None, _entry,
               payload=OnDay),
    Transition("reach_autonomy", frozenset({"engaged"}), "autonomous", "Constater l'autonomie", ADVISERS,
               None, _autonomy, payload=OnDay),
]:
    YOUTH_WORKFLOW.add(_t)


@dataclass
class _Eligible:
    max_age: int

    def __call__(self, programme, facts: EligibilityFacts) -> bool:
        return age_on(facts.birth_date, facts.reference_date) <= programme.parameter("max_age")


YOUTH_DEFINITION = ProgrammeDefinition(
    kind=YOUTH, label="Accompagnement jeunes (test)", workflow=YOUTH_WORKFLOW,
    step_types=(("workshop", "Atelier collectif"), ("job_dating", "Job dating")),
    exit_reasons=(("autonomy", "Autonomie"), ("moved_away", "Déménagement hors du territoire")),
    capabilities={Role.REFERENT: ADVISING}, in_pathway_states=frozenset({"engaged"}),
    parameters=(Parameter("max_age", 25, lambda: forms.IntegerField(min_value=16, max_value=30)),),
    eligibility=_Eligible(25),
)


@pytest.fixture
def youth_definition():
    programme_register(YOUTH_DEFINITION)
    yield YOUTH_DEFINITION
    programme_unregister(YOUTH)


@pytest.fixture
def mission_locale(territory):
    return factories.OrganisationFactory(territory=territory, kind=OrganisationKind.OPERATOR, name="Mission Locale")


@pytest.fixture
def youth_programme(youth_definition, territory, mission_locale):
    programme = Programme(territory=territory, kind=YOUTH, name="Jeunes 16-25", organisation=mission_locale)
    programme.full_clean()
    programme.save()
    return programme


@pytest.fixture
def adviser(mission_locale):
    return factories.UserFactory(membership=(mission_locale, Role.REFERENT))


@pytest.fixture
def plie_world(territory, plie, operator, referent, coordinator):
    """The PLIE as it is: an active pathway, a file waiting for the commission, a planned commission."""
    today = timezone.localdate()
    active = factories.PathwayFactory(active=True, operator=operator, referent=referent,
                                      participant=factories.ParticipantFactory(territory=territory,
                                                                               birth_date=datetime.date(2003, 4, 2)))
    waiting = factories.PathwayFactory(status="assessed", operator=operator, referent=referent,
                                       participant=factories.ParticipantFactory(territory=territory))
    commission = commission_plan(territory=territory, by=coordinator, on=today)
    return active, waiting, commission


def _plie_snapshot(territory, coordinator, referent, commission, tmp_path, name):
    today = timezone.localdate()
    export_dir = tmp_path / name
    dataset_export(export_dir, territory=territory)
    return {
        "indicators": indicators_compute(date_from=today - datetime.timedelta(days=365), date_to=today,
                                         territory_ids=[territory.pk]),
        "commission": sorted(commission_pending(commission).values_list("pk", flat=True)),
        "coordinator": sorted(pathways_visible_to(coordinator).values_list("pk", flat=True)),
        "referent": sorted(pathways_visible_to(referent).values_list("pk", flat=True)),
        "export": {path.name: path.read_text(encoding="utf-8") for path in sorted(export_dir.iterdir())},
    }


def test_a_pathway_runs_through_a_second_programme_and_leaves_the_plie_untouched(
        youth_programme, adviser, plie_world, territory, coordinator, referent, tmp_path):
    active, waiting, commission = plie_world
    before = _plie_snapshot(territory, coordinator, referent, commission, tmp_path, "before")
    today = timezone.localdate()

    # The same person, in the PLIE, also enters the second programme: one open pathway *per programme*.
    youth = Pathway(participant=active.participant, programme=youth_programme, operator=youth_programme.organisation,
                    referent=adviser, application_date=today)
    youth.full_clean()
    youth.save()
    assert (youth.status, youth.get_status_display(), youth.programme_kind) == ("welcomed", "Accueilli·e", YOUTH)

    # Its own workflow, through the generic kernel: a check, then a state named like a PLIE state.
    with pytest.raises(TransitionRefused, match="note"):
        services.pathway_transition(pathway=youth, name="diagnose", by=adviser)
    services.note_create(pathway=youth, by=adviser, body="Projet : cuisine. Mobilité à travailler.")
    youth = services.pathway_transition(pathway=youth, name="diagnose", by=adviser)
    assert (youth.status, youth.get_status_display()) == ("assessed", "Diagnostic réalisé")

    # While the young person's pathway is "assessed", it is on no PLIE commission agenda and in no PLIE count.
    assert _plie_snapshot(territory, coordinator, referent, commission, tmp_path, "during") == before

    # PLIE transitions do not exist for it; its own are refused to the PLIE's roles.
    with pytest.raises(TransitionRefused):
        services.pathway_transition(pathway=youth, name="admit", by=coordinator)
    with pytest.raises(TransitionRefused):
        services.pathway_transition(pathway=youth, name="engage", by=coordinator, data={"on": today})
    youth = services.pathway_transition(pathway=youth, name="engage", by=adviser, data={"on": today})
    assert youth.entry_date == today
    assert Pathway.objects.filter(participant=active.participant, entry_date__isnull=False,
                                  exit_date__isnull=True).count() == 2

    # Its step types, not the PLIE's; and the PLIE's pathway refuses the second programme's.
    step = services.step_create(pathway=youth, by=adviser, values={"step_type": "workshop", "start_date": today})
    assert step.get_step_type_display() == "Atelier collectif"
    with pytest.raises(ValidationError) as refused:
        services.step_create(pathway=youth, by=adviser, values={"step_type": "mobilisation", "start_date": today})
    assert "step_type" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.step_create(pathway=active, by=referent, values={"step_type": "workshop", "start_date": today})
    assert "step_type" in refused.value.message_dict
    services.appointment_create(pathway=youth, by=adviser, values={"date": today, "duration_minutes": 45, "mode": "in_person"})
    # A step of its own type opens no PLIE follow-up (the PLIE's step hooks are not its definition's).
    services.step_create(pathway=youth, by=adviser, values={"step_type": "job_dating", "start_date": today})
    assert not youth.followups.exists()
    # Its file's timeline holds the kernel's rows and none of the PLIE's (application, contract, follow-up…).
    kinds = {entry.kind for entry in pathway_timeline(youth, sensitive=True)}
    assert kinds == {"transition", "step", "appointment", "note"}

    # The PLIE's referent cannot write on it: not their structure's, not their programme's roles.
    assert youth.pk not in pathways_visible_to(referent).values_list("pk", flat=True)
    # The PLIE's team does not see it; the adviser sees it, and not the person's PLIE file.
    assert youth.pk not in pathways_visible_to(coordinator).values_list("pk", flat=True)
    assert set(pathways_visible_to(adviser).values_list("pk", flat=True)) == {youth.pk}

    # Its exits, not the PLIE's.
    youth.exit_reason = "sustainable_employment"
    with pytest.raises(ValidationError) as refused:
        youth.full_clean()
    assert "exit_reason" in refused.value.message_dict
    youth.refresh_from_db()
    youth = services.pathway_transition(pathway=youth, name="reach_autonomy", by=adviser, data={"on": today})
    assert (youth.status, youth.exit_reason, youth.get_exit_reason_display()) == ("autonomous", "autonomy",
                                                                                 "Autonomie")
    assert list(youth.transitions.values_list("transition", "from_state", "to_state")) == [
        ("diagnose", "welcomed", "assessed"), ("engage", "assessed", "engaged"),
        ("reach_autonomy", "engaged", "autonomous")]

    # And the PLIE is exactly as it was: pathways, commission agenda, indicators, scope, export.
    active.refresh_from_db()
    waiting.refresh_from_db()
    assert (active.status, waiting.status) == ("active", "assessed")
    assert definition_of(active).kind == "plie"
    assert _plie_snapshot(territory, coordinator, referent, commission, tmp_path, "after") == before


def test_its_rules_are_its_own_and_the_territory_lists_it_for_those_it_fits(youth_programme, territory):
    youth_programme.parameters = {"max_age": 40}
    with pytest.raises(ValidationError) as refused:
        youth_programme.full_clean()
    assert "max_age" in refused.value.message_dict
    youth_programme.parameters = {"min_age": 26}
    with pytest.raises(ValidationError):
        youth_programme.full_clean()

    today = timezone.localdate()
    young = EligibilityFacts(reference_date=today, birth_date=today.replace(year=today.year - 19),
                             commune_insee="63113", qpv_code=None, situations=[])
    older = EligibilityFacts(reference_date=today, birth_date=today.replace(year=today.year - 40),
                             commune_insee="63113", qpv_code=None, situations=[])
    assert [p.kind for p in programmes_open_to(territory=territory, facts=young)] == [YOUTH]
    assert programmes_open_to(territory=territory, facts=older) == []
    # The PLIE itself has no such hook: its eligibility is its own command and form (plie.eligibility).
    assert programmes_open_to(territory=territory, facts=young, exclude_kind=YOUTH) == []


def test_a_kind_is_registered_once_and_an_unknown_kind_is_refused(youth_definition, territory):
    with pytest.raises(ValueError):
        programme_register(ProgrammeDefinition(
            kind=YOUTH, label="Autre", workflow=YOUTH_WORKFLOW, step_types=(), exit_reasons=(),
            capabilities={Role.REFERENT: ADVISING}, in_pathway_states=frozenset()))
    unknown = Programme(territory=territory, kind="nowhere", name="Inconnu")
    with pytest.raises(ValidationError) as refused:
        unknown.full_clean()
    assert "kind" in refused.value.message_dict
