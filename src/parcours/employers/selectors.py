"""Reads of the employers module: the portfolio's search, an employer's page (docs/employers.md)."""

from __future__ import annotations

from datetime import date

from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, OuterRef, Q, QuerySet, Subquery, Sum

from parcours.core.plausibility import siret_compact
from parcours.core.textsearch import Folded, fold

from .enums import OfferStatus
from .models import Employer, EmployerExchange, JobOffer


def employers_search(employers: QuerySet[Employer], *, text: str = "", section: str = "", size_band: str = "",
                     partner_status: str = "") -> QuerySet[Employer]:
    """The list's filters: words of the name (case and accents ignored) or a SIRET typed with spaces; a NAF
    section, a size band, a relation. Each row carries its last exchange's date and its active contacts' count."""
    employers = employers.annotate(folded_name=Folded(F("name")))
    digits = siret_compact(text)
    if text.strip() and digits.isdigit():
        employers = employers.filter(siret__startswith=digits)
    else:
        for word in (fold(token) for token in text.split()):
            if word:
                employers = employers.filter(folded_name__contains=word)
    if section:
        employers = employers.filter(naf_section=section)
    if size_band:
        employers = employers.filter(size_band=size_band)
    if partner_status:
        employers = employers.filter(partner_status=partner_status)
    return (employers.select_related("commune")
            .annotate(last_exchange=Max("exchanges__date"),
                      active_contacts=Count("contacts", filter=Q(contacts__is_active=True), distinct=True))
            .order_by("name", "pk"))


def employer_exchanges(employer: Employer) -> QuerySet[EmployerExchange]:
    """The history of the exchanges, latest first, with their contact and author."""
    return employer.exchanges.select_related("contact", "by").order_by("-date", "-pk")


def _open_on(day: date) -> Q:
    return (Q(closes_on__isnull=True) | Q(closes_on__gte=day)) & Q(status=OfferStatus.OPEN, opens_on__lte=day)


def offers_open_on(offers: QuerySet[JobOffer], day: date) -> QuerySet[JobOffer]:
    """The offers one may still put candidates on that day: open, opened, not past their closing date."""
    return offers.filter(_open_on(day))


def offers_search(offers: QuerySet[JobOffer], *, today: date, text: str = "", contract_type: str = "",
                  section: str = "", open_only: bool = True) -> QuerySet[JobOffer]:
    """The offers' list: words of the title or the employer's name (case and accents ignored), a ROME code, a
    contract type, the employer's NAF section; by default only those open today."""
    offers = offers.annotate(folded_title=Folded(F("title")), folded_employer=Folded(F("employer__name")))
    for token in text.split():
        word = fold(token)
        if not word:
            continue
        offers = offers.filter(Q(folded_title__contains=word) | Q(folded_employer__contains=word)
                               | Q(rome_code=token.upper()))
    if contract_type:
        offers = offers.filter(contract_type=contract_type)
    if section:
        offers = offers.filter(employer__naf_section=section)
    if open_only:
        offers = offers_open_on(offers, today)
    return (offers.select_related("employer", "commune")
            .annotate(open_today=ExpressionWrapper(_open_on(today), output_field=BooleanField()))
            .order_by("-opens_on", "-pk"))


UNKNOWN = "unknown"


def _counts(rows, keys: list[str]) -> dict[str, int]:
    """Counts by key, every key present (0 when none), then `unknown` for a blank one."""
    found = {(key or UNKNOWN): n for key, n in rows}
    return {key: found.get(key, 0) for key in [*keys, UNKNOWN]}


