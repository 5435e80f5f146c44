"""Where the time of each benchmarked page goes, one request at a time (no load), on a benchmark database.

    PARCOURS_DATA_DIR=… DATABASE_URL=… python bench/profile_pages.py [REPEAT] [--json]

For each page of bench/targets.py (as a referent, then as a coordinator for the team pages) it prints the median
wall time, the time spent in SQL (as seen by Django's query log), the number of queries, the time in template
rendering, and the functions with the most time of their own (cProfile), so that results.md can say what a page
costs and why.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template.backends.django import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from parcours.accounts.sessions import OTP_VERIFIED  # noqa: E402
from parcours.organisations.models import User  # noqa: E402
from targets import build_targets  # noqa: E402

RENDER_MS: list[float] = []
_render = Template.render


def _timed_render(self, *args, **kwargs):
    began = time.perf_counter()
    try:
        return _render(self, *args, **kwargs)
    finally:
        RENDER_MS.append((time.perf_counter() - began) * 1000)


def client_for(email: str) -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    session = client.session
    session[OTP_VERIFIED] = "bench.profile"   # as after the second step of the sign-in
    session.save()
    return client


def measure(client: Client, path: str, repeat: int) -> dict:
    client.get(path, secure=True)   # warm
    walls, sqls, renders, counts = [], [], [], []
    for _ in range(repeat):
        RENDER_MS.clear()
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        walls.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        # Nested templates ({% include %} of forms) are counted inside the outer one: keep the outermost.
        renders.append(max(RENDER_MS, default=0.0))
        counts.append(len(queries))
    profile = cProfile.Profile()
    profile.enable()
    client.get(path, secure=True)
    profile.disable()
    stats = pstats.Stats(profile)
    own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:6]
    top = [f"{os.path.basename(f)}:{line}({name}) {round(data[2] * 1000)} ms" for (f, line, name), data in own]
    return {"wall_ms": round(statistics.median(walls), 1), "sql_ms": round(statistics.median(sqls), 1),
            "queries": counts[0], "render_ms": round(statistics.median(renders), 1), "bytes": len(response.content),
            "top_own_time": top}


def profile(repeat: int) -> list[dict]:
    """One row per page and role: the medians of `measure`."""
    Template.render = _timed_render
    targets = build_targets(10, "parcours-demo-2026")   # the bench password (bench/run.py)
    referent, team = targets["users"][0], targets["solo"]
    seen, rows = set(), []
    for who, user in (("referent", referent), ("coordinator", team)):
        client = client_for(user["email"])
        for name, path in user["pages"]:
            if (who, name) in seen:
                continue
            seen.add((who, name))
            rows.append({"page": name, "as": who, **measure(client, path, repeat)})
    return rows


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--json"]
    rows = profile(int(args[0]) if args else 5)
    if "--json" in sys.argv:
        print(json.dumps(rows))
        return
    for row in rows:
        print(f"{row['page']} as {row['as']}: {row['wall_ms']} ms, SQL {row['sql_ms']} ms in {row['queries']} "
              f"queries, templates {row['render_ms']} ms, {row['bytes']} bytes")
        for line in row["top_own_time"]:
            print(f"    {line}")


if __name__ == "__main__":
    main()
