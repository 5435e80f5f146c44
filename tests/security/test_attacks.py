"""Attacks: IDOR through the API (details and lists), missing CSRF token, script in a name (pages and PDFs),
path traversal towards the documents, SQL metacharacters in every search box, brute force on the sign-in.

The URL walk (test_url_walk.py) already requests every object URL as other structures' users; these tests add
what a walk cannot see: lists that must leave another structure's rows out, rendering, and the sign-in.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from parcours.organisations.capabilities import PATHWAY_READ
from parcours.accounts.models import LoginFailure
from parcours.audit.models import AuditEvent
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Assessment
from parcours.participants.models import Document
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Note

from tests import factories
from tests.accounts.helpers import PASSWORD
from tests.security.world import ALL_CANARIES, World, build_world

# --- IDOR through the API -------------------------------------------------------------------------------------------

API_ATTACKERS = ("referent_same_territory", "prescriber_same_territory", "referent_other_territory",
                 "coordinator_other_territory", "director_other_territory", "administrator_other_territory",
                 "dpo_other_territory")


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(user)}")
    return client


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.mark.parametrize("attacker", API_ATTACKERS)
def test_api_lists_leave_another_structures_rows_out(world, attacker):
    api = api_for(world.users[attacker])
    participants = api.get("/api/v1/participants/")
    pathways = api.get("/api/v1/pathways/")
    if not world.users[attacker].can(PATHWAY_READ):
        # A role that opens no file (prescriber, administrator, DPO): the area is closed before any row is read.
        assert participants.status_code == pathways.status_code == 403
        return
    assert participants.status_code == pathways.status_code == 200
    a_participants = {world.participant.pk, world.intake.participant_id, world.agenda.participant_id,
                      world.collective.participant_id}
    assert not {row["id"] for row in participants.json()["results"]} & a_participants
    assert not {row["id"] for row in pathways.json()["results"]} & {world.active.pk, world.intake.pk,
                                                                      world.agenda.pk, world.collective.pk}
    for response in (participants, pathways):
        assert not [c for c in ALL_CANARIES if c.encode() in response.content]


@pytest.mark.parametrize("attacker", API_ATTACKERS)
def test_api_details_of_every_object_kind_answer_404(world, attacker):
    api = api_for(world.users[attacker])
    pathway = world.active.pk
    for url in (f"/api/v1/participants/{world.participant.pk}/", f"/api/v1/pathways/{pathway}/",
                f"/api/v1/pathways/{pathway}/steps/", f"/api/v1/pathways/{pathway}/steps/{world.step.pk}/",
                f"/api/v1/pathways/{pathway}/appointments/",
                f"/api/v1/pathways/{pathway}/appointments/{world.appointment.pk}/"):
        response = api.get(url)
        # 403 for a role that opens no file, before any lookup (a missing id gets it too): it reveals nothing.
        assert response.status_code == (404 if world.users[attacker].can(PATHWAY_READ) else 403), url
        assert set(response.json()) == {"detail"}, url


def test_api_child_rows_cannot_be_reached_through_a_visible_pathway(world):
    """IDOR by mixing ids: a step of A's pathway asked under the attacker's own pathway is not found either."""
    attacker = world.users["referent_same_territory"]
    own = factories.PathwayFactory(active=True, operator=attacker.memberships.get().organisation, referent=attacker)
    api = api_for(attacker)
    assert api.get(f"/api/v1/pathways/{own.pk}/steps/{world.step.pk}/").status_code == 404
    assert api.get(f"/api/v1/pathways/{own.pk}/appointments/{world.appointment.pk}/").status_code == 404
    assert api.get(f"/api/v1/pathways/{own.pk}/steps/").json()["results"] == []


def test_api_writes_go_only_where_the_api_offers_them(world):
    api = api_for(world.users["referent"])   # A's own referent
    url = f"/api/v1/pathways/{world.active.pk}/steps/{world.step.pk}/"
    for method in ("put", "delete"):
        assert getattr(api, method)(url, {"comment": "changé"}, format="json").status_code == 405, method
    # PATCH is offered, with optimistic locking: without the version it is refused, naming the field.
    response = api.patch(url, {"comment": "changé"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    world.step.refresh_from_db()
    assert world.step.comment == "Etape-canari-7732"


# --- CSRF -----------------------------------------------------------------------------------------------------------

def _csrf_client(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    session = browser.session
    session["parcours.otp_device"] = "tests.force_login"
    session.save()
    return browser


def test_a_form_posted_without_csrf_token_is_refused_and_writes_nothing(referent, operator):
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    browser = _csrf_client(referent)
    url = reverse("pathways:note_add", args=[pathway.pk])
    events = AuditEvent.objects.count()
    response = browser.post(url, {"body": "Écrite par un site tiers."})
    assert response.status_code == 403
    assert not Note.objects.exists() and AuditEvent.objects.count() == events
    # A wrong token is no better than none.
    browser.get(url)
    assert browser.post(url, {"body": "x", "csrfmiddlewaretoken": "a" * 64}).status_code == 403
    assert not Note.objects.exists()
    # The control: the same form with the page's token is accepted.
    browser.get(url)
    token = browser.cookies["csrftoken"].value
    assert browser.post(url, {"body": "Écrite ici.", "csrfmiddlewaretoken": token}).status_code == 302
    assert Note.objects.get().body == "Écrite ici."


def test_sign_in_without_csrf_token_is_refused(referent):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("web:login"), {"username": referent.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_an_htmx_search_without_csrf_token_is_refused(referent):
    browser = _csrf_client(referent)
    response = browser.post(reverse("pathways:caseload"), {"q": "Dupont"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403


# --- script in a name -----------------------------------------------------------------------------------------------

LAST = "<script>alert(1)</script>"
FIRST = "<b>Gras</b>&amp;"


@pytest.fixture
def scripted(territory, operator, referent, director, coordinator, prescriber_org, prescriber):
    """A pathway of a person whose names are markup, with a contract and a commission decision."""
    person = factories.ParticipantFactory(territory=territory, last_name=LAST, first_name=FIRST)
    pathway = factories.PathwayFactory(participant=person, active=True, operator=operator, referent=referent)
    factories.ApplicationFactory(pathway=pathway, prescriber_organisation=prescriber_org, prescribed_by=prescriber)
    factories.EngagementContractFactory(pathway=pathway, director=director, objectives="<i>objectif</i>")
    commission = Commission.objects.create(territory=territory, date=date(2026, 1, 15), status="held")
    decision = CommissionDecision.objects.create(commission=commission, pathway=pathway, outcome="admitted",
                                                 decided_by=coordinator)
    return pathway, decision


def _assert_escaped(html: str, where: str) -> None:
    assert "<script>alert(1)</script>" not in html and "<b>Gras</b>" not in html, where
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, where
    assert "&lt;b&gt;Gras&lt;/b&gt;&amp;amp;" in html, where


def test_script_in_a_name_is_shown_as_text_in_every_page(client, scripted, referent, coordinator, territory,
                                                         operator):
    pathway, _decision = scripted
    client.force_login(referent)
    _assert_escaped(client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode(), "file")
    _assert_escaped(client.get(reverse("pathways:caseload")).content.decode(), "caseload")
    searched = client.post(reverse("pathways:caseload"), {"q": "script"}, HTTP_HX_REQUEST="true")
    _assert_escaped(searched.content.decode(), "caseload search")
    _assert_escaped(client.get(reverse("intake:application_detail", args=[pathway.pk])).content.decode(),
                    "application")
    # The commission agenda: a second person of the same name, assessed, waiting for today's commission.
    on_agenda = factories.PathwayFactory(participant=pathway.participant, status=PathwayStatus.ASSESSED,
                                         operator=operator, referent=referent)
    Assessment.objects.create(pathway=on_agenda, strengths="a", recommendations="b", author=referent,
                              completed_on=date(2026, 1, 10))
    commission = Commission.objects.create(territory=territory, date=date.today())
    client.force_login(coordinator)
    agenda = client.get(reverse("commissions:commission_detail", args=[commission.pk])).content.decode()
    _assert_escaped(agenda, "commission agenda")
    _assert_escaped(client.get(reverse("intake:application_list")).content.decode(), "application list")


def _pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_script_in_a_name_prints_literally_in_every_pdf(client, scripted, referent, coordinator):
    pathway, decision = scripted
    client.force_login(referent)
    contract = _pdf_text(client.get(reverse("pathways:contract_pdf", args=[pathway.pk])).content)
    assert f"{FIRST} {LAST}" in contract
    assert "<i>objectif</i>" in contract
    client.force_login(coordinator)
    record = _pdf_text(client.get(reverse("commissions:decision_record", args=[decision.commission_id])).content)
    letter = _pdf_text(client.get(reverse("commissions:prescriber_letter", args=[decision.pk])).content)
    # The decision record prints the last name in capitals, in a table cell that may wrap it.
    assert LAST.upper() in "".join(record.split())
    assert "".join(f"{FIRST} {LAST}".split()) in "".join(letter.split())
    export = client.post(reverse("rights:export", args=[pathway.participant_id]))
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        rights = _pdf_text(archive.read("donnees.pdf"))
        data = archive.read("donnees.json").decode()
    assert LAST in rights and FIRST in rights
    assert '"last_name": "<script>alert(1)</script>"' in data


# --- path traversal ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stored_name", ["../../../../etc/passwd", "/etc/passwd", "participants/../../../etc/hostname",
                                         "..\\..\\..\\etc\\passwd"])
def test_a_document_row_pointing_outside_storage_is_never_served(client, referent, operator, stored_name):
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    document = Document.objects.create(participant=pathway.participant, pathway=pathway, kind="cv", title="x",
                                       content_type="application/pdf", size=1, uploaded_by=referent,
                                       file=stored_name)
    client.force_login(referent)
    response = client.get(reverse("pathways:document_download", args=[document.pk]))
    # A name outside storage (SuspiciousFileOperation) answers as a name that is absent: 404, not Django's 400.
    assert response.status_code == 404
    assert b"root:" not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.parametrize("path", [
    "/parcours/documents/../../../../etc/passwd", "/parcours/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/parcours/documents/1/..%2f..%2f..%2fetc%2fpasswd", "/parcours/documents/..%5c..%5cetc%5cpasswd",
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fsettings.py",
    "/indicateurs/export.%2e%2e%2fsettings", "/droits/participant/1/export/..%2f..%2f",
])
def test_traversal_in_a_path_parameter_answers_404(client, referent, path):
    client.force_login(referent)
    response = client.get(path)
    assert response.status_code == 404, path
    body = b"".join(getattr(response, "streaming_content", [response.content]))
    assert b"root:" not in body and b"SECRET_KEY" not in body


# --- SQL metacharacters in searches ---------------------------------------------------------------------------------

METACHARACTERS = ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE participants_participant; --", '" OR ""="']


@pytest.fixture
def people(territory, operator, referent):
    # First names fixed too: a drawn one may hold what a test types ("Gregory" holds "or").
    names = {"Dupont": "Anne", "O'Neil": "Paul", "Lefèvre": "Léa"}
    return {name: factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory,
                                                                                    last_name=name,
                                                                                    first_name=first),
                                           active=True, operator=operator, referent=referent)
            for name, first in names.items()}


def _caseload_names(response) -> set[str]:
    return {p.participant.last_name for p in response.context["page"]}


@pytest.mark.parametrize("typed", METACHARACTERS)
def test_caseload_search_treats_metacharacters_as_text(client, referent, people, typed):
    client.force_login(referent)
    response = client.post(reverse("pathways:caseload"), {"q": typed}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert _caseload_names(response) == set()   # no name holds these characters


def test_caseload_search_still_finds_a_quote_in_a_name(client, referent, people):
    client.force_login(referent)
    response = client.post(reverse("pathways:caseload"), {"q": "o'ne"}, HTTP_HX_REQUEST="true")
    assert _caseload_names(response) == {"O'Neil"}
    assert _caseload_names(client.post(reverse("pathways:caseload"), {"q": "upo"})) == {"Dupont"}


@pytest.mark.parametrize("typed", METACHARACTERS)
def test_caseload_filters_refuse_metacharacters_without_error(client, referent, people, typed):
    client.force_login(referent)
    response = client.get(reverse("pathways:caseload"), {"state": typed, "referent": typed, "page": typed})
    assert response.status_code == 200


@pytest.mark.parametrize("typed", METACHARACTERS)
def test_person_search_treats_metacharacters_as_text(client, coordinator, people, typed):
    client.force_login(coordinator)
    response = client.post(reverse("intake:person_search"),
                           {"last_name": typed, "first_name": typed, "birth_date": "1980-05-17",
                            "purpose": "application"})
    assert response.status_code == 200
    assert response.context["results"] == []


def test_person_search_finds_a_quote(client, coordinator, people):
    client.force_login(coordinator)
    response = client.post(reverse("intake:person_search"), {"last_name": "O'N", "birth_date": "1980-05-17",
                                                                     "purpose": "application"})
    assert [p.last_name for p in response.context["results"]] == ["O'Neil"]


@pytest.mark.parametrize("typed", METACHARACTERS)
def test_account_search_treats_metacharacters_as_text(client, administrator, plie, typed):
    factories.UserFactory(membership=(plie, "coordinator"), last_name="Martin", email="martin@example.org")
    client.force_login(administrator)
    response = client.post(reverse("administration:user_list"), {"q": typed})
    assert response.status_code == 200
    assert [user for user, _memberships in response.context["rows"]] == []


def test_account_search_matches_underscore_and_percent_literally(client, administrator, plie):
    factories.UserFactory(membership=(plie, "coordinator"), last_name="Martin", email="m_artin@example.org")
    factories.UserFactory(membership=(plie, "coordinator"), last_name="Marchand", email="marchand@example.org")
    client.force_login(administrator)
    found = client.post(reverse("administration:user_list"), {"q": "m_a"}).context["rows"]
    assert [user.last_name for user, _memberships in found] == ["Martin"]


@pytest.mark.parametrize("typed", METACHARACTERS)
def test_journal_filters_refuse_metacharacters_without_error(client, plie, typed):
    dpo = factories.UserFactory(membership=(plie, "dpo"))
    client.force_login(dpo)
    for name in ("audit:access_log", "audit:change_history", "audit:refused_access"):
        response = client.get(reverse(name), {"participant": typed, "user": typed, "date_from": typed})
        assert response.status_code == 200, name
        assert response.context["form"].errors, name


@pytest.mark.parametrize("typed", METACHARACTERS)
def test_api_query_parameters_with_metacharacters_do_not_fail(referent, typed):
    response = api_for(referent).get("/api/v1/pathways/", {"page": typed, "search": typed})
    assert response.status_code in (200, 404)


# --- brute force on the sign-in -----------------------------------------------------------------------------------

def _attempt(client, email, password, ip):
    return client.post(reverse("web:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_brute_force_from_many_addresses_locks_the_account_everywhere(client, referent, operator):
    """Five wrong passwords from five addresses lock the account; the right one from a sixth is refused; a
    colleague's account is not locked."""
    for n in range(5):
        assert _attempt(client, referent.email, f"essai-{n}", f"203.0.113.{n + 1}").status_code == 200
    assert LoginFailure.objects.count() == 5
    locked = _attempt(client, referent.email, PASSWORD, "198.51.100.7")
    assert "verrouillé" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    colleague = factories.UserFactory(membership=(operator, "referent"))
    assert _attempt(client, colleague.email, PASSWORD, "203.0.113.1").status_code == 302


def test_more_attempts_while_locked_do_not_reveal_the_password(client, referent):
    for n in range(5):
        _attempt(client, referent.email, f"essai-{n}", "203.0.113.9")
    wrong = _attempt(client, referent.email, "encore-faux", "203.0.113.9").content.decode()
    right = _attempt(client, referent.email, PASSWORD, "203.0.113.9").content.decode()
    # Same refusal whether the password is right or wrong: the lock is no oracle.
    assert "verrouillé" in wrong and "verrouillé" in right
    assert "_auth_user_id" not in client.session
