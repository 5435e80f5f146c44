"""What each role may do at the Mission Locale: the app's grants of the named capabilities
(organisations.capabilities). Its direction reads its activity report (aggregated, anonymous figures); its
advisers open and write the young people's files of their territory; its reception staff record a first reception
and find a file, and read no more of it than its identity, contact and adviser (docs/youth.md)."""

from __future__ import annotations

from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

YOUTH_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.YOUTH_MANAGER: frozenset({c.YOUTH_REPORT}),
    Role.YOUTH_ADVISER: frozenset({c.YOUTH_READ, c.YOUTH_WRITE, c.YOUTH_RECEIVE}),
    Role.YOUTH_RECEPTION: frozenset({c.YOUTH_RECEIVE}),
}
