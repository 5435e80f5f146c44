"""Every URL pattern and API endpoint, walked as users of other structures: nothing of structure A comes out.

How it works (docs/authorisation.md):

- `URLS` classifies every URL name of the project. An object URL says how its kwargs are filled with one of
  structure A's objects (`Obj`); a page without an object id shows the user's own scope (`Own`); a few are public
  (`Public`). **A URL name missing from `URLS` fails `test_every_url_is_classified`**: a new view must be
  classified, and then it is walked like the others.
- `test_walk` requests every URL by GET and by POST as each attacker (users of other structures, each role, and
  anonymous). On an object URL the answer must be 404 (another structure's object), 403 (an area of other roles),
  405, or the sign-in page / 401 for anonymous; never 200, never 500. A POST must change nothing: the row counts
  of every table stay the same. Every 403/404 answered to a signed-in user leaves one `RefusedAccess` row. A 403
  on A's object must also be the answer for a missing object (else the 403 says "this exists": it must be 404).
  On the other URLs, a 200 must not contain any of A's canaries (see world.py).
- `test_owners_reach_every_object_url` is the control: A's own users do reach each object URL (so the ids used
  are the right ones), and each POST payload does write when they send it (so "nothing changed" means something).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parcours.audit.models import AuditEvent, RefusedAccess
from parcours.participants.models import Participant

from tests import factories
from tests.conftest import VerifiedClient
from tests.security.world import (
    AGENDA_CANARIES, ATTACKERS, PRIVATE_CANARIES, SAME_TERRITORY, World, build_world,
)

Kwargs = Callable[[World], dict]
Payload = Callable[[World], dict]


@dataclass(frozen=True)
class Obj:
    """The URL names one of structure A's objects; `owner` is a user of A who may open it (the control)."""

    kind: str
    kwargs: Kwargs
    owner: str = "coordinator"
    payload: Payload | None = None
    # Roles of the same territory for which the object is shared by design, with the reason; for them the page
    # may answer 200 but must still hold none of structure A's private texts.
    shared: tuple[frozenset, str] | None = None
    # Attackers who know by design that the object exists (they see it elsewhere): a 403 tells them nothing.
    known_to: frozenset = frozenset()


@dataclass(frozen=True)
class Own:
    """No object in the URL: the page shows the signed-in user's own scope (lists, forms, their account)."""

    reason: str
    query: Kwargs | None = None   # object ids passed in the query string, filled with A's


@dataclass(frozen=True)
class Public:
    """Open without signing in, and showing no personal data."""

    reason: str


def _today() -> str:
    return timezone.localdate().isoformat()


def _action_values(w: World) -> dict:
    a = w.action
    return {"operator": a.operator_id, "kind": a.kind, "title": "Atelier A renommé", "places": a.places,
            "start_date": a.start_date.isoformat(), "end_date": a.end_date.isoformat(), "address": a.address,
            "step_type": a.step_type}


def _rectification(w: World) -> dict:
    p = w.participant
    data = {"version": p.version, "last_name": "Rectifié", "first_name": p.first_name, "sex": p.sex,
            "birth_date": p.birth_date.isoformat(), "email": p.email, "commune": p.commune_id or "",
            "education_level": p.education_level or ""}
    for name in ("rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"):
        value = p.situation(name)
        data[name] = {True: "true", False: "false", None: "unknown"}[value]
    return data


def _esf_operation(w: World) -> dict:
    o = w.operation
    return {"operation_ref": o.operation_ref, "title": "Changé", "beneficiary": o.beneficiary_id,
            "start_date": o.start_date.isoformat(), "end_date": o.end_date.isoformat()}


def _esf_amendment(w: World) -> dict:
    o = w.operation
    data = {"date": _today(), "reason": "Avenant", "total_eligible_cost": str(o.total_eligible_cost),
            "esf_amount": str(o.esf_amount), "plan-TOTAL_FORMS": "2", "plan-INITIAL_FORMS": "0"}
    for i, line in enumerate(o.cofinancing.order_by("pk")):
        data |= {f"plan-{i}-funder_kind": line.funder_kind, f"plan-{i}-year": line.year,
                 f"plan-{i}-planned": str(line.planned), f"plan-{i}-actual": "1.00"}
    return data


def _esf_questionnaire(w: World, **values) -> dict:
    return {"entry_date": _today(), "labour_status": "inactive", "information_given_on": _today(),
            "consent_given_on": _today(), **values}


def _employer_values(w: World) -> dict:
    e = w.employer
    return {"version": e.version, "siret": e.siret, "name": "Employeur A renommé", "naf_division": e.naf_division,
            "size_band": e.size_band, "partner_status": e.partner_status}


EMPLOYER = lambda w: {"pk": w.employer.pk}  # noqa: E731
OFFER = lambda w: {"pk": w.job_offer.pk}  # noqa: E731
CANDIDACY = lambda w: {"pk": w.candidacy.pk}  # noqa: E731
EVENT = lambda w: {"pk": w.recruitment_event.pk}  # noqa: E731
SPONSORSHIP = lambda w: {"pk": w.sponsorship.pk}  # noqa: E731
YOUTH_FILE = lambda w: {"pk": w.youth_file.pk}  # noqa: E731
IMMERSION = lambda w: {"pk": w.youth_file.pk, "immersion_pk": w.youth_immersion.pk}  # noqa: E731
PATHWAY = {"pk": lambda w: w.active.pk}
INTAKE = lambda w: {"pk": w.intake.pk}  # noqa: E731
PARTICIPANT = lambda w: {"pk": w.participant.pk}  # noqa: E731
COMMISSION = lambda w: {"pk": w.commission.pk}  # noqa: E731
MEETING = lambda w: {"pk": w.meeting.pk}  # noqa: E731
ATTENDANCE = lambda w: {"pk": w.attendance.pk}  # noqa: E731
COMMISSION_MEMBERS = (frozenset({"referent_same_territory"}),
                      "every referent of the territory sits on its commission and reads its agenda "
                      "(docs/authorisation.md: commission agenda, R for referents)")

