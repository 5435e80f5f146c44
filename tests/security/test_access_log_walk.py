"""The access log has no hole: every page, PDF and API answer that shows a person writes their access-log row.

`OPENINGS` declares each URL name that can show a person's data, with the screen its rows carry. The walk opens
every URL of `URLS` (tests/security/test_url_walk.py) by GET as each of structure A's users (every role of the
matrix), and for each answer:

- every person of A whose name or e-mail appears in it (pages, JSON, the text of PDFs) must have an access-log
  row written by that request, for that user;
- a URL that shows a person without being declared fails the test, naming the URL: a new page cannot escape;
- each declared URL must show someone to at least one role and write its rows with its declared screen (a stale
  or wrong declaration fails too).
"""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from parcours.audit.models import AccessLog
from tests import factories
from tests.conftest import VerifiedClient
from tests.security.test_url_walk import URLS, Obj, Own, Public, _url
from tests.security.world import build_world

# URL name -> the screen its access-log rows carry. Lists write one row per person on the page answered.
OPENINGS: dict[str, str] = {
    "web:home": "home",
    "pathways:caseload": "pathway_caseload",
    "pathways:caseload_export": "pathway_caseload_export",
    "pathways:pathway_detail": "pathway_detail",
    "pathways:contract_edit": "pathway_contract",
    "pathways:contract_pdf": "pathway_contract_pdf",
    "pathways:step_add": "pathway_step",
    "pathways:step_edit": "pathway_step",
    "pathways:step_end": "pathway_step",
    "pathways:appointment_add": "pathway_appointment",
    "pathways:barrier_review_add": "pathway_barrier",
    "pathways:note_add": "pathway_note",
    "pathways:document_add": "pathway_document",
    "pathways:document_download": "document_download",
    "intake:application_list": "intake_application_list",
    "intake:application_detail": "intake_application",
    "intake:person_search": "intake_person_search",
    "intake:assignment_queue": "intake_assignment_queue",
    "intake:assign": "intake_assign",
    "intake:reception": "intake_reception",
    "intake:assessment": "intake_assessment",
    "intake:assessments_due": "intake_assessments_due",
    "intake:application_create": "intake_reentry",
    "intake:collective_entry": "intake_collective_entry",
    "intake:collective_entry_done": "intake_collective_entry",
    "commissions:commission_detail": "commission_agenda",
    "commissions:decision_record": "commission_decision_record",
    "commissions:prescriber_letter": "commission_prescriber_letter",
    "rights:participant_rights": "rights",
    "rights:export": "rights_export",
    "rights:rectify": "rights_rectify",
    "rights:erase": "rights_erase",
    "esf:operation_completeness": "esf_completeness",
    "esf:pathway_participations": "esf_participations",
    "esf:participation_edit": "esf_participation",
    "api:participant-list": "api_participant_list",
    "api:participant-detail": "api_participant",
    "api:pathway-list": "api_pathway_list",
    "api:pathway-detail": "api_pathway",
    "api:application-list": "api_application_list",
    "api:application-detail": "api_application",
    "api:pathway-step-list": "api_steps",
    "api:pathway-step-detail": "api_steps",
    "api:pathway-appointment-list": "api_appointments",
    "api:pathway-appointment-detail": "api_appointments",
    # The statements name beneficiaries by ref; a PLIE participant among them is logged as shown.
    "clauses:contract_detail": "clause_contract",
    # A PLIE participant among the beneficiaries is named: logged.
    "clauses:beneficiary_list": "clause_beneficiaries",
    "agenda:agenda": "agenda",
    "agenda:agenda_ics": "agenda_ics",
    "agenda:meeting_plan": "meeting_plan",
    "agenda:meeting_detail": "meeting",
    "agenda:meeting_ics": "meeting_ics",
    "agenda:convocation_pdf": "convocation_pdf",
    "actions:propose": "action_propose",
    "actions:action_people": "action_people",
    "actions:attendance": "action_attendance",
    "employers:offer_detail": "job_offer_candidacies",
    "employers:candidacy_detail": "candidacy",
    "employers:event_detail": "recruitment_event",
    "employers:event_attendance": "recruitment_event_attendance",
    "employers:event_invite": "event_invite",
    "employers:sponsorship_list": "sponsorship_list",
    "employers:sponsorship_create": "sponsorship_create",
    "employers:sponsorship_detail": "sponsorship",
    "employers:sponsorship_meeting_add": "sponsorship",
    "youth:file_list": "youth_file_list",
    "youth:file_detail": "youth_file",
    "youth:file_edit": "youth_file_edit",
    "youth:event_add": "youth_file_form",
    "youth:situation_add": "youth_file_form",
    "youth:situation_end": "youth_file_form",
    "youth:support_open": "youth_file_form",
    "youth:support_close": "youth_file_form",
    "youth:diagnostic_add": "youth_file_form",
    "youth:scheme_enter": "youth_file_form",
    "youth:scheme_end": "youth_file_form",
    "youth:phase_add": "youth_file_form",
    "youth:phase_evaluate": "youth_file_form",
    "youth:aid_add": "youth_file_form",
    "youth:file_workshop_register": "youth_file_form",
    "youth:session_detail": "workshop_session",
    "youth:session_sheet": "workshop_attendance_sheet",
    "youth:immersion_add": "youth_file_form",
    "youth:immersion_detail": "youth_immersion",
    "youth:immersion_pdf": "youth_immersion_pdf",
    "youth:immersion_transition": "youth_file_form",
    "youth:immersion_evaluation": "youth_file_form",
    "youth:immersion_follow_up": "youth_file_form",
}
# A prescriber sees only the outcome of the applications their structure sent: its own screen.
OTHER_SCREENS = {("intake:application_detail", "prescriber"): "intake_application_status",
                 ("api:application-detail", "prescriber"): "api_application_status"}

