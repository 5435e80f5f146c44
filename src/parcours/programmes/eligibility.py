"""Which programmes of a territory a person may enter: each definition with an eligibility rule answers for itself.

"Orient to the Mission Locale" becomes "the other programmes of this territory whose rules the person meets":
the PLIE's form and command list them beside the PLIE's own decision (plie.eligibility).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .models import Programme
from .registry import programme_definitions, programme_definition


@dataclass(frozen=True)
class EligibilityFacts:
    """What is known of a person when their eligibility is asked (the criteria each definition reads)."""

    reference_date: date
    birth_date: date
    commune_insee: str | None
    qpv_code: str | None
    # The codes of the criteria the person meets (programmes.registry.Criterion; the others are no or unknown).
    situations: list[str] = field(default_factory=list)


def programmes_open_to(*, territory, facts: EligibilityFacts, exclude_kind: str | None = None) -> list[Programme]:
    """The active programmes of `territory` whose definition's eligibility rule the person meets."""
    if not any(d.eligibility is not None and d.kind != exclude_kind for d in programme_definitions()):
        return []  # no rule to ask: no query (the PLIE alone, as in the demo)
    result = []
    for programme in Programme.objects.filter(territory=territory, is_active=True).order_by("kind", "pk"):
        if programme.kind == exclude_kind:
            continue
        try:
            rule = programme_definition(programme.kind).eligibility
        except LookupError:
            continue  # a programme whose app is not installed here
        if rule is not None and rule(programme, facts):
            result.append(programme)
    return result
