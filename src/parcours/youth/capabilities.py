"""What each role may do at the Mission Locale: the app's grants of the named capabilities
(organisations.capabilities). Its direction reads its activity report (aggregated, anonymous figures)."""

from __future__ import annotations

from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

YOUTH_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.YOUTH_MANAGER: frozenset({c.YOUTH_REPORT}),
}
