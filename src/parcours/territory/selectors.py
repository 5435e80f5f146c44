"""Reads on territories."""

from __future__ import annotations

from .models import Territory


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
