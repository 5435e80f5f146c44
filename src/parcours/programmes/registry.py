"""The registry of programme definitions.

A definition is code: the programme's workflow (its states and transitions), its step types and exit reasons,
the parameters a territory sets for it. Each programme app registers its definition in its `AppConfig.ready()`;
the generic code (pathways, reporting, interchange, web) asks `definition_of(...)` and never imports a programme.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from parcours.core.workflow import Workflow
from parcours.organisations.capabilities import capabilities_grant, capabilities_revoke

Choices = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Parameter:
    """One rule a territory sets for a programme: its name, default, and the form field that edits it."""

    name: str
    default: Any
    field: Callable[[], forms.Field]

    def clean(self, value: Any) -> Any:
        """The value as the form field would clean it; raises ValidationError (French) otherwise."""
        form_field = self.field()
        if isinstance(form_field, forms.MultipleChoiceField):
            return list(form_field.clean(value))
        if isinstance(form_field, forms.BooleanField):
            if not isinstance(value, bool):
                raise ValidationError(form_field.error_messages.get("invalid", "invalid"))
            return value
        return form_field.clean(value)


CRITERION_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Criterion:
    """A situation criterion a programme reads about a person (RSA, long-term job seeker…): yes, no or unknown.

    The person holds it as a row (participants.ParticipantSituation, keyed by `code`; no row is unknown), so a
    programme that declares a new criterion needs no migration. Two programmes may read the same criterion: they
    declare it alike (same code, label and sensitivity)."""

    code: str
    label: str | Promise
    # Health-related (RQTH…): shown only to roles that may read sensitive data.
    sensitive: bool = False


@dataclass(frozen=True)
class ProgrammeDefinition:
    kind: str
    label: str | Promise
    workflow: Workflow
    step_types: Choices
    exit_reasons: Choices
    # States in which the person is in the programme (entered, not exited): steps and appointments are recorded.
    in_pathway_states: frozenset[str]
    # States that end a pathway (the lists' "open" leaves them out); states in which the referent follows the
    # person and reassesses their barriers (in the pathway, and for the PLIE once admitted).
    closed_states: frozenset[str] = frozenset()
    followed_states: frozenset[str] = frozenset()
    parameters: tuple[Parameter, ...] = ()
    # Checks across parameters (a range whose bounds are two parameters…): raise ValidationError keyed by name.
    parameters_check: Callable[[Mapping[str, Any]], None] | None = None
    # Whether a person may enter (programmes.eligibility): called with (programme, EligibilityFacts).
    eligibility: Callable[[Any, Any], bool] | None = None
    # The situation criteria the programme reads about a person (its forms ask them, its rules read them).
    criteria: tuple[Criterion, ...] = ()
    # What each role may do in this programme: role -> named capabilities (organisations.capabilities), granted
    # when the definition is registered.
    capabilities: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The programme's rules on the kernel's steps (pathways.services), each called in the service's transaction:
    # step_check(pathway, step, add) adds French errors by field; step_change_check(step, before, ending=…) may
    # refuse an edit or an end (raises ValidationError); step_recorded(pathway, step, by) acts on a saved step.
    step_check: Callable[[Any, Any, Callable[[str, str], None]], None] | None = None
    step_change_check: Callable[..., None] | None = None
    step_recorded: Callable[[Any, Any, Any], Any] | None = None
    # The programme's own rows in the file's timeline (pathways.selectors.pathway_timeline): called with the
    # pathway and `sensitive=`, returns TimelineEntry items from the rows the file's queryset prefetched.
    timeline_entries: Callable[..., list] | None = None

    def state_label(self, state: str) -> str:
        return str(self.workflow.states.get(state, state))

    def step_type_label(self, code: str) -> str:
        return str(dict(self.step_types).get(code, code))

    def exit_reason_label(self, code: str) -> str:
        return str(dict(self.exit_reasons).get(code, code))

    def criterion_codes(self) -> list[str]:
        return [c.code for c in self.criteria]

    def parameter_defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    def parameters_clean(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Every parameter of the definition, cleaned (defaults for the missing); unknown names are refused."""
        known = {p.name: p for p in self.parameters}
        errors: dict[str, list] = {}
        unknown = sorted(set(values) - set(known))
        if unknown:
            errors["parameters"] = [ValidationError("Paramètre inconnu : %(names)s.",
                                                    params={"names": ", ".join(unknown)})]
        cleaned: dict[str, Any] = {}
        for name, parameter in known.items():
            try:
                cleaned[name] = parameter.clean(values.get(name, parameter.default))
            except ValidationError as error:
                errors[name] = error.error_list
        if errors:
            raise ValidationError(errors)
        if self.parameters_check:
            self.parameters_check(cleaned)
        return cleaned


