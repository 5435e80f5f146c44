"""PACEA and CEJ as a table applied by the engine (core/workflow.py):

    (created) ─sign_pacea→ active ─end→ ended
    (created) ─enter_cej─→ active ─end→ ended

- **sign_pacea**: a PACEA is signed within a month of its diagnostic (`youth.YouthDiagnostic`);
- **enter_cej**: a CEJ is entered, through the five-week collective start or not;
- both: the young person is 16 to 25 on that day, or up to 29 when recognised disabled (RQTH); never in a PACEA
  and a CEJ over the same days (`EXCLUSIVE_SCHEMES`), nor twice in the same scheme;
- **end**: on a day within the scheme's longest duration (24 months for a PACEA, 18 for a CEJ), with the situation
  at exit (the interchange's `exit_situation`) and why it ended (autonomy, term, age, request, breach…).

All are for the advisers who write the file (`youth.write` in its territory). Imported enrolments carry their
state from their end date and no log (docs/youth.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.plausibility import event_date_problem
from parcours.core.workflow import CREATED, SystemActor, Transition, TransitionRefused, Workflow, capability_policy
from parcours.organisations.capabilities import YOUTH_WRITE
from parcours.organisations.scope import territory_ids_with

from .enums import (
    EXCLUSIVE_SCHEMES, PACEA_DIAGNOSTIC_MONTHS, SCHEME_AGE_MAX, SCHEME_AGE_MAX_RQTH, SCHEME_AGE_MIN,
    SCHEME_MAX_MONTHS, EnrolmentEndReason, EnrolmentStatus, Scheme, SchemeExit,
)
from .models import SchemeEnrolment, SchemeEnrolmentTransition
from .selectors import add_months, age_on

S = EnrolmentStatus
WRITERS = frozenset({YOUTH_WRITE})


@dataclass(frozen=True)
class Entry:
    on: date
    rqth: bool = False
    collective_start: bool = False


@dataclass(frozen=True)
class Ending:
    on: date
    exit_situation: str
    reason: str


def enrolment_policy(actor: Any, transition: Transition, obj: SchemeEnrolment) -> bool:
    if isinstance(actor, SystemActor) or not capability_policy(actor, transition, obj):
        return False
    return obj.territory_id in territory_ids_with(actor, YOUTH_WRITE)


def _check_day(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise TransitionRefused(_("%(field)s : la date est à venir.") % {"field": label})
    if problem := event_date_problem(day):
        raise TransitionRefused(f"{label} : {problem}")


def _check_entry(e: SchemeEnrolment, payload: Entry) -> None:
    scheme = e.get_scheme_display()
    _check_day(payload.on, _("Date d'entrée"))
    youth_file = e.youth_file
    if payload.on < youth_file.first_reception_date:
        raise TransitionRefused(_("Date d'entrée : elle précède le premier accueil du jeune."))
    age = age_on(youth_file.participant.birth_date, payload.on)
    ceiling = SCHEME_AGE_MAX_RQTH if payload.rqth else SCHEME_AGE_MAX
    if age < SCHEME_AGE_MIN or age > ceiling:
        raise TransitionRefused(
            _("Âge : le %(scheme)s est ouvert aux jeunes de %(min)s à %(max)s ans (jusqu'à %(rqth)s ans avec une "
              "reconnaissance de travailleur handicapé) ; ce jeune a %(age)s ans à l'entrée.")
            % {"scheme": scheme, "min": SCHEME_AGE_MIN, "max": SCHEME_AGE_MAX, "rqth": SCHEME_AGE_MAX_RQTH,
               "age": age})
    # Never in a PACEA and a CEJ at once, nor twice in the same scheme: any enrolment of either still running, or
    # ended on or after this day (both bounds included, as the interchange reads it).
    clash = (SchemeEnrolment.objects.filter(youth_file=youth_file, scheme__in=EXCLUSIVE_SCHEMES)
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=payload.on)).exclude(pk=e.pk)
             .order_by("start_date").first())
    if clash is not None:
        raise TransitionRefused(
            _("Ce jeune est déjà en %(other)s depuis le %(day)s : terminez-le avant d'entrer en %(scheme)s (un PACEA "
              "et un CEJ ne se cumulent pas).")
            % {"other": clash.get_scheme_display(), "day": clash.start_date.strftime("%d/%m/%Y"), "scheme": scheme})


def _check_pacea(e: SchemeEnrolment, payload: Entry) -> None:
    _check_entry(e, payload)
    diagnostic = (e.youth_file.diagnostics.filter(date__lte=payload.on).order_by("-date", "-pk").first())
    if diagnostic is None:
        raise TransitionRefused(_("Diagnostic : un PACEA se signe après le diagnostic du jeune ; enregistrez-le d'abord."))
    if payload.on > add_months(diagnostic.date, PACEA_DIAGNOSTIC_MONTHS):
        raise TransitionRefused(
            _("Diagnostic : le PACEA se signe dans le mois qui suit le diagnostic (celui du %(day)s) ; refaites le "
              "diagnostic.") % {"day": diagnostic.date.strftime("%d/%m/%Y")})


def _effect_entry(e: SchemeEnrolment, payload: Entry, by: Any) -> None:
    e.start_date = payload.on
    e.collective_start = payload.collective_start and e.scheme == Scheme.CEJ
    e.adviser = by


def _check_end(e: SchemeEnrolment, payload: Ending) -> None:
    _check_day(payload.on, _("Date de fin"))
    if payload.on < e.start_date:
        raise TransitionRefused(_("Date de fin : elle précède l'entrée (%(day)s).")
                                % {"day": e.start_date.strftime("%d/%m/%Y")})
    months = SCHEME_MAX_MONTHS.get(e.scheme)
    if months is not None and payload.on > add_months(e.start_date, months):
        raise TransitionRefused(
            _("Date de fin : un %(scheme)s dure %(months)s mois au plus ; celui-ci a commencé le %(day)s et se termine "
              "au plus tard le %(last)s.")
            % {"scheme": e.get_scheme_display(), "months": months, "day": e.start_date.strftime("%d/%m/%Y"),
               "last": add_months(e.start_date, months).strftime("%d/%m/%Y")})
    if payload.exit_situation not in SchemeExit.values:
        raise TransitionRefused(_("Situation à la sortie : choisissez une situation de la liste."))
    if payload.reason not in EnrolmentEndReason.values:
        raise TransitionRefused(_("Motif de fin : choisissez un motif de la liste."))
    if e.phases.filter(end_date__isnull=True).exists():
        raise TransitionRefused(_("Phases : évaluez la phase en cours avant de terminer le dispositif."))


def _effect_end(e: SchemeEnrolment, payload: Ending, by: Any) -> None:
    e.end_date, e.exit_situation, e.end_reason = payload.on, payload.exit_situation, payload.reason


ENROLMENT_WORKFLOW = Workflow(
    state_field="status", states=dict(S.choices), initial=S.ACTIVE, log_model=SchemeEnrolmentTransition,
    log_object_field="enrolment", policy=enrolment_policy,
    state_refusal=_l("Action « %(action)s » impossible : le dispositif est « %(state)s »."))
for _transition in (
    Transition("sign_pacea", frozenset({CREATED}), S.ACTIVE, _l("Signer le PACEA"), WRITERS, check=_check_pacea,
               effect=_effect_entry, manual=False, payload=Entry),
    Transition("enter_cej", frozenset({CREATED}), S.ACTIVE, _l("Entrer en CEJ"), WRITERS, check=_check_entry,
               effect=_effect_entry, manual=False, payload=Entry),
    Transition("end", frozenset({S.ACTIVE}), S.ENDED, _l("Terminer"), WRITERS, check=_check_end, effect=_effect_end,
               payload=Ending),
):
    ENROLMENT_WORKFLOW.add(_transition)