def employers_report_compute(*, territory_ids, date_from: date, date_to: date) -> dict[str, Any]:
    """The figures of `parcours employers-report` (docs/employers.md, bounds included): the portfolio, the
    exchanges, the offers opened, the candidacies and their outcomes, the hires by NAF section, size band and
    contract, and the exits into sustainable employment by the employer's section, size and the job's contract.
    Every figure is an aggregate of the database; keys are always present, in this order."""
    from parcours.pathways.enums import ContractType
    from parcours.pathways.models import Pathway
    from parcours.plie.enums import ExitReason
    from parcours.plie.models import EmploymentFollowUp

    from .enums import CandidacyRefusal, CandidacyStatus, ExchangeKind, OfferContractType, PartnerStatus, SizeBand
    from .models import Candidacy, CandidacyTransition
    from .naf import naf_sections

    ids = list(territory_ids)
    period = {"gte": date_from, "lte": date_to}

    def within(field: str) -> dict[str, date]:
        return {f"{field}__{op}": day for op, day in period.items()}

    employers = Employer.objects.filter(territory_id__in=ids)
    offers = JobOffer.objects.filter(employer__territory_id__in=ids, **within("opens_on"))
    candidacies = Candidacy.objects.filter(offer__employer__territory_id__in=ids)
    moves = CandidacyTransition.objects.filter(candidacy__in=candidacies, **within("at__date"))
    hires = candidacies.filter(status=CandidacyStatus.HIRED, **within("hired_on"))
    sections, bands = list(naf_sections()), list(SizeBand.values)

    # The exits into sustainable employment of the period: the job is the step of the follow-up that led there;
    # its employer is the portfolio's establishment of that SIRET on the pathway's territory.
    followed_step = EmploymentFollowUp.objects.filter(pathway=OuterRef("pk")).order_by("-started_on", "-pk")
    employer_of = Employer.objects.filter(territory_id=OuterRef("territory_id"), siret=OuterRef("job_siret"))
    exits = (Pathway.objects.filter(territory_id__in=ids, exit_reason=ExitReason.SUSTAINABLE_EMPLOYMENT,
                                    **within("exit_date"))
             .annotate(job_siret=Subquery(followed_step.values("step__employer_siret")[:1]),
                       job_contract=Subquery(followed_step.values("step__contract_type")[:1]))
             .annotate(job_section=Subquery(employer_of.values("naf_section")[:1]),
                       job_size=Subquery(employer_of.values("size_band")[:1])))
    exit_rows = list(exits.values_list("job_section", "job_size", "job_contract"))

    def tally(index: int, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in exit_rows:
            key = row[index] or UNKNOWN
            found[key] = found.get(key, 0) + 1
        return {key: found.get(key, 0) for key in [*keys, UNKNOWN]}

    from .enums import EventKind, EventOutcome, SponsorshipOutcome
    from .models import EventInvitation, RecruitmentEvent, Sponsorship

    events = RecruitmentEvent.objects.filter(territory_id__in=ids, **within("date"))
    invited = EventInvitation.objects.filter(event__in=events)
    sponsorships = Sponsorship.objects.filter(employer__territory_id__in=ids)
    ended = sponsorships.filter(**within("ended_on"))

    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "employers": employers.count(),
        "partners": employers.filter(Q(partner_since__isnull=True) | Q(partner_since__lte=date_to),
                                     partner_status=PartnerStatus.PARTNER).count(),
        "employers_in_contact": employers.filter(**within("exchanges__date")).distinct().count(),
        "exchanges": _counts(EmployerExchange.objects.filter(employer__in=employers, **within("date"))
                             .values_list("kind").annotate(n=Count("pk")), list(ExchangeKind.values)),
        "offers": offers.count(),
        "places_offered": offers.aggregate(n=Sum("places"))["n"] or 0,
        "offers_with_social_clause": offers.filter(social_clause=True).count(),
        "candidacies": {
            "proposed": moves.filter(transition="propose").count(),
            "presented": moves.filter(transition="present").count(),
            "hired": hires.count(),
            "refused": moves.filter(transition="refuse").count(),
            "withdrawn": moves.filter(transition="withdraw").count(),
            "expired": moves.filter(transition="expire").count(),
        },
        "refusals_by_reason": {key: n for key, n in _counts(
            candidacies.filter(status=CandidacyStatus.REFUSED, pk__in=moves.filter(transition="refuse")
                               .values("candidacy_id")).values_list("refusal_reason").annotate(n=Count("pk")),
            list(CandidacyRefusal.values)).items() if key != UNKNOWN},
        "hires_by_naf_section": _counts(hires.values_list("offer__employer__naf_section").annotate(n=Count("pk")),
                                        sections),
        "hires_by_size_band": _counts(hires.values_list("offer__employer__size_band").annotate(n=Count("pk")), bands),
        "hires_by_contract_type": {key: n for key, n in _counts(
            hires.values_list("offer__contract_type").annotate(n=Count("pk")),
            list(OfferContractType.values)).items() if key != UNKNOWN},
        "sustainable_exits": {
            "total": len(exit_rows),
            "employer_known": sum(1 for row in exit_rows if row[0] is not None or row[1] is not None),
            "by_naf_section": tally(0, sections),
            "by_size_band": tally(1, bands),
            "by_contract_type": tally(2, [c for c in ContractType.values if c != ContractType.NONE]),
        },
        "events": {
            "total": events.count(),
            "by_kind": {key: n for key, n in _counts(events.values_list("kind").annotate(n=Count("pk")),
                                                      list(EventKind.values)).items() if key != UNKNOWN},
            "employers_involved": Employer.objects.filter(events__in=events).distinct().count(),
            "invited": invited.count(),
            "attended": invited.filter(attended=True).count(),
            "outcomes": {key: n for key, n in _counts(
                invited.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")),
                list(EventOutcome.values)).items() if key != UNKNOWN},
        },
        "sponsorships": {
            "started": sponsorships.filter(**within("started_on")).count(),
            "ended": ended.count(),
            "running_at_end": sponsorships.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=date_to),
                                                  started_on__lte=date_to).count(),
            "outcomes": {key: n for key, n in _counts(ended.values_list("outcome").annotate(n=Count("pk")),
                                                      list(SponsorshipOutcome.values)).items() if key != UNKNOWN},
        },
    }
