"""Workflows declared as data.

A workflow is a table of transitions: name, allowed source states, target state, roles that may
apply it, and a precondition check. `transition_apply` is the only way a state changes: it locks
the row, re-checks everything on the locked copy (so a double-clicked button acts once), runs the
transition's effect, saves, and writes the log row, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _


class TransitionRefused(Exception):
    """A transition that may not happen now; the message is shown to the user, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Check = Callable[[Any, dict], None]
Effect = Callable[[Any, dict], None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Any
    roles: frozenset[str]
    check: Check | None = None
    effect: Effect | None = None
    # Shown as a button in the interface; some transitions are only applied by services.
    manual: bool = True


@dataclass
class Workflow:
    state_field: str
    log_model: type[models.Model]
    log_object_field: str
    # The workflow's own states (code -> label) and the state a new object starts in.
    states: dict[str, Any] = field(default_factory=dict)
    initial: str = ""
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, transition: Transition) -> None:
        unknown = (set(transition.sources) | {transition.target}) - set(self.states)
        if self.states and unknown:
            raise ValueError(f"transition {transition.name} names unknown states: {sorted(unknown)}")
        self.transitions[transition.name] = transition

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def available(self, obj: Any, roles: Iterable[str]) -> list[Transition]:
        """The manual transitions the user's roles may apply from the object's current state."""
        state = getattr(obj, self.state_field)
        role_set = set(roles)
        return [
            t for t in self.transitions.values()
            if t.manual and state in t.sources and role_set & t.roles
        ]


def transition_apply(
    workflow: Workflow,
    obj: models.Model,
    name: str,
    *,
    by: Any,
    roles: Iterable[str],
    data: dict | None = None,
) -> models.Model:
    """Apply transition `name` to `obj` as `by`; returns the saved, locked copy."""
    data = dict(data or {})
    try:
        transition = workflow.transitions[name]
    except KeyError:
        raise TransitionRefused(_("Action inconnue.")) from None
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(locked, workflow.state_field)
        if source not in transition.sources:
            raise TransitionRefused(
                _("Action « %(action)s » impossible : le dossier est à l'état « %(state)s ».")
                % {"action": transition.label, "state": workflow.state_label(source)}
            )
        if not (set(roles) & transition.roles):
            raise TransitionRefused(
                _("Votre rôle ne permet pas l'action « %(action)s ».") % {"action": transition.label}
            )
        if transition.check:
            transition.check(locked, data)
        if transition.effect:
            transition.effect(locked, data)
        setattr(locked, workflow.state_field, transition.target)
        locked.full_clean()
        locked.save()
        workflow.log_model._default_manager.create(
            **{workflow.log_object_field: locked},
            transition=transition.name,
            from_state=source,
            to_state=transition.target,
            by=by,
            data={k: _jsonable(v) for k, v in data.items()},
        )
    return locked


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)
