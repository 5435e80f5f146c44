"""Two territories, several structures, and an object of every kind belonging to structure A of territory A.

The attack tests request A's objects as users of other structures; every participant-level text of A holds a
"canary" (an improbable word) so that a page leaking A's data is caught by searching the response for it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from parcours.accounts.services import api_token_create
from parcours.programmes.models import Programme
from parcours.interchange.enums import ImportState
from parcours.interchange.models import ImportRun
from django.utils import timezone

from parcours.plie.commissions.enums import CommissionStatus
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Assessment, CollectiveActionEntry, ReceptionInterview
from parcours.organisations.models import Membership, MembershipGrantRequest, Organisation, User
from parcours.participants.models import Document, Participant
from parcours.participants.services import document_upload
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway
from parcours.territory.models import Territory

from tests import factories

# Texts only structure A (and its PLIE team) may read. P3 (on the commission's agenda) is not here: the agenda is
# shared by the commission's members, every referent of the territory (docs/authorisation.md).
PRIVATE_CANARIES = (
    "Canarivert", "Ombellinea", "canari.vert@exemple.fr", "Canarijaune", "Canarirouge",
    "Note-canari-7731", "Etape-canari-7732", "Rdv-canari-7733", "Doc-canari-7734", "Contrat-canari-7735",
    "Frein-canari-7736", "Bilan-canari-7737", "Accueil-canari-7738", "Motivation-canari-7739",
    "Motif-canari-7740", "Action-canari-7741", "Justice-canari-7742", "Canarigris", "Marche-canari-7750",
    "Agenda-canari-7760", "Canarijeune", "Evenement-canari-7770",
)
AGENDA_CANARIES = ("Canaribleu",)
ALL_CANARIES = PRIVATE_CANARIES + AGENDA_CANARIES

# Attackers: users of other structures, each role. "same territory" users work in territory A, not in structure A.
ATTACKERS = ("referent_same_territory", "prescriber_same_territory", "referent_other_territory",
             "coordinator_other_territory", "director_other_territory", "administrator_other_territory",
             "dpo_other_territory", "facilitator_other_territory", "action_staff_same_territory",
             "employer_relations_other_territory", "financial_officer_same_territory",
             "youth_adviser_other_territory", "anonymous")
SAME_TERRITORY = frozenset({"referent_same_territory", "prescriber_same_territory"})

PDF_BYTES = b"%PDF-1.4\n% Doc-canari-7734\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@dataclass
class World:
    territory_a: Territory
    territory_b: Territory
    programme_a: Programme            # territory A's PLIE
    plie_a: Organisation
    operator_a: Organisation
    prescriber_org_a: Organisation
    users: dict[str, User | None]
    participant: Participant          # P1: an active pathway with everything
    active: Pathway
    intake: Pathway                   # P2: assigned, reception interview and assessment in progress
    agenda: Pathway                   # P3: assessed, on the planned commission's agenda
    collective: Pathway               # P4: entered through a collective action
    commission: Commission            # planned today, territory A
    decision: CommissionDecision      # in a held commission, on P1's pathway
    document: Document
    step: models.Model
    appointment: models.Model
    membership_a: Membership          # referent A's role in structure A
    grant_request: MembershipGrantRequest   # director of PLIE A asked for referent A by the second administrator
    import_run: models.Model          # a checked import of territory A, waiting for its confirmation
    api_token: models.Model           # an API token of referent A (its own account's)
    newcomer: models.Model            # an account of operator A never signed in, with a second factor (invite, reset)
    operation: models.Model           # an ESF+ operation carried by structure A, with its plan
    participation: models.Model       # P4 in that operation (its questionnaires incomplete)
    clause_contract: models.Model     # a contract with a social clause in territory A, P1 working its hours
    meeting: models.Model             # a collective appointment planned tomorrow by referent A, P1 expected
    attendance: models.Model          # P1's place in it (planned)
    action: models.Model              # an action of step provider A, with a session today
    action_session: models.Model
    positioning: models.Model         # P1 on that action, started (its step on P1's pathway)
    helpdesk: models.Model            # a permanence of territory A (its places page names no person)
    employer: models.Model            # an employer of territory A, with a contact (employer_contact) and an open
    employer_contact: models.Model    # offer (job_offer)
    job_offer: models.Model
    candidacy: models.Model           # P1 put forward for that offer by referent A (proposed)
    recruitment_event: models.Model   # a job dating of territory A today, with a second employer (employer_guest)
    employer_guest: models.Model
    event_invitation: models.Model    # P1 invited to it by referent A (attendance not recorded)
    sponsorship: models.Model         # P1 sponsored from employer A since today, started by referent A
    # ESF+ payment claims of that operation (docs/esf.md): a draft (last year's first half), one under control with
    # its sample drawn (this year, one item to check), one under control without a sample (next year).
    claim: models.Model
    claim_sampled: models.Model
    claim_control: models.Model
    sample_item: models.Model
    # A young person of Mission Locale A (no PLIE pathway), with an event, a situation and an open support theme.
    youth_file: models.Model
    youth_situation: models.Model
    youth_support: models.Model
    youth_enrolment: models.Model     # its PACEA, signed today after its diagnostic, with a phase running
    youth_phase: models.Model
    # Mission Locale A's catalogue entry, a session today with the young person registered, one tomorrow without.
    workshop: models.Model
    workshop_session: models.Model
    workshop_session_next: models.Model
    youth_immersion: models.Model     # its immersion agreement (PMSMP), signed, from today for five days

    def user(self, key: str) -> User | None:
        return self.users[key]


def _newcomer(organisation):
    account = factories.UserFactory(membership=(organisation, "referent"), last_login=None)
    TOTPDevice.objects.create(user=account, name="téléphone", confirmed=True)
    return account


def build_world() -> World:
    today = timezone.localdate()
    territory_a = factories.TerritoryFactory()
    territory_b = factories.TerritoryFactory(name="Autre territoire")
    plie_a = factories.OrganisationFactory(territory=territory_a, plie=True)
    operator_a = factories.OrganisationFactory(territory=territory_a, operator=True, name="Opérateur A")
    operator_b = factories.OrganisationFactory(territory=territory_a, operator=True, name="Opérateur B")
    prescriber_org_a = factories.OrganisationFactory(territory=territory_a, prescriber=True, name="CCAS A")
    prescriber_org_b = factories.OrganisationFactory(territory=territory_a, prescriber=True, name="CCAS B")
    mission_locale_a = factories.OrganisationFactory(territory=territory_a, prescriber=True, name="Mission Locale A")
    plie_b = factories.OrganisationFactory(territory=territory_b, plie=True)
    mission_locale_b = factories.OrganisationFactory(territory=territory_b, prescriber=True, name="Mission Locale B")
    operator_tb = factories.OrganisationFactory(territory=territory_b, operator=True, name="Opérateur TB")
    provider_a = factories.OrganisationFactory(territory=territory_a, kind="step_provider", name="Organisme A")
    provider_b = factories.OrganisationFactory(territory=territory_a, kind="step_provider", name="Organisme B")

    def user(organisation, role):
        return factories.UserFactory(membership=(organisation, role))

    users = {
        # Owners (structure A and its PLIE): the positive controls.
        "coordinator": user(plie_a, "coordinator"),
        "director": user(plie_a, "director"),
        "administrator": user(plie_a, "administrator"),
        "second_administrator": user(plie_a, "administrator"),   # asked for a role: "administrator" confirms
        "referent": user(operator_a, "referent"),
        "prescriber": user(prescriber_org_a, "prescriber"),
        "dpo": user(plie_a, "dpo"),
        "youth_manager": user(mission_locale_a, "youth_manager"),   # the Mission Locale's direction (docs/youth.md)
        "youth_adviser": user(mission_locale_a, "youth_adviser"),   # its advisers open and write the files
        "youth_reception": user(mission_locale_a, "youth_reception"),   # its desk: first reception, identity only
        "facilitator": user(plie_a, "facilitator"),
        "action_staff": user(provider_a, "action_staff"),     # runs provider A's actions (docs/actions.md)
        "employer_relations": user(plie_a, "employer_relations"),   # keeps territory A's employers (docs/employers.md)
        # Attackers.
        "referent_same_territory": user(operator_b, "referent"),
        "prescriber_same_territory": user(prescriber_org_b, "prescriber"),
        "referent_other_territory": user(operator_tb, "referent"),
        "coordinator_other_territory": user(plie_b, "coordinator"),
        "director_other_territory": user(plie_b, "director"),
        "administrator_other_territory": user(plie_b, "administrator"),
        "dpo_other_territory": user(plie_b, "dpo"),
        "facilitator_other_territory": user(plie_b, "facilitator"),
        "employer_relations_other_territory": user(plie_b, "employer_relations"),
        # Another operator's staff of the same territory: nothing of A's people, nor of provider A's actions.
        "action_staff_same_territory": user(provider_b, "action_staff"),
        # The ESF+ roles (docs/esf.md): structure A's financial officer, the PLIE's ESF manager and controller; another
        # operator's financial officer of the same territory sees none of A's claims.
        "financial_officer": user(operator_a, "financial_officer"),
        "esf_manager": user(plie_a, "esf_manager"),
        "esf_controller": user(plie_a, "esf_controller"),
        "financial_officer_same_territory": user(operator_b, "financial_officer"),
        # Another territory's Mission Locale adviser: none of A's young people.
        "youth_adviser_other_territory": user(mission_locale_b, "youth_adviser"),
        "anonymous": None,
    }
    referent = users["referent"]

    def pathway(last_name, first_name, **values):
        person = factories.ParticipantFactory(territory=territory_a, last_name=last_name, first_name=first_name)
        return factories.PathwayFactory(participant=person, operator=operator_a, referent=referent, **values)

    def application(on, motivation="Reprendre un emploi."):
        return factories.ApplicationFactory(pathway=on, prescriber_organisation=prescriber_org_a,
                                            prescribed_by=users["prescriber"], motivation=motivation)

    active = pathway("Canarivert", "Ombellinea", active=True)
    Participant.objects.filter(pk=active.participant_id).update(email="canari.vert@exemple.fr")
    active.participant.refresh_from_db()
    application(active, "Motivation-canari-7739")
    factories.EngagementContractFactory(pathway=active, objectives="Contrat-canari-7735")
    step = factories.StepFactory(pathway=active, comment="Etape-canari-7732")
    appointment = factories.AppointmentFactory(pathway=active, summary="Rdv-canari-7733")
    factories.BarrierReviewFactory(pathway=active, comment="Frein-canari-7736", reviewed_by=referent)
    factories.NoteFactory(pathway=active, author=referent, body="Note-canari-7731")
    document = document_upload(participant=active.participant, pathway=active, by=referent, kind="cv",
                               title="Doc-canari-7734",
                               upload=SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf"))
    held = Commission.objects.create(territory=territory_a, date=today - datetime.timedelta(days=90),
                                     status=CommissionStatus.HELD)
    decision = CommissionDecision.objects.create(commission=held, pathway=active, outcome="admitted",
                                                 motive="Motif-canari-7740", decided_by=users["coordinator"])

    intake = pathway("Canarijaune", "Anselmea", status=PathwayStatus.ASSIGNED, assigned_at=today)
    application(intake)
    ReceptionInterview.objects.create(pathway=intake, date=today, mode="in_person", duration_minutes=45,
                                      place="Agence A", referent=referent, summary="Accueil-canari-7738")
    Assessment.objects.create(pathway=intake, strengths="Bilan-canari-7737", recommendations="Formation.",
                              author=referent)

    agenda = pathway("Canaribleu", "Philomenea", status=PathwayStatus.ASSESSED,
                     assigned_at=today - datetime.timedelta(days=30))
    application(agenda)
    Assessment.objects.create(pathway=agenda, strengths="Ponctualité.", recommendations="Agrément.",
                              author=referent, completed_on=today - datetime.timedelta(days=2))
    # On the agenda: every member reads the barriers and their level; a sensitive one's details stay with A.
    factories.BarrierReviewFactory(pathway=agenda, barrier="justice", level="major", comment="Justice-canari-7742",
                                   reviewed_by=referent)
    factories.BarrierReviewFactory(pathway=agenda, barrier="mobility", level="moderate",
                                   comment="Sans permis de conduire.", reviewed_by=referent)
    commission = Commission.objects.create(territory=territory_a, date=today)  # held today: decisions may be taken

    # P5: sent by A's prescriber, waiting for the team to assign it.
    submitted = factories.PathwayFactory(participant=factories.ParticipantFactory(
        territory=territory_a, last_name="Canarigris", first_name="Zephyrinea"), status=PathwayStatus.SUBMITTED)
    application(submitted)

    collective = pathway("Canarirouge", "Eudoxiea", active=True, entry_route="collective_action")
    CollectiveActionEntry.objects.create(pathway=collective, action_name="Action-canari-7741", selected_on=today,
                                         recorded_by=users["coordinator"])
    operation = factories.OperationFactory(beneficiary=operator_a, plan=True,
                                           start_date=datetime.date(today.year - 1, 1, 1),
                                           end_date=datetime.date(today.year + 1, 12, 31))
    participation = factories.ParticipationFactory(participant=collective.participant, operation=operation,
                                                   entry_date=today)
    action, action_session, positioning = _action(provider_a, active, users)
    return World(
        action=action, action_session=action_session, positioning=positioning,
        territory_a=territory_a, territory_b=territory_b, programme_a=territory_a.programmes.get(), plie_a=plie_a, operator_a=operator_a,
        prescriber_org_a=prescriber_org_a, users=users, participant=active.participant, active=active,
        intake=intake, agenda=agenda, collective=collective, commission=commission, decision=decision,
        document=document, step=step, appointment=appointment,
        membership_a=Membership.objects.get(user=referent, organisation=operator_a),
        grant_request=MembershipGrantRequest.objects.create(
            account=referent, organisation=plie_a, role="director", requested_by=users["second_administrator"],
            expires_at=timezone.now() + datetime.timedelta(days=7)),
        import_run=ImportRun.objects.create(territory=territory_a, created_by=users["coordinator"],
                                            state=ImportState.VALIDATED,
                                            report={"files": {}, "organisations_created": 0, "rows": 0, "changed": 0}),
        api_token=api_token_create(user=referent, label="Logiciel A")[0],
        newcomer=_newcomer(operator_a),
        operation=operation, participation=participation,
        clause_contract=_clause_contract(territory_a, active.participant),
        helpdesk=_helpdesk(territory_a, operator_a),
        **_employer(territory_a, users["employer_relations"], active, referent),
        **_meeting(operator_a, referent, active),
        **_claims(operation, users),
        **_youth(territory_a, users),
    )


def _youth(territory: Territory, users) -> dict:
    """A young person received by Mission Locale A's desk, followed by its adviser: an event, a situation, a theme."""
    from parcours.youth.services import (
        scheme_enter, scheme_phase_add, workshop_create, workshop_registration_create, workshop_session_plan,
        youth_diagnostic_record, youth_event_record, youth_file_receive, youth_situation_record, youth_support_open,
    )

    today = timezone.localdate()
    adviser = users["youth_adviser"]
    youth_file = youth_file_receive(
        by=users["youth_reception"], territory=territory, first_reception_date=today,
        person={"last_name": "Canarijeune", "first_name": "Aurore", "sex": "F",
                "birth_date": datetime.date(today.year - 20, 1, 15)},
        values={"adviser": adviser, "reception_reason": "employment", "referral_source": "self"})
    youth_event_record(by=adviser, youth_file=youth_file, day=today, kind="individual_interview",
                       summary="Evenement-canari-7770")
    youth_diagnostic_record(by=adviser, youth_file=youth_file, day=today, needs="Sans logement stable.")
    pacea = scheme_enter(by=adviser, youth_file=youth_file, scheme="pacea", on=today)
    workshop = workshop_create(by=adviser, territory=territory, values={
        "name": "Atelier A", "kind": "workshop", "theme": "employment", "run_by": "internal", "default_capacity": 10})
    session = workshop_session_plan(by=adviser, workshop=workshop, day=today)
    workshop_registration_create(by=adviser, session=session, youth_file=youth_file)
    phase = scheme_phase_add(by=adviser, enrolment=pacea, start_date=today,
                             planned_end=today + datetime.timedelta(days=30), objectives="Se loger")
    from parcours.youth.services import immersion_draw_up, immersion_sign

    immersion = immersion_sign(by=adviser, agreement=immersion_draw_up(by=adviser, youth_file=youth_file, values={
        "company_name": "Boulangerie Canari", "company_siret": "73282932000074", "company_address": "1 rue Haute",
        "tutor_name": "Anne Tutrice", "trade": "Boulanger", "start_date": today,
        "end_date": today + datetime.timedelta(days=5), "weekly_hours": 35, "aim": "discover_trade"}))
    return {"youth_file": youth_file, "youth_enrolment": pacea, "youth_phase": phase, "workshop": workshop,
            "workshop_session": session,
            "workshop_session_next": workshop_session_plan(by=adviser, workshop=workshop,
                                                           day=today + datetime.timedelta(days=1)),
            "youth_immersion": immersion,
            "youth_situation": youth_situation_record(by=adviser, youth_file=youth_file, category="training",
                                                      start_date=today),
            "youth_support": youth_support_open(by=adviser, youth_file=youth_file, theme="housing", opened_on=today)}


