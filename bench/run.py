"""`make bench`: how Parcours behaves as data grows, against the floor of what the machine can do.

For each database (PostgreSQL, SQLite) it generates N fictional people with `parcours demo-data`,
then measures:
- indicators: `indicators_compute` for the last full year vs. hand-written SQL (bench/floor.py);
- import: each territory's interchange files (`parcours export`), imported into a database holding only the
  territories and structures (`parcours demo-data --structures-only`): rows/s of the imports;
- pages under load: gunicorn (several workers) and 50 virtual case workers (bench/loadgen.py),
  p50/p95/rps/errors per page, and the bare health view as the framework's floor;
- growth: the same page timings on a data set of N/10.
It writes bench/results.json and bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
VENV_BIN = Path(sys.executable).parent
PARCOURS = str(VENV_BIN / "parcours")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_PASSWORD = "parcours-demo-2026"
# As docs/deployment.md asks of a deployment: storage on SSD (or data in memory), so a random read costs about a
# sequential one. With the default (4, spinning disks) the planner joins a territory's pathways to every participant
# of the instance by a full scan rather than by their key.
PG_SETTINGS = {"random_page_cost": "1.1"}
sys.path.insert(0, str(HERE))

from loadgen import run_load, run_unloaded  # noqa: E402


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def machine() -> dict:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    pg_version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    autovacuum = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "show autovacuum"],
                                capture_output=True, text=True).stdout.strip()
    import django
    import sqlite3

    return {"loadavg_start": " ".join(Path("/proc/loadavg").read_text().split()[:3]), "cores": os.cpu_count(), "memory_gib": round(memory_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "django": django.get_version(), "sqlite": sqlite3.sqlite_version,
            "postgresql": pg_version,
            "postgresql_autovacuum": autovacuum, "postgresql_settings": PG_SETTINGS, "os": platform.platform()}


class Database:
    """A fresh database of one backend for one step of the benchmark."""

    def __init__(self, backend: str, name: str):
        self.backend, self.name = backend, name
        self.data_dir = WORK / name
        self.url = f"{PG_URL}/{name}" if backend == "postgresql" else ""

    def env(self, **extra) -> dict:
        env = dict(os.environ, PARCOURS_DATA_DIR=str(self.data_dir), PARCOURS_DEBUG="0",
                   PARCOURS_SECRET_KEY="bench-only-secret-key", PARCOURS_BEHIND_PROXY="1",
                   PARCOURS_ALLOWED_HOSTS="127.0.0.1,localhost", PARCOURS_LOG_LEVEL="WARNING")
        env.pop("DATABASE_URL", None)
        if self.url:
            env["DATABASE_URL"] = self.url
        env.update(extra)
        return env

    def tune(self) -> None:
        """The PostgreSQL settings of docs/deployment.md ("PostgreSQL settings"), on this database."""
        if self.backend == "postgresql":
            for name, value in PG_SETTINGS.items():
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                                f"ALTER DATABASE {self.name} SET {name} = {value}"], check=True)

    def recreate(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        if self.backend == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", self.name], check=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", self.name], check=True)
            self.tune()
        self.parcours("migrate", "--no-input")
        self.parcours("collectstatic", "--no-input", capture=True)
        self.parcours("load-territory")

    def parcours(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run([PARCOURS, *args], env=self.env(), cwd=ROOT, check=True,
                                capture_output=capture, text=True)
        return result.stdout if capture else ""

    def python(self, *args: str) -> str:
        return subprocess.run([sys.executable, *args], env=self.env(DJANGO_SETTINGS_MODULE="parcours.settings"),
                              cwd=ROOT, check=True, capture_output=True, text=True).stdout


def timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_pages(db: Database, *, users: int, duration: float, workers: int, exclude: frozenset = frozenset()) -> dict:
    targets = json.loads(db.python(str(HERE / "measure.py"), "targets", str(users), BENCH_PASSWORD))
    for user in [*targets["users"], targets["solo"]]:
        user["pages"] = [page for page in user["pages"] if page[0] not in exclude]
    port = free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "parcours.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--timeout", "60"],
        env=db.env(), cwd=ROOT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        solo = targets["solo"]   # a coordinator alone: each page's service time without queueing
        unloaded = run_unloaded(host="127.0.0.1", port=port, user={**solo, "pages": solo["pages"] + [
            ("bare", targets["bare_path"])]}, login_path=targets["login_path"], password=BENCH_PASSWORD)
        pages = run_load(host="127.0.0.1", port=port, users=targets["users"], login_path=targets["login_path"],
                         password=BENCH_PASSWORD, duration_s=duration)
        bare_users = [{"email": u["email"], "pages": [("bare", targets["bare_path"])]} for u in targets["users"]]
        bare_run = run_load(host="127.0.0.1", port=port, users=bare_users, login_path=targets["login_path"],
                            password=BENCH_PASSWORD, duration_s=min(duration, 30))
        bare = bare_run.get("bare", {"errors": 0})
        bare["errors"] += bare_run.get("login", {}).get("errors", 0)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"pages": pages, "bare": bare, "unloaded": unloaded}


def bench_backend(backend: str, people: int, *, users: int, duration: float, workers: int, pages: bool,
                  result: dict, save, reuse_data: bool = False) -> dict:
    """Fills `result` step by step and calls save() after each step, so that a failure keeps what was measured."""
    big = Database(backend, f"parcours_bench_{people}")
    if reuse_data:
        log(f"{backend}: reusing the data set of {people} people of an earlier run")
        result.setdefault("generate_s", None)
        big.tune()
    else:
        log(f"{backend}: database with {people} people")
        big.recreate()
        result["generate_s"] = round(timed(lambda: big.parcours("demo-data", "--people", str(people), "--seed", "1")),
                                     1)
        log(f"{backend}: generated in {result['generate_s']} s")
    result["analyze_s"] = json.loads(big.python(str(HERE / "measure.py"), "analyze"))["analyze_s"]
    save()

    year = datetime.date.today().year - 1
    measured = json.loads(big.python(str(HERE / "measure.py"), "indicators", str(year)))
    result.update(indicators_s=measured["indicators_s"], indicators_floor_s=measured["indicators_floor_s"],
                  indicators_ratio=measured["ratio"], indicators_period=measured["period"])
    log(f"{backend}: indicators {measured['indicators_s']} s, floor {measured['indicators_floor_s']} s")
    save()

    export_dir = WORK / f"export_{backend}_{people}"
    shutil.rmtree(export_dir, ignore_errors=True)
    exported = json.loads(big.python(str(HERE / "measure.py"), "export", str(export_dir)))
    target = Database(backend, f"parcours_bench_import_{people}")
    target.recreate()
    # The same territories and structures, no people: the import then creates every person, file and step.
    target.parcours("demo-data", "--people", str(people), "--structures-only", capture=True)
    imported = json.loads(target.python(str(HERE / "measure.py"), "import", str(export_dir)))
    rows, seconds = imported["rows"], imported["seconds"]
    result.update(import_rows=rows, import_s=seconds, import_rows_per_s=round(rows / seconds),
                  import_territories=len(exported["territories"]))
    log(f"{backend}: imported {rows} rows of {len(exported['territories'])} territories in {seconds:.1f} s")
    save()

    if pages:
        measured = measure_pages(big, users=users, duration=duration, workers=workers)
        result["pages"], result["bare_p95_ms"] = measured["pages"], measured["bare"].get("p95_ms")
        result["bare"], result["pages_unloaded"] = measured["bare"], measured["unloaded"]
        # Where each page's time goes, one request at a time: SQL, templates, the rest (Python).
        result["profile"] = json.loads(big.python(str(HERE / "profile_pages.py"), "5", "--json"))
        save()
        small_people = max(people // 10, 50)
        small = Database(backend, f"parcours_bench_{small_people}")
        small.recreate()
        small.parcours("demo-data", "--people", str(small_people), "--seed", "1")
        small.python(str(HERE / "measure.py"), "analyze")
        result["pages_small"] = measure_pages(small, users=users, duration=duration, workers=workers)["pages"]
        result["people_small"] = small_people
        save()
    return result


def pages_again(backend: str, people: int, *, users: int, duration: float, workers: int, exclude: frozenset) -> dict:
    """The load test alone on the databases of an earlier run at the same N (kept in PostgreSQL / bench/work)."""
    small_people = max(people // 10, 50)
    big, small = Database(backend, f"parcours_bench_{people}"), Database(backend, f"parcours_bench_{small_people}")
    log(f"{backend}: pages again on the existing data sets, without {sorted(exclude) or 'nothing'}")
    measured = measure_pages(big, users=users, duration=duration, workers=workers, exclude=exclude)
    return {"excluded": sorted(exclude), "pages": measured["pages"], "bare": measured["bare"],
            "bare_p95_ms": measured["bare"].get("p95_ms"), "pages_unloaded": measured["unloaded"],
            "pages_small": measure_pages(small, users=users, duration=duration, workers=workers,
                                         exclude=exclude)["pages"],
            "people_small": small_people}


BUDGETS = "indicators < 3x floor and < 2 s; import >= 5,000 rows/s; pages p95 < 300 ms, no error, p95(N) <= 1.5 x p95(N/10)"


def budgets(r: dict) -> dict:
    """Each budget of the issue for one backend: True when met (PostgreSQL is the budget database)."""
    met = {"indicators": bool(r["indicators_ratio"] is not None and r["indicators_ratio"] < 3
                              and r["indicators_s"] < 2),
           "import": r["import_rows_per_s"] >= 5000}
    if "pages" in r:
        pages = r["pages"]
        met["pages_p95"] = all(p["p95_ms"] is not None and p["p95_ms"] < 300 for p in pages.values())
        met["pages_errors"] = all(p["errors"] == 0 for p in pages.values())
        met["growth"] = all(p.get("p95_ms") and r["pages_small"].get(name, {}).get("p95_ms")
                            and p["p95_ms"] <= 1.5 * r["pages_small"][name]["p95_ms"] for name, p in pages.items())
    return met


def pages_table(r: dict, people: int, title: str) -> list[str]:
    unloaded = r.get("pages_unloaded", {})
    lines = [f"{title} (N = {people}, N/10 = {r['people_small']}); last column: p50 of the same page requested "
             "alone by one coordinator (service time, no queue).", "",
             "| page | p50 ms (N) | p95 ms (N) | rps (N) | errors (N) | p95 ms (N/10) | p95 growth | alone p50 ms |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, page in r["pages"].items():
        small = r["pages_small"].get(name, {})
        growth = round(page["p95_ms"] / small["p95_ms"], 2) if page.get("p95_ms") and small.get("p95_ms") else None
        lines.append(f"| {name} | {page['p50_ms']} | {page['p95_ms']} | {page['rps']} | {page['errors']} | "
                     f"{small.get('p95_ms')} | {growth} | {unloaded.get(name, {}).get('p50_ms')} |")
    lines += [f"| bare view (floor) | {r['bare'].get('p50_ms')} | {r['bare_p95_ms']} | {r['bare'].get('rps')} | "
              f"{r['bare'].get('errors')} | | | {unloaded.get('bare', {}).get('p50_ms')} |", ""]
    return lines


def profile_table(rows: list[dict], people: int) -> list[str]:
    lines = [f"Where the time goes (N = {people}, one request at a time, median of 5, bench/profile_pages.py): "
             "SQL as timed by Django, templates as rendered, the rest is Python (views, forms, middleware).", "",
             "| page | as | wall ms | SQL ms | queries | templates ms | rest ms | most own time |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        rest = round(row["wall_ms"] - row["sql_ms"] - row["render_ms"], 1)
        top = "; ".join(row["top_own_time"][:2])
        lines.append(f"| {row['page']} | {row['as']} | {row['wall_ms']} | {row['sql_ms']} | {row['queries']} | "
                     f"{row['render_ms']} | {rest} | {top} |")
    return lines + [""]


def table(results: dict) -> str:
    m = results["machine"]
    lines = [f"# Benchmark — {results['people']} people", "",
             f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, {m['cpu']}; Python {m['python']}, "
             f"Django {m['django']}, {m['postgresql']}, SQLite {m['sqlite']}. Load average at start: "
             f"{m.get('loadavg_start')}. Load: {results['load']['users']} virtual users, "
             f"{results['load']['duration_s']} s per run, think time {results['load']['think_time_s']} s, "
             f"gunicorn with {results['load']['workers']} sync workers.", "", f"Budgets: {BUDGETS}.", ""]
    for backend in ("postgresql", "sqlite"):
        if backend not in results:
            continue
        r = results[backend]
        lines += [f"## {backend}", "", "| measure | value |", "| --- | --- |",
                  f"| demo-data generation | {r['generate_s']} s |",
                  f"| indicators (one year) | {r['indicators_s']} s |",
                  f"| indicators floor (hand-written SQL) | {r['indicators_floor_s']} s |",
                  f"| ratio | {r['indicators_ratio']} |",
                  f"| import | {r['import_rows_per_s']} rows/s ({r['import_rows']} rows in {r['import_s']} s) |", ""]
        if "pages" in r:
            lines += pages_table(r, results["people"], "Pages under load")
        if r.get("profile"):
            lines += profile_table(r["profile"], results["people"])
        for name, variant in r.get("variants", {}).items():
            lines += pages_table(variant, results["people"], f"Pages under load, {name} (run of {variant['date']}, "
                                 f"load average {variant['loadavg_start']} at start)")
        lines += ["Budgets met: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in budgets(r).items()), ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=150_000)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--users", type=int, default=50, help="virtual case workers")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per run")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--pages-again", action="store_true",
                        help="only the load test, on the data sets of an earlier run at the same N; stored as a "
                             "variant of that run")
    parser.add_argument("--reuse-data", action="store_true",
                        help="keep the data set of N people of an earlier run (no generation); --generated-in "
                             "records how long that earlier generation took")
    parser.add_argument("--generated-in", type=float, default=None)
    parser.add_argument("--exclude", default="", help="page names left out of the load test (with --pages-again)")
    parser.add_argument("--output", default=str(HERE / "results.json"))
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    output = Path(args.output)
    previous = json.loads(output.read_text()) if output.exists() else {}
    results: dict = {"people": args.people, "machine": machine(),
                     "date": datetime.datetime.now().isoformat(timespec="seconds"),
                     "load": {"users": args.users, "duration_s": args.duration, "workers": args.workers,
                              "think_time_s": [1, 3]}}
    # A run of one backend keeps the other backend's figures of a run at the same N (run them one at a time).
    if previous.get("people") == args.people:
        results.update({b: previous[b] for b in ("postgresql", "sqlite") if b in previous})
    for backend in args.backends.split(","):
        if args.pages_again:
            exclude = frozenset(filter(None, args.exclude.split(",")))
            variant = pages_again(backend, args.people, users=args.users, duration=args.duration,
                                  workers=args.workers, exclude=exclude)
            variant["loadavg_start"] = results["machine"]["loadavg_start"]
            variant["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
            variant["date"] = results["date"]
            results = {**previous, backend: previous[backend]}
            name = "without " + ", ".join(sorted(exclude)) if exclude else "again"
            results[backend].setdefault("variants", {})[name] = variant
            output.write_text(json.dumps(results, indent=2) + "\n")
            output.with_suffix(".md").write_text(table(results))
            continue
        results[backend] = {"generate_s": args.generated_in} if args.reuse_data else {}

        def save(results: dict = results) -> None:
            output.write_text(json.dumps(results, indent=2) + "\n")

        bench_backend(backend, args.people, users=args.users, duration=args.duration, workers=args.workers,
                      pages=not args.no_pages, result=results[backend], save=save, reuse_data=args.reuse_data)
        results[backend]["budgets_met"] = budgets(results[backend])
        results[backend]["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        save()
        output.with_suffix(".md").write_text(table(results))
    print(table(results))


if __name__ == "__main__":
    main()
