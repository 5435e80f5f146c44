"""Reads on territories."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from parcours.core.textsearch import Folded, fold

from .models import Helpdesk, Territory


def territory_resolve(name: str | None) -> Territory:
    """The territory named, or the only one loaded: what every `--territory NAME` option means.

    Raises ValueError with a French message naming the option when there is none, several, or no
    such name.
    """
    if name:
        # No name holds a NUL character, and PostgreSQL refuses one in a query.
        territory = None if "\x00" in name else Territory.objects.filter(name=name).first()
        if territory is None:
            raise ValueError(f"--territory : aucun territoire nommé « {name} »")
        return territory
    territories = list(Territory.objects.order_by("pk")[:2])
    if not territories:
        raise ValueError("territoire : aucun territoire n'est chargé (parcours load-territory)")
    if len(territories) > 1:
        raise ValueError("--territory : plusieurs territoires sont chargés, précisez lequel avec --territory NOM")
    return territories[0]


def places_search(places: QuerySet[Helpdesk], *, text: str = "", kind: str = "") -> QuerySet[Helpdesk]:
    """The places page's filters: words of the name, address or offer (case and accents ignored); a kind."""
    places = places.annotate(folded_name=Folded(F("name")), folded_address=Folded(F("address")),
                             folded_offer=Folded(F("offer")))
    for word in (fold(token) for token in text.split()):
        if word:
            places = places.filter(Q(folded_name__contains=word) | Q(folded_address__contains=word)
                                   | Q(folded_offer__contains=word))
    if kind:
        places = places.filter(kind=kind)
    return places.select_related("organisation").order_by("name", "pk")