def _employer(territory: Territory, officer: User, pathway: Pathway, referent: User) -> dict:
    from parcours.employers.models import EmployerContact, JobOffer
    from parcours.employers.services import (
        candidacy_propose, event_invitation_create, recruitment_event_employer_add, recruitment_event_save,
        sponsorship_start,
    )

    employer = factories.EmployerFactory(territory=territory, name="Employeur A", created_by=officer)
    offer = JobOffer.objects.create(employer=employer, title="Poste A", contract_type="cdd", hours_per_week=35,
                                    opens_on=timezone.localdate(), created_by=officer)
    guest = factories.EmployerFactory(territory=territory, name="Employeur A invité", created_by=officer)
    event = recruitment_event_save(by=officer, territory=territory, values={
        "kind": "job_dating", "title": "Job dating A", "date": timezone.localdate(), "place": "Salle A"})
    recruitment_event_employer_add(by=officer, event=event, employer=guest)
    return {"employer": employer, "job_offer": offer,
            "candidacy": candidacy_propose(offer=offer, pathway=pathway, by=referent),
            "employer_contact": EmployerContact.objects.create(employer=employer, name="Contact A"),
            "recruitment_event": event, "employer_guest": guest,
            "event_invitation": event_invitation_create(by=referent, event=event, pathway=pathway),
            "sponsorship": sponsorship_start(by=referent, pathway=pathway, values={
                "employer_id": employer.pk, "sponsor_name": "Parrain A", "started_on": timezone.localdate()})}