ROLES = ("coordinator", "director", "referent", "prescriber", "administrator", "dpo", "youth_manager", "facilitator",
         "action_staff", "employer_relations", "youth_adviser", "youth_reception")


def _people(world) -> dict[int, tuple[str, ...]]:
    """participant id -> the words that identify them or their file in an answer: names, e-mail, and the canaries
    written in their file (world.py), so that an answer showing a person's steps or notes without their name is
    caught too."""
    from parcours.participants.models import Participant

    texts = {world.participant.pk: ("Note-canari-7731", "Etape-canari-7732", "Rdv-canari-7733", "Doc-canari-7734",
                                    "Contrat-canari-7735", "Frein-canari-7736", "Motivation-canari-7739",
                                    "Motif-canari-7740"),
             world.intake.participant_id: ("Bilan-canari-7737", "Accueil-canari-7738"),
             world.agenda.participant_id: ("Justice-canari-7742",),
             world.collective.participant_id: ("Action-canari-7741",)}
    return {p.pk: tuple(w for w in (p.last_name, p.first_name, p.email) if w) + texts.get(p.pk, ())
            for p in Participant.objects.filter(territory=world.territory_a)}


# URLs that answer a POST with people (a search, an export): the POST the walk sends them, in a rolled-back savepoint.
POST_READS = {
    "intake:person_search": lambda w: {"last_name": w.participant.last_name[:4],
                                       "birth_date": w.participant.birth_date.isoformat(), "purpose": "application"},
    "rights:export": lambda w: {},
}


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        try:
            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        except PdfReadError:   # a person's uploaded document, not one of ours: its bytes as they are
            return content.decode(errors="replace")
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _client(world, role):
    client = VerifiedClient()
    client.force_login(world.users[role])
    return client


def _headers(world, role, name) -> dict:
    if not name.startswith("api:"):
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {factories.api_token(world.users[role])}"}


def _get_or_post(client, world, name, role, before):
    entry = URLS[name]
    url = _url(name, world, entry)
    headers = _headers(world, role, name)
    if name in POST_READS:
        with transaction.atomic():
            response = client.post(url, POST_READS[name](world), **headers)
            rows = _rows_after(before)
            transaction.set_rollback(True)
        return response, rows
    data = entry.query(world) if isinstance(entry, Own) and entry.query else {}
    response = client.get(url, data, **headers)
    return response, _rows_after(before)


def _rows_after(before: int) -> set[tuple[int, int, str]]:
    return set(AccessLog.objects.filter(pk__gt=before).values_list("user_id", "participant_id", "screen"))


def opening_walk(world, names) -> tuple[list[str], dict[str, set[str]]]:
    """Open each URL as each role of structure A; the problems found, and for each declared URL the roles for
    which it wrote its rows."""
    people = _people(world)
    failures: list[str] = []
    logged_by: dict[str, set[str]] = defaultdict(set)
    for role in ROLES:
        client = _client(world, role)
        user_id = world.users[role].pk
        for name in sorted(names):
            if isinstance(URLS[name], Public):
                continue
            before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response, rows = _get_or_post(client, world, name, role, before)
            if response.status_code != 200:
                continue
            text = _text(response).casefold()   # letters and PDFs write surnames in capitals
            shown = {pk for pk, words in people.items() if any(word.casefold() in text for word in words)}
            logged = {participant for user, participant, _screen in rows if user == user_id}
            where = f"{name} as {role}"
            if name not in OPENINGS:
                if shown:
                    failures.append(f"{where} shows a person's data but is not declared in OPENINGS "
                                    "(declare it and write its access-log rows)")
                continue
            missing = shown - logged
            if missing:
                failures.append(f"{where} shows {len(missing)} person(s) without their access-log row")
            screen = OTHER_SCREENS.get((name, role), OPENINGS[name])
            wrong = {s for _u, _p, s in rows if s != screen}
            if wrong:
                failures.append(f"{where} logged screens {sorted(wrong)}, declared {screen!r}")
            if logged:
                logged_by[name].add(role)
    return failures, logged_by


@pytest.fixture
def world():
    return build_world()


def test_every_page_that_shows_a_person_writes_their_access_log_row(world):
    failures, logged_by = opening_walk(world, URLS)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)
    stale = sorted(name for name in OPENINGS if name not in logged_by)
    assert not stale, f"declared in OPENINGS but opened nobody's file for any role (stale or wrongly filled): {stale}"


def test_the_walk_catches_a_page_that_forgets_the_log(world, monkeypatch):
    from parcours.web.pathways import views

    monkeypatch.setattr(views, "access_log_record", lambda **kwargs: None)
    failures, _shown = opening_walk(world, ["pathways:pathway_detail"])
    assert any("pathways:pathway_detail" in f and "without their access-log row" in f for f in failures), failures


def test_an_undeclared_page_showing_a_person_is_reported(world, monkeypatch):
    monkeypatch.delitem(OPENINGS, "pathways:caseload")
    failures, _shown = opening_walk(world, ["pathways:caseload"])
    assert any("pathways:caseload" in f and "not declared" in f for f in failures), failures


def test_every_declared_opening_is_a_classified_url():
    assert set(OPENINGS) <= set(URLS)
    assert all(isinstance(URLS[name], (Obj, Own)) for name in OPENINGS)
    assert reverse("web:home")
