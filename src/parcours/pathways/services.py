"""Writes on pathways. Each service runs in one transaction and leaves a trace."""

from __future__ import annotations

from typing import Any

from parcours.core.workflow import transition_apply

from .models import Pathway
from .workflow import PATHWAY_WORKFLOW


def pathway_transition(*, pathway: Pathway, name: str, by, data: dict[str, Any] | None = None) -> Pathway:
    """Apply a transition of PATHWAY_WORKFLOW as `by`, with their roles."""
    payload = dict(data or {})
    payload.setdefault("by", by)
    return transition_apply(PATHWAY_WORKFLOW, pathway, name, by=by, roles=by.roles, data=payload)
