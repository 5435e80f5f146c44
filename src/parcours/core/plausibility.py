"""Plausible input: one rule per kind of value, used by every door (web forms, API, interchange import).

The bounds are defined here once (docs/security.md, "Input plausibility"):

- a **birth date** lies between 1 January 1900 and today;
- any **other date** of a file (application, signature, interview, commission, entry, exit, step, appointment,
  review, follow-up, a period's bounds) lies between 1 January 1990 (before the first PLIE, 1993) and five years
  from today (the planned end of a long training or contract); so no year 1 and no end in 9999;
- a **name** (a person's, a structure's, a label) is stripped of control and invisible formatting characters and
  must keep at least one visible character;
- a **phone number** is parsed by `phonenumbers` (region FR unless it starts with `+`), of a length its country's
  numbering plan allows, stored in E.164
  (`+33612345678`) and shown in the national format (`06 12 34 56 78`), abroad in the international one;
- a **SIRET** typed in a form or sent to the API is stored as its 14 digits (spaces and dots typed between them
  removed) and checked by python-stdnum (the Luhn key; La Poste's establishments too). The interchange import
  checks 14 digits only, as its specs say: a SIRET the source system holds is not refused for its key.

Each rule has a `*_problem` function (the French sentence, or None) for callers that collect errors (the import),
and a Django validator raising `ValidationError` (forms, serializers; DRF turns it into its own error).
"""

from __future__ import annotations

import unicodedata
from datetime import date

import phonenumbers
from stdnum.fr import siret
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

BIRTH_DATE_MIN = date(1900, 1, 1)
EVENT_DATE_MIN = date(1990, 1, 1)
EVENT_YEARS_AHEAD = 5
PHONE_REGION = "FR"

# Unicode categories that draw nothing: controls, formatting (zero-width space, bidi overrides, BOM…), surrogates,
# private use, unassigned, separators, and combining marks with no letter to sit on.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols that render as blanks (Hangul fillers, the braille blank).
BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Joiners some scripts (Persian, Indic) need inside a word: kept, though formatting characters.
KEPT_FORMATTING = frozenset("\u200c\u200d")


def _format(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def event_date_max(today: date | None = None) -> date:
    today = _today(today)
    try:
        return today.replace(year=today.year + EVENT_YEARS_AHEAD)
    except ValueError:   # 29 February, and the year five years on is not a leap year
        return today.replace(year=today.year + EVENT_YEARS_AHEAD, day=28)


def birth_date_problem(value: date, *, today: date | None = None) -> str | None:
    today = _today(today)
    if BIRTH_DATE_MIN <= value <= today:
        return None
    return _("La date de naissance doit être comprise entre le %(min)s et aujourd'hui (%(max)s).") % {
        "min": _format(BIRTH_DATE_MIN), "max": _format(today)}


def event_date_problem(value: date, *, today: date | None = None) -> str | None:
    latest = event_date_max(today)
    if EVENT_DATE_MIN <= value <= latest:
        return None
    return _("La date doit être comprise entre le %(min)s et le %(max)s.") % {
        "min": _format(EVENT_DATE_MIN), "max": _format(latest)}


def validate_birth_date(value: date) -> None:
    if problem := birth_date_problem(value):
        raise ValidationError(problem, code="implausible_date")


def validate_event_date(value: date) -> None:
    if problem := event_date_problem(value):
        raise ValidationError(problem, code="implausible_date")


# --- names ----------------------------------------------------------------------------------------------------

def _visible(character: str) -> bool:
    return unicodedata.category(character) not in INVISIBLE_CATEGORIES and character not in BLANK_CHARACTERS


def text_clean(value: str) -> str:
    """The text without control and invisible formatting characters, its blanks collapsed to single spaces."""
    kept = "".join(
        " " if unicodedata.category(c) == "Cc" else c for c in value
        if unicodedata.category(c) != "Cf" or c in KEPT_FORMATTING)
    return " ".join(kept.split())


def name_problem(value: str) -> str | None:
    """A non-empty text with nothing visible in it (spaces, zero-width or control characters only)."""
    if value and not any(_visible(c) for c in value):
        return _("Ce texte ne contient aucun caractère visible (seulement des espaces ou des caractères "
                 "invisibles) : saisissez-le en lettres.")
    return None


def name_clean(value: str) -> str:
    """`text_clean(value)`, refused if the raw text held something but nothing visible; empty stays empty."""
    if problem := name_problem(value):
        raise ValidationError(problem, code="invisible")
    return text_clean(value)


# --- phones ---------------------------------------------------------------------------------------------------

def phone_parse(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    # "Possible" (the length the country's numbering plan gives), not "valid" (allocated ranges): ARCEP's ranges
    # reserved for fiction (the demo's 06 39 98 …) are well-formed, and a newly allocated range must not be
    # refused because the library's metadata lags behind.
    return number if phonenumbers.is_possible_number(number) else None


def phone_problem(value: str) -> str | None:
    if not value or phone_parse(text_clean(value)) is not None:
        return None
    return _("Numéro de téléphone invalide : indiquez un numéro français à 10 chiffres (06 12 34 56 78) ou un "
             "numéro étranger précédé de son indicatif (+32 …).")


def phone_e164(value: str) -> str:
    """The number in E.164 (`+33612345678`), as stored; an empty value stays empty; refused if invalid."""
    if not value:
        return ""
    number = phone_parse(text_clean(value))
    if number is None:
        raise ValidationError(phone_problem(value) or "", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_e164_or_none(value: str) -> str | None:
    """The number in E.164 if it parses, else None (the data migrations keep such a value as typed)."""
    number = phone_parse(text_clean(value))
    return None if number is None else phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_rewrite_e164(model) -> None:
    """Rewrite in E.164 every `phone` of `model` (a migration's historical model) that parses; keep the others as
    typed. The data migrations of each app holding phones call it."""
    changed = []
    for row in model.objects.exclude(phone="").only("pk", "phone").order_by("pk").iterator():
        number = phone_e164_or_none(row.phone)
        if number is not None and number != row.phone:
            row.phone = number
            changed.append(row)
    model.objects.bulk_update(changed, ["phone"], batch_size=500)


def phone_display(value: str) -> str:
    """The stored number as people read it: national format in France, international abroad; else as stored."""
    number = phone_parse(value) if value else None
    if number is None:
        return value   # a number kept from before that does not parse (docs/security.md) shows as it was typed
    region = phonenumbers.region_code_for_number(number)
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == PHONE_REGION
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)


# --- SIRET ------------------------------------------------------------------------------------------------------

def siret_compact(value: str) -> str:
    """The SIRET as stored: its 14 digits, the spaces and dots people type between them removed."""
    return siret.compact(text_clean(value or "")) if value else ""


def siret_problem(value: str) -> str | None:
    """None for an empty or valid SIRET (length, digits and the Luhn key, by python-stdnum), else why not (to follow
    the field's name: "SIRET de l'employeur : 14 chiffres attendus…")."""
    if not value:
        return None
    number = siret_compact(value)
    if not (len(number) == 14 and number.isdigit()):
        return _("14 chiffres attendus (les espaces sont acceptés).")
    if not siret.is_valid(number):
        return _("la clé de contrôle ne correspond pas : vérifiez les 14 chiffres.")
    return None


def siret_validate(value: str) -> None:
    if problem := siret_problem(value):
        raise ValidationError(_("SIRET invalide : %(problem)s") % {"problem": problem}, code="invalid_siret")
