"""accounts 0003 on what the demo snapshot lacks: a database that still has DRF's token table (rest_framework.authtoken,
removed from INSTALLED_APPS) with a plain key. The key becomes a hashed API token that still authenticates, and the
plain-text table and its migration records are gone."""

import datetime
import hashlib

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.migrations import harness

BEFORE = ("accounts", "0002_apitoken")
AFTER = ("accounts", "0003_apitoken_from_authtoken")
KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
OLD_TABLE = "authtoken_token"


def _nodes(node):
    return [node if app == "accounts" else (app, name) for app, name in harness.latest_nodes(connection)]


def _old_token_table(user_id: int, created: datetime.datetime) -> None:
    """The table as rest_framework.authtoken's migrations left it, with one user's key, and their records."""
    quote = connection.ops.quote_name
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {quote(OLD_TABLE)} ({quote('key')} varchar(40) NOT NULL PRIMARY KEY, "
                       f"{quote('created')} {timestamp} NOT NULL, {quote('user_id')} bigint NOT NULL UNIQUE)")
        cursor.execute(f"INSERT INTO {quote(OLD_TABLE)} ({quote('key')}, {quote('created')}, {quote('user_id')}) "
                       "VALUES (%s, %s, %s)", [KEY, created, user_id])
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
                       ["authtoken", "0004_alter_tokenproxy_options", created])


@pytest.mark.django_db(transaction=True)
def test_a_plain_key_becomes_a_hashed_token_that_still_works(settings):
    try:
        apps = harness.to_state(connection, _nodes(BEFORE)).apps
        user = apps.get_model("organisations", "User").objects.create(email="systeme@exemple.fr", is_active=True)
        created = datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)
        _old_token_table(user.pk, created)

        apps = harness.to_state(connection, _nodes(AFTER)).apps
        token = apps.get_model("accounts", "ApiToken").objects.get()
        assert (token.user_id, token.prefix, token.created_at) == (user.pk, KEY[:8], created)
        assert token.digest == hashlib.sha256(KEY.encode()).hexdigest()
        assert token.revoked_at is None and token.expires_at > datetime.datetime.now(datetime.UTC) + \
            datetime.timedelta(days=settings.PARCOURS_API_TOKEN_DAYS - 1)
        with connection.cursor() as cursor:
            assert OLD_TABLE not in connection.introspection.table_names(cursor)
            cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = %s", ["authtoken"])
            assert cursor.fetchone()[0] == 0
            cursor.execute("SELECT COUNT(*) FROM accounts_apitoken WHERE digest LIKE %s", [f"%{KEY}%"])
            assert cursor.fetchone()[0] == 0, "the plain key is nowhere"

        # AFTER is today's state of accounts: the real authentication finds the migrated token.
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {KEY}")
        response = client.get("/api/v1/pathways/")
        # Signed in by the token (not 401); this account has no role, so the files' area is closed to it (403).
        assert response.status_code == 403, response.json()
        assert response.json()["detail"] == "Votre rôle ne donne pas accès à cette opération de l'API."
    finally:
        harness.empty_all_tables(connection)
        harness.to_latest(connection)
