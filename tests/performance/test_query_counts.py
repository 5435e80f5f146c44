"""Every page of the interface costs the same number of SQL queries whatever the number of rows it shows.

Each page is requested on the security walk's world (tests/security/world.py: an object of every kind in
structure A) plus one row of every kind `grow()` adds (pathways in every state with their steps, appointments,
reviews, notes, documents and decisions, commission agendas, structures, accounts, log rows); then `grow()` adds
four more of each in the same scope and the page is requested again. Both counts must equal the pinned number
(docs/testing.md, "Query-count pinning"); no page needed a fix when this test was written. A page that gains a query per row fails here before a case worker with 3,000 pathways
notices.

`test_every_page_is_pinned_or_excused` lists the URL names of the project: each one is pinned here, pinned in
another test (named), or excused with its reason (POST only, no rows involved).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent, RefusedAccess
from parcours.employers.models import EventInvitation, Sponsorship, SponsorshipMeeting
from parcours.esf.models import OperationAmendment
from parcours.plie.commissions.enums import CommissionStatus
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Assessment, CollectiveActionEntry, ReceptionInterview
from parcours.participants.services import document_upload
from parcours.plie.enums import PathwayStatus
from parcours.organisations.models import MembershipGrantRequest

from tests import factories
from tests.conftest import VerifiedClient
from tests.security.test_url_walk import url_names
from tests.security.world import PDF_BYTES, World, build_world

MORE = 4   # rows of every kind added between the two measures (1 row, then 5)


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    kwargs: object = None    # callable(world) -> URL kwargs
    query: object = None     # callable(world) -> query string dict
    status: int = 200
    data: object = None      # callable(world) -> POST data (pages answered to a POST, e.g. htmx searches)


def _active(w: World) -> dict:
    return {"pk": w.active.pk}


def _event(w: World) -> dict:
    return {"pk": w.recruitment_event.pk}


def _intake(w: World) -> dict:
    return {"pk": w.intake.pk}


def _participant(w: World) -> dict:
    return {"pk": w.participant.pk}


# Every GET page, the user who opens it, and its pinned number of queries (identical at 1 and 5 rows of a kind).
# Pages showing several people write their access-log rows in one insert (web/access_log.py): lists count it.
PAGES: dict[Page, int] = {
    Page("web:home", "referent"): 11,
    Page("web:home", "coordinator"): 9,
    Page("web:home", "prescriber"): 9,   # their applications: decisions to read, those waiting, the year
    Page("api_access:token", "referent"): 4,
    Page("accounts:account", "referent"): 6,   # +1: the user's API tokens, one query whatever their number
    # + the filters' structures and communes (one query each)
    Page("pathways:caseload", "referent"): 9,
    Page("pathways:caseload", "coordinator"): 9,
    Page("pathways:caseload", "referent", query=lambda w: {"q": "a", "state": "all"}): 9,
    # session, user, memberships, the filters' referents, structures and communes, the rows, the people logged
    Page("pathways:caseload_export", "coordinator", query=lambda w: {"format": "csv"}): 8,
    Page("pathways:caseload_export", "coordinator", query=lambda w: {"format": "xlsx"}): 8,
    # +1 on the pages that read one person's situation criteria since they are rows (participants.ParticipantSituation):
    # one query for the person's (or the page's) rows, whatever their number.
    # +1: the steps are read with the action each comes from (parcours.actions), one query whatever their number;
    # +1: the appointments to come (parcours.agenda); +1: the offers the person was put forward for
    # (parcours.employers, for those who hold employers.read: referents and the team).
    # +2: the recruitment events they are invited to and their sponsorships (parcours.employers, the same readers).
    Page("pathways:pathway_detail", "referent", _active): 21,
    Page("pathways:pathway_detail", "coordinator", _active): 21,
    Page("pathways:pathway_detail", "referent", _intake): 21,
    Page("pathways:contract_edit", "referent", _active): 6,
    Page("pathways:contract_pdf", "referent", _active): 6,
    Page("pathways:step_add", "referent", _active): 5,
    Page("pathways:step_edit", "referent", lambda w: {"pk": w.active.pk, "step_pk": w.step.pk}): 6,
    Page("pathways:step_end", "referent", lambda w: {"pk": w.active.pk, "step_pk": w.step.pk}): 6,
    Page("pathways:appointment_add", "referent", _active): 5,
    Page("pathways:barrier_review_add", "referent", _active): 5,
    Page("pathways:note_add", "referent", _active): 5,
    Page("pathways:document_add", "referent", _active): 5,
    Page("pathways:document_download", "referent", lambda w: {"pk": w.document.pk}): 5,
    Page("intake:application_list", "referent"): 7,
    Page("intake:application_list", "coordinator"): 7,
    Page("intake:application_list", "prescriber"): 6,
    Page("intake:application_create", "prescriber"): 8,
    # 13 + the rules of the territory's PLIE programme, read by the eligibility panel (they left the territory row).
    Page("intake:application_create", "coordinator", query=lambda w: {"participant": w.participant.pk}): 15,  # +1 situations
    Page("intake:person_search", "coordinator",
         data=lambda w: {"last_name": "Can", "birth_date": w.participant.birth_date.isoformat(),
                         "purpose": "application"}): 5,
    Page("intake:application_detail", "coordinator", _intake): 7,   # +1 situations (DELD)
    Page("intake:application_detail", "prescriber", _intake): 5,
    Page("intake:assignment_queue", "coordinator"): 6,
    Page("intake:assign", "coordinator", _intake): 7,
    Page("intake:reception", "referent", _intake): 6,
    Page("intake:assessment", "referent", _intake): 7,
    Page("intake:assessments_due", "referent"): 5,
    Page("intake:collective_entry", "coordinator"): 7,
    Page("intake:collective_entry", "coordinator", query=lambda w: {"participant": w.participant.pk}): 7,
    Page("intake:collective_entry_done", "coordinator", lambda w: {"pk": w.collective.pk}): 5,
    Page("commissions:commission_list", "coordinator"): 7,
    Page("commissions:commission_list", "referent"): 5,
    Page("commissions:commission_detail", "coordinator", lambda w: {"pk": w.commission.pk}): 10,
    Page("commissions:commission_detail", "referent", lambda w: {"pk": w.commission.pk}): 10,
    Page("commissions:decision_record", "coordinator", lambda w: {"pk": w.held.pk}): 7,
    Page("commissions:prescriber_letter", "coordinator", lambda w: {"pk": w.decision.pk}): 6,
    Page("rights:guide", "coordinator"): 3,
    Page("rights:participant_rights", "coordinator", _participant): 5,
    Page("rights:rectify", "coordinator", _participant): 8,   # +1 situations
    Page("rights:erase", "coordinator", _participant): 6,
    Page("administration:overview", "administrator"): 7,   # + the pending role requests
    # The programme is read with its territory in one query (it was the territory, then its row again).
    Page("administration:programme_rules", "administrator", lambda w: {"pk": w.programme_a.pk}): 4,
    Page("administration:organisation_create", "administrator"): 3,
    Page("administration:organisation_edit", "administrator", lambda w: {"pk": w.operator_a.pk}): 4,
    Page("administration:user_list", "administrator"): 6,
    Page("administration:user_create", "administrator"): 3,
    # + the pending requests, + whether the account has a second factor (its reset button)
    Page("administration:user_edit", "administrator", lambda w: {"pk": w.users["referent"].pk}): 8,
    Page("audit:access_log", "dpo"): 6,
    Page("audit:access_log", "dpo", query=lambda w: {"participant": w.participant.pk}): 6,
    Page("audit:change_history", "dpo"): 6,
    Page("audit:change_history", "dpo", query=lambda w: {"participant": w.participant.pk}): 6,
    Page("audit:refused_access", "dpo"): 6,
    Page("api:participant-list", "coordinator"): 7,   # +1 the page's situation rows (prefetched)
    # Opening a file through the API writes its access-log row, as the interface does.
    Page("api:participant-detail", "coordinator", _participant): 6,   # +1 situations
    Page("api:pathway-detail", "coordinator", _active): 5,
    Page("api:pathway-step-list", "coordinator", lambda w: {"pathway_pk": w.active.pk}): 7,
    Page("api:pathway-appointment-list", "coordinator", lambda w: {"pathway_pk": w.active.pk}): 7,
    # Session, user, memberships; the report's blocks (13 aggregates in the database), the sites' names.
    Page("youth:report", "youth_manager"): 18,
    Page("employers:event_list", "employer_relations"): 5,
    Page("employers:event_list", "referent"): 5,
    Page("employers:event_create", "employer_relations"): 4,
    Page("employers:event_detail", "employer_relations", _event): 9,
    Page("employers:event_detail", "referent", _event): 8,
    Page("employers:event_edit", "employer_relations", _event): 4,
    Page("employers:event_attendance", "employer_relations", _event): 8,
    Page("employers:event_invite", "referent", lambda w: {"pathway": w.collective.pk}): 7,
    Page("employers:sponsorship_list", "referent"): 6,
    Page("employers:sponsorship_list", "employer_relations"): 6,
    Page("employers:sponsorship_create", "referent", lambda w: {"pathway": w.collective.pk}): 6,
    Page("employers:sponsorship_detail", "referent", lambda w: {"pk": w.sponsorship.pk}): 8,
    # Session, user, memberships; the file, the agreement with its evaluation, the access-log row, its follow-ups
    # and its log.
    Page("youth:immersion_detail", "youth_adviser",
         lambda w: {"pk": w.youth_file.pk, "immersion_pk": w.youth_immersion.pk}): 8,
    Page("youth:immersion_pdf", "youth_adviser",
         lambda w: {"pk": w.youth_file.pk, "immersion_pk": w.youth_immersion.pk}): 6,
    # One query per milestone, whatever the number of young people.
    Page("youth:immersion_follow_ups_due", "youth_adviser"): 6,
    Page("esf:operation_list", "coordinator"): 5,
    Page("esf:operation_create", "coordinator"): 4,
    Page("esf:operation_detail", "coordinator", lambda w: {"pk": w.operation.pk}): 6,
    Page("esf:operation_edit", "coordinator", lambda w: {"pk": w.operation.pk}): 5,
    Page("esf:operation_amend", "coordinator", lambda w: {"pk": w.operation.pk}): 5,
    Page("esf:operation_completeness", "coordinator", lambda w: {"pk": w.operation.pk}): 7,
    Page("esf:operation_claim", "coordinator", lambda w: {"pk": w.operation.pk}): 8,
    Page("esf:pathway_participations", "referent", _active): 9,
    Page("esf:participation_edit", "referent",
         lambda w: {"pk": w.collective.pk, "participation_pk": w.participation.pk}): 6,
    Page("api:indicators", "coordinator",
         query=lambda w: {"from": f"{timezone.localdate().year}-01-01", "to": timezone.localdate().isoformat()}): 5,
}

# URL names not pinned here, each with where it is pinned or why it needs no pin.
ELSEWHERE = {
    "esf:claim_list": "tests/esf/test_claim_queries.py pins the list at two volumes",
    "esf:claim_create": "tests/esf/test_claim_queries.py pins the form",
    "esf:claim_detail": "tests/esf/test_claim_queries.py pins the page at two volumes (sample, log, referents)",
    "esf:claim_act": "tests/esf/test_claim_queries.py pins the confirmation page",
    "esf:claim_export": "tests/esf/test_claim_queries.py pins the XLSX at two volumes",
    "esf:claim_pdf": "tests/esf/test_claim_queries.py pins the PDF at two volumes",
    "esf:claim_sample_draw": "POST only (the form is on claim_detail, pinned in tests/esf/test_claim_queries.py)",
    "esf:claim_sample_check": "POST only (the forms are on claim_detail, pinned in tests/esf/test_claim_queries.py)",
    "imports:import_list": "tests/imports_web/test_pages.py pins the list at two volumes",
    "imports:import_detail": "tests/imports_web/test_pages.py pins the report and the result at two volumes",
    "imports:import_progress": "tests/imports_web/test_pages.py pins the progress fragment",
    "imports:import_create": "tests/imports_web/test_pages.py pins the upload form",
    "imports:import_confirm": "POST only: starts the background import (tests/imports_web/test_flow.py)",
    "imports:import_cancel": "POST only: cancels a checked import (tests/imports_web/test_flow.py)",
    "reporting:indicators": "tests/reporting_web/test_queries.py pins the page at two volumes",
    "reporting:export": "tests/reporting_web/test_queries.py pins the three exports at two volumes",
    "api:pathway-list": "tests/api/test_read.py pins the list at two volumes",
    "rights:export": "tests/rights/test_export.py pins the archive (POST) at two volumes",
    "web:health": "tests/web/test_login.py: no query at all",
    "web:scope_switch": "POST only, redirects home: tests/web/test_scope.py pins a page with the switcher",
    "web:login": "the sign-in form shows no rows",
    "web:logout": "POST only",
    "web:password_reset": "a form for an address: no rows",
    "web:password_reset_done": "a static sentence",
    "web:password_reset_confirm": "Django's view: one account read from its token (tests/accounts/test_account_mail.py)",
    "web:password_reset_complete": "a static sentence",
    "administration:user_invite": "POST only (the button is on user_edit, pinned)",
    "administration:user_twofactor_reset": "POST only (the button is on user_edit, pinned)",
    "api:schema": "the OpenAPI description: no rows",
    "api:docs": "a static page that reads the schema",
    "accounts:verify": "the second step of a sign-in in progress: one device, no rows",
    "accounts:reauthenticate": "a password form: no rows",
    "accounts:twofactor_enrol": "the user's own device: no rows",
    "accounts:recovery_codes": "the user's own codes (ten at most): no rows",
    "accounts:twofactor_remove": "the user's own device: no rows",
    "accounts:email_change": "a form for the user's own e-mail: no rows",
    "accounts:password_change": "a password form: no rows",
    "intake:eligibility_preview": "POST only: computes eligibility from the posted answers",
    "intake:assessment_complete": "POST only",
    "pathways:pathway_act": "POST only (the forms are on pathway_detail, pinned)",
    "commissions:decide": "POST only (the form is on commission_detail, pinned)",
    "commissions:close": "POST only",
    "administration:membership_create": "POST only (the form is on user_edit, pinned)",
    "administration:membership_remove": "POST only",
    "accounts:api_token_revoke": "POST only (the list is on accounts:account and api_access:token, pinned)",
    "administration:grant_request_confirm": "POST only (the buttons are on user_edit, pinned)",
    "administration:grant_request_refuse": "POST only (the buttons are on user_edit, pinned)",
    "administration:grant_request_cancel": "POST only (the buttons are on user_edit, pinned)",
    "api:application-list": "tests/api/test_applications.py pins the list at two volumes",
    "api:application-detail": "one application, no list",
    "api:pathway-step-detail": "one step, no list",
    "api:pathway-appointment-detail": "one appointment, no list",
    "clauses:contract_list": "tests/clauses/test_pages.py pins the list at two volumes",
    "clauses:contract_detail": "tests/clauses/test_pages.py pins the contract and its statements at two volumes",
    "clauses:statement_add": "tests/clauses/test_pages.py pins the form (its beneficiaries) at two volumes",
    "clauses:report": "tests/clauses/test_pages.py pins the figures at two volumes",
    "clauses:buyer_create": "tests/clauses/test_entry.py pins the form at two volumes",
    "clauses:buyer_edit": "tests/clauses/test_entry.py pins the form at two volumes",
    "clauses:contract_create": "tests/clauses/test_entry.py pins the form (its buyers) at two volumes",
    "clauses:contract_edit": "tests/clauses/test_entry.py pins the form (its buyers) at two volumes",
    "clauses:beneficiary_list": "tests/clauses/test_entry.py pins the list at two volumes",
    "clauses:beneficiary_create": "tests/clauses/test_entry.py pins the form at two volumes",
    "clauses:beneficiary_edit": "tests/clauses/test_entry.py pins the form at two volumes",
    "clauses:buyer_report_xlsx": "tests/clauses/test_buyer_report.py pins the report at two volumes",
    "clauses:buyer_report_pdf": "tests/clauses/test_buyer_report.py pins the report at two volumes",
    "agenda:agenda": "tests/agenda/test_queries.py pins the three views at two volumes",
    "agenda:agenda_ics": "tests/agenda/test_queries.py pins the calendar file at two volumes",
    "agenda:meeting_detail": "tests/agenda/test_queries.py pins the page at two volumes",
    "agenda:meeting_ics": "tests/agenda/test_queries.py pins the file at two volumes",
    "agenda:meeting_plan": "tests/agenda/test_queries.py pins the form",
    "agenda:convocation_pdf": "one person's letter, no list",
    "places:place_list": "tests/territory/test_places.py pins the list at two volumes",
    "employers:employer_list": "tests/employers/test_pages.py pins the list at two volumes",
    "employers:employer_detail": "tests/employers/test_pages.py pins the page at two volumes",
    "employers:employer_create": "tests/employers/test_pages.py pins the form at two volumes",
    "employers:employer_edit": "tests/employers/test_pages.py pins the form at two volumes",
    "employers:contact_edit": "tests/employers/test_pages.py pins the form at two volumes",
    "employers:contact_add": "tests/employers/test_pages.py pins the form at two volumes",
    "employers:offer_list": "tests/employers/test_offers.py pins the list at two volumes",
    "employers:offer_detail": "tests/employers/test_offers.py and test_candidacy_pages.py pin the page at two volumes",
    "employers:candidacy_detail": "tests/employers/test_candidacy_pages.py pins the page at two volumes",
    "employers:candidacy_propose": "POST only (the form is on offer_detail, pinned)",
    "employers:candidacy_decide": "POST only (the forms are on candidacy_detail, pinned)",
    "employers:offer_create": "tests/employers/test_offers.py pins the form at two volumes",
    "employers:offer_edit": "tests/employers/test_offers.py pins the form at two volumes",
    "employers:exchange_add": "tests/employers/test_pages.py pins the form at two volumes",
    "places:place_create": "tests/territory/test_places.py pins the form at two volumes",
    "places:place_edit": "tests/territory/test_places.py pins the form at two volumes",
    "agenda:meeting_move": "POST only (the form is on meeting_detail, pinned)",
    "agenda:meeting_cancel": "POST only (the form is on meeting_detail, pinned)",
    "agenda:attendance_add": "POST only (the form is on meeting_detail, pinned)",
    "agenda:attendance_mark": "POST only (the forms are on meeting_detail, pinned)",
    "agenda:convocation_send": "POST only (the button is on meeting_detail, pinned)",
    "actions:catalogue": "tests/actions/test_pages.py pins it at two volumes (test_query_counts_do_not_grow_with_the_people)",
    "actions:action_detail": "tests/actions/test_pages.py pins it at two volumes (test_query_counts_do_not_grow_with_the_people)",
    "actions:action_create": "tests/actions/test_pages.py pins it at two volumes (test_query_counts_do_not_grow_with_the_people)",
    "actions:operator_home": "tests/actions/test_pages.py pins it at two volumes (test_query_counts_do_not_grow_with_the_people)",
    "actions:action_people": "tests/actions/test_pages.py pins it at two volumes (test_query_counts_do_not_grow_with_the_people)",
    "actions:attendance": "tests/actions/test_pages.py pins it at two volumes (test_query_counts_do_not_grow_with_the_people)",
    "actions:action_edit": "the form of action_create with the action's values: the same queries and one row",
    "actions:session_add": "the session form; its GET is a plain form, its POST redirects",
    "actions:propose": "one action and one person, no list",
    "actions:decide": "POST only (the buttons are on action_people, pinned)",
    "employers:event_employer_add": "POST only (the form is on event_detail, pinned)",
    "employers:event_employer_remove": "POST only (the buttons are on event_detail, pinned)",
    "employers:invitation_withdraw": "POST only (the buttons are on event_detail, pinned)",
    "employers:sponsorship_meeting_add": "shows sponsorship_detail (pinned) to carry its form",
    "employers:sponsorship_end": "POST only (the form is on sponsorship_detail, pinned)",
    "youth:file_list": "tests/youth/test_files.py pins the list and its search at two volumes",
    "youth:file_detail": "tests/youth/test_files.py pins the file at two volumes",
    "youth:reception": "tests/youth/test_files.py pins the form",
    "youth:file_edit": "tests/youth/test_files.py pins the form",
    "youth:event_add": "the event form of file_detail on a page of its own: one file, no list",
    "youth:situation_add": "the situation form of file_detail on a page of its own: one file, no list",
    "youth:situation_end": "one situation's end, no list",
    "youth:support_open": "the theme form of file_detail on a page of its own: one file, no list",
    "youth:support_close": "one theme's closing, no list",
    "youth:diagnostic_add": "the diagnostic form of one file, no list",
    "youth:scheme_enter": "the PACEA's or CEJ's entry form of one file, no list",
    "youth:scheme_end": "one enrolment's end, no list",
    "youth:phase_add": "one enrolment's phase form, no list",
    "youth:phase_evaluate": "one phase's evaluation, no list",
    "youth:aid_add": "the aid form of one file, no list",
    "youth:workshop_list": "tests/youth/test_workshops.py pins the catalogue at two volumes",
    "youth:workshop_detail": "tests/youth/test_workshops.py pins the entry and its sessions at two volumes",
    "youth:session_detail": "tests/youth/test_workshops.py pins the session and its registrations at two volumes",
    "youth:session_sheet": "tests/youth/test_workshops.py pins the attendance sheet at two volumes",
    "youth:file_workshop_register": "tests/youth/test_workshops.py pins the form and its sessions at two volumes",
    "youth:workshop_create": "the catalogue entry's form, no list",
    "youth:workshop_edit": "the catalogue entry's form with its values, no list",
    "youth:session_create": "one entry's session form (the territory's sites), no list",
    "youth:session_register": "POST only (the form is on session_detail, pinned)",
    "youth:session_attendance": "POST only (the form is on session_detail, pinned)",
    "youth:immersion_add": "the agreement form of one file, no list",
    "youth:immersion_transition": "one agreement's transition, no list",
    "youth:immersion_evaluation": "one agreement's evaluation, no list",
    "youth:immersion_follow_up": "one agreement's follow-up, no list",
}


def small_world() -> World:
    """The security walk's world, a DPO of its PLIE, and one more row of every kind `grow()` adds.

    Every list then shows at least one row: an empty list skips its query (a paginator counts 0 and stops), which
    is not the growth this test is after.
    """
    world = build_world()
    world.held = world.decision.commission    # the commission held earlier (decision record)
    world.users["dpo"] = factories.UserFactory(membership=(world.plie_a, "dpo"))
    grow(world, 1)
    return world


def grow(w: World, more: int, start: int = 0) -> None:
    """`more` rows of every kind shown by some page, all in structure A's scope (`start` keeps dates unique)."""
    today = timezone.localdate()
    referent, prescriber, coordinator = w.users["referent"], w.users["prescriber"], w.users["coordinator"]
    for index in range(start, start + more):
        # On P1's pathway: steps, appointments, reviews, notes, documents, decisions of held commissions.
        factories.StepFactory(pathway=w.active)
        factories.AppointmentFactory(pathway=w.active)
        factories.BarrierReviewFactory(pathway=w.active, reviewed_by=referent,
                                       reviewed_on=w.active.entry_date + datetime.timedelta(days=index + 1))
        factories.NoteFactory(pathway=w.active, author=referent)
        factories.api_token(referent, label=f"Logiciel {index}")   # the account and API pages list them
        document_upload(participant=w.participant, pathway=w.active, by=referent, kind="cv", title=f"CV {index}",
                        upload=SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf"))
        # P1's earlier pathways (the rights page lists them all).
        earlier = factories.PathwayFactory(participant=w.participant, operator=w.operator_a, referent=referent,
                                           status=PathwayStatus.EXITED, decision="admitted",
                                           commission_date=today - datetime.timedelta(days=1950 + index),
                                           application_date=today - datetime.timedelta(days=2000 + index),
                                           entry_date=today - datetime.timedelta(days=1900 + index),
                                           exit_date=today - datetime.timedelta(days=1500 + index),
                                           exit_reason="moved")
        factories.StepFactory(pathway=earlier, start_date=earlier.entry_date)
        # More people in every state for the same referent.
        for status, extra in [("active", {"active": True}), ("intake", {"status": PathwayStatus.ASSIGNED,
                                                                        "assigned_at": today}),
                              ("agenda", {"status": PathwayStatus.ASSESSED,
                                          "assigned_at": today - datetime.timedelta(days=30)}),
                              ("submitted", {"status": PathwayStatus.SUBMITTED}),
                              ("collective", {"active": True, "entry_route": "collective_action"})]:
            person = factories.ParticipantFactory(territory=w.territory_a, last_name=f"Canard{status}{index}",
                                                  birth_date=w.participant.birth_date)
            assigned = status != "submitted"
            pathway = factories.PathwayFactory(participant=person, operator=w.operator_a if assigned else None,
                                               referent=referent if assigned else None, **extra)
            factories.ApplicationFactory(pathway=pathway, prescriber_organisation=w.prescriber_org_a,
                                         prescribed_by=prescriber)
            if status == "active":
                factories.ParticipationFactory(participant=person, operation=w.operation,
                                               entry_date=w.operation.start_date)
                factories.EngagementContractFactory(pathway=pathway)
                factories.StepFactory(pathway=pathway)
                factories.AppointmentFactory(pathway=pathway)
                factories.NoteFactory(pathway=pathway, author=referent)
                # Invited to A's event, sponsored (the event's page, the sponsorships' list, the file).
                EventInvitation.objects.create(event=w.recruitment_event, pathway=pathway, invited_by=referent,
                                               attended=True, outcome="interview", outcome_employer=w.employer_guest)
                Sponsorship.objects.create(pathway=pathway, employer=w.employer, sponsor_name=f"Parrain {index}",
                                           started_on=today, started_by=referent)
                EventInvitation.objects.create(event=factories.RecruitmentEventFactory(
                    territory=w.territory_a, created_by=w.users["employer_relations"],
                    date=today + datetime.timedelta(days=index)), pathway=w.active, invited_by=referent)
            if status in ("intake", "agenda"):
                ReceptionInterview.objects.create(pathway=pathway, date=today, mode="in_person",
                                                  duration_minutes=30, place="Agence", referent=referent)
                Assessment.objects.create(pathway=pathway, strengths="Ponctualité.", recommendations="Agrément.",
                                          author=referent, completed_on=today if status == "agenda" else None)
            if status == "collective":
                CollectiveActionEntry.objects.create(pathway=pathway, action_name=f"Action {index}",
                                                     selected_on=today, recorded_by=coordinator)
        # The meetings of A's sponsorship, an employer more at A's event.
        SponsorshipMeeting.objects.create(sponsorship=w.sponsorship, date=today, summary=f"Rencontre {index}",
                                          by=referent)
        w.recruitment_event.employers.add(factories.EmployerFactory(territory=w.territory_a, name=f"Invité {index}"))
        # Held commissions with decisions (the list, the decision record).
        held = Commission.objects.create(territory=w.territory_a, status=CommissionStatus.HELD,
                                         date=today - datetime.timedelta(days=60 + index))
        CommissionDecision.objects.create(commission=held, pathway=w.active, outcome="admitted",
                                          motive="Motif.", decided_by=coordinator)
        on_record = factories.PathwayFactory(participant=factories.ParticipantFactory(territory=w.territory_a),
                                             operator=w.operator_a, referent=referent, active=True)
        CommissionDecision.objects.create(commission=w.held, pathway=on_record, outcome="admitted",
                                          motive="Motif.", decided_by=coordinator)
        Commission.objects.create(territory=w.territory_a, date=today + datetime.timedelta(days=30 + index))
        # ESF+ operations of structure A, lines of a plan and amendments (the operation's pages).
        factories.OperationFactory(beneficiary=w.operator_a, plan=True)
        factories.CofinancingFactory(operation=w.operation, funder_kind="state", funder=f"Financeur {index}",
                                     planned=0, actual=0)
        OperationAmendment.objects.create(operation=w.operation, date=today, reason=f"Avenant {index}",
                                          before={"total_eligible_cost": "1.00", "esf_amount": "1.00", "lines": []},
                                          after={"total_eligible_cost": "2.00", "esf_amount": "1.00", "lines": []},
                                          recorded_by=coordinator)
        # Structures, accounts and roles of the territory (administration pages).
        organisation = factories.OrganisationFactory(territory=w.territory_a, operator=True)
        factories.UserFactory(membership=(organisation, "referent"))
        factories.UserFactory(membership=(w.operator_a, "referent"))
        factories.OrganisationFactory(territory=w.territory_a, prescriber=True)
        # Pending role requests (the overview's list, the referent's account page).
        MembershipGrantRequest.objects.create(
            account=referent, organisation=organisation, role="dpo", requested_by=w.users["second_administrator"],
            expires_at=timezone.now() + datetime.timedelta(days=7))
        # Log rows the DPO reads, by several users.
        author = factories.UserFactory(membership=(w.operator_a, "referent"))
        AuditEvent.objects.create(participant_id=w.participant.pk, actor=author, action="update",
                                  object_type="participant", object_id=str(w.participant.pk),
                                  changes={"last_name": ["A", "B"]})
        AccessLog.objects.create(participant=w.participant, user=author, screen="pathway_detail")
        RefusedAccess.objects.create(user=author, url_name="pathways:pathway_detail", kind=404, method="GET")


def _url(page: Page, world: World) -> str:
    url = reverse(page.name, kwargs=page.kwargs(world) if page.kwargs else None)
    if page.query:
        url += "?" + urlencode(page.query(world))
    return url


def _get(client, url: str, page: Page, world: World):
    response = client.post(url, page.data(world)) if page.data else client.get(url)
    assert response.status_code == page.status, (url, response.status_code)


@pytest.mark.parametrize("page", list(PAGES), ids=[f"{p.name}@{p.user}" for p in PAGES])
def test_page_query_count_does_not_grow(page, django_assert_num_queries):
    world = small_world()
    client = VerifiedClient()
    client.force_login(world.users[page.user])
    url = _url(page, world)
    _get(client, url, page, world)   # warm the per-process caches (content types…) before counting
    with django_assert_num_queries(PAGES[page]):
        _get(client, url, page, world)
    grow(world, MORE, start=1)
    with django_assert_num_queries(PAGES[page]):
        _get(client, url, page, world)


def test_every_page_is_pinned_or_excused():
    pinned = {page.name for page in PAGES}
    names = url_names()
    missing = sorted(names - pinned - ELSEWHERE.keys())
    assert not missing, "pin these pages in PAGES or say in ELSEWHERE why not: " + ", ".join(missing)
    assert not (pinned & ELSEWHERE.keys())
    assert not ((pinned | ELSEWHERE.keys()) - names), "stale names"
