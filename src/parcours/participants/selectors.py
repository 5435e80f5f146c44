"""Reads of the person's data that other apps compose into their queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from parcours.core import plausibility
from parcours.core.textsearch import Folded, fold

from .models import ParticipantSituation


def situation_subquery(code: str, participant: str = "pk") -> Subquery:
    """One criterion of the person as an annotation: True, False, or None when unknown (no row).

    `participant` names the outer query's participant id. One indexed lookup per row (the unique
    (participant, code)), so an export or an import reads the criteria in the same query as the person."""
    return Subquery(ParticipantSituation.objects.filter(participant_id=OuterRef(participant), code=code)
                    .values("value")[:1])


# --- searching people by what a case worker types -----------------------------------------------------------------

_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_PHONE_RE = re.compile(r"\+?\d[\d .\-]{4,}\d")
_PHONE_MIN_DIGITS = 6   # fewer digits would match half the territory's numbers
MAX_WORDS = 4


@dataclass(frozen=True)
class PersonQuery:
    """What a search field held: name words (folded), a birth date, a phone (E.164, or digits to look for)."""

    words: tuple[str, ...] = ()
    birth_date: date | None = None
    phone: str = ""
    phone_digits: str = ""
    impossible: bool = False   # an impossible date, or only signs no name holds

    def __bool__(self) -> bool:
        return bool(self.words or self.birth_date or self.phone or self.phone_digits or self.impossible)


def person_query_parse(text: str) -> PersonQuery:
    """Read "Mélanie 12/03/1990", "lefevre", "06 12 34 56 78" or "1990-03-12" into a PersonQuery."""
    text = text or ""
    birth_date, unreadable = None, False
    if match := _DATE_RE.search(text):
        day, month, year = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
        try:
            birth_date = date(int(year), int(month), int(day))
        except ValueError:
            unreadable = True
        text = text[:match.start()] + " " + text[match.end():]
    phone = digits = ""
    if match := _PHONE_RE.search(text):
        typed = re.sub(r"[^\d+]", "", match[0])
        if len(typed.lstrip("+")) >= _PHONE_MIN_DIGITS:
            number = plausibility.phone_e164_or_none(typed)
            if number is not None:
                phone = number
            else:
                digits = typed.lstrip("+").lstrip("0")
            text = text[:match.start()] + " " + text[match.end():]
    tokens = text.split()
    words = tuple(w for w in (fold(token) for token in tokens) if w)[:MAX_WORDS]
    # "%", "_" or "\\" alone fold to nothing: they match nobody rather than everybody.
    unreadable = unreadable or (bool(tokens) and not words and not (birth_date or phone or digits))
    return PersonQuery(words=words, birth_date=birth_date, phone=phone, phone_digits=digits, impossible=unreadable)


def people_matching(queryset: QuerySet, query: PersonQuery, *, prefix: str = "") -> QuerySet:
    """The rows of `queryset` whose person the query names; `prefix` leads to the person ("participant__").

    Each name word must appear in the last, first or birth name, folded alike (case, accents, hyphens ignored)
    and compared in SQL (`core.textsearch.Folded`); the birth date and the phone must be the person's. An
    impossible query matches nobody."""
    if query.impossible:
        return queryset.none()
    if query.words:
        queryset = queryset.annotate(**{f"folded_{name}": Folded(F(f"{prefix}{name}"))
                                        for name in ("last_name", "first_name", "birth_name")})
    for word in query.words:
        queryset = queryset.filter(Q(folded_last_name__contains=word) | Q(folded_first_name__contains=word)
                                   | Q(folded_birth_name__contains=word))
    if query.birth_date is not None:
        queryset = queryset.filter(**{f"{prefix}birth_date": query.birth_date})
    if query.phone:
        queryset = queryset.filter(**{f"{prefix}phone": query.phone})
    elif query.phone_digits:
        queryset = queryset.filter(**{f"{prefix}phone__contains": query.phone_digits})
    return queryset
