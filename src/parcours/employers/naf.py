"""NAF rév. 2, the French classification of activities (INSEE): its 21 sections and 88 divisions, shipped as
reference data (data/naf-rev2.json). An employer is classed by its division; its section follows."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import NamedTuple

NAF_FILE = Path(__file__).resolve().parent / "data" / "naf-rev2.json"


class Division(NamedTuple):
    code: str
    section: str
    label: str


@cache
def _naf() -> tuple[dict[str, str], dict[str, Division]]:
    data = json.loads(NAF_FILE.read_text(encoding="utf-8"))
    sections = {item["code"]: item["label"] for item in data["sections"]}
    divisions = {item["code"]: Division(item["code"], item["section"], item["label"]) for item in data["divisions"]}
    return sections, divisions


def naf_sections() -> dict[str, str]:
    """Section letter -> French label, A to U."""
    return _naf()[0]


def naf_divisions() -> dict[str, Division]:
    """Division code (two digits) -> its section and French label, 01 to 99 (88 of them)."""
    return _naf()[1]


def naf_division_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The divisions grouped by section, for a select's optgroups."""
    sections = naf_sections()
    grouped: dict[str, list[tuple[str, str]]] = {code: [] for code in sections}
    for division in naf_divisions().values():
        grouped[division.section].append((division.code, f"{division.code} — {division.label}"))
    return [(f"{code} — {label}", grouped[code]) for code, label in sections.items()]


def naf_division_from_code(code: str) -> str | None:
    """The division of an APE code as INSEE writes it (`43.21A`, `4321A`) or of a division (`43`); None if unknown."""
    digits = code.replace(".", "").replace(" ", "").strip()[:2]
    return digits if digits in naf_divisions() else None
