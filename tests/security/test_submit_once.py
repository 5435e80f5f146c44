"""A double submit acts once (issue 11): every creating form carries a one-time token that `submit_once` claims.

- `CREATING` names every URL whose form creates something. Each must be guarded (`submit_once`), its page must
  render the token, and two posts with one token write once. `test_no_unlisted_form_creates` posts every payload
  of the URL walk (tests/security/test_url_walk.py) and fails when a URL that creates rows is neither in
  `CREATING` nor in `NOT_CREATING` (with the reason it needs no token): a new creating form fails the tests.
- Two threads posting at the same instant write once (PostgreSQL; SQLite has a single writer and the same claim).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parcours.accounts.models import FormSubmission
from parcours.accounts.submissions import form_submissions_purge
from parcours.pathways.models import Note
from parcours.web.submission import FIELD

from tests.conftest import VerifiedClient
from tests.security.test_url_walk import URLS, Obj, _api_headers, _is_api, _url, row_counts, world  # noqa: F401

REPOSITORY = Path(__file__).resolve().parents[2]
# URL name -> who opens its form (an Obj's owner is read from URLS).
CREATING: dict[str, str | None] = {
    "agenda:meeting_plan": None,
    "pathways:step_add": None,
    "pathways:appointment_add": None,
    "pathways:barrier_review_add": None,
    "pathways:note_add": None,
    "pathways:document_add": None,
    "intake:application_create": "prescriber",
    "intake:reception": None,
    "intake:collective_entry": "coordinator",
    "commissions:commission_list": "coordinator",
    "imports:import_create": "coordinator",
    "administration:organisation_create": "administrator",
    "administration:user_create": "administrator",
    "esf:operation_create": "coordinator",
    "esf:operation_amend": None,
    "esf:pathway_participations": None,
    "clauses:statement_add": None,
    "clauses:buyer_create": "facilitator",
    "clauses:contract_create": "facilitator",
    "clauses:beneficiary_create": "facilitator",
    "actions:action_create": "coordinator",
    "actions:session_add": None,
    "actions:propose": None,
    "places:place_create": "coordinator",
    "employers:employer_create": "employer_relations",
    "employers:contact_add": None,
    "employers:exchange_add": None,
    "employers:offer_create": None,
    "employers:event_create": "employer_relations",
    "employers:event_invite": None,
    "employers:sponsorship_create": None,
    "employers:sponsorship_meeting_add": None,
    "esf:claim_create": None,
    "youth:reception": "youth_reception",
    "youth:event_add": None,
    "youth:situation_add": None,
    "youth:support_open": None,
    "youth:diagnostic_add": None,
    "youth:scheme_enter": None,
    "youth:phase_add": None,
    "youth:aid_add": None,
    "youth:file_workshop_register": None,
    "youth:workshop_create": "youth_adviser",
    "youth:session_create": None,
    "youth:immersion_add": None,
    "youth:immersion_evaluation": None,
    "youth:immersion_follow_up": None,
}
# URLs whose post creates rows without being a form that could create twice.
NOT_CREATING = {
    "youth:file_list": "a POST is the name search (names stay out of URLs): it reads, never writes",
    "youth:support_close": "closes a theme once: the copy finds it closed and is refused",
    "youth:scheme_end": "a transition of the enrolment's workflow under the engine's row lock: the copy finds it "
                        "ended and is refused",
    "youth:phase_evaluate": "evaluates a phase once: the copy finds it evaluated and is refused",
    "youth:session_register": "POST only: its form is on session_detail, with its token (@submit_once); a copy is "
                              "refused (youth_registration_once, checked under the session's lock)",
    "youth:session_attendance": "sets each registration's status in place under the session's lock; a presence's "
                                "event is made once (the registration keeps it): the copy changes nothing",
    "youth:immersion_transition": "a transition of the agreement's workflow under the engine's row lock: the copy "
                                  "finds the new state and is refused",
    "employers:candidacy_propose": "POST only: its form is on offer_detail, with its token; a second post is refused "
                                   "(one open candidacy per offer, constraint candidacy_open_once_per_offer under the "
                                   "offer's lock)",
    "employers:candidacy_decide": "a transition of the candidacy's workflow: the engine locks the row and refuses "
                                  "the copy from the state the first one reached",
    "employers:event_employer_add": "an employer joins an event once, under the event's lock: the copy is refused",
    "employers:event_employer_remove": "removes the employer once: the copy finds nothing to remove",
    "employers:event_attendance": "updates each invitation in place with what the form holds: a copy writes the same",
    "employers:invitation_withdraw": "deletes the invitation: the copy finds it gone (404)",
    "employers:sponsorship_end": "ends the sponsorship once, under its lock: the copy finds it ended and is refused",
    "esf:claim_act": "a transition of the claim's workflow under the engine's row lock: the copy finds the state "
                     "the first one reached and is refused",
    "esf:claim_sample_draw": "once per claim, under the claim's lock: the copy finds the sample drawn and is refused",
    "agenda:attendance_mark": "a transition of the attendance's workflow: the engine locks the row and refuses the "
                              "copy from the state the first one reached",
    "agenda:meeting_cancel": "the same transitions, for everyone still expected: a second post finds nobody",
    "agenda:meeting_move": "a second post of the same move is refused (the meeting is already at that time)",
    "agenda:attendance_add": "a person is added once (constraint attendance_once_per_meeting, checked under the "
                             "meeting's lock); the form is on the meeting's page, with its token",
    "pathways:pathway_act": "a transition of the pathway's workflow: the engine locks the row and refuses the "
                            "copy from the state the first one reached",
    "actions:decide": "a transition of the positioning's workflow under the engine's row lock (its start writes "
                      "the step once: the copy finds the positioning started and is refused)",
    "actions:attendance": "one mark per person and session (a database constraint), updated in place",
    "intake:assign": "a transition (assignment) under the same lock",
    "commissions:decide": "a transition (the commission's decision) under the same lock",
    "administration:membership_create": "one membership per user and structure (a database constraint)",
    "administration:grant_request_confirm": "a pending request's state change under a row lock: the copy finds it "
                                            "confirmed and is refused; one membership per user, structure and role",
}
# Rows every request may add: logs, and the claim itself.
NOT_COUNTED = {"audit.auditevent", "audit.accesslog", "accounts.formsubmission", "django_tasks_database.dbtaskresult"}


def _callbacks() -> dict:
    found = {}

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern):
                found[namespace + entry.name] = entry.callback

    walk(get_resolver(), "")
    return found


def _created(before: Counter, after: Counter) -> dict:
    return {k: after[k] - before[k] for k in after if k not in NOT_COUNTED and after[k] > before[k]}


def _owner_client(world, name):  # noqa: F811 - `world` is the fixture imported from the walk
    entry = URLS[name]
    key = entry.owner if isinstance(entry, Obj) else CREATING[name]
    client = VerifiedClient()
    client.force_login(world.users[key])
    return client


def test_every_creating_url_is_guarded():
    callbacks = _callbacks()
    unguarded = sorted(name for name in CREATING if not getattr(callbacks[name], "submit_once", False))
    assert not unguarded, f"creating forms without @submit_once: {unguarded}"


def test_every_creating_form_page_carries_a_token(world):  # noqa: F811
    missing = []
    for name in CREATING:
        response = _owner_client(world, name).get(_url(name, world, URLS[name]))
        assert response.status_code == 200, (name, response.status_code)
        if f'name="{FIELD}"'.encode() not in response.content:
            missing.append(name)
    assert not missing, f"form pages without {{% submission_token %}}: {missing}"


def test_two_renders_give_two_tokens(world):  # noqa: F811
    client = _owner_client(world, "pathways:note_add")
    url = _url("pathways:note_add", world, URLS["pathways:note_add"])
    first, second = (client.get(url).content.decode() for _ in range(2))
    token = lambda page: page.split(f'name="{FIELD}" value="')[1][:36]  # noqa: E731
    assert token(first) != token(second)


def test_no_unlisted_form_creates(world):  # noqa: F811
    """Every payload of the walk, posted by its owner (rolled back): a URL that creates rows must be listed."""
    unlisted = []
    for name, entry in sorted(URLS.items()):
        if not isinstance(entry, Obj) or entry.payload is None or _is_api(name):
            continue
        client = _owner_client(world, name)
        with transaction.atomic():
            before = row_counts()
            response = client.post(_url(name, world, entry), entry.payload(world))
            created = _created(before, row_counts())
            transaction.set_rollback(True)
        assert response.status_code < 400, (name, response.status_code)
        if created and name not in CREATING and name not in NOT_CREATING:
            unlisted.append(f"{name} creates {created}")
    assert not unlisted, ("forms that create rows but are not in CREATING (guard them with @submit_once and "
                          "{% submission_token %}) nor in NOT_CREATING (say why): " + "; ".join(unlisted))


def test_the_check_catches_an_unlisted_creating_form(world, monkeypatch):  # noqa: F811
    monkeypatch.delitem(CREATING, "pathways:note_add")
    with pytest.raises(AssertionError, match="pathways:note_add creates"):
        test_no_unlisted_form_creates(world)


GUARDED_PAYLOADS = sorted(name for name in CREATING if isinstance(URLS[name], Obj) and URLS[name].payload)


@pytest.mark.parametrize("name", GUARDED_PAYLOADS)
def test_a_form_posted_twice_writes_once(world, name):  # noqa: F811
    entry = URLS[name]
    client = _owner_client(world, name)
    data = {**entry.payload(world), FIELD: str(uuid.uuid4())}
    url = _url(name, world, entry)
    before = row_counts()
    first = client.post(url, data)
    after_first = row_counts()
    assert first.status_code == 302 and _created(before, after_first)
    second = client.post(url, data, follow=False)
    assert row_counts() == after_first, f"the copy wrote {_created(after_first, row_counts())}"
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    page = client.get(second["Location"]).content.decode()
    assert "Ce formulaire a déjà été envoyé : il n&#x27;a été pris en compte qu&#x27;une fois." in page


def test_commission_planned_twice_is_planned_once(world):  # noqa: F811
    from parcours.plie.commissions.models import Commission

    client = _owner_client(world, "commissions:commission_list")
    day = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    data = {"date": day, FIELD: str(uuid.uuid4())}
    before = Commission.objects.count()
    first = client.post(reverse("commissions:commission_list"), data)
    second = client.post(reverse("commissions:commission_list"), data)
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert Commission.objects.count() == before + 1


def test_a_refused_form_gives_its_token_back(world):  # noqa: F811
    client = _owner_client(world, "pathways:note_add")
    url = _url("pathways:note_add", world, URLS["pathways:note_add"])
    token = str(uuid.uuid4())
    refused = client.post(url, {"body": "", FIELD: token})
    assert refused.status_code == 400 and not FormSubmission.objects.exists()
    accepted = client.post(url, {"body": "Corrigée.", FIELD: token})
    assert accepted.status_code == 302 and Note.objects.filter(body="Corrigée.").count() == 1


def test_one_users_token_does_not_stop_another(world):  # noqa: F811
    url = _url("pathways:note_add", world, URLS["pathways:note_add"])
    token = str(uuid.uuid4())
    referent, coordinator = VerifiedClient(), VerifiedClient()
    referent.force_login(world.users["referent"])
    coordinator.force_login(world.users["coordinator"])
    assert referent.post(url, {"body": "Note commune.", FIELD: token}).status_code == 302
    assert coordinator.post(url, {"body": "Note commune.", FIELD: token}).status_code == 302
    assert Note.objects.filter(body="Note commune.").count() == 2


def test_a_crash_takes_the_claim_away_with_the_write(world, monkeypatch):  # noqa: F811
    from parcours.web.pathways import views

    def broken(**kwargs):
        Note.objects.create(pathway=kwargs["pathway"], author=kwargs["by"], body=kwargs["body"])
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.services, "note_create", broken)
    client = _owner_client(world, "pathways:note_add")
    client.raise_request_exception = False
    url = _url("pathways:note_add", world, URLS["pathways:note_add"])
    response = client.post(url, {"body": "Perdue.", FIELD: str(uuid.uuid4())})
    assert response.status_code == 500
    assert not Note.objects.filter(body="Perdue.").exists() and not FormSubmission.objects.exists()


def test_old_tokens_are_purged_by_retention(world, settings):  # noqa: F811
    now = timezone.now()
    user = world.users["referent"]
    old = FormSubmission.objects.create(user=user, token=uuid.uuid4(),
                                        at=now - datetime.timedelta(seconds=settings.PARCOURS_FORM_TOKEN_KEPT_SECONDS + 1))
    recent = FormSubmission.objects.create(user=user, token=uuid.uuid4(), at=now - datetime.timedelta(hours=1))
    assert form_submissions_purge(now=now) == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()


def double_post_at_once(w) -> dict:
    """Thread A writes its note and holds its transaction open; thread B posts the same form meanwhile. Returns
    what the test checks: both answers, whether B was still waiting while A held its transaction, the notes."""
    from parcours.pathways import services
    from parcours.web.pathways import views

    url = _url("pathways:note_add", w, URLS["pathways:note_add"])
    data = {"body": "Envoyée deux fois.", FIELD: str(uuid.uuid4())}
    first_wrote, release = threading.Event(), threading.Event()
    real_note_create = services.note_create

    def slow_note_create(**kwargs):
        note = real_note_create(**kwargs)
        if threading.current_thread().name == "first":
            first_wrote.set()
            release.wait(timeout=10)
        return note

    views.services.note_create = slow_note_create
    first_client = VerifiedClient()
    first_client.force_login(w.users["referent"])
    second_client = VerifiedClient()
    second_client.cookies = first_client.cookies   # the same browser, the same session
    answers: dict = {}

    def post(client, key):
        try:
            response = client.post(url, data)
            answers[key] = (response.status_code, response.get("Location"))
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            answers[key] = repr(error)
        finally:
            connection.close()

    try:
        first = threading.Thread(target=post, args=(first_client, "first"), name="first", daemon=True)
        second = threading.Thread(target=post, args=(second_client, "second"), name="second", daemon=True)
        first.start()
        assert first_wrote.wait(timeout=10), answers
        second.start()
        second.join(timeout=1)          # the copy is stuck behind the first claim, not done
        waited = second.is_alive()
        release.set()
        first.join(timeout=30), second.join(timeout=30)
    finally:
        views.services.note_create = real_note_create
    return {**answers, "second_waited": waited, "notes": Note.objects.filter(body=data["body"]).count()}


def check_double_post(outcome: dict) -> None:
    assert outcome["second_waited"], outcome
    assert outcome["first"][0] == 302 and outcome["second"] == outcome["first"], outcome
    assert outcome["notes"] == 1, outcome


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the test database of SQLite is in shared memory, where a second writer fails at once "
                           "instead of waiting: the file database's wait is tested by test_sqlite_file_queues_the_copy")
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_instant_write_once():
    """Without the claim, B writes a second note at once."""
    from tests.security.world import build_world

    check_double_post(double_post_at_once(build_world()))


def test_sqlite_file_queues_the_copy(tmp_path):
    """On SQLite (a file, as deployed: WAL, busy timeout, BEGIN IMMEDIATE), the copy waits for the writer too."""
    env = {**os.environ, "PARCOURS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "parcours.settings_test"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "tests.security.sqlite_double_post"], env=env, cwd=REPOSITORY,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    check_double_post(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("name, data", [
    ("administration:organisation_create", {"name": "CCAS de Gerzat", "kind": "prescriber", "prescriber_type": "ccas",
                                            "is_active": "on"}),
    ("administration:user_create", {"first_name": "Lou", "last_name": "Martin", "email": "lou.martin@exemple.fr",
                                    "password": "Une phrase de passe solide 2026 !", "is_active": "on"}),
])
def test_an_administration_form_posted_twice_creates_once(world, name, data):  # noqa: F811
    client = _owner_client(world, name)
    data = {**data, FIELD: str(uuid.uuid4())}
    before = row_counts()
    first = client.post(reverse(name), data)
    after_first = row_counts()
    assert first.status_code == 302 and _created(before, after_first), first.content.decode()[:2000]
    second = client.post(reverse(name), data)
    assert row_counts() == after_first and second["Location"] == first["Location"]
