"""Consolidation across PLIE: each PLIE exports its additive counts, the network sums them.

An export holds counts only (never a rate, never a person): those of `indicators_counts` plus
`pathway_duration_days_sum` and the exits / positive exits by category, so that every rate and the
mean duration are recomputed from the sums. `participants_in_pathway` is a count of distinct people;
adding it across PLIE is exact because each PLIE's data set is its own (a person followed by two PLIE
is two pathways in two data sets).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from parcours.organisations.enums import OrganisationKind
from parcours.territory.models import Territory

from .indicators import indicators_counts, indicators_from_counts

FORMAT = "parcours-consolidation"
FORMAT_VERSION = 1
COUNT_KEYS = ("entries", "participants_in_pathway", "exits", "pathway_duration_days_sum", "entries_profile", "steps",
              "exits_by_category")


def _date_arg(name: str, value: str | None) -> date:
    if not value:
        raise CommandError(f"{name} : argument obligatoire (date AAAA-MM-JJ)")
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} : « {value} » n'est pas une date valide (AAAA-MM-JJ)") from None


def period_parse(date_from: str | None, date_to: str | None) -> tuple[date, date]:
    """--from / --to of the reporting commands; CommandError with a French message naming the argument."""
    d_from, d_to = _date_arg("--from", date_from), _date_arg("--to", date_to)
    if d_from > d_to:
        raise CommandError(f"--from : le début ({d_from.isoformat()}) est postérieur à la fin --to "
                           f"({d_to.isoformat()})")
    return d_from, d_to


def plie_name(territory: Territory) -> str:
    names = sorted(territory.organisations.filter(kind=OrganisationKind.PLIE).values_list("name", flat=True))
    return ", ".join(names) or territory.name


def consolidation_export(*, territory: Territory, date_from: date, date_to: date) -> dict:
    counts = indicators_counts(territory_ids=[territory.pk], date_from=date_from, date_to=date_to)
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "plie": plie_name(territory),
            "period": {"from": date_from.isoformat(), "to": date_to.isoformat()}, **counts}


def _shape(value):
    """The key tree of a counts dict, to check that two files hold the same figures."""
    return {k: _shape(v) for k, v in value.items()} if isinstance(value, dict) else None


def _add(total, value):
    if isinstance(total, dict):
        return {k: _add(total[k], value[k]) for k in total}
    return total + value


def _check_counts(name: str, value, path: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _check_counts(name, v, f"{path}{k}.")
    elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CommandError(f"{name} : « {path.rstrip('.')} » doit être un entier positif ou nul")


def consolidation_read(path: Path) -> dict:
    name = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{name} : fichier introuvable") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{name} : JSON illisible ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CommandError(f"{name} : ce n'est pas un export de consolidation (« format » ≠ « {FORMAT} »)")
    if data.get("format_version") != FORMAT_VERSION:
        raise CommandError(f"{name} : version de format {data.get('format_version')!r} non prise en charge "
                           f"(attendue : {FORMAT_VERSION})")
    return data


def consolidate(paths: list[Path]) -> dict:
    """Sum the exports; returns the indicators' JSON of the whole (same shape as `parcours indicators`)."""
    if not paths:
        raise CommandError("FICHIER : au moins un export de consolidation est attendu")
    reference = _shape(indicators_counts_shape())
    total, period = None, None
    for path in paths:
        data = consolidation_read(path)
        counts = {k: data.get(k) for k in COUNT_KEYS}
        if _shape(counts) != reference:
            raise CommandError(f"{path} : les compteurs ne correspondent pas au format {FORMAT_VERSION}")
        _check_counts(str(path), counts)
        if period is None:
            period = data.get("period")
        elif data.get("period") != period:
            raise CommandError(f"{path} : période {data.get('period')} différente de celle des autres fichiers "
                               f"{period}")
        total = counts if total is None else _add(total, counts)
    try:
        d_from, d_to = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    except (TypeError, KeyError, ValueError):
        raise CommandError(f"{paths[0]} : période illisible") from None
    return indicators_from_counts(total, date_from=d_from, date_to=d_to)


def indicators_counts_shape() -> dict:
    """A zero counts dict with every key (the shape an export must have)."""
    from .indicators import CATEGORY_KEYS, EXIT_REASONS, PROFILE_KEYS, STEP_TYPES

    return {
        "entries": 0, "participants_in_pathway": 0,
        "exits": {"total": 0, "positive": 0, "neutralised": 0, "by_reason": dict.fromkeys(EXIT_REASONS, 0)},
        "pathway_duration_days_sum": 0,
        "entries_profile": dict.fromkeys(PROFILE_KEYS, 0),
        "steps": {"started": 0, "by_type": dict.fromkeys(STEP_TYPES, 0)},
        "exits_by_category": {k: {"exits": 0, "positive": 0} for k in CATEGORY_KEYS},
    }
