"""Changing a territory's rules (eligibility, rhythm of the pathway), by its administrators."""

from __future__ import annotations

from django.db import transaction

from parcours.audit.services import audit_record, model_snapshot

from .models import Territory

CONFIGURABLE_FIELDS = [
    "min_age", "youth_min_age", "youth_max_age", "eligible_situations", "qpv_residence_eligible",
    "commission_interval_days", "assessment_deadline_days", "inactivity_alert_days",
    "caseload_min", "caseload_max", "followup_months",
]


def territory_configure(*, territory: Territory, by, **values) -> Territory:
    """Apply new rule values; every change is audited with old and new values."""
    with transaction.atomic():
        locked = Territory.objects.select_for_update().get(pk=territory.pk)
        before = model_snapshot(locked, CONFIGURABLE_FIELDS)
        for name, value in values.items():
            if name not in CONFIGURABLE_FIELDS:
                raise TypeError(f"not a configurable field: {name}")
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        audit_record(actor=by, action="territory_configure", obj=locked, participant_id=None,
                     before=before, after=model_snapshot(locked, CONFIGURABLE_FIELDS))
    return locked
