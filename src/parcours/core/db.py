"""Which database a read goes to."""

from django.conf import settings


def reporting_alias() -> str:
    """The replica when one is configured (PARCOURS_REPLICA_DATABASE_URL), else the primary.

    Reports tolerate the replica's few seconds of lag; anything a user just wrote and expects to
    see must keep reading from the primary.
    """
    return "replica" if "replica" in settings.DATABASES else "default"
