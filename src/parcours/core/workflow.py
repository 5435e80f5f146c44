"""Workflows declared as data, and the engine that applies them.

A workflow is a table of transitions: name, allowed source states, target state, whom it is for (asked of
the workflow's policy), a precondition check, an effect, and the typed payload it carries. The engine is the
only way a state changes:

- `transition_create` saves a new object in the target state of a creation transition (from `CREATED`);
- `transition_apply` locks the row, re-checks everything on the locked copy (so a double-clicked button acts
  once), runs the check and the effect, saves, and writes the log row, all in one transaction;
- `transition_replay` writes the row of a transition that happened in the past (the demo, test factories)
  without its check or effect, but only along the table: a history cannot drift from it;
- `transition_import` records a state that a data file sets, as one row that names the route the table walks
  from the old state to the new one (or says that the file corrected a state the table cannot reach).

`history_problems` reads a log back against the table; the tests run it on the demo and on imports.
A workflow without a log model (a commission's session) changes state the same way and logs nothing.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

# The state of an object before it exists: the only source of a creation transition.
CREATED = ""
# The pseudo-transition of a state set by a data file (`transition_import`).
IMPORT = "import"

ModelT = TypeVar("ModelT", bound=models.Model)


class TransitionRefused(Exception):
    """A transition that may not happen now; the message is shown to the user, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SystemActor:
    """An actor that is no person (a data import, a scheduled job): its rows name it, with no user."""

    name: str
    label: Any
    pk: None = None

    def __str__(self) -> str:
        return str(self.label)


IMPORT_ACTOR = SystemActor("import", _l("Import de données"))
# A job run each day by the scheduler (an expiry, a reminder): the rows it writes name it.
SCHEDULE_ACTOR = SystemActor("schedule", _l("Tâche planifiée"))
SYSTEM_ACTORS = {actor.name: actor for actor in (IMPORT_ACTOR, SCHEDULE_ACTOR)}


@dataclass(frozen=True)
class NoPayload:
    """The payload of a transition that carries nothing."""


Check = Callable[[Any, Any], None]            # (locked object, payload) -> None, raises TransitionRefused
Effect = Callable[[Any, Any, Any], None]      # (locked object, payload, actor) -> None
Policy = Callable[[Any, "Transition", Any], bool]  # (actor, transition, object) -> may apply


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Any
    # Whom the transition is for, as the workflow's policy reads it: by default, the named capabilities
    # (organisations.capabilities) one of which the actor must hold in their current scope.
    allowed: frozenset[str]
    check: Check | None = None
    effect: Effect | None = None
    # Shown as a button in the interface; some transitions are only applied by services.
    manual: bool = True
    # A frozen dataclass: what the transition needs, typed; its fields are what the log row keeps.
    payload: type = NoPayload

    @property
    def creates(self) -> bool:
        return self.sources == frozenset({CREATED})



def capability_policy(actor: Any, transition: Transition, obj: Any) -> bool:
    """The default policy: the actor holds one of the capabilities the transition is for, in their current scope
    (a user's `can`; a system actor holds none: it only writes import rows)."""
    can = getattr(actor, "can", None)
    return can is not None and any(can(capability) for capability in transition.allowed)


