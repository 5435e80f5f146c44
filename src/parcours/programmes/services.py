"""Writes on programmes: their creation and the change of their rules, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parcours.audit.services import audit_record

from .models import Programme

# The rules every programme has, as columns; the definition's own are in `parameters`.
COMMON_RULES = ["inactivity_alert_days", "caseload_min", "caseload_max"]


def programme_rules(programme: Programme) -> dict[str, Any]:
    """Every rule of the programme by name: the common columns, then the definition's parameters (defaults filled)."""
    rules = {name: getattr(programme, name) for name in COMMON_RULES}
    rules.update({p.name: programme.parameter(p.name) for p in programme.definition.parameters})
    return rules


def programme_configure(*, programme: Programme, by, values: dict[str, Any]) -> Programme:
    """Apply new rule values (common and the definition's); every change is audited with old and new values."""
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        before = programme_rules(locked)
        parameter_names = {p.name for p in locked.definition.parameters}
        unknown = set(values) - set(COMMON_RULES) - parameter_names
        if unknown:
            raise TypeError(f"not a rule of this programme: {sorted(unknown)}")
        for name in COMMON_RULES:
            if name in values:
                setattr(locked, name, values[name])
        locked.parameters = {**locked.parameters, **{k: v for k, v in values.items() if k in parameter_names}}
        locked.full_clean()
        locked.save()
        audit_record(actor=by, action="programme_configure", obj=locked, participant_id=None,
                     before=before, after=programme_rules(locked))
    return locked


def programme_create(*, territory, kind: str, name: str, organisation=None, by=None,
                     values: dict[str, Any] | None = None) -> Programme:
    """A programme of `kind` on `territory` (its definition's defaults for the rules not given)."""
    values = dict(values or {})
    with transaction.atomic():
        programme = Programme(territory=territory, kind=kind, name=name, organisation=organisation)
        for rule in COMMON_RULES:
            if rule in values:
                setattr(programme, rule, values.pop(rule))
        programme.parameters = values
        programme.full_clean()
        programme.save()
        if by is not None:
            audit_record(actor=by, action="programme_create", obj=programme, participant_id=None,
                         before=None, after=programme_rules(programme))
    return programme
