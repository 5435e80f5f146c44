"""Reads on participants' documents, scoped by `organisations.access`."""

from __future__ import annotations

from django.db.models import QuerySet

from parcours.organisations.access import pathways_visible_to

from .models import Document


def documents_visible_to(user) -> QuerySet:
    """Documents attached to a pathway the user may open (the file's own documents, and the person's history)."""
    visible = pathways_visible_to(user)
    return Document.objects.filter(participant_id__in=visible.values("participant_id")).select_related("participant")
