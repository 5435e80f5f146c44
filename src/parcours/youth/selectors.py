"""Reads of the Mission Locale: the activity report of `parcours youth-report` (docs/spec/youth.md).

Counts, sums and groupings are the database's; a profile (men, QPV, antenna, minors) reads one row per young person
(their first date in the block) and counts in Python, since a minor is an age on a date of each person's own.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Sum

from parcours.participants.enums import EducationLevel
from parcours.participants.selectors import PersonQuery, people_matching

from .enums import (
    FOLLOW_UP_DAYS, PLACE_HOLDING_STATUSES, POSITIVE_EXITS, EventKind, FollowUpMilestone, Fund, ImmersionStatus,
    PmsmpAim, RegistrationStatus, Scheme, SchemeExit, SituationCategory, WorkshopTheme,
)
from .models import (
    Aid, ImmersionAgreement, SchemeEnrolment, Site, Workshop, WorkshopRegistration, WorkshopSession, YouthEvent,
    YouthFile, YouthSituation,
)

MINOR_AGE = 18
INFRA_BAC = (EducationLevel.VI, EducationLevel.VBIS, EducationLevel.V)
# A PMSMP's outcome: an employment or work-study situation starting within these days of its end (both included).
PMSMP_WITHIN = {"15_days": 15, "1_month": 30, "3_months": 90}
MAIN_SITE = "main"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (31 January + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day` (born on 29 February: a year older on 1 March of a common year)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _profile(rows: QuerySet, day_field: str) -> dict[str, int]:
    """`rows`: one per young person, with the day their age is taken on (`day_field`)."""
    profile = {"total": 0, "men": 0, "qpv": 0, "antenna": 0, "minors": 0}
    for sex, qpv, antenna, birth_date, day in rows.values_list(
            "participant__sex", "participant__qpv_id", "antenna_id", "participant__birth_date", day_field):
        profile["total"] += 1
        profile["men"] += sex == "M"
        profile["qpv"] += qpv is not None
        profile["antenna"] += antenna is not None
        profile["minors"] += age_on(birth_date, day) < MINOR_AGE
    return profile


def _of(rows: Mapping[str, Mapping[str, Any]], key: str, name: str) -> Any:
    """rows[key][name], or 0 when the database returned no row for that key."""
    return rows[key][name] if key in rows else 0


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _euros(amount: Decimal | int) -> float:
    return float(Decimal(amount).quantize(Decimal("0.01")))


def youth_report(*, territory_id: int, date_from: date, date_to: date) -> dict[str, Any]:
    """Every block and key of docs/spec/youth.md's report over [date_from, date_to], zeros included."""
    period = (date_from, date_to)
    files = YouthFile.objects.filter(territory_id=territory_id)
    enrolments = SchemeEnrolment.objects.filter(territory_id=territory_id)

    first_reception = _profile(files.filter(first_reception_date__range=period), "first_reception_date")
    accompanied = _profile(files.annotate(first=Min("events__date", filter=Q(events__date__range=period)))
                           .filter(first__isnull=False), "first")

    in_period = Q(enrolments__start_date__range=period)
    pacea_people = files.annotate(first=Min("enrolments__start_date",
                                            filter=in_period & Q(enrolments__scheme=Scheme.PACEA))
                                  ).filter(first__isnull=False)
    pacea = _profile(pacea_people, "first")
    pacea["infra_bac"] = pacea_people.filter(participant__education_level__in=INFRA_BAC).count()

    cej_entry = in_period & Q(enrolments__scheme=Scheme.CEJ)
    cej_people = files.annotate(first=Min("enrolments__start_date", filter=cej_entry),
                                collective=Count("enrolments", filter=cej_entry & Q(
                                    enrolments__collective_start=True))).filter(first__isnull=False)
    exits = dict(enrolments.filter(scheme=Scheme.CEJ, end_date__range=period).values_list("exit_situation")
                 .annotate(n=Count("pk")).values_list("exit_situation", "n"))
    exits_by_situation = {code: exits.get(code, 0) for code in SchemeExit.values}
    exit_count = sum(exits_by_situation.values())
    positive = sum(exits_by_situation[code] for code in POSITIVE_EXITS)
    cej = {"entries": _profile(cej_people, "first"),
           "collective_start": cej_people.filter(collective__gt=0).count(),
           "exits": exit_count, "positive": positive, "positive_rate": _ratio(positive, exit_count),
           "exits_by_situation": exits_by_situation}

    situations_in_period = YouthSituation.objects.filter(territory_id=territory_id, start_date__range=period)
    by_category = {r["category"]: r for r in situations_in_period.values("category").annotate(
        young_people=Count("youth_file", distinct=True),
        qpv=Count("youth_file", distinct=True, filter=Q(youth_file__participant__qpv__isnull=False)))}
    situations = {code: {"young_people": _of(by_category, code, "young_people"),
                         "qpv": _of(by_category, code, "qpv")} for code in SituationCategory.values}

    pmsmp_rows = situations_in_period.filter(category=SituationCategory.PMSMP)
    aims = dict(pmsmp_rows.values_list("pmsmp_aim").annotate(n=Count("pk")).values_list("pmsmp_aim", "n"))
    ended = pmsmp_rows.filter(end_date__isnull=False)
    jobs = YouthSituation.objects.filter(youth_file=OuterRef("youth_file"), start_date__gte=OuterRef("end_date"),
                                         category__in=[SituationCategory.EMPLOYMENT, SituationCategory.WORK_STUDY])
    outcomes = ended.aggregate(
        with_end_date=Count("pk"),
        **{key: Count("pk", filter=Exists(jobs.filter(start_date__lte=OuterRef("end_date") + timedelta(days=n))))
           for key, n in PMSMP_WITHIN.items()})
    with_end_date = outcomes.pop("with_end_date")
    pmsmp = {"total": sum(aims.values()), "by_aim": {code: aims.get(code, 0) for code in PmsmpAim.values},
             "with_end_date": with_end_date,
             "employment_within": {key: outcomes[key] for key in PMSMP_WITHIN},
             "employment_within_rate": {key: _ratio(outcomes[key], with_end_date) for key in PMSMP_WITHIN}}

    sessions = WorkshopSession.objects.filter(territory_id=territory_id, date__range=period)
    per_theme = {r["theme"]: r for r in sessions.values("theme").annotate(sessions=Count("pk"))}
    # Every registration of any status is a young person put forward (prescribed), counted per session.
    registered = {r["session__theme"]: r for r in WorkshopRegistration.objects.filter(session__in=sessions).values(
        "session__theme").annotate(prescribed=Count("pk"), present=Count("pk", filter=Q(
            status=RegistrationStatus.PRESENT)))}
    by_theme = {theme: {"sessions": _of(per_theme, theme, "sessions"),
                        "prescribed": _of(registered, theme, "prescribed"),
                        "present": _of(registered, theme, "present")} for theme in WorkshopTheme.values}
    workshops = {key: sum(block[key] for block in by_theme.values()) for key in ("sessions", "prescribed", "present")}
    workshops["by_theme"] = by_theme

    funds = {r["fund"]: r for r in Aid.objects.filter(territory_id=territory_id, decision_date__range=period)
             .values("fund").annotate(count=Count("pk"), amount=Sum("amount"))}
    total = sum((r["amount"] for r in funds.values()), Decimal(0))
    aids = {"by_fund": {code: {"count": _of(funds, code, "count"), "amount": _euros(_of(funds, code, "amount"))}
                        for code in Fund.values},
            "total_amount": _euros(total)}

    interviews = (YouthEvent.objects.filter(territory_id=territory_id, date__range=period,
                                            kind=EventKind.INDIVIDUAL_INTERVIEW)
                  .values_list("site__code").annotate(n=Count("pk")).values_list("site__code", "n"))
    interviews_by_site = {code or MAIN_SITE: n for code, n in sorted(interviews, key=lambda r: r[0] or "")}

    return {"period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
            "first_reception": first_reception, "accompanied": accompanied, "pacea": pacea, "cej": cej,
            "situations": situations, "pmsmp": pmsmp, "workshops": workshops, "aids": aids,
            "interviews_by_site": interviews_by_site}