_definitions: dict[str, ProgrammeDefinition] = {}


def programme_register(definition: ProgrammeDefinition) -> None:
    """Register a definition (at start-up); registering a kind twice replaces nothing and is refused."""
    existing = _definitions.get(definition.kind)
    if existing is not None and existing is not definition:
        raise ValueError(f"programme kind already registered: {definition.kind}")
    _criteria_check(definition)
    _definitions[definition.kind] = definition
    for role, granted in definition.capabilities.items():
        capabilities_grant(role, granted)


def _criteria_check(definition: ProgrammeDefinition) -> None:
    codes = definition.criterion_codes()
    if len(set(codes)) != len(codes):
        raise ValueError(f"{definition.kind}: a criterion is declared twice")
    known = {c.code: (kind, c) for kind, d in _definitions.items() if kind != definition.kind for c in d.criteria}
    for criterion in definition.criteria:
        if not CRITERION_CODE.match(criterion.code):
            raise ValueError(f"{definition.kind}: criterion code {criterion.code!r} (a-z, 0-9, _; 64 at most)")
        other = known.get(criterion.code)
        if other is not None and (str(other[1].label), other[1].sensitive) != (str(criterion.label),
                                                                                criterion.sensitive):
            raise ValueError(f"{definition.kind}: criterion {criterion.code!r} differs from {other[0]}'s")


def programme_unregister(kind: str) -> None:
    """For tests that register a definition of their own (its grants that no other definition makes go too)."""
    definition = _definitions.pop(kind, None)
    if definition is None:
        return
    for role, granted in definition.capabilities.items():
        kept = set().union(*(d.capabilities.get(role, frozenset()) for d in _definitions.values()))
        capabilities_revoke(role, set(granted) - kept)


def programme_definition(kind: str) -> ProgrammeDefinition:
    try:
        return _definitions[kind]
    except KeyError:
        raise LookupError(f"no programme definition of kind {kind!r}") from None


def programme_definitions() -> list[ProgrammeDefinition]:
    return list(_definitions.values())


def criteria_catalogue() -> dict[str, Criterion]:
    """Every criterion of the registered programmes, by code, in the order they were declared."""
    catalogue: dict[str, Criterion] = {}
    for definition in _definitions.values():
        for criterion in definition.criteria:
            catalogue.setdefault(criterion.code, criterion)
    return catalogue


def criterion_label(code: str) -> str:
    """The French label of a criterion; the code itself for one no registered programme declares any more."""
    criterion = criteria_catalogue().get(code)
    return str(criterion.label) if criterion else code


def criteria_refusal(codes: Iterable[str], *, definition: ProgrammeDefinition | None = None) -> str | None:
    """Why these codes cannot be recorded (French), or None: a code no programme declares, or (given a definition)
    a criterion of another programme, which the definition's forms do not ask."""
    codes = list(codes)
    catalogue = criteria_catalogue()
    unknown = [c for c in codes if c not in catalogue]
    if unknown:
        return _("Critère de situation inconnu : %(codes)s.") % {"codes": ", ".join(unknown)}
    if definition is not None:
        own = set(definition.criterion_codes())
        foreign = [c for c in codes if c not in own]
        if foreign:
            return _("Critère d'un autre programme, que le %(label)s ne lit pas : %(codes)s.") % {
                "label": definition.label, "codes": ", ".join(foreign)}
    return None


def pathway_states_query(attribute: str) -> Q:
    """Pathways in the states `attribute` names (closed_states, in_pathway_states…), each for its programme."""
    rule = Q(pk__in=[])
    for definition in _definitions.values():
        rule |= Q(programme_kind=definition.kind, status__in=getattr(definition, attribute))
    return rule


def pathway_state_codes() -> set[str]:
    """Every state of every registered programme's workflow."""
    return {code for definition in _definitions.values() for code in definition.workflow.states}


def programme_kind_choices() -> list[tuple[str, str]]:
    return [(d.kind, str(d.label)) for d in _definitions.values()]


def definition_of(obj: Any) -> ProgrammeDefinition:
    """The definition of a programme, or of a pathway's programme (from the kind the pathway keeps: no query)."""
    kind = getattr(obj, "programme_kind", None)
    if not kind:
        kind = obj.kind if hasattr(obj, "parameters") else obj.programme.kind
    return programme_definition(kind)