URLS: dict[str, Obj | Own | Public] = {
    # --- public ---------------------------------------------------------------------------------------------------
    "web:login": Public("the sign-in page"),
    "web:logout": Public("signs out whoever calls it (POST only); nothing to read"),
    "web:password_reset": Public("asks a link by e-mail; answers alike whether the account exists "
                                 "(tests/accounts/test_account_mail.py)"),
    "web:password_reset_done": Public("a static sentence"),
    "web:password_reset_confirm": Public("Django's one-use token of one account; nothing without it "
                                         "(tests/accounts/test_account_mail.py)"),
    "web:password_reset_complete": Public("a static sentence"),
    "web:health": Public("liveness probe, 'ok' without database access"),
    "api:schema": Public("the OpenAPI description of the API: no data"),
    "api:docs": Public("the Swagger page that reads that description: no data"),
    # --- own scope ------------------------------------------------------------------------------------------------
    "web:home": Own("the user's work lists, from the scoped selectors"),
    "web:scope_switch": Own("chooses one of the user's own memberships (POST); another's is a 404 (tests/web/test_scope.py)"),
    "api_access:token": Own("the user's own API tokens: creates one, lists them"),
    "accounts:account": Own("the user's own account, with their API tokens"),
    "accounts:api_token_revoke": Obj("API token", lambda w: {"pk": w.api_token.pk}, owner="referent",
                                     payload=lambda w: {}),
    "accounts:verify": Own("second-factor code of the pending sign-in"),
    "accounts:reauthenticate": Own("the user's own password"),
    "accounts:twofactor_enrol": Own("the user's own second factor"),
    "accounts:recovery_codes": Own("the user's own recovery codes"),
    "accounts:twofactor_remove": Own("the user's own second factor"),
    "accounts:email_change": Own("the user's own e-mail"),
    "accounts:password_change": Own("the user's own password"),
    "audit:access_log": Own("the DPO's territories only; ?participant= filters within them",
                            query=lambda w: {"participant": w.participant.pk}),
    "audit:change_history": Own("the DPO's territories only", query=lambda w: {"participant": w.participant.pk}),
    "audit:refused_access": Own("the DPO's territories only"),
    "api:participant-list": Own("participants_visible_to"),
    "api:pathway-list": Own("pathways_visible_to"),
    "administration:overview": Own("structures of the administrator's territories"),
    "administration:organisation_create": Own("creates a structure in the administrator's territory"),
    "administration:user_list": Own("accounts of the administrator's territories"),
    "administration:user_create": Own("creates an account"),
    "rights:guide": Own("a static guide"),
    "pathways:caseload": Own("pathway_caseload, from pathways_visible_to"),
    "pathways:caseload_export": Own("pathway_caseload, from pathways_visible_to, as a file"),
    "intake:application_list": Own("application_full / applications_sent"),
    "intake:application_create": Own("a new application; ?participant= (re-entry) must be visible",
                                     query=lambda w: {"participant": w.participant.pk}),
    "intake:eligibility_preview": Own("computes eligibility from what is posted"),
    "intake:person_search": Own("participants_search, from participants_visible_to"),
    "intake:assignment_queue": Own("applications_awaiting_assignment, from pathways_visible_to"),
    "intake:assessments_due": Own("assessments_due, from pathways_visible_to"),
    "intake:collective_entry": Own("a new entry; ?participant= must be visible",
                                   query=lambda w: {"participant": w.participant.pk}),
    "commissions:commission_list": Own("commissions_for, from commissions_visible_to"),
    "reporting:indicators": Own("aggregated figures of the team's territories"),
    "reporting:export": Own("the same figures as a file", query=None),
    "youth:report": Own("the Mission Locale's aggregated, anonymous figures of the user's territory"),
    "youth:file_list": Own("the young people of the territories where the user holds youth.read or youth.receive"),
    "youth:reception": Own("a first reception into the user's own territory (youth.receive)"),
    "youth:workshop_list": Own("the workshops' catalogue of the territories where the user holds youth.read"),
    "youth:workshop_create": Own("a catalogue entry of the user's own territory (youth.write)"),
    "youth:immersion_follow_ups_due": Own("the immersions' follow-ups due in the territories where the user holds "
                                          "youth.read"),
    # --- objects of structure A -----------------------------------------------------------------------------------
    "pathways:pathway_detail": Obj("pathway", lambda w: {"pk": w.active.pk}),
    "pathways:pathway_act": Obj("pathway", lambda w: {"pk": w.active.pk, "name": "exit"},
                                payload=lambda w: {"reason": "moved", "exit_date": _today()}),
    # No payload: the contract of a pathway already entered is read-only, even for its owners.
    "pathways:contract_edit": Obj("contract", lambda w: {"pk": w.active.pk}),
    "pathways:contract_pdf": Obj("contract", lambda w: {"pk": w.active.pk}),
    "pathways:step_add": Obj("step", lambda w: {"pk": w.active.pk},
                             payload=lambda w: {"step_type": "mobilisation", "start_date": _today(),
                                                "operator_name": "Organisme"}),
    "pathways:step_edit": Obj("step", lambda w: {"pk": w.active.pk, "step_pk": w.step.pk},
                              payload=lambda w: {"step_type": "mobilisation", "start_date": _today(),
                                                 "operator_name": "Changé", "version": w.step.version}),
    "pathways:step_end": Obj("step", lambda w: {"pk": w.active.pk, "step_pk": w.step.pk},
                             payload=lambda w: {"end_date": _today(), "version": w.step.version}),
    "pathways:appointment_add": Obj("appointment", lambda w: {"pk": w.active.pk},
                                    payload=lambda w: {"date": _today(), "kind": "individual", "mode": "in_person",
                                                       "duration_minutes": 30}),
    "pathways:barrier_review_add": Obj("barrier review", lambda w: {"pk": w.active.pk},
                                       payload=lambda w: {"barrier": "housing", "level": "moderate",
                                                          "reviewed_on": _today()}),
    "pathways:note_add": Obj("note", lambda w: {"pk": w.active.pk}, owner="referent",
                             payload=lambda w: {"body": "Une note de plus."}),
    "pathways:document_add": Obj("document", lambda w: {"pk": w.active.pk}),
    "pathways:document_download": Obj("document", lambda w: {"pk": w.document.pk}),
    "intake:application_detail": Obj("application", INTAKE),
    "intake:assign": Obj("application", INTAKE,
                         payload=lambda w: {"membership": w.membership_a.pk}),
    "intake:reception": Obj("reception interview", INTAKE,
                            payload=lambda w: {"date": _today(), "mode": "phone", "duration_minutes": 20,
                                               "place": "Téléphone"}),
    "intake:assessment": Obj("assessment", INTAKE,
                             payload=lambda w: {"strengths": "Changé", "recommendations": "Changé"}),
    "intake:assessment_complete": Obj("assessment", INTAKE),
    "intake:collective_entry_done": Obj("collective action entry", lambda w: {"pk": w.collective.pk}),
    "commissions:commission_detail": Obj("commission", COMMISSION, shared=COMMISSION_MEMBERS),
    # The territory's referents see the commission and its agenda: its decision and closing buttons answer 403.
    "commissions:decide": Obj("commission decision", lambda w: {"pk": w.commission.pk, "pathway_pk": w.agenda.pk},
                              payload=lambda w: {f"p{w.agenda.pk}-outcome": "admitted"},
                              known_to=COMMISSION_MEMBERS[0]),
    "commissions:close": Obj("commission", COMMISSION, known_to=COMMISSION_MEMBERS[0]),
    "commissions:decision_record": Obj("commission", lambda w: {"pk": w.decision.commission_id},
                                       known_to=COMMISSION_MEMBERS[0]),
    "commissions:prescriber_letter": Obj("commission decision", lambda w: {"pk": w.decision.pk}),
    "rights:participant_rights": Obj("participant", PARTICIPANT),
    "rights:export": Obj("participant", PARTICIPANT),
    "rights:rectify": Obj("participant", PARTICIPANT, payload=_rectification),
    "rights:erase": Obj("participant", PARTICIPANT),
    "administration:programme_rules": Obj("programme", lambda w: {"pk": w.programme_a.pk}, owner="administrator"),
    "administration:organisation_edit": Obj("organisation", lambda w: {"pk": w.operator_a.pk},
                                            owner="administrator",
                                            payload=lambda w: {"name": "Renommée", "kind": "operator",
                                                               "is_active": "on"}),
    "administration:user_edit": Obj("user", lambda w: {"pk": w.users["referent"].pk}, owner="administrator",
                                     payload=lambda w: {"first_name": "Changé", "last_name": "Changé",
                                                        "email": w.users["referent"].email, "is_active": "on"}),
    "administration:membership_create": Obj("membership", lambda w: {"pk": w.users["referent"].pk},
                                            owner="administrator",
                                            payload=lambda w: {"organisation": w.plie_a.pk, "role": "coordinator"}),
    "administration:membership_remove": Obj("membership", lambda w: {"pk": w.membership_a.pk},
                                            owner="administrator"),
    "administration:user_invite": Obj("user", lambda w: {"pk": w.newcomer.pk}, owner="administrator",
                                      payload=lambda w: {}),
    "administration:user_twofactor_reset": Obj("user", lambda w: {"pk": w.newcomer.pk},
                                               owner="administrator", payload=lambda w: {}),
    # The pending request was made by the second administrator of A: the first one may confirm or refuse it.
    "administration:grant_request_confirm": Obj("grant request", lambda w: {"pk": w.grant_request.pk},
                                                owner="administrator", payload=lambda w: {}),
    "administration:grant_request_refuse": Obj("grant request", lambda w: {"pk": w.grant_request.pk},
                                               owner="administrator", payload=lambda w: {}),
    "administration:grant_request_cancel": Obj("grant request", lambda w: {"pk": w.grant_request.pk},
                                               owner="second_administrator", payload=lambda w: {}),
    "api:participant-detail": Obj("participant", PARTICIPANT),
    "api:pathway-detail": Obj("pathway", lambda w: {"pk": w.active.pk}),
    "api:pathway-step-list": Obj("step", lambda w: {"pathway_pk": w.active.pk}, owner="referent",
                                 payload=lambda w: {"step_type": "mobilisation",
                                                    "start_date": w.active.entry_date.isoformat()}),
    "api:pathway-step-detail": Obj("step", lambda w: {"pathway_pk": w.active.pk, "pk": w.step.pk}),
    "api:pathway-appointment-list": Obj("appointment", lambda w: {"pathway_pk": w.active.pk}),
    "api:application-list": Own("applications_visible_to; POST: application_submit for the user's own prescribing "
                                "structures"),
    "api:application-detail": Obj("application", lambda w: {"pk": w.active.pk}),
    "api:indicators": Own("aggregated figures of the user's team territories; 403 to other roles"),
    # --- the agenda (docs/agenda.md) ---------------------------------------------------------------------------------
    "agenda:agenda": Own("the user's own appointments and those of the files they may open (agenda.access)"),
    "agenda:agenda_ics": Own("the user's own appointments of the coming three months"),
    "agenda:meeting_plan": Obj("pathway", lambda w: {"pk": w.active.pk}, owner="referent", payload=lambda w: {
        "subject": "Point", "day": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(), "hour": "10:00",
        "duration_minutes": "30", "kind": "individual", "mode": "in_person"}),
    "agenda:meeting_detail": Obj("meeting", MEETING, owner="referent"),
    "agenda:meeting_ics": Obj("meeting", MEETING, owner="referent"),
    "agenda:meeting_move": Obj("meeting", MEETING, owner="referent", payload=lambda w: {
        "move-day": (timezone.localdate() + datetime.timedelta(days=4)).isoformat(), "move-hour": "11:00",
        "move-reason": "Salle prise"}),
    "agenda:meeting_cancel": Obj("meeting", MEETING, owner="referent", payload=lambda w: {"cancel-reason": "Grève"}),
    "agenda:attendance_add": Obj("meeting", MEETING, owner="referent",
                                 payload=lambda w: {"pathway": w.collective.pk}),
    "employers:employer_list": Own("the employers of the territories where the user holds employers.read"),
    "employers:employer_create": Own("an employer of the user's own territory (employers.manage)"),
    "employers:employer_detail": Obj("employer", EMPLOYER, owner="employer_relations", shared=(
        frozenset({"referent_same_territory"}), "the territory's portfolio: every referent of it reads its employers "
                                                "(to propose people to their offers), which name no person")),
    "employers:employer_edit": Obj("employer", EMPLOYER, owner="employer_relations", payload=_employer_values),
    "employers:contact_add": Obj("employer", EMPLOYER, owner="employer_relations", payload=lambda w: {
        "contact-name": "Nouveau contact", "contact-is_active": "on"}, known_to=frozenset({"referent_same_territory"})),
    "employers:contact_edit": Obj("employer", lambda w: {"pk": w.employer.pk, "contact_pk": w.employer_contact.pk},
                                  owner="employer_relations", payload=lambda w: {"name": "Contact A renommé"},
                                  known_to=frozenset({"referent_same_territory"})),
    "employers:exchange_add": Obj("employer", EMPLOYER, owner="employer_relations", payload=lambda w: {
        "exchange-kind": "call", "exchange-date": _today(), "exchange-summary": "Appel"},
        known_to=frozenset({"referent_same_territory"})),
    "employers:offer_list": Own("the offers of the employers the user reads (employers.read)",
                                query=lambda w: {"employer": w.employer.pk}),
    "employers:offer_create": Obj("employer", EMPLOYER, owner="employer_relations", payload=lambda w: {
        "title": "Poste B", "contract_type": "cdi", "hours_per_week": "35", "places": "1", "opens_on": _today(),
        "status": "open"}, known_to=frozenset({"referent_same_territory"})),
    "employers:offer_detail": Obj("job_offer", OFFER, owner="employer_relations", shared=(
        frozenset({"referent_same_territory"}), "the territory's offers: every referent of it reads them to propose "
                                                "people, and they name no person")),
    "employers:offer_edit": Obj("job_offer", OFFER, owner="employer_relations", payload=lambda w: {
        "version": w.job_offer.version, "title": "Poste A renommé", "contract_type": "cdd", "hours_per_week": "35",
        "places": "1", "opens_on": w.job_offer.opens_on.isoformat(), "status": "open"},
        known_to=frozenset({"referent_same_territory"})),
    "employers:candidacy_propose": Obj("pathway", lambda w: {"pk": w.job_offer.pk, "pathway": w.collective.pk},
                                       owner="referent", payload=lambda w: {"comment": "Pour P4"}),
    "employers:candidacy_detail": Obj("candidacy", CANDIDACY, owner="referent"),
    "employers:candidacy_decide": Obj("candidacy", lambda w: {"pk": w.candidacy.pk, "name": "present"},
                                      owner="employer_relations", payload=lambda w: {}),
    "employers:event_list": Own("the recruitment events of the territories where the user holds employers.read"),
    "employers:event_create": Own("an event of the user's own territory (employers.manage)"),
    "employers:event_detail": Obj("recruitment_event", EVENT, owner="employer_relations", shared=(
        frozenset({"referent_same_territory"}), "the territory's events: every referent of it reads them to invite "
                                                "people; it shows them only the people they follow")),
    "employers:event_edit": Obj("recruitment_event", EVENT, owner="employer_relations", payload=lambda w: {
        "kind": "forum", "title": "Forum A", "date": _today()}, known_to=frozenset({"referent_same_territory"})),
    "employers:event_employer_add": Obj("recruitment_event", EVENT, owner="employer_relations",
                                        payload=lambda w: {"employer": w.employer.pk},
                                        known_to=frozenset({"referent_same_territory"})),
    "employers:event_employer_remove": Obj("recruitment_event", lambda w: {
        "pk": w.recruitment_event.pk, "employer_pk": w.employer_guest.pk}, owner="employer_relations",
        payload=lambda w: {}, known_to=frozenset({"referent_same_territory"})),
    "employers:event_attendance": Obj("recruitment_event", EVENT, owner="employer_relations", payload=lambda w: {
        f"attended_{w.event_invitation.pk}": "yes"}, known_to=frozenset({"referent_same_territory"})),
    "employers:event_invite": Obj("pathway", lambda w: {"pathway": w.collective.pk}, owner="referent",
                                  payload=lambda w: {"event": w.recruitment_event.pk}),
    "employers:invitation_withdraw": Obj("event_invitation", lambda w: {"pk": w.event_invitation.pk},
                                         owner="referent", payload=lambda w: {}),
    "employers:sponsorship_list": Own("the sponsorships of the people the user follows, or of the territory's "
                                      "employers they keep"),
    "employers:sponsorship_create": Obj("pathway", lambda w: {"pathway": w.collective.pk}, owner="referent",
                                        payload=lambda w: {"employer": w.employer.pk, "sponsor_name": "Marraine B",
                                                           "started_on": _today()}),
    "employers:sponsorship_detail": Obj("sponsorship", SPONSORSHIP, owner="referent"),
    "employers:sponsorship_meeting_add": Obj("sponsorship", SPONSORSHIP, owner="referent", payload=lambda w: {
        "meeting-date": _today(), "meeting-summary": "Première rencontre"}),
    "employers:sponsorship_end": Obj("sponsorship", SPONSORSHIP, owner="referent", payload=lambda w: {
        "end-ended_on": _today(), "end-outcome": "employment"}),
    "places:place_list": Own("the places of the user's territories; they name no person (docs/places.md)"),
    "places:place_create": Own("a new place of the user's own territory (places.manage)"),
    "places:place_edit": Obj("helpdesk", lambda w: {"pk": w.helpdesk.pk}, payload=lambda w: {
        "name": "Permanence A renommée", "kind": "permanence", "organisation": w.operator_a.pk,
        "address": "Maison de quartier A", "opening_hours": "mardi matin"},
        known_to=SAME_TERRITORY | {"action_staff_same_territory"}),
    "agenda:attendance_mark": Obj("attendance", ATTENDANCE, owner="referent",
                                  payload=lambda w: {"transition": "excused", "reason": "Malade"}),
    "agenda:convocation_send": Obj("attendance", ATTENDANCE, owner="referent", payload=lambda w: {}),
    "agenda:convocation_pdf": Obj("attendance", ATTENDANCE, owner="referent"),
    "clauses:contract_list": Own("the contracts of the territories where the user holds clauses.read"),
    "clauses:report": Own("aggregated figures of the territories where the user holds clauses.read"),
    "clauses:contract_detail": Obj("clause contract", lambda w: {"pk": w.clause_contract.pk}, owner="facilitator"),
    "clauses:statement_add": Obj("clause contract", lambda w: {"pk": w.clause_contract.pk}, owner="facilitator",
                                 payload=lambda w: {"beneficiary": w.clause_contract.statements.get().beneficiary_id,
                                                    "month": _today()[:7], "employer_siret": "11111111100011",
                                                    "modality": "direct_hire", "contract_type": "cdd",
                                                    "hours": "7.5"}),
    "clauses:buyer_create": Own("a new buyer of the user's own territory (clauses.manage)"),
    "clauses:buyer_edit": Obj("clause buyer", lambda w: {"pk": w.clause_contract.buyer_id}, owner="facilitator",
                              payload=lambda w: {"name": "Ville A renommée", "kind": "epci"}),
    "clauses:contract_create": Own("a new contract of one of the user's own buyers (clauses.manage)"),
    "clauses:contract_edit": Obj("clause contract", lambda w: {"pk": w.clause_contract.pk}, owner="facilitator",
                                 payload=lambda w: {
                                     "buyer": w.clause_contract.buyer_id, "title": "Marche A renomme",
                                     "legal_basis": "execution_condition", "awardee_siret": "73282932000074",
                                     "awardee_name": "BTP A", "start_date": w.clause_contract.start_date.isoformat(),
                                     "end_date": w.clause_contract.end_date.isoformat(), "hours_required": "500"}),
    "clauses:beneficiary_list": Own("the beneficiaries of the territories where the user holds clauses.read"),
    "clauses:beneficiary_create": Own("a new beneficiary of the user's own territory (clauses.manage)"),
    "clauses:beneficiary_edit": Obj("clause beneficiary", lambda w: {
        "pk": w.clause_contract.statements.get().beneficiary_id}, owner="facilitator", payload=lambda w: {
        "sex": "F", "birth_date": "1980-05-17", "publics": ["plie_participant", "rsa"],
        "eligibility_date": w.clause_contract.start_date.isoformat()}),
    "clauses:buyer_report_xlsx": Obj("clause contract", lambda w: {"pk": w.clause_contract.pk}, owner="facilitator"),
    "clauses:buyer_report_pdf": Obj("clause contract", lambda w: {"pk": w.clause_contract.pk}, owner="facilitator"),
    "actions:catalogue": Own("the actions of the territories where the user holds actions.read"),
    "actions:action_create": Own("an action of an operator of the territories the user manages (actions.manage)"),
    "actions:operator_home": Own("the actions of the user's own operator structure (actions.run), counts only"),
    "actions:action_detail": Obj("action", lambda w: {"pk": w.action.pk}, shared=(
        SAME_TERRITORY, "the territory's catalogue: every referent and prescriber of it reads its actions, which "
                        "name no person")),
    "actions:action_edit": Obj("action", lambda w: {"pk": w.action.pk}, payload=_action_values),
    "actions:session_add": Obj("action", lambda w: {"pk": w.action.pk},
                               payload=lambda w: {"day": _today(), "start_time": "14:00", "end_time": "16:00"}),
    "actions:propose": Obj("action", lambda w: {"pk": w.action.pk, "pathway": w.collective.pk}, owner="referent",
                           payload=lambda w: {"comment": "Une action pour P4."}),
    "actions:action_people": Obj("action", lambda w: {"pk": w.action.pk}, owner="action_staff"),
    "actions:decide": Obj("positioning", lambda w: {"pk": w.positioning.pk, "name": "complete"},
                          owner="action_staff",
                          payload=lambda w: {f"p{w.positioning.pk}-complete-on": _today()}),
    "actions:attendance": Obj("action session", lambda w: {"pk": w.action_session.pk}, owner="action_staff",
                              payload=lambda w: {f"mark-{w.positioning.pk}": "present"}),
    "imports:import_list": Own("the import runs of the user's team territories"),
    "imports:import_create": Own("an upload into the user's own territory"),
    "imports:import_detail": Obj("import run", lambda w: {"pk": w.import_run.pk}),
    "imports:import_progress": Obj("import run", lambda w: {"pk": w.import_run.pk}),
    "imports:import_confirm": Obj("import run", lambda w: {"pk": w.import_run.pk}),
    "imports:import_cancel": Obj("import run", lambda w: {"pk": w.import_run.pk}),
    "esf:operation_list": Own("operations of the territories where the user holds esf.read"),
    "esf:operation_create": Own("an operation carried by a structure of the territories the user manages"),
    "esf:operation_detail": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}),
    "esf:operation_edit": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}, payload=_esf_operation),
    "esf:operation_amend": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}, payload=_esf_amendment),
    "esf:operation_completeness": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}),
    "esf:operation_claim": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}),
    "esf:pathway_participations": Obj("ESF+ participation", lambda w: {"pk": w.active.pk}, owner="referent",
                                      payload=lambda w: _esf_questionnaire(w, operation=w.operation.pk)),
    "esf:participation_edit": Obj("ESF+ participation", lambda w: {"pk": w.collective.pk,
                                                                   "participation_pk": w.participation.pk},
                                  owner="referent", payload=_esf_questionnaire),
    # ESF+ payment claims (docs/esf.md): read with esf.read (the territory's) or esf.claim (the structure's).
    "esf:claim_list": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}),
    "esf:claim_create": Obj("ESF+ operation", lambda w: {"pk": w.operation.pk}, owner="financial_officer",
                            payload=lambda w: {"date_from": f"{w.claim.date_from.year}-07-01",
                                               "date_to": f"{w.claim.date_from.year}-12-31"}),
    "esf:claim_detail": Obj("ESF+ claim", lambda w: {"pk": w.claim.pk}),
    "esf:claim_act": Obj("ESF+ claim", lambda w: {"pk": w.claim.pk, "name": "submit"}, owner="financial_officer",
                         payload=lambda w: {}),
    "esf:claim_sample_draw": Obj("ESF+ claim", lambda w: {"pk": w.claim_control.pk}, owner="esf_controller",
                                 payload=lambda w: {"size": "1", "seed": "7"}),
    "esf:claim_sample_check": Obj("ESF+ sampled item", lambda w: {"pk": w.claim_sampled.pk,
                                                                  "item_pk": w.sample_item.pk},
                                  owner="esf_controller",
                                  payload=lambda w: {f"i{w.sample_item.pk}-outcome": "checked"}),
    "esf:claim_export": Obj("ESF+ claim", lambda w: {"pk": w.claim.pk}),
    "esf:claim_pdf": Obj("ESF+ claim", lambda w: {"pk": w.claim.pk}),
    # The Mission Locale's young people (docs/youth.md): its advisers write, its desk finds and reads the identity.
    "youth:file_detail": Obj("youth file", YOUTH_FILE, owner="youth_adviser"),
    "youth:file_edit": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "version": w.youth_file.version, "last_name": "Canarijeune", "first_name": "Aurore", "sex": "F",
        "birth_date": w.youth_file.participant.birth_date.isoformat(), "phone": "0612345678"}),
    "youth:event_add": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "event-date": _today(), "event-kind": "phone"}),
    "youth:situation_add": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "situation-category": "schooling", "situation-start_date": _today()}),
    "youth:situation_end": Obj("youth situation", lambda w: {"pk": w.youth_file.pk,
                                                             "situation_pk": w.youth_situation.pk},
                               owner="youth_adviser", payload=lambda w: {"end_date": _today()}),
    "youth:support_open": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "support-theme": "mobility", "support-opened_on": _today()}),
    "youth:support_close": Obj("youth support", lambda w: {"pk": w.youth_file.pk, "support_pk": w.youth_support.pk},
                               owner="youth_adviser", payload=lambda w: {"closed_on": _today()}),
    "youth:diagnostic_add": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "date": _today(), "needs": "Un second diagnostic"}),
    # P's PACEA is open: the walk's entry is a CEJ the owner's post is refused (one scheme at a time); the PACEA's
    # own signature is in tests/youth/test_schemes.py.
    "youth:scheme_enter": Obj("youth file", lambda w: {"pk": w.youth_file.pk, "scheme": "cej"},
                              owner="youth_adviser"),
    "youth:scheme_end": Obj("youth enrolment", lambda w: {"pk": w.youth_file.pk,
                                                          "enrolment_pk": w.youth_enrolment.pk},
                            owner="youth_adviser"),
    "youth:phase_add": Obj("youth enrolment", lambda w: {"pk": w.youth_file.pk,
                                                         "enrolment_pk": w.youth_enrolment.pk},
                           owner="youth_adviser"),
    "youth:phase_evaluate": Obj("youth phase", lambda w: {"pk": w.youth_file.pk, "phase_pk": w.youth_phase.pk},
                                owner="youth_adviser", payload=lambda w: {"end_date": _today(),
                                                                          "evaluation": "Logée"}),
    "youth:aid_add": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "fund": "faj", "decision_date": _today(), "amount": "120"}),
    # Workshops and information sessions (docs/youth.md): the catalogue, sessions, registrations, attendance.
    "youth:file_workshop_register": Obj("youth file", YOUTH_FILE, owner="youth_adviser", payload=lambda w: {
        "session": w.workshop_session_next.pk}),
    "youth:workshop_detail": Obj("workshop", lambda w: {"pk": w.workshop.pk}, owner="youth_adviser"),
    "youth:workshop_edit": Obj("workshop", lambda w: {"pk": w.workshop.pk}, owner="youth_adviser",
                               payload=lambda w: {"name": "Atelier A renommé", "kind": "workshop",
                                                  "theme": "employment", "run_by": "internal", "is_active": "on"}),
    "youth:session_create": Obj("workshop", lambda w: {"pk": w.workshop.pk}, owner="youth_adviser",
                                payload=lambda w: {"date": _today(), "start_time": "09:30"}),
    "youth:session_detail": Obj("workshop session", lambda w: {"pk": w.workshop_session.pk}, owner="youth_adviser"),
    "youth:session_sheet": Obj("workshop session", lambda w: {"pk": w.workshop_session.pk}, owner="youth_adviser"),
    "youth:session_register": Obj("workshop session", lambda w: {"pk": w.workshop_session_next.pk},
                                  owner="youth_adviser", payload=lambda w: {"youth_ref": w.youth_file.youth_ref}),
    "youth:session_attendance": Obj("workshop session", lambda w: {"pk": w.workshop_session.pk},
                                    owner="youth_adviser", payload=lambda w: {
                                        f"r{w.workshop_session.registrations.get().pk}": "present"}),
    # Immersions (PMSMP): the world's agreement is signed and runs from today, so its evaluation and follow-ups are
    # refused on their own rules (tests/youth/test_immersions.py), not on access.
    "youth:immersion_add": Obj("youth file", YOUTH_FILE, owner="youth_adviser"),
    "youth:immersion_detail": Obj("youth immersion", IMMERSION, owner="youth_adviser"),
    "youth:immersion_pdf": Obj("youth immersion", IMMERSION, owner="youth_adviser"),
    "youth:immersion_transition": Obj("youth immersion", lambda w: {**IMMERSION(w), "transition": "complete"},
                                      owner="youth_adviser"),
    "youth:immersion_evaluation": Obj("youth immersion", IMMERSION, owner="youth_adviser"),
    "youth:immersion_follow_up": Obj("youth immersion", lambda w: {**IMMERSION(w), "milestone": "15_days"},
                                     owner="youth_adviser"),
    "api:pathway-appointment-detail": Obj("appointment",
                                          lambda w: {"pathway_pk": w.active.pk, "pk": w.appointment.pk}),
}