def youth_site_names(*, territory_id: int) -> dict[str, str]:
    """code -> name of the territory's Mission Locale sites (the report names sites by code)."""
    return dict(Site.objects.filter(territory_id=territory_id).values_list("code", "name"))


# --- the young people's files (web/youth) --------------------------------------------------------------------------


def youth_files_search(files: QuerySet[YouthFile], *, query: PersonQuery | None = None,
                       adviser_id: int | None = None, unassigned: bool = False) -> QuerySet[YouthFile]:
    """The files among `files` that the typed query names (name words, birth date, phone), of one adviser or of
    none, by name."""
    if query:
        files = people_matching(files, query, prefix="participant__")
    if unassigned:
        files = files.filter(adviser__isnull=True)
    elif adviser_id is not None:
        files = files.filter(adviser_id=adviser_id)
    last_event = YouthEvent.objects.filter(youth_file=OuterRef("pk")).order_by("-date", "-pk").values("date")[:1]
    return (files.select_related("participant", "adviser", "antenna")
            .annotate(last_event_on=Subquery(last_event))
            .order_by("participant__last_name", "participant__first_name", "pk"))


def youth_file_detail(youth_file: YouthFile) -> dict[str, Any]:
    """What the adviser's page shows of a file: its open and closed support themes, situations, schemes, events
    (the latest first), aids and workshop registrations; a fixed number of queries."""
    return {
        "supports": list(youth_file.supports.order_by("closed_on", "theme")),
        "situations": list(youth_file.situations.order_by("-start_date", "-pk")),
        "enrolments": list(youth_file.enrolments.prefetch_related("phases").order_by("-start_date", "-pk")),
        "diagnostics": list(youth_file.diagnostics.select_related("author").order_by("-date", "-pk")[:3]),
        "aids": list(youth_file.aids.order_by("-decision_date", "-pk")),
        "registrations": list(youth_file.registrations.select_related("session").order_by("-session__date", "-pk")),
        "immersions": youth_file_immersions(youth_file),
    }