def _claims(operation, users) -> dict:
    """The operation's claims: a draft, one under control with one sampled item, one under control unsampled."""
    from parcours.esf.services import claim_create, claim_sample_draw, claim_transition

    year = timezone.localdate().year
    officer, controller = users["financial_officer"], users["esf_controller"]

    def controlled(start: datetime.date, end: datetime.date):
        claim = claim_create(operation=operation, by=officer, date_from=start, date_to=end)
        claim = claim_transition(claim=claim, name="submit", by=officer)
        return claim_transition(claim=claim, name="take", by=controller)

    draft = claim_create(operation=operation, by=officer, date_from=datetime.date(year - 1, 1, 1),
                         date_to=datetime.date(year - 1, 6, 30))
    sampled = controlled(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    item = claim_sample_draw(claim=sampled, by=controller, size=1, seed=1)[0]
    return {"claim": draft, "claim_sampled": sampled, "sample_item": item,
            "claim_control": controlled(datetime.date(year + 1, 1, 1), datetime.date(year + 1, 12, 31))}


def _helpdesk(territory: Territory, operator: Organisation) -> models.Model:
    from parcours.territory.models import Helpdesk

    return Helpdesk.objects.create(territory=territory, organisation=operator, kind="permanence",
                                   name="Permanence A", address="Maison de quartier A", opening_hours="mardi matin")


def _meeting(operator: Organisation, referent: User, pathway: Pathway) -> dict:
    """A collective appointment of referent A tomorrow at 10:00, P1 expected (a planned attendance)."""
    from parcours.agenda.models import Attendance, Meeting

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        organiser=referent, organisation=operator, kind="collective", mode="in_person", duration_minutes=60,
        subject="Agenda-canari-7760", starts_at=timezone.make_aware(datetime.datetime.combine(
            tomorrow, datetime.time(10)), timezone.get_current_timezone()))
    return {"meeting": meeting, "attendance": Attendance.objects.create(meeting=meeting, pathway=pathway)}