MISSING_ID = 10**9   # no row has this id
# reporting:export takes a format, not an object.
EXPORT_KWARGS = {"fmt": "csv"}


def url_names() -> set[str]:
    """Every named URL of the project, namespaced, API router routes included."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"URL pattern {entry.pattern} has no name: name it and classify it in URLS."
                names.add(namespace + entry.name)

    walk(get_resolver(), "")
    return names


def test_every_url_is_classified():
    names = url_names()
    missing = sorted(names - URLS.keys())
    assert not missing, (
        "URL(s) not classified in tests/security/test_url_walk.py: " + ", ".join(missing) + ". Add each to URLS: "
        "Obj(kind, kwargs filled with one of structure A's objects) if it names an object, Own(reason) if it shows "
        "the user's own scope, Public(reason) if it is open without signing in. The walk then checks that users "
        "of other structures get 404/403 from it.")
    stale = sorted(URLS.keys() - names)
    assert not stale, "URLS classifies URL names that no longer exist: " + ", ".join(stale)


# --- the walk -----------------------------------------------------------------------------------------------------

COUNTED_EXCLUDED = {"audit.refusedaccess", "accounts.loginfailure", "accounts.usersession", "sessions.session",
                    "otp_static.staticdevice", "otp_static.statictoken", "otp_totp.totpdevice"}


def row_counts() -> Counter:
    """The number of rows of every table that a request must not change."""
    return Counter({m._meta.label_lower: m._default_manager.count() for m in apps.get_models()
                    if m._meta.label_lower not in COUNTED_EXCLUDED and m._meta.managed})


def territory_a_data(world: World) -> dict:
    """Every row of territory A (people, pathways and all that hangs on them, structures, accounts, logs)."""
    from parcours.audit.models import AccessLog
    from parcours.organisations.models import Membership, Organisation, User

    territory = world.territory_a.pk
    people = {"participant__territory_id": territory}
    on_pathway = {"pathway__participant__territory_id": territory}
    data = {}
    for model, scope in [
        ("participants.Participant", {"territory_id": territory}), ("pathways.Pathway", people),
        ("participants.Document", people), ("intake.Application", on_pathway), ("intake.Assessment", on_pathway),
        ("intake.ReceptionInterview", on_pathway), ("intake.CollectiveActionEntry", on_pathway),
        ("plie.EngagementContract", on_pathway), ("pathways.Step", on_pathway),
        ("pathways.Appointment", on_pathway), ("pathways.BarrierReview", on_pathway), ("pathways.Note", on_pathway),
        ("plie.EmploymentFollowUp", on_pathway), ("pathways.PathwayTransition", on_pathway),
        ("commissions.Commission", {"territory_id": territory}), ("commissions.CommissionDecision", on_pathway),
        ("territory.Territory", {"pk": territory}),
    ]:
        data[model] = list(apps.get_model(model).objects.filter(**scope).order_by("pk").values())
    data["organisations"] = list(Organisation.objects.filter(territory_id=territory).order_by("pk").values())
    data["memberships"] = list(Membership.objects.filter(organisation__territory_id=territory).order_by("pk").values())
    data["users"] = list(User.objects.filter(memberships__organisation__territory_id=territory).order_by("pk")
                         .values("pk", "email", "first_name", "last_name", "is_active", "password"))
    ids = list(Participant.objects.filter(territory_id=territory).values_list("pk", flat=True))
    data["audit_events"] = AuditEvent.objects.filter(participant_id__in=ids).count()
    # The commission's members of the territory open the agenda's files by design: those openings are logged.
    data["access_logs"] = AccessLog.objects.filter(participant_id__in=ids).exclude(screen="commission_agenda").count()
    return data


def _url(name: str, world: World, entry) -> str:
    if isinstance(entry, Obj):
        return reverse(name, kwargs=entry.kwargs(world))
    if name == "reporting:export":
        return reverse(name, kwargs=EXPORT_KWARGS)
    return reverse(name)


def _client(world: World, key: str):
    user = world.users[key]
    client = VerifiedClient()
    if user is not None:
        client.force_login(user)
    return client


def _api_headers(world: World, key: str) -> dict:
    user = world.users[key]
    if user is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {factories.api_token(user)}"}


def _is_api(name: str) -> bool:
    return name.startswith("api:") and name not in ("api:schema", "api:docs")


def _leaks(content: bytes, canaries) -> list[str]:
    return [c for c in canaries if c.encode() in content]


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _request(client, method: str, url: str, data: dict, headers: dict):
    if method == "GET":
        return client.get(url, data, **headers)
    return client.post(url, data, **headers)


def _anonymous_refusal(name: str, response) -> bool:
    if _is_api(name):
        return response.status_code in (401, 403)
    login = resolve_url(settings.LOGIN_URL)
    return (response.status_code == 302 and response["Location"].startswith(login)) or response.status_code == 405


@pytest.fixture
def world():
    return build_world()


def walk(world: World, names=None, attackers=ATTACKERS) -> list[str]:
    """Request every URL in `names` (all by default) by GET and POST as each attacker; the problems found."""
    failures: list[str] = []
    for attacker in attackers:
        client = _client(world, attacker)
        headers = _api_headers(world, attacker)
        for name in sorted(names or URLS):
            entry = URLS[name]
            if isinstance(entry, Public):
                continue
            url = _url(name, world, entry)
            for method in ("GET", "POST"):
                if world.users[attacker] is not None and not _signed_in(client):
                    client.force_login(world.users[attacker])   # a previous POST (e.g. logout) signed out
                data = {}
                if method == "POST" and isinstance(entry, Obj) and entry.payload:
                    data = entry.payload(world)
                if method == "GET" and isinstance(entry, Own) and entry.query:
                    data = entry.query(world)
                refused_before = RefusedAccess.objects.count()
                counts_before = row_counts()
                response = _request(client, method, url, data, headers if _is_api(name) else {})
                status = response.status_code
                where = f"{method} {name} as {attacker}: {status}"
                if status >= 500:
                    failures.append(f"{where} (server error)")
                    continue
                if isinstance(entry, Obj):
                    shared = entry.shared and attacker in entry.shared[0]
                    if attacker == "anonymous":
                        if not _anonymous_refusal(name, response):
                            failures.append(f"{where}, expected the sign-in page")
                    elif shared:
                        leaked = _leaks(response.content, PRIVATE_CANARIES)
                        if leaked:
                            failures.append(f"{where} shows {leaked} (shared: {entry.shared[1]})")
                    elif status not in (403, 404, 405):
                        failures.append(f"{where}, expected 404 (another structure's {entry.kind}) or 403")
                    if method == "POST" and row_counts() != counts_before:
                        changed = {k: (counts_before[k], v) for k, v in row_counts().items() if counts_before[k] != v}
                        failures.append(f"{where} wrote rows: {changed}")
                else:
                    if attacker == "anonymous" and not _anonymous_refusal(name, response):
                        failures.append(f"{where}: anonymous must be sent to the sign-in page")
                    canaries = AGENDA_CANARIES + PRIVATE_CANARIES if attacker not in SAME_TERRITORY \
                        else PRIVATE_CANARIES
                    leaked = _leaks(response.content, canaries)
                    if leaked:
                        failures.append(f"{where} shows structure A's data {leaked}")
                if attacker != "anonymous" and status in (403, 404) and _signed_in(client):
                    rows = list(RefusedAccess.objects.order_by("pk")[refused_before:].values_list("url_name", "kind"))
                    if rows != [(name, status)]:
                        failures.append(f"{where}: refused access logged as {rows}, expected [({name!r}, {status})]")
                if isinstance(entry, Obj) and status == 403 and attacker not in entry.known_to | {"anonymous"}:
                    # A 403 is an area gate only if a missing object gets it too; otherwise it says "this exists".
                    missing = {k: MISSING_ID if isinstance(v, int) else v for k, v in entry.kwargs(world).items()}
                    other = _request(client, method, reverse(name, kwargs=missing), data,
                                     headers if _is_api(name) else {})
                    if other.status_code != 403:
                        failures.append(f"{where}, but {other.status_code} for a missing {entry.kind}: "
                                        "the 403 reveals that the object exists")
    return failures


def test_walk(world):
    before_all = territory_a_data(world)
    failures = walk(world)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)
    # Own-scope POSTs may change the attacker's own account (e.g. their token): structure A's data may not change.
    assert territory_a_data(world) == before_all


def test_owners_reach_every_object_url(world):
    """The control: with the same ids, A's own users get the page (so the walk's 404s are not mere typos), and
    each POST payload does write (so the walk's unchanged counts mean the scoping stopped it)."""
    failures = []
    for name, entry in sorted(URLS.items()):
        if not isinstance(entry, Obj):
            continue
        client = _client(world, entry.owner)
        headers = _api_headers(world, entry.owner) if _is_api(name) else {}
        url = _url(name, world, entry)
        response = client.get(url, **headers)
        if response.status_code in (403, 404) or response.status_code >= 500:
            failures.append(f"GET {name} as {entry.owner}: {response.status_code}")
        if entry.payload:
            # Each write in a savepoint rolled back: every control starts from the same world.
            with transaction.atomic():
                before = row_counts()
                events = AuditEvent.objects.count()
                response = client.post(url, entry.payload(world), **headers)
                if response.status_code >= 400:
                    failures.append(f"POST {name} as {entry.owner}: {response.status_code}")
                elif row_counts() == before and AuditEvent.objects.count() == events:
                    failures.append(f"POST {name} as {entry.owner} with its payload wrote nothing: fix the payload")
                transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def test_the_walk_catches_a_view_that_skips_the_rule(world, monkeypatch):
    """A view that fetched with an unscoped queryset would be reported: the walk can fail."""
    from parcours.pathways.models import Pathway
    from parcours.web.pathways import views

    monkeypatch.setattr(views, "pathways_visible_to", lambda user: Pathway.objects.all())
    failures = walk(world, names=["pathways:note_add"], attackers=["referent_same_territory"])
    assert any(f.startswith("GET pathways:note_add as referent_same_territory: 200, expected 404") for f in failures)
    assert any(f.startswith("POST pathways:note_add as referent_same_territory") and "'pathways.note': (1, 2)" in f
               for f in failures), failures


def test_a_classification_mistake_is_reported(monkeypatch):
    """The classification check does fail for an unclassified view (what protects the rule)."""
    monkeypatch.delitem(URLS, "pathways:note_add")
    with pytest.raises(AssertionError, match="pathways:note_add"):
        test_every_url_is_classified()
