"""Eligibility to the PLIE, decided criterion by criterion from the rules of the territory's PLIE (its programme)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from parcours.programmes.eligibility import EligibilityFacts, programmes_open_to
from parcours.programmes.models import Programme
from parcours.territory.models import Territory, insee_validator

from .definition import CRITERIA, PLIE, SITUATION_CRITERIA, other_programmes_criteria, plie_programme_of

SITUATION_LABELS = {c.code: c.label for c in CRITERIA}


class EligibilityInputError(ValueError):
    """Bad input; `field` names the culprit and the message says what is wrong, in French."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass
class Check:
    criterion: str  # "residence", "age" or "situation"
    passed: bool
    detail: str


@dataclass
class EligibilityDecision:
    eligible: bool
    reasons: list[str]
    checks: list[Check] = field(default_factory=list)
    # "mission_locale" when the PLIE's youth band says so and no programme of the territory answers for the person.
    suggested_orientation: str | None = None
    # The other programmes of the territory whose rules the person meets: [{"kind", "label", "name"}].
    other_programmes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "eligible": self.eligible,
            "reasons": self.reasons,
            "checks": [asdict(c) for c in self.checks],
            "suggested_orientation": self.suggested_orientation,
            "other_programmes": self.other_programmes,
        }


def age_on(birth_date: date, on: date) -> int:
    """Age in completed years on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def eligibility_decide(
    territory: Territory,
    *,
    reference_date: date,
    birth_date: date,
    commune_insee: str | None,
    qpv_code: str | None,
    situations: list[str],
    programme: Programme | None = None,
) -> EligibilityDecision:
    """Decide eligibility; raises EligibilityInputError on input the rules cannot judge.

    The rules are those of `programme`, the territory's PLIE (fetched when not given)."""
    programme = programme or plie_programme_of(territory.pk)
    rules = {p.name: programme.parameter(p.name) for p in programme.definition.parameters}
    if birth_date > reference_date:
        raise EligibilityInputError("birth_date", _("la date de naissance est postérieure à la date de référence."))
    unknown = [s for s in situations if s not in SITUATION_CRITERIA]
    if unknown:
        # A criterion of another programme is not one of the PLIE's situations (nor DELD, asked apart).
        raise EligibilityInputError("situations", (
            _("critère d'un autre programme, pas une situation du PLIE : %(codes)s.")
            if other_programmes_criteria(unknown)
            else _("situation inconnue : %(codes)s.")) % {"codes": ", ".join(unknown)})
    if commune_insee and not re.match(insee_validator.regex, commune_insee):
        raise EligibilityInputError(
            "commune_insee",
            _("code INSEE « %(code)s » mal formé : 5 caractères attendus (chiffres, ou 2A/2B suivi de 3 chiffres).")
            % {"code": commune_insee})
    qpv = None
    if qpv_code:
        # No code holds a NUL character, and PostgreSQL refuses one in a query.
        qpv = None if "\x00" in qpv_code else territory.qpvs.select_related("commune").filter(code=qpv_code).first()
        if qpv is None:
            raise EligibilityInputError("qpv_code", _("le territoire n'a pas de QPV « %(code)s ».") % {"code": qpv_code})
        if commune_insee and commune_insee != qpv.commune.insee:
            raise EligibilityInputError(
                "qpv_code", _("le QPV « %(qpv)s » n'est pas situé dans la commune %(insee)s.")
                % {"qpv": qpv.name, "insee": commune_insee})
    if commune_insee:
        commune = territory.communes.filter(insee=commune_insee).first()
    else:
        # Living in one of the territory's QPV is living in its commune.
        commune = qpv.commune if qpv else None

    checks: list[Check] = []
    if commune is not None:
        checks.append(Check("residence", True, _("Réside à %(commune)s, commune du territoire.") % {"commune": commune.name}))
    elif commune_insee:
        checks.append(Check("residence", False, _("La commune %(insee)s n'est pas une commune du territoire.") % {"insee": commune_insee}))
    else:
        checks.append(Check("residence", False, _("Commune de résidence non renseignée.")))

    age = age_on(birth_date, reference_date)
    age_ok = age >= rules["min_age"]
    checks.append(Check(
        "age", age_ok,
        _("%(age)s ans à la date de référence ; %(min)s ans minimum.") % {"age": age, "min": rules["min_age"]},
    ))

    accepted = [s for s in situations if s in rules["eligible_situations"]]
    in_qpv = bool(qpv and rules["qpv_residence_eligible"])
    if accepted or in_qpv:
        labels = [str(SITUATION_LABELS[s]) for s in accepted]
        if qpv is not None and in_qpv:
            labels.append(_("réside dans le QPV %(qpv)s") % {"qpv": qpv.name})
        checks.append(Check("situation", True, "; ".join(labels) + "."))
    else:
        checks.append(Check("situation", False, _("Aucune situation ouvrant droit au PLIE.")))

    reasons = [c.criterion for c in checks if not c.passed]
    # "Orient to the Mission Locale" is "the other programmes of this territory whose rules the person meets";
    # the PLIE's youth band names the Mission Locale only while no programme of the territory answers.
    facts = EligibilityFacts(reference_date=reference_date, birth_date=birth_date, commune_insee=commune_insee,
                             qpv_code=qpv_code, situations=list(situations))
    others = [{"kind": p.kind, "label": str(p.definition.label), "name": p.name}
              for p in programmes_open_to(territory=territory, facts=facts, exclude_kind=PLIE)]
    orientation = None
    if not others and commune is not None and rules["youth_min_age"] <= age <= rules["youth_max_age"]:
        orientation = "mission_locale"
    return EligibilityDecision(eligible=not reasons, reasons=reasons, checks=checks, suggested_orientation=orientation,
                               other_programmes=others)
