"""A write on a pathway locks that pathway's row, not its participant's or its territory's.

`_lock()` locks the pathway's row alone (it used to join the participant and the territory, and
PostgreSQL's FOR UPDATE then locked those rows too): two referents writing on two files of the same PLIE
do not queue behind the territory's row. Proved on PostgreSQL with two connections (two threads): one holds
a real service's lock in an open transaction, the other writes through a real service with a lock
timeout. The control: a write on the *same* pathway does wait, and gets the timeout.
"""

import threading
import time

import psycopg.errors
import pytest
from django.db import OperationalError, connection, transaction

from parcours.pathways.models import Note
from parcours.pathways.services import note_create
from tests import factories

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks need PostgreSQL: SQLite has one writer for the whole database and "
                              "ignores SELECT ... FOR UPDATE"),
    pytest.mark.django_db(transaction=True),
]

LOCK_TIMEOUT_SECONDS = 2


def _run_in_thread(target):
    """Run `target` in a thread with its own database connection, closed at the end; returns (thread, outcome)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except BaseException as error:  # noqa: BLE001 - handed back to the test, which asserts on it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.fixture
def two_pathways(territory, operator, referent):
    """Two files of two people of the same territory, both in the pathway."""
    first, second = (
        factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory), operator=operator,
                                 referent=referent, active=True)
        for _ in range(2))
    return first, second


@pytest.fixture
def held_lock(two_pathways, referent):
    """Thread 1: records a note on the first pathway inside a transaction it keeps open until released."""
    first, _ = two_pathways
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            note_create(pathway=first, by=referent, body="Note du premier référent, transaction ouverte.")
            locked.set()
            if not release.wait(timeout=30):
                raise TimeoutError("the test never released the lock")

    holder, holder_outcome = _run_in_thread(hold)
    assert locked.wait(timeout=10), f"thread 1 never took the lock: {holder_outcome}"
    yield
    release.set()
    holder.join(timeout=10)
    assert not holder.is_alive()
    assert "error" not in holder_outcome, holder_outcome


def _write_note(pathway, by, body):
    """Thread 2: the same service, on `pathway`, giving up after LOCK_TIMEOUT_SECONDS of waiting for a lock."""
    def write():
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
        started = time.monotonic()
        note_create(pathway=pathway, by=by, body=body)
        return time.monotonic() - started

    writer, outcome = _run_in_thread(write)
    writer.join(timeout=LOCK_TIMEOUT_SECONDS + 10)
    assert not writer.is_alive()
    return outcome


def test_a_write_on_another_pathway_of_the_territory_does_not_wait(two_pathways, referent, held_lock):
    _, second = two_pathways
    outcome = _write_note(second, referent, "Note sur l'autre dossier.")
    assert "error" not in outcome, f"the write on the other pathway waited for a lock: {outcome['error']!r}"
    assert outcome["value"] < LOCK_TIMEOUT_SECONDS / 2
    assert Note.objects.filter(pathway=second, body="Note sur l'autre dossier.").exists()


def test_control_a_write_on_the_same_pathway_waits_for_the_lock(two_pathways, referent, held_lock):
    first, _ = two_pathways
    outcome = _write_note(first, referent, "Note concurrente sur le même dossier.")
    error = outcome.get("error")
    assert isinstance(error, OperationalError), f"the write on the locked pathway did not wait: {outcome}"
    assert isinstance(error.__cause__, psycopg.errors.LockNotAvailable), repr(error)
    assert not Note.objects.filter(body="Note concurrente sur le même dossier.").exists()
