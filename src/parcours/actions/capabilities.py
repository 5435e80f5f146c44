"""Who works with the actions (issue 14): the catalogue is read by those who put people on actions (referents,
prescribers) and by the PLIE's team, who manages it; an operator's action staff run their own structure's
actions (decisions on the people proposed, attendance). The actions are not a programme: the house grants these
when the app is ready (apps.py)."""

from __future__ import annotations

from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

ACTIONS_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({c.ACTIONS_READ, c.ACTIONS_MANAGE, c.ACTIONS_PROPOSE}),
    Role.DIRECTOR: frozenset({c.ACTIONS_READ, c.ACTIONS_MANAGE, c.ACTIONS_PROPOSE}),
    Role.REFERENT: frozenset({c.ACTIONS_READ, c.ACTIONS_PROPOSE}),
    Role.PRESCRIBER: frozenset({c.ACTIONS_READ, c.ACTIONS_PROPOSE}),
    Role.ACTION_STAFF: frozenset({c.ACTIONS_RUN}),
}


def actions_capabilities_grant() -> None:
    for role, capabilities in ACTIONS_CAPABILITIES.items():
        c.capabilities_grant(role, capabilities)
