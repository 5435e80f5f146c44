"""Reads of the person's data that other apps compose into their queries."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from .models import ParticipantSituation


def situation_subquery(code: str, participant: str = "pk") -> Subquery:
    """One criterion of the person as an annotation: True, False, or None when unknown (no row).

    `participant` names the outer query's participant id. One indexed lookup per row (the unique
    (participant, code)), so an export or an import reads the criteria in the same query as the person."""
    return Subquery(ParticipantSituation.objects.filter(participant_id=OuterRef(participant), code=code)
                    .values("value")[:1])
