"""Timed in-process measures, run with the database of one benchmark step (see run.py).

    python bench/measure.py indicators YEAR   → {"indicators_s": …, "indicators_floor_s": …, "entries": …}
    python bench/measure.py targets N_USERS   → the users and pages of the load test (JSON)
    python bench/measure.py analyze           → planner statistics refreshed after a bulk load
    python bench/measure.py export DIR        → each territory's interchange files in DIR/<n>/ (not timed)
    python bench/measure.py import DIR        → those files imported, territory by territory: rows and seconds
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")

import django  # noqa: E402

django.setup()


def best_of(runs: int, fn):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return min(times), result


def indicators(year: int) -> dict:
    from django.db import connection

    from floor import floor_queries
    from parcours.reporting.indicators import indicators_compute
    from parcours.territory.models import Territory

    date_from, date_to = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    territory_ids = list(Territory.objects.values_list("pk", flat=True))
    connection.ensure_connection()
    # One warm-up each so both sides read from a warm cache.
    indicators_compute(territory_ids=territory_ids, date_from=date_from, date_to=date_to)
    floor_queries(date_from, date_to)
    app_s, figures = best_of(3, lambda: indicators_compute(territory_ids=territory_ids, date_from=date_from,
                                                            date_to=date_to))
    floor_s, _ = best_of(3, lambda: floor_queries(date_from, date_to))
    return {"indicators_s": round(app_s, 4), "indicators_floor_s": round(floor_s, 4),
            "ratio": round(app_s / floor_s, 2) if floor_s else None, "entries": figures["entries"],
            "period": [str(date_from), str(date_to)]}


def analyze() -> dict:
    """Fresh planner statistics after a bulk load, as autovacuum (PostgreSQL) would compute them in production.

    Without them PostgreSQL plans the freshly loaded tables as nearly empty (e.g. a nested loop over 150,000
    participants for the team's home page, more than 60 s); SQLite has no automatic ANALYZE at all.
    """
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"analyze_s": round(time.perf_counter() - began, 1)}


def export_all(folder: str) -> dict:
    """The interchange files of every territory (the format holds one territory per set), in DIR/<n>/."""
    from parcours.interchange.exporter import dataset_export
    from parcours.territory.models import Territory

    names = []
    for number, territory in enumerate(Territory.objects.order_by("pk"), start=1):
        target = Path(folder) / f"{number:03d}"
        dataset_export(str(target), territory=territory)
        (target / "territory.txt").write_text(territory.name, encoding="utf-8")
        names.append(territory.name)
    return {"territories": names}


def import_all(folder: str) -> dict:
    """Each territory's set imported into its territory of this database: rows and seconds of the imports alone
    (the process starts once, as the web import's worker does)."""
    from parcours.interchange.importer import dataset_import
    from parcours.territory.models import Territory

    rows, seconds = 0, 0.0
    for target in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        territory = Territory.objects.get(name=(target / "territory.txt").read_text(encoding="utf-8"))
        began = time.perf_counter()
        report = dataset_import(str(target), territory=territory)
        seconds += time.perf_counter() - began
        rows += report.rows
    return {"rows": rows, "seconds": round(seconds, 1)}


def targets(n_users: int, password: str) -> dict:
    from targets import build_targets

    return build_targets(n_users, password)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "indicators":
        print(json.dumps(indicators(int(sys.argv[2]))))
    elif command == "analyze":
        print(json.dumps(analyze()))
    elif command == "export":
        print(json.dumps(export_all(sys.argv[2])))
    elif command == "import":
        print(json.dumps(import_all(sys.argv[2])))
    elif command == "targets":
        print(json.dumps(targets(int(sys.argv[2]), sys.argv[3])))
    else:
        raise SystemExit(f"unknown measure {command!r}")
