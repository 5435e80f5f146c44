"""Who works with the employers (issue 15): the employer-relations officer and the PLIE's team keep the portfolio;
referents read it and propose the people they follow to its offers (`employers.propose`, with the team), and record
their hire (a step on the file). Employers name no participant. Not a programme: the
house grants these when the app is ready (apps.py)."""

from __future__ import annotations

from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

EMPLOYERS_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({c.EMPLOYERS_READ, c.EMPLOYERS_MANAGE, c.EMPLOYERS_PROPOSE}),
    Role.DIRECTOR: frozenset({c.EMPLOYERS_READ, c.EMPLOYERS_MANAGE, c.EMPLOYERS_PROPOSE}),
    Role.EMPLOYER_RELATIONS: frozenset({c.EMPLOYERS_READ, c.EMPLOYERS_MANAGE}),
    Role.REFERENT: frozenset({c.EMPLOYERS_READ, c.EMPLOYERS_PROPOSE}),
}


def employers_capabilities_grant() -> None:
    for role, capabilities in EMPLOYERS_CAPABILITIES.items():
        c.capabilities_grant(role, capabilities)
