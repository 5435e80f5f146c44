"""Mission Locale data sets written as CSV folders (docs/spec/youth.md), and the sites they name."""

from __future__ import annotations

import json

from parcours.youth.enums import SiteKind
from parcours.youth.models import Site
from tests.interchange.helpers import run, write_set

SITES = (("montagne", SiteKind.ANTENNA), ("remote", SiteKind.REMOTE), ("champratel", SiteKind.PERMANENCE),
         ("entreprise", SiteKind.PARTNER))


def sites_make(territory) -> None:
    for code, kind in SITES:
        Site.objects.create(territory=territory, code=code, name=code.title(), kind=kind)


def _row(defaults: dict, extra: dict) -> dict:
    return {**defaults, **extra}


def young(ref="J-1", **extra) -> dict:
    return _row({"youth_ref": ref, "last_name": "Diallo", "first_name": "Inès", "sex": "F",
                 "birth_date": "2005-03-10", "first_reception_date": "2023-09-01"}, extra)


def event(ref="E-1", youth_ref="J-1", **extra) -> dict:
    return _row({"event_ref": ref, "youth_ref": youth_ref, "date": "2024-02-01", "kind": "individual_interview"},
                extra)


def scheme(ref="S-1", youth_ref="J-1", **extra) -> dict:
    return _row({"scheme_ref": ref, "youth_ref": youth_ref, "scheme": "pacea", "start_date": "2024-01-15"}, extra)


def situation(ref="SI-1", youth_ref="J-1", **extra) -> dict:
    return _row({"situation_ref": ref, "youth_ref": youth_ref, "category": "training", "start_date": "2024-03-01"},
                extra)


def aid(ref="AI-1", youth_ref="J-1", **extra) -> dict:
    return _row({"aid_ref": ref, "youth_ref": youth_ref, "fund": "faj", "decision_date": "2024-04-02",
                 "amount": "150"}, extra)


def session(ref="WS-1", **extra) -> dict:
    return _row({"session_ref": ref, "workshop": "Pass to Work", "theme": "employment", "date": "2024-05-14"}, extra)


def registration(session_ref="WS-1", youth_ref="J-1", status="present") -> dict:
    return {"session_ref": session_ref, "youth_ref": youth_ref, "status": status}


def youth_set(directory, **files):
    return write_set(directory, **files)


def report(*args: str) -> dict:
    code, out, err = run("youth_report", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)