@dataclass
class Workflow:
    state_field: str
    # The workflow's own states (code -> label) and the state a new object starts in.
    states: dict[str, Any] = field(default_factory=dict)
    initial: str = ""
    # Optional: a workflow whose changes need no row of their own (the audit trail keeps them) has no log.
    log_model: type[models.Model] | None = None
    log_object_field: str = ""
    policy: Policy = capability_policy
    # The refusal of a transition from a state it does not leave (%(action)s, %(state)s), in the workflow's words.
    state_refusal: Any = _l("Action « %(action)s » impossible : le dossier est à l'état « %(state)s ».")
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, transition: Transition) -> None:
        if transition.name == IMPORT or transition.name in self.transitions:
            raise ValueError(f"transition name {transition.name!r} is taken")
        if CREATED in transition.sources and not transition.creates:
            raise ValueError(f"transition {transition.name}: a creation starts from nothing and only from nothing")
        unknown = (set(transition.sources) - {CREATED} | {transition.target}) - set(self.states)
        if self.states and unknown:
            raise ValueError(f"transition {transition.name} names unknown states: {sorted(unknown)}")
        params = vars(transition.payload).get("__dataclass_params__")  # what @dataclass(frozen=...) recorded
        if not (dataclasses.is_dataclass(transition.payload) and params is not None and params.frozen):
            raise ValueError(f"transition {transition.name}: its payload must be a frozen dataclass")
        self.transitions[transition.name] = transition

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def transition(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise TransitionRefused(_("Action inconnue.")) from None

    def allows(self, actor: Any, transition: Transition, obj: Any) -> bool:
        return self.policy(actor, transition, obj)

    def available(self, obj: Any, actor: Any) -> list[Transition]:
        """The manual transitions `actor` may apply from the object's current state."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions.values()
                if t.manual and state in t.sources and self.allows(actor, t, obj)]

    def payload_of(self, transition: Transition, data: Any) -> Any:
        """The transition's typed payload, from an instance or from a mapping of its fields."""
        if isinstance(data, transition.payload):
            return data
        values = dict(data or {})
        names = {f.name for f in dataclasses.fields(transition.payload)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise TypeError(f"transition {transition.name} carries no {', '.join(unknown)}")
        missing = [f.name for f in dataclasses.fields(transition.payload) if f.name not in values
                   and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        if missing:
            raise TransitionRefused(_("Action « %(action)s » : information manquante (%(fields)s).")
                                    % {"action": transition.label, "fields": ", ".join(missing)})
        return transition.payload(**values)

    def route(self, source: str, target: str) -> list[Transition] | None:
        """The shortest walk of the table from `source` to `target` (no creation), or None if there is none.

        Ties go to the transitions declared first, so the route is the same on every run. From `CREATED`, the walk
        starts at the initial state: the route says which states a file set directly went through.
        """
        start = self.initial if source == CREATED else source
        if start == target:
            return []
        previous: dict[str, tuple[str, Transition]] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            state = queue.popleft()
            for t in self.transitions.values():
                if t.creates or state not in t.sources or t.target in seen:
                    continue
                previous[t.target] = (state, t)
                if t.target == target:
                    walk = [t]
                    while state != start:
                        state, step = previous[state]
                        walk.append(step)
                    return walk[::-1]
                seen.add(t.target)
                queue.append(t.target)
        return None

    def history_problems(self, rows: Iterable[Any], *, final: str) -> list[str]:
        """What in a log (rows with transition, from_state, to_state, data, by_id, system_actor) the table
        does not allow, row by row, and whether it ends in `final`. Empty: the history is the table's."""
        problems: list[str] = []
        state = CREATED
        for index, row in enumerate(rows):
            where = f"row {index + 1} ({row.transition})"
            if row.from_state != state:
                problems.append(f"{where}: starts from {_q(row.from_state)}, the previous row ended in {_q(state)}")
            if row.transition == IMPORT:
                if not getattr(row, "system_actor", ""):
                    problems.append(f"{where}: an import row is written by a system actor")
                walked = (row.data or {}).get("route")
                if walked is None:
                    if not (row.data or {}).get("correction"):
                        problems.append(f"{where}: an import row names its route or says it is a correction")
                    elif self.route(row.from_state, row.to_state) is not None:
                        problems.append(f"{where}: a correction where the table has a route")
                else:
                    end = self.initial if row.from_state == CREATED else row.from_state
                    for name in walked:
                        t = self.transitions.get(name)
                        if t is None or t.creates or end not in t.sources:
                            problems.append(f"{where}: the route's {name!r} does not start from {_q(end)}")
                            break
                        end = t.target
                    else:
                        if end != row.to_state:
                            problems.append(f"{where}: the route ends in {_q(end)}, the row in {_q(row.to_state)}")
            else:
                t = self.transitions.get(row.transition)
                if t is None:
                    problems.append(f"{where}: no such transition in the table")
                else:
                    if row.from_state not in t.sources:
                        problems.append(f"{where}: does not start from {_q(row.from_state)}")
                    if row.to_state != t.target:
                        problems.append(f"{where}: leads to {_q(t.target)}, not {_q(row.to_state)}")
                    keys = set(row.data or {})
                    expected = {f.name for f in dataclasses.fields(t.payload)}
                    if keys != expected:
                        problems.append(f"{where}: its data {sorted(keys)} is not its payload {sorted(expected)}")
            state = row.to_state
        if state != final:
            problems.append(f"the history ends in {_q(state)}, the object is in {_q(final)}")
        return problems


def _q(state: Any) -> str:
    """A state quoted in a message (a TextChoices member would print as its enum name)."""
    return repr(str(state))


# --- the engine -------------------------------------------------------------------------------------------------------

def _log_row(workflow: Workflow, obj: models.Model, *, name: str, source: str, target: str, actor: Any,
             data: Mapping[str, Any], at: datetime | None = None) -> models.Model | None:
    if workflow.log_model is None:
        return None
    values: dict[str, Any] = {workflow.log_object_field: obj, "transition": name, "from_state": source,
                              "to_state": target, "data": dict(data)}
    if isinstance(actor, SystemActor):
        values["system_actor"] = actor.name
    else:
        values["by"] = actor
    if at is not None:
        values["at"] = at
    return workflow.log_model(**values)


def payload_json(payload: Any) -> dict[str, Any]:
    """The payload as the log keeps it: dates as ISO strings, objects as their primary key."""
    return {f.name: _jsonable(getattr(payload, f.name)) for f in dataclasses.fields(payload)}


def _refuse_unless_allowed(workflow: Workflow, transition: Transition, actor: Any, obj: Any) -> None:
    if not workflow.allows(actor, transition, obj):
        raise TransitionRefused(
            _("Votre rôle ne permet pas l'action « %(action)s ».") % {"action": transition.label})


def transition_create(workflow: Workflow, obj: ModelT, name: str, *, by: Any, data: Any = None) -> ModelT:
    """Save the new object `obj` in the target state of creation transition `name`, and log it."""
    transition = workflow.transition(name)
    if not transition.creates:
        raise TransitionRefused(_("« %(action)s » ne crée pas de dossier.") % {"action": transition.label})
    _refuse_unless_allowed(workflow, transition, by, obj)
    payload = workflow.payload_of(transition, data)
    with transaction.atomic():
        _run(workflow, transition, obj, payload, by=by, source=CREATED)
    return obj


def transition_apply(workflow: Workflow, obj: ModelT, name: str, *, by: Any, data: Any = None) -> ModelT:
    """Apply transition `name` to `obj` as `by` (asked of the workflow's policy); returns the saved, locked copy."""
    transition = workflow.transition(name)
    if transition.creates:
        raise TransitionRefused(_("« %(action)s » crée un dossier : il ne s'applique pas à un dossier existant.")
                                % {"action": transition.label})
    with transaction.atomic():
        # The row alone: a lock on joined rows (the territory, the person) would queue unrelated writes behind it.
        locked = cast(ModelT, type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk))
        source = getattr(locked, workflow.state_field)
        if source not in transition.sources:
            raise TransitionRefused(
                str(workflow.state_refusal) % {"action": transition.label, "state": workflow.state_label(source)})
        _refuse_unless_allowed(workflow, transition, by, locked)
        _run(workflow, transition, locked, workflow.payload_of(transition, data), by=by, source=source)
    return locked


def _run(workflow: Workflow, transition: Transition, obj: models.Model, payload: Any, *, by: Any, source: str) -> None:
    """Check, effect, the new state, validation, save and the log row, in the caller's transaction."""
    if transition.check:
        transition.check(obj, payload)
    if transition.effect:
        transition.effect(obj, payload, by)
    setattr(obj, workflow.state_field, transition.target)
    obj.full_clean()
    obj.save()
    row = _log_row(workflow, obj, name=transition.name, source=source, target=transition.target, actor=by,
                   data=payload_json(payload))
    if row is not None:
        row.save()


def transition_replay(workflow: Workflow, obj: Any, name: str, *, by: Any, at: datetime, data: Any = None) -> Any:
    """A transition that happened at `at`, written without its check or effect (the caller wrote its rows):
    the table still decides whether it could happen from the object's state. Moves the state of `obj` in memory
    and returns the unsaved log row (the demo and the factories save rows in bulk)."""
    transition = workflow.transition(name)
    source = getattr(obj, workflow.state_field) or CREATED
    if source not in transition.sources:
        raise ValueError(f"{name} does not start from {source!r}")
    if not isinstance(by, SystemActor) and not workflow.allows(by, transition, obj):
        raise ValueError(f"{by} may not apply {name}")
    payload = workflow.payload_of(transition, data)
    setattr(obj, workflow.state_field, transition.target)
    return _log_row(workflow, obj, name=name, source=source, target=transition.target, actor=by,
                    data=payload_json(payload), at=at)


def transition_import(workflow: Workflow, obj: Any, *, source: str, by: SystemActor,
                      data: Mapping[str, Any] | None = None) -> Any:
    """The unsaved log row of a state a data file set on `obj` (its state is the new one, `source` the old).

    The row names the route the table walks from `source` to the new state; where the table has none (the file
    undid an exit, changed a decision), the row says the file corrected the state.
    """
    target = getattr(obj, workflow.state_field)
    walk = workflow.route(source, target)
    payload: dict[str, Any] = dict(data or {})
    if walk is None:
        payload["correction"] = True
    else:
        payload["route"] = [t.name for t in walk]
    return _log_row(workflow, obj, name=IMPORT, source=source, target=target, actor=by, data=payload)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
