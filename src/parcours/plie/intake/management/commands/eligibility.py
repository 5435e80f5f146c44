"""`parcours eligibility [--territory NAME]`: decide a person's eligibility from a JSON object on stdin.

Input:  {"reference_date", "birth_date", "commune_insee", "qpv_code", "situations": [...]}
Output: {"eligible", "reasons", "checks", "suggested_orientation", "other_programmes"} on stdout: the PLIE's
decision, and beside it the other programmes of the territory whose rules the person meets.
Bad input exits non-zero with a French message naming the field.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from parcours.plie.eligibility import EligibilityInputError, eligibility_decide
from parcours.territory.selectors import territory_resolve

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(payload: dict, name: str) -> date:
    value = payload.get(name)
    if value is None:
        raise CommandError(f"{name} : champ obligatoire manquant (date au format AAAA-MM-JJ).")
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise CommandError(f"{name} : format de date invalide ({json.dumps(value, ensure_ascii=False)}), "
                           f"AAAA-MM-JJ attendu.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} : date impossible ({value}).") from None


def _optional_code(payload: dict, name: str) -> str | None:
    value = payload.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise CommandError(f"{name} : une chaîne de caractères ou null est attendue.")
    return value.strip().upper() if name == "commune_insee" else value.strip()


class Command(BaseCommand):
    # Tests hand the input through call_command(..., stdin=...).
    stealth_options = ("stdin",)
    help = "Décide l'éligibilité au PLIE d'une personne décrite en JSON sur l'entrée standard."

    def add_arguments(self, parser):
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")

    def handle(self, *args, territory: str | None = None, **options):
        raw = (options.get("stdin") or sys.stdin).read()
        try:
            payload = json.loads(raw)
        except json.JSONDecodeError as error:
            raise CommandError(f"entrée : JSON invalide (ligne {error.lineno}, colonne {error.colno}).") from None
        if not isinstance(payload, dict):
            raise CommandError("entrée : un objet JSON est attendu.")
        reference_date = _date(payload, "reference_date")
        birth_date = _date(payload, "birth_date")
        situations = payload.get("situations")
        if not isinstance(situations, list) or not all(isinstance(s, str) for s in situations):
            raise CommandError("situations : une liste de codes de situation est attendue.")
        commune_insee = _optional_code(payload, "commune_insee")
        qpv_code = _optional_code(payload, "qpv_code")
        try:
            rules = territory_resolve(territory)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            decision = eligibility_decide(rules, reference_date=reference_date, birth_date=birth_date,
                                          commune_insee=commune_insee, qpv_code=qpv_code, situations=situations)
        except EligibilityInputError as error:
            raise CommandError(f"{error.field} : {error.message}") from None
        self.stdout.write(json.dumps(decision.as_dict(), ensure_ascii=False))
