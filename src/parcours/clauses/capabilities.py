"""Who works with the social clauses: the facilitators, who enter the hours, and the PLIE's animation team, who
reads them (issue 16: "only the facilitators and the PLIE team see them"). The clauses are not a programme: the
house grants these when the app is ready (apps.py)."""

from __future__ import annotations

from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

CLAUSES_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.FACILITATOR: frozenset({c.CLAUSES_READ, c.CLAUSES_MANAGE}),
    Role.COORDINATOR: frozenset({c.CLAUSES_READ}),
    Role.DIRECTOR: frozenset({c.CLAUSES_READ}),
}


def clauses_capabilities_grant() -> None:
    for role, capabilities in CLAUSES_CAPABILITIES.items():
        c.capabilities_grant(role, capabilities)
