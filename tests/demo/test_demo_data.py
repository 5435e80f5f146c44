"""`parcours demo-data`: every stage, every rule of the journey, the demo accounts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from parcours.plie.commissions.enums import CommissionOutcome
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.demo.generator import EXIT_MIX, STATE_MIX, add_months, quota
from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
from parcours.organisations.enums import OrganisationKind, Role
from parcours.organisations.models import Membership, Organisation, User
from parcours.participants.models import Participant
from parcours.pathways.enums import Decision
from parcours.plie.enums import ExitReason, PathwayStatus
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, PathwayTransition, Step
from parcours.plie.models import EmploymentFollowUp, EngagementContract
from parcours.plie.workflow import PATHWAY_WORKFLOW
from parcours.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

PEOPLE = 60


def run(*args) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """One demo of 60 people for the module (generating it for each test would be slow)."""
    with django_db_blocker.unblock():
        call_command("load_territory", stdout=StringIO())
        run("--people", str(PEOPLE), "--seed", "7")
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


@pytest.fixture
def demo(demo_db):
    return None


def test_every_state_and_every_exit_reason(demo):
    assert Participant.objects.filter(youth_file__isnull=True).count() == PEOPLE   # the Mission Locale's apart
    states = set(Pathway.objects.values_list("status", flat=True))
    assert states == set(PathwayStatus.values)
    reasons = set(Pathway.objects.exclude(exit_reason="").values_list("exit_reason", flat=True))
    assert reasons == set(ExitReason.values)
    assert CommissionDecision.objects.filter(outcome=CommissionOutcome.POSTPONED).exists()
    assert Pathway.objects.values("participant").annotate(n=Count("pk")).filter(n__gt=1).exists(), "a re-entry"


def test_quotas_follow_the_mix_and_cover_everything():
    assert len(quota(60, STATE_MIX)) == 60
    assert set(quota(60, STATE_MIX)) == {s for s, _w in STATE_MIX}
    exits = quota(1000, EXIT_MIX)
    assert exits.count(ExitReason.SUSTAINABLE_EMPLOYMENT) == 376
    assert exits.count(ExitReason.ABANDONMENT) == 180
    assert set(quota(9, EXIT_MIX)) == set(ExitReason.values)


def test_dates_are_coherent(demo):
    today = timezone.localdate()
    window = today - timedelta(days=3 * 365 + 200)
    p = Pathway.objects
    assert not p.filter(commission_date__lt=F("application_date")).exists()
    assert not p.filter(entry_date__lt=F("commission_date")).exists()
    assert not p.filter(exit_date__lt=F("entry_date")).exists()
    assert not p.filter(assigned_at__lt=F("application_date")).exists()
    assert not p.filter(Q(application_date__gt=today) | Q(entry_date__gt=today) | Q(exit_date__gt=today)
                        | Q(commission_date__gt=today)).exists()
    assert not p.filter(application_date__lt=window).exists()
    assert not p.filter(entry_date__isnull=False, exit_date__isnull=True).values("participant").annotate(
        n=Count("pk")).filter(n__gt=1).exists()
    assert not Step.objects.filter(Q(start_date__lt=F("pathway__entry_date")) | Q(start_date__gt=F("pathway__exit_date"))
                                   | Q(start_date__gt=today) | Q(end_date__gt=today)).exists()
    assert not Appointment.objects.filter(Q(date__lt=F("pathway__entry_date")) | Q(date__gt=F("pathway__exit_date"))
                                          | Q(date__gt=today)).exists()
    assert not ReceptionInterview.objects.filter(Q(date__lt=F("pathway__assigned_at")) | Q(date__gt=today)).exists()
    assert not Application.objects.filter(Q(participant_signed_on__gt=F("pathway__application_date"))
                                          | Q(prescriber_signed_on__gt=F("pathway__application_date"))).exists()
    assert not Assessment.objects.filter(completed_on__lt=F("pathway__assigned_at")).exists()
    assert not CommissionDecision.objects.filter(commission__date__gt=today).exists()
    assert not CommissionDecision.objects.filter(commission__date__lt=F("pathway__application_date")).exists()
    assert not PathwayTransition.objects.filter(at__date__gt=today).exists()
    assert not BarrierReview.objects.filter(reviewed_on__gt=today).exists()
    # Pathways with an entry have a fully signed contract whose last signature is the entry.
    for contract in EngagementContract.objects.filter(pathway__entry_date__isnull=False).select_related("pathway"):
        assert contract.signature_date == contract.pathway.entry_date


def test_states_match_their_data(demo):
    p = Pathway.objects
    intake = p.filter(status__in=[PathwayStatus.SUBMITTED, PathwayStatus.ASSIGNED, PathwayStatus.ASSESSED])
    assert not intake.filter(Q(entry_date__isnull=False) | ~Q(decision="")).exists()
    assert not p.filter(status=PathwayStatus.SUBMITTED, referent__isnull=False).exists()
    assert not p.filter(status__in=[PathwayStatus.ASSIGNED, PathwayStatus.ACTIVE], referent__isnull=True).exists()
    assert not p.filter(status=PathwayStatus.ADMITTED).filter(Q(decision__in=["", "refused"]) | Q(entry_date__isnull=False)).exists()
    for state, decision in ((PathwayStatus.REFUSED, Decision.REFUSED), (PathwayStatus.REORIENTED, Decision.REORIENTED)):
        closed = p.filter(status=state)
        assert not closed.exclude(decision=decision).exists()
        assert not closed.filter(Q(entry_date__isnull=False) | Q(steps__isnull=False) | Q(appointments__isnull=False)).exists()
    assert not p.filter(status__in=[PathwayStatus.ACTIVE, PathwayStatus.FOLLOWUP]).filter(
        Q(entry_date__isnull=True) | Q(exit_date__isnull=False)).exists()
    assert not p.filter(status=PathwayStatus.EXITED).filter(Q(exit_date__isnull=True) | Q(exit_reason="")).exists()
    assert not p.filter(status=PathwayStatus.FOLLOWUP).exclude(followups__status="open").exists()
    # A sustainable employment exit is the term of its validated follow-up.
    for pathway in p.filter(exit_reason=ExitReason.SUSTAINABLE_EMPLOYMENT):
        followup = pathway.followups.get(status="validated")
        assert pathway.exit_date == followup.due_on == add_months(followup.started_on, 6)
    # Each decision of the pathway is recorded at a commission.
    for pathway in p.exclude(decision=""):
        assert pathway.commission_decisions.filter(outcome=pathway.decision,
                                                   commission__date=pathway.commission_date).exists()
    assert not CommissionDecision.objects.filter(outcome="refused", motive="").exists()


def test_the_log_replays_the_workflow(demo):
    """Each pathway's history is the table's: it starts with a creation, each row leaves from the state the previous
    one reached along a transition of PATHWAY_WORKFLOW with that transition's payload, in time order, and it ends in
    the pathway's state (the engine's `history_problems` reads it)."""
    pathways = Pathway.objects.prefetch_related("transitions")
    assert pathways.count() > 50
    for pathway in pathways:
        rows = list(pathway.transitions.all())
        assert PATHWAY_WORKFLOW.history_problems(rows, final=pathway.status) == [], pathway.pk
        assert rows[0].transition == "submit" and rows[0].by.roles & {"prescriber"}
        assert all(a.at <= b.at for a, b in zip(rows, rows[1:], strict=False))


def test_history_problems_reads_a_drift(demo):
    """The check itself fails on a log the table does not allow (so the test above can fail)."""
    pathway = Pathway.objects.filter(status=PathwayStatus.ACTIVE).prefetch_related("transitions").first()
    rows = list(pathway.transitions.all())
    skipped = [row for row in rows if row.transition != "complete_assessment"]
    assert any("starts from" in p for p in PATHWAY_WORKFLOW.history_problems(skipped, final=pathway.status))
    rows[1].data = {}  # the assignment without its referent and operator
    assert any("is not its payload" in p for p in PATHWAY_WORKFLOW.history_problems(rows, final=pathway.status))
    assert PATHWAY_WORKFLOW.history_problems(rows[:-1], final=pathway.status)[-1].startswith("the history ends in")


def test_model_validation_holds_on_a_sample(demo):
    for model in (Participant, Pathway, Application, ReceptionInterview, Assessment, CommissionDecision,
                  EngagementContract, Step, EmploymentFollowUp, Appointment, BarrierReview, Note,
                  PathwayTransition, Commission):
        sample = list(model.objects.order_by("?")[:15])
        assert sample, model
        for obj in sample:
            obj.full_clean()


def test_eligible_people_mostly(demo):
    entered = Pathway.objects.filter(entry_date__isnull=False).select_related("application")
    assert all(p.application.eligibility["eligible"] for p in entered)
    assert all(p.application.situations or p.participant.qpv_id for p in entered)


def test_rhythm_of_the_journey(demo):
    commissions = list(Commission.objects.order_by("date").values_list("date", flat=True))
    gaps = {(b - a).days for a, b in zip(commissions, commissions[1:], strict=False)}
    assert gaps <= set(range(13, 18))
    durations = Appointment.objects.aggregate(low=Min("duration_minutes"), high=Max("duration_minutes"))
    assert durations["low"] >= 30 and durations["high"] <= 120
    assert Note.objects.exists() and BarrierReview.objects.exists()


def test_demo_accounts_log_in_with_their_roles(demo, client):
    expected = {
        "coordination@demo.parcours.fr": ({Role.COORDINATOR}, "PLIE de Clermont Auvergne Métropole"),
        "direction@demo.parcours.fr": ({Role.DIRECTOR}, "PLIE de Clermont Auvergne Métropole"),
        "referente.infa@demo.parcours.fr": ({Role.REFERENT}, "INFA Auvergne"),
        "referent.inserfac@demo.parcours.fr": ({Role.REFERENT}, "INSERFAC"),
        "prescriptrice.ccas@demo.parcours.fr": ({Role.PRESCRIBER}, "CCAS de Clermont-Ferrand"),
        "admin@demo.parcours.fr": ({Role.ADMINISTRATOR}, "PLIE de Clermont Auvergne Métropole"),
        "relation.entreprises@demo.parcours.fr": ({Role.EMPLOYER_RELATIONS}, "PLIE de Clermont Auvergne Métropole"),
        "conseillere.ml@demo.parcours.fr": ({Role.YOUTH_ADVISER}, "Mission Locale Clermont Métropole et Volcans"),
        "accueil.ml@demo.parcours.fr": ({Role.YOUTH_RECEPTION}, "Mission Locale Clermont Métropole et Volcans"),
        "direction.ml@demo.parcours.fr": ({Role.YOUTH_MANAGER}, "Mission Locale Clermont Métropole et Volcans"),
    }
    assert set(expected) == {a["email"] for a in DEMO_ACCOUNTS}
    for email, (roles, organisation) in expected.items():
        user = User.objects.get(email=email)
        assert user.roles == roles
        assert {m.organisation.name for m in user.active_memberships} == {organisation}
        assert client.login(email=email, password=DEMO_PASSWORD)
        client.logout()
    response = client.post(reverse("web:login"), {"username": "referente.infa@demo.parcours.fr",
                                                  "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_structures_and_referents(demo):
    assert Organisation.objects.filter(kind=OrganisationKind.PRESCRIBER, prescriber_type="france_travail").count() == 3
    assert Organisation.objects.filter(prescriber_type="mission_locale").count() == 2
    referents = Membership.objects.filter(role=Role.REFERENT, organisation__kind=OrganisationKind.OPERATOR)
    assert referents.count() >= 16
    assert referents.values("organisation").distinct().count() == 8
    # Every prescriber organisation that sent an application has its prescriber among its members.
    for application in Application.objects.select_related("prescriber_organisation", "prescribed_by")[:30]:
        assert application.prescribed_by.memberships.filter(
            organisation=application.prescriber_organisation, role=Role.PRESCRIBER).exists()


def test_if_empty_does_nothing_when_people_exist(demo):
    before = Participant.objects.count(), Pathway.objects.count(), User.objects.count()
    out = run("--if-empty")
    assert "existent déjà" in out
    assert (Participant.objects.count(), Pathway.objects.count(), User.objects.count()) == before


def test_the_demo_holds_an_employer_portfolio(demo):
    from parcours.employers.models import Employer, EmployerExchange
    from parcours.employers.naf import naf_divisions
    from stdnum.fr import siret

    employers = list(Employer.objects.all())
    assert len(employers) == 18
    assert all(siret.is_valid(e.siret) and naf_divisions()[e.naf_division].section == e.naf_section
               for e in employers)
    assert {e.partner_status for e in employers} >= {"partner", "prospect"}
    assert EmployerExchange.objects.filter(by__email="relation.entreprises@demo.parcours.fr").exists()


def test_the_demo_holds_the_mission_locales_young_people(demo):
    from parcours.youth.models import YouthEvent, YouthFile

    files = YouthFile.objects.select_related("participant", "adviser")
    assert files.count() == 80
    assert files.filter(adviser__email="conseillere.ml@demo.parcours.fr").count() > 50
    assert all(16 <= (f.first_reception_date - f.participant.birth_date).days // 365.25 <= 25 for f in files)
    assert not files.filter(participant__pathways__isnull=False).exists()   # none of them is in the PLIE
    assert YouthEvent.objects.filter(author__email="conseillere.ml@demo.parcours.fr").exists()
