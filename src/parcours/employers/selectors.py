"""Reads of the employers module: the portfolio's search, an employer's page (docs/employers.md)."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, QuerySet

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
