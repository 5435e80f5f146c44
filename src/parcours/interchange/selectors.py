"""Reads on import runs: which runs lost their worker (docs/interchange.md, "Import interrompu")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .enums import ImportStep
from .models import BUSY_STATES, ImportRun

# A run whose task never started (queued behind other work, or lost before it began) is given up after that long
# without any sign: the queue may be slow, a heartbeat says nothing until the task runs.
STALE_AFTER = timedelta(hours=2)


def dead_after() -> timedelta:
    return timedelta(seconds=settings.PARCOURS_IMPORT_DEAD_AFTER_SECONDS)


def _dead(now: datetime | None) -> tuple[Q, Coalesce]:
    """The rule, as a condition on ImportRun that needs the alias `last_sign` (returned with it).

    Dead: busy (checking or importing), and either its task started (a heartbeat) and the heartbeat stopped for
    PARCOURS_IMPORT_DEAD_AFTER_SECONDS, or its task never started and nothing happened for STALE_AFTER.
    """
    now = now or timezone.now()
    beat_lost = Q(heartbeat_at__lt=now - dead_after())
    if connection.vendor == "sqlite":
        # One writer at a time: while an import writes, its own heartbeat cannot be written. Only a long silence
        # says that such a run died (PostgreSQL writes the heartbeat beside the import's transaction).
        beat_lost &= ~Q(step=ImportStep.WRITING) | Q(heartbeat_at__lt=now - STALE_AFTER)
    last_sign = Coalesce(F("progress_at"), F("confirmed_at"), F("created_at"))
    never_started = Q(heartbeat_at__isnull=True) & Q(last_sign__lt=now - STALE_AFTER)
    return Q(state__in=BUSY_STATES) & (beat_lost | never_started), last_sign


def import_runs_with_dead(runs: QuerySet[ImportRun], *, now: datetime | None = None) -> QuerySet[ImportRun]:
    """`runs` with `dead` (bool) on each, in the same query."""
    condition, last_sign = _dead(now)
    return runs.alias(last_sign=last_sign).annotate(dead=ExpressionWrapper(condition, output_field=BooleanField()))


def import_runs_dead(*, runs: QuerySet[ImportRun] | None = None, now: datetime | None = None) -> QuerySet[ImportRun]:
    """The busy runs whose worker is gone."""
    condition, last_sign = _dead(now)
    runs = ImportRun.objects.all() if runs is None else runs
    return runs.alias(last_sign=last_sign).filter(condition)
