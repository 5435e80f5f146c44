"""Sections of the territory file that a programme reads and loads itself (docs/domain.md#the-territory-file).

The territory file is one file; its loader (`plie.territory_loader`) checks and loads the geography, the PLIE and
its structures, then asks each registered section to check and load its own part, in the same transaction. A
programme registers its section in its `AppConfig.ready()` (the Mission Locale's sites: `youth.territory_file`),
so that the loader never imports a programme beside its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Territory


@dataclass(frozen=True)
class TerritorySection:
    name: str
    # Every problem of the file's part, each « champ : message » in French (the file is a dict, its other parts
    # may be ill-formed: check what you read).
    check: Callable[[dict[str, Any]], list[str]]
    # Write the part for the territory; `report(kind, outcome)` counts "created", "updated", "unchanged".
    load: Callable[[Territory, dict[str, Any], Callable[[str, str], None]], None]


_SECTIONS: dict[str, TerritorySection] = {}


def territory_section_register(section: TerritorySection) -> None:
    _SECTIONS[section.name] = section


def territory_sections() -> tuple[TerritorySection, ...]:
    return tuple(_SECTIONS.values())
