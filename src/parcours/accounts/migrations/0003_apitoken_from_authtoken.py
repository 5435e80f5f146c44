"""The keys of DRF's former token app (rest_framework.authtoken, removed from INSTALLED_APPS) become API tokens.

Its table held each user's key in plain text. Since the key is known here, it is stored hashed (SHA-256, as
accounts.ApiToken.digest_of does), so the systems using it keep working; it gets the full lifetime from today
(PARCOURS_API_TOKEN_DAYS). Then the plain-text table and the app's migration records are dropped. A database
created after the removal has no such table: nothing to do. Not reversible: the plain keys are gone.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"
LABEL = "Jeton repris de la version précédente"


def _aware(value):
    if isinstance(value, str):   # SQLite hands back text
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def keys_to_hashed_tokens(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if OLD_TABLE not in connection.introspection.table_names(cursor):
            return
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} FROM {quote(OLD_TABLE)} "
                       f"ORDER BY {quote('user_id')}")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.PARCOURS_API_TOKEN_DAYS)
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, label=LABEL, prefix=key[:8], digest=hashlib.sha256(key.encode()).hexdigest(),
                 created_at=min(_aware(created) or now, now), expires_at=expires_at)
        for key, user_id, created in rows])
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_apitoken"),
    ]

    operations = [
        migrations.RunPython(keys_to_hashed_tokens, elidable=False),
    ]
