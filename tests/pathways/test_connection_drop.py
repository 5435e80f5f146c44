"""A database connection that drops: never a write lost in silence, and the next request works.

Writes are services, each one transaction; a view whose database fails answers 503 in French, with Retry-After,
saying nothing was saved (web.middleware.DatabaseUnavailableMiddleware). On PostgreSQL a kept connection the
server dropped is tested before use and replaced (CONN_HEALTH_CHECKS), so the request after a drop is not lost.
"""

import html

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.pathways.models import Note

from tests.api.helpers import api_for

pytestmark = pytest.mark.django_db(transaction=True)

UNSAVED = "La base de données ne répond pas : rien n'a été enregistré. Réessayez dans quelques instants."
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend needs a PostgreSQL server: SQLite has no connection to drop")


def _terminate_own_backend() -> None:
    """What a PostgreSQL restart or a failover does to this connection: the server ends it."""
    import psycopg

    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                         password=settings["PASSWORD"], dbname=settings["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


class DropsOnTheAuditRow:
    """An execute wrapper: lets the note's INSERT through, then the connection dies on the audit row's INSERT."""

    def __init__(self, *, really: bool):
        self.really = really
        self.note_inserted = False

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "pathways_note"'):
            self.note_inserted = True
        if sql.startswith('INSERT INTO "audit_auditevent"') and self.note_inserted:
            if not self.really:
                raise OperationalError("server closed the connection unexpectedly")
            _terminate_own_backend()
        return execute(sql, params, many, context)


def _post_note(client, pathway, body):
    return client.post(reverse("pathways:note_add", args=[pathway.pk]), {"body": body})


def _assert_said_unsaved(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = html.unescape(response.content.decode())
    assert UNSAVED in page
    assert '<html lang="fr">' in page


@pytest.mark.parametrize("really", [
    pytest.param(False, id="the cursor raises"),
    pytest.param(True, id="the server ends the connection", marks=postgresql_only),
])
def test_a_note_whose_connection_drops_is_said_unsaved_and_nothing_is_half_written(client, active, referent,
                                                                                    really):
    client.force_login(referent)
    notes, events = Note.objects.count(), AuditEvent.objects.count()
    drop = DropsOnTheAuditRow(really=really)
    with connection.execute_wrapper(drop):
        response = _post_note(client, active, "Entretien : démarches en cours.")
    assert drop.note_inserted, "the drop must come after the note's row was written, inside its transaction"
    _assert_said_unsaved(response)
    # The note and its audit row were one transaction: neither is there.
    assert Note.objects.count() == notes
    assert AuditEvent.objects.count() == events
    # The next request works (a new connection after a real drop).
    assert _post_note(client, active, "Entretien : démarches en cours.").status_code == 302
    assert Note.objects.filter(pathway=active, body="Entretien : démarches en cours.").count() == 1
    assert AuditEvent.objects.filter(action="note.create").count() == 1


def test_the_api_says_it_in_json(referent, active):
    api = api_for(referent)

    def drop(execute, sql, params, many, context):
        if '"pathways_pathway"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop):
        response = api.get(f"/api/v1/pathways/{active.pk}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": UNSAVED}
    assert api.get(f"/api/v1/pathways/{active.pk}/").status_code == 200


def test_other_errors_are_not_taken_for_a_database_failure(client, active, referent, monkeypatch):
    from parcours.pathways import services

    def broken(**kwargs):
        raise RuntimeError("a bug, not the database")

    monkeypatch.setattr(services, "note_create", broken)
    client.raise_request_exception = False
    client.force_login(referent)
    assert _post_note(client, active, "Note.").status_code == 500


@postgresql_only
def test_a_kept_connection_the_server_dropped_is_replaced_before_the_next_request_uses_it(client, active, referent):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    client.force_login(referent)
    assert _post_note(client, active, "Première note.").status_code == 302
    _terminate_own_backend()
    # What Django runs when a request starts (the test client leaves it out): with health checks, the kept
    # connection is tested before its first use in the request, found dead and replaced.
    close_old_connections()
    assert _post_note(client, active, "Après la coupure.").status_code == 302
    assert Note.objects.filter(pathway=active, body="Après la coupure.").exists()