def youth_file_events(youth_file: YouthFile) -> QuerySet[YouthEvent]:
    return youth_file.events.select_related("site", "author").order_by("-date", "-pk")


# --- workshops and information sessions (web/youth/workshops.py) ----------------------------------------------------


def _with_places(sessions: QuerySet[WorkshopSession]) -> QuerySet[WorkshopSession]:
    """Each session with its places taken (registrations not refused) and its young people present."""
    return sessions.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=PLACE_HOLDING_STATUSES)),
        present=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PRESENT)))


def workshop_catalogue(workshops: QuerySet[Workshop], *, today: date) -> QuerySet[Workshop]:
    """The catalogue, by name, the entries still offered first, each with its sessions to come."""
    return (workshops.annotate(upcoming=Count("sessions", filter=Q(sessions__date__gte=today)))
            .order_by("-is_active", "name", "pk"))


def workshop_sessions_of(workshop: Workshop) -> QuerySet[WorkshopSession]:
    """A catalogue entry's sessions, the latest first, with their places taken and their presences."""
    return _with_places(workshop.sessions.select_related("site")).order_by("-date", "-start_time", "-pk")


def workshop_session_registrations(session: WorkshopSession) -> QuerySet[WorkshopRegistration]:
    """The young people registered for a session, by name."""
    return (session.registrations.select_related("youth_file__participant")
            .order_by("youth_file__participant__last_name", "youth_file__participant__first_name", "pk"))


def workshop_sessions_open_to(youth_file: YouthFile, *, today: date) -> list[WorkshopSession]:
    """The sessions of the young person's territory to come (today included) that they are not registered for, with
    their places taken, the soonest first; full sessions are kept (the page says so)."""
    return list(_with_places(WorkshopSession.objects.filter(territory_id=youth_file.territory_id, date__gte=today)
                             .exclude(registrations__youth_file=youth_file).select_related("site"))
                .order_by("date", "start_time", "pk")[:100])
# --- immersions in companies (PMSMP agreements) --------------------------------------------------------------------


def immersion_milestones(agreement: ImmersionAgreement, *, today: date) -> list[dict[str, Any]]:
    """The three follow-ups of an agreement (its `follow_ups` prefetched): each with its day, and whether it is
    recorded, due (its day has come) or to come. A draft or cancelled agreement has none."""
    if agreement.status not in (ImmersionStatus.SIGNED, ImmersionStatus.DONE):
        return []
    recorded = {f.milestone: f for f in agreement.follow_ups.all()}
    rows = []
    for milestone, days in FOLLOW_UP_DAYS.items():
        due_on = agreement.end_date + timedelta(days=days)
        rows.append({"milestone": milestone, "label": FollowUpMilestone(milestone).label, "due_on": due_on,
                     "follow_up": recorded.get(milestone), "due": milestone not in recorded and due_on <= today})
    return rows


def youth_file_immersions(youth_file: YouthFile) -> list[ImmersionAgreement]:
    return list(youth_file.immersions.select_related("evaluation").prefetch_related("follow_ups")
                .order_by("-start_date", "-pk"))


def immersion_follow_ups_due(agreements: QuerySet[ImmersionAgreement], *, today: date) -> list[dict[str, Any]]:
    """The follow-ups whose day has come and that are not recorded, the longest overdue first: one query per
    milestone, whatever the number of young people."""
    rows: list[dict[str, Any]] = []
    signed = (agreements.filter(status__in=[ImmersionStatus.SIGNED, ImmersionStatus.DONE])
              .select_related("youth_file__participant", "prescriber"))
    for milestone, days in FOLLOW_UP_DAYS.items():
        for agreement in (signed.filter(end_date__lte=today - timedelta(days=days))
                          .exclude(follow_ups__milestone=milestone)):
            rows.append({"agreement": agreement, "milestone": milestone, "label": FollowUpMilestone(milestone).label,
                         "due_on": agreement.end_date + timedelta(days=days)})
    rows.sort(key=lambda r: (r["due_on"], r["agreement"].pk))
    return rows
