"""Reads of the employers module: the portfolio's search, an employer's page (docs/employers.md)."""

from __future__ import annotations

from django.db.models import Count, F, Max, Q, QuerySet

from parcours.core.plausibility import siret_compact
from parcours.core.textsearch import Folded, fold

from .models import Employer, EmployerExchange


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
