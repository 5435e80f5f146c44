"""Putting people forward for an employer's offer (docs/employers.md): every transition of the workflow and each
refusal; a hire is the pathway's step and a lasting one opens the six-month follow-up; an immersion is a step; 60
days without news expire a candidacy (time travel); the database holds one open candidacy per person and offer."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.core.workflow import TransitionRefused
from parcours.employers.access import candidacies_visible_to
from parcours.employers.models import Candidacy, EmployerContact, JobOffer
from parcours.employers.services import candidacies_expire, candidacy_decide, candidacy_propose
from parcours.pathways.models import Step
from parcours.plie.enums import PathwayStatus
from parcours.plie.models import EmploymentFollowUp
from tests import factories

pytestmark = pytest.mark.django_db


def _offer(employer, officer, **values) -> JobOffer:
    return JobOffer.objects.create(employer=employer, created_by=officer, **{
        "title": "Agent·e d'entretien", "contract_type": "cdi", "hours_per_week": Decimal("35"),
        "opens_on": timezone.localdate() - datetime.timedelta(days=10), **values})


@pytest.fixture
def employer(territory, officer):
    employer = factories.EmployerFactory(territory=territory, created_by=officer, name="Propreté Volcans",
                                         siret="73282932000074")
    EmployerContact.objects.create(employer=employer, name="Claire Martin")
    return employer


@pytest.fixture
def offer(employer, officer):
    return _offer(employer, officer)


@pytest.fixture
def pathway(operator, referent):
    return factories.PathwayFactory(active=True, operator=operator, referent=referent)


def _to(candidacy, by, *names_and_data):
    for name, data in names_and_data:
        candidacy = candidacy_decide(candidacy=candidacy, name=name, by=by, data=data)
    return candidacy


# --- proposing ------------------------------------------------------------------------------------------------------
def test_the_referent_proposes_a_person_they_follow(offer, pathway, referent):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent, comment="Expérience en nettoyage")
    assert (candidacy.status, candidacy.comment, candidacy.last_news_on) == (
        "proposed", "Expérience en nettoyage", timezone.localdate())
    assert candidacy.transitions.get().transition == "propose"
    assert AuditEvent.objects.get(action="candidacy.propose").participant_id == pathway.participant_id


def test_proposing_twice_is_refused_until_the_first_is_closed(offer, pathway, referent, officer):
    first = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    with pytest.raises(TransitionRefused, match="déjà positionnée sur cette offre"):
        candidacy_propose(offer=offer, pathway=pathway, by=referent)
    _to(first, officer, ("refuse", {"reason": "profile"}))
    assert candidacy_propose(offer=offer, pathway=pathway, by=referent).status == "proposed"


def test_the_database_holds_one_open_candidacy_per_offer(offer, pathway, referent):
    candidacy_propose(offer=offer, pathway=pathway, by=referent)
    # PostgreSQL names the constraint, SQLite its columns
    with pytest.raises(IntegrityError, match="candidacy_open_once_per_offer|employers_candidacy.offer_id"), \
            transaction.atomic():
        Candidacy.objects.create(offer=offer, pathway=pathway, proposed_by=referent,
                                 last_news_on=timezone.localdate())


def test_a_referent_of_another_structure_may_not_propose_the_person(territory, offer, pathway):
    other = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory, operator=True),
                                              "referent"))
    with pytest.raises(TransitionRefused, match="Vous ne suivez pas cette personne"):
        candidacy_propose(offer=offer, pathway=pathway, by=other)


def test_the_officer_does_not_propose(offer, pathway, officer):
    with pytest.raises(TransitionRefused):
        candidacy_propose(offer=offer, pathway=pathway, by=officer)


@pytest.mark.parametrize("values", [{"status": "filled"}, {"closes_on": datetime.date.today() - datetime.timedelta(days=1)},
                                    {"opens_on": datetime.date.today() + datetime.timedelta(days=2), "closes_on": None}])
def test_a_closed_offer_takes_nobody(employer, officer, pathway, referent, values):
    offer = _offer(employer, officer, **values)
    with pytest.raises(TransitionRefused, match="n'est pas ouverte aujourd'hui"):
        candidacy_propose(offer=offer, pathway=pathway, by=referent)


def test_a_person_not_yet_in_the_pathway_is_refused(offer, operator, referent):
    admitted = factories.PathwayFactory(admitted=True, operator=operator, referent=referent)
    with pytest.raises(TransitionRefused, match="n'est pas entrée dans le parcours"):
        candidacy_propose(offer=offer, pathway=admitted, by=referent)


# --- the officer's steps and the refusals ---------------------------------------------------------------------------
def test_the_officer_presents_and_records_the_interview(offer, pathway, referent, officer):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        candidacy_decide(candidacy=candidacy, name="present", by=referent)
    interview_day = timezone.localdate() + datetime.timedelta(days=3)
    candidacy = _to(candidacy, officer, ("present", None), ("interview", {"on": interview_day}))
    assert (candidacy.status, candidacy.interview_on) == ("interview", interview_day)
    assert list(candidacy.transitions.values_list("transition", flat=True)) == ["propose", "present", "interview"]


def test_a_refusal_needs_a_reason_from_the_list(offer, pathway, referent, officer):
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    with pytest.raises(TransitionRefused, match="Motif : choisissez un motif de la liste."):
        candidacy_decide(candidacy=candidacy, name="refuse", by=officer, data={"reason": "trop vieux"})
    candidacy = candidacy_decide(candidacy=candidacy, name="refuse", by=officer, data={"reason": "no_show"})
    assert (candidacy.status, candidacy.refusal_reason) == ("refused", "no_show")
    with pytest.raises(TransitionRefused, match="impossible : le positionnement est à l'état « Non retenu·e »"):
        candidacy_decide(candidacy=candidacy, name="hire", by=referent, data={"on": timezone.localdate()})


def test_a_withdrawal_needs_a_reason(offer, pathway, referent):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    with pytest.raises(TransitionRefused, match="Motif du retrait : obligatoire."):
        candidacy_decide(candidacy=candidacy, name="withdraw", by=referent, data={"reason": " "})
    candidacy = candidacy_decide(candidacy=candidacy, name="withdraw", by=referent,
                                 data={"reason": "A trouvé un emploi par ailleurs"})
    assert candidacy.status == "withdrawn"


# --- the hire -------------------------------------------------------------------------------------------------------
def test_a_cdi_hire_is_the_pathways_step_and_opens_the_followup(offer, pathway, referent, officer, employer):
    contact = employer.contacts.get()
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    hired_on = timezone.localdate() - datetime.timedelta(days=1)
    candidacy = candidacy_decide(candidacy=candidacy, name="hire", by=referent,
                                 data={"on": hired_on, "contact_id": contact.pk})
    step = Step.objects.get(pk=candidacy.step_id)
    assert (step.step_type, step.contract_type, step.start_date, step.end_date, step.employer_siret,
            step.operator_name) == ("unsubsidised_employment", "cdi", hired_on, None, "73282932000074",
                                    "Propreté Volcans")
    assert (candidacy.status, candidacy.followup_contact_id) == ("hired", contact.pk)
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.FOLLOWUP
    assert EmploymentFollowUp.objects.get(pathway=pathway).step_id == step.pk


def test_the_officer_does_not_record_the_hire(offer, pathway, referent, officer):
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        candidacy_decide(candidacy=candidacy, name="hire", by=officer, data={"on": timezone.localdate()})
    assert not Step.objects.filter(pathway=pathway, step_type="unsubsidised_employment").exists()


@pytest.mark.parametrize(("contract", "data", "message"), [
    ("cdd", {}, "Fin du contrat : obligatoire pour un contrat à durée déterminée."),
    ("cdi", {"contract_end": datetime.date.today() + datetime.timedelta(days=90)}, "Fin du contrat : un CDI n'a pas"),
    ("cdi", {"on": datetime.date.today() + datetime.timedelta(days=1)}, "Embauché·e le : la date ne peut pas être"),
    ("cdd", {"contract_end": datetime.date.today() - datetime.timedelta(days=5)}, "Fin du contrat : elle précède"),
])
def test_each_hire_rule(employer, officer, pathway, referent, contract, data, message):
    offer = _offer(employer, officer, contract_type=contract)
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    with pytest.raises(TransitionRefused, match=message):
        candidacy_decide(candidacy=candidacy, name="hire", by=referent, data={"on": timezone.localdate(), **data})
    assert Candidacy.objects.get(pk=candidacy.pk).status == "presented"


def test_a_short_cdd_is_a_step_without_followup(employer, officer, pathway, referent):
    offer = _offer(employer, officer, contract_type="cddi")
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    today = timezone.localdate()
    candidacy = candidacy_decide(candidacy=candidacy, name="hire", by=referent,
                                 data={"on": today, "contract_end": today + datetime.timedelta(days=60)})
    step = Step.objects.get(pk=candidacy.step_id)
    assert (step.step_type, step.contract_type) == ("iae_aci", "cdd")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE


def test_an_immersion_before_the_hire_is_a_step_the_referent_records(offer, pathway, referent, officer):
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    start = timezone.localdate() - datetime.timedelta(days=14)
    payload = {"kind": "pmsmp", "start": start, "end": start + datetime.timedelta(days=9)}
    with pytest.raises(TransitionRefused, match="c'est à qui suit la personne de l'enregistrer"):
        candidacy_decide(candidacy=candidacy, name="prior_action", by=officer, data=payload)
    assert Candidacy.objects.get(pk=candidacy.pk).status == "presented"     # nothing half-written
    with pytest.raises(TransitionRefused, match="une immersion \\(PMSMP\\) a une date de fin"):
        candidacy_decide(candidacy=candidacy, name="prior_action", by=referent, data={**payload, "end": None})
    candidacy = candidacy_decide(candidacy=candidacy, name="prior_action", by=referent, data=payload)
    immersion = Step.objects.get(pk=candidacy.immersion_step_id)
    assert (immersion.step_type, immersion.start_date) == ("immersion", start)
    candidacy = candidacy_decide(candidacy=candidacy, name="hire", by=referent, data={"on": timezone.localdate()})
    assert candidacy.status == "hired"


def test_a_training_before_the_hire_may_be_recorded_by_the_officer(offer, pathway, referent, officer):
    candidacy = _to(candidacy_propose(offer=offer, pathway=pathway, by=referent), officer, ("present", None))
    candidacy = candidacy_decide(candidacy=candidacy, name="prior_action", by=officer,
                                 data={"kind": "poe", "start": timezone.localdate()})
    assert (candidacy.status, candidacy.immersion_step_id) == ("prior_action", None)


# --- sixty days without news ----------------------------------------------------------------------------------------
def test_sixty_days_without_news_expire_a_candidacy(offer, pathway, referent, officer, employer):
    waiting = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    other = factories.PathwayFactory(active=True, operator=pathway.operator, referent=referent)
    recent = candidacy_propose(offer=offer, pathway=other, by=referent)
    today = timezone.localdate()
    Candidacy.objects.filter(pk=waiting.pk).update(last_news_on=today - datetime.timedelta(days=60))
    Candidacy.objects.filter(pk=recent.pk).update(last_news_on=today - datetime.timedelta(days=59))
    assert candidacies_expire(today=today) == 1
    waiting.refresh_from_db()
    assert waiting.status == "expired"
    log = waiting.transitions.get(transition="expire")
    assert (log.by, log.system_actor) == (None, "schedule")
    assert Candidacy.objects.get(pk=recent.pk).status == "proposed"
    # the next day, the second one has its sixty days too (time travel: the job runs on the date it is given)
    assert candidacies_expire(today=today + datetime.timedelta(days=1)) == 1
    assert candidacies_expire(today=today + datetime.timedelta(days=1)) == 0


def test_news_resets_the_sixty_days_and_an_action_in_progress_does_not_expire(offer, pathway, referent, officer):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    Candidacy.objects.filter(pk=candidacy.pk).update(last_news_on=timezone.localdate() - datetime.timedelta(days=59))
    candidacy = _to(candidacy, officer, ("present", None),
                    ("prior_action", {"kind": "training", "start": timezone.localdate()}))
    later = timezone.localdate() + datetime.timedelta(days=200)
    assert candidacies_expire(today=later) == 0


def test_people_cannot_expire_a_candidacy(offer, pathway, referent, coordinator):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    with pytest.raises(TransitionRefused):
        candidacy_decide(candidacy=candidacy, name="expire", by=coordinator)


def test_the_daily_command(offer, pathway, referent, capsys):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    Candidacy.objects.filter(pk=candidacy.pk).update(last_news_on=timezone.localdate() - datetime.timedelta(days=61))
    call_command("candidacies_expire")
    assert "clos : 1" in capsys.readouterr().out


# --- who sees them --------------------------------------------------------------------------------------------------
def test_each_sees_the_candidacies_of_their_people_or_of_their_offers(territory, offer, pathway, referent, officer,
                                                                     foreign_officer):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    other_referent = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory,
                                                                                     operator=True), "referent"))
    assert list(candidacies_visible_to(referent)) == [candidacy]
    assert list(candidacies_visible_to(officer)) == [candidacy]
    assert not candidacies_visible_to(other_referent).exists()
    assert not candidacies_visible_to(foreign_officer).exists()