def _action(provider, pathway, users) -> tuple[models.Model, models.Model, models.Model]:
    """An action of provider A with a session today, P1 proposed by their referent, accepted and started."""
    from parcours.actions.services import positioning_decide, positioning_propose

    today = timezone.localdate()
    action = factories.ActionFactory(operator=provider, created_by=users["coordinator"], title="Atelier A",
                                     start_date=pathway.entry_date)
    session = factories.ActionSessionFactory(action=action, date=today)
    positioning = positioning_propose(action=action, pathway=pathway, by=users["referent"])
    positioning = positioning_decide(positioning=positioning, name="accept", by=users["action_staff"])
    positioning = positioning_decide(positioning=positioning, name="start", by=users["action_staff"],
                                     data={"on": today})
    return action, session, positioning


def _clause_contract(territory: Territory, participant: Participant) -> models.Model:
    """A contract of territory A with one statement of P1 (a PLIE participant working clause hours)."""
    from parcours.clauses.models import Beneficiary, Buyer, ClauseContract, HoursStatement

    today = timezone.localdate()
    buyer = Buyer.objects.create(territory=territory, buyer_ref="B-A", name="Ville A", kind="commune")
    contract = ClauseContract.objects.create(
        contract_ref="M-A", buyer=buyer, title="Marche-canari-7750", legal_basis="execution_condition",
        awardee_siret="11111111100011", awardee_name="BTP A", start_date=today.replace(day=1) - datetime.timedelta(
            days=90), end_date=today + datetime.timedelta(days=365), hours_required=400)
    beneficiary = Beneficiary.objects.create(
        territory=territory, beneficiary_ref="BE-A", participant=participant, sex="F", birth_date=participant.birth_date,
        publics=["plie_participant"], eligibility_date=contract.start_date)
    HoursStatement.objects.create(line_ref="L-A", contract=contract, beneficiary=beneficiary,
                                  month=contract.start_date.replace(day=1), employer_siret="11111111100011",
                                  modality="direct_hire", contract_type="cdd", hours=35)
    return contract
