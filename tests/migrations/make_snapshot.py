"""Freeze today's demo as raw rows: tests/migrations/data/demo_before_programmes.json.gz.

Run it from the repository root, **only with the code from before the migration under test** (the file records the
migration state it was taken at; the test rebuilds that state, loads the rows and migrates forward):

    .venv/bin/python -m tests.migrations.make_snapshot            # 120 people over 2 territories (the default)
    .venv/bin/python -m tests.migrations.make_snapshot --people 120 --territories 2 --seed 1 --keep

What it does, in a throwaway SQLite database in a temporary PARCOURS_DATA_DIR (DATABASE_URL is ignored):

1. `migrate`, `load-territory`, then `demo-data --people N` (today's demo generator). PEOPLE_PER_TERRITORY is
   lowered to N / territories so that the demo's twin mechanism gives two PLIE (two territories) even with a
   small population: data that is per territory today has to go to the right programme tomorrow.
2. What the demo does not produce but an instance holds, through the application's own services: the twin's PLIE
   gets rules of its own (different from Clermont's); per territory, documents (files on disk) on active
   pathways, notes, file consultations (access log), a refused access, audit events written by those services;
   an import run checked and waiting for confirmation (its zip on disk); a second factor (TOTP device, recovery
   codes), an API token and a failed sign-in.
3. Dumps every table of every parcours app, plus the third-party tables whose rows reference them (django-otp,
   DRF tokens), with raw SQL (tests/migrations/snapshot.py), the files the rows name, and the migration leaf nodes.
   It refuses to write a snapshot with a reference to a row it does not hold.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Small valid files of the accepted formats (the upload service checks the real type).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def _setup(data_dir: Path) -> None:
    os.environ["PARCOURS_DATA_DIR"] = str(data_dir)
    for name in ("DATABASE_URL", "PARCOURS_REPLICA_DATABASE_URL"):
        os.environ.pop(name, None)
    os.environ["PARCOURS_DEBUG"] = "1"        # as `make run`: tasks run at once
    os.environ["DJANGO_SETTINGS_MODULE"] = "parcours.settings"
    import django
    django.setup()


def demo_generate(people: int, territories: int, seed: int, out) -> None:
    from django.core.management import call_command

    from parcours.demo import generator as demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_territory", stdout=out)
    demo.PEOPLE_PER_TERRITORY = -(-people // territories)   # the twins of a large demo, at a small scale
    call_command("demo_data", people=people, seed=seed, stdout=out)


def instance_extras(out) -> None:
    """Rows and files of an instance in use that the demo generator does not write; through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory
    from django.utils import timezone

    from parcours.accounts import twofactor
    from parcours.accounts.services import api_token_create
    from parcours.accounts.lockout import failure_record
    from parcours.audit.services import access_log_record, refused_access_record
    from parcours.demo.generator import TERRITORY_NAME
    from parcours.interchange.exporter import dataset_export
    from parcours.interchange.services import import_upload
    from parcours.organisations.enums import Role
    from parcours.organisations.models import Membership
    from parcours.plie.intake.services import pathway_enter_via_collective_action
    from parcours.participants.enums import DocumentKind, EducationLevel, Sex
    from parcours.participants.services import document_upload
    from parcours.plie.enums import PathwayStatus
    from parcours.pathways.models import Pathway
    from parcours.pathways.services import note_create
    from parcours.programmes.models import Programme
    from parcours.programmes.services import programme_configure
    from parcours.territory.enums import Situation
    from parcours.territory.models import Territory

    territories = list(Territory.objects.order_by("pk"))
    for territory in territories[1:]:
        # A second PLIE with rules of its own: a migration copying one PLIE's rules everywhere shows.
        coordinator = Membership.objects.filter(organisation__territory=territory, role=Role.COORDINATOR) \
            .order_by("pk").first().user
        programme_configure(programme=Programme.objects.get(territory=territory, kind="plie"), by=coordinator,
                            values={"min_age": 25, "followup_months": 12, "commission_interval_days": 21,
                                    "caseload_min": 50, "caseload_max": 90, "qpv_residence_eligible": False,
                                    "eligible_situations": [Situation.RSA, Situation.ASS, Situation.RQTH]})

    for territory in territories:
        coordinator = Membership.objects.filter(organisation__territory=territory, role=Role.COORDINATOR) \
            .order_by("pk").first().user
        active = list(Pathway.objects.filter(territory=territory, status=PathwayStatus.ACTIVE, referent__isnull=False)
                      .select_related("participant", "referent").order_by("pk")[:3])
        for index, pathway in enumerate(active):
            referent = pathway.referent
            mark = f"\n% pathway {pathway.pk}\n".encode()   # each file its own content, followed by its hash
            document_upload(participant=pathway.participant, pathway=pathway, by=referent, kind=DocumentKind.CV,
                            title="CV à jour", upload=SimpleUploadedFile("cv.pdf", PDF + mark, "application/pdf"))
            if index == 0:   # a document of the person, attached to no pathway
                document_upload(participant=pathway.participant, pathway=None, by=referent,
                                kind=DocumentKind.IDENTITY, title="Pièce d'identité",
                                upload=SimpleUploadedFile("id.png", PNG + mark, "image/png"))
            note_create(pathway=pathway, by=referent, body="Entretien de suivi : démarches en cours.")
            access_log_record(user=referent, participant_id=pathway.participant_id, screen="participant_detail")
            access_log_record(user=coordinator, participant_id=pathway.participant_id, screen="pathway_detail")
        refused_access_record(user=active[0].referent, url_name="web:participant_detail", kind=404, method="GET")
        # A person entering through a collective action: a pathway with no application nor commission.
        membership = Membership.objects.get(user=active[0].referent, organisation=active[0].operator)
        commune = territory.communes.order_by("pk").first()
        pathway_enter_via_collective_action(
            by=coordinator, action_name="Chantier école « Cap vers l'emploi »",
            selected_on=timezone.localdate() - timedelta(days=10), membership=membership,
            person={"last_name": "Collectif", "first_name": f"Personne {territory.pk}", "sex": Sex.FEMALE,
                    "birth_date": date(1980, 5, 17), "commune": commune, "education_level": EducationLevel.V},
            situations=[Situation.RSA], deld=True)
        out.write(f"{territory.name} : {len(active) + 1} documents, {len(active)} notes, consultations, "
                  "1 entrée par action collective.\n")

    # An import run of the twin's own data set, checked and waiting for confirmation (its zip stays on disk).
    twin = territories[-1]
    with tempfile.TemporaryDirectory() as tmp:
        dataset_export(Path(tmp), territory=twin, anonymise=True)
        uploads = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in sorted(Path(tmp).iterdir())
                   if p.suffix == ".csv"]
    importer = Membership.objects.filter(organisation__territory=twin, role=Role.COORDINATOR).order_by("pk") \
        .first().user
    run = import_upload(territory=twin, by=importer, uploads=uploads)
    run.refresh_from_db()
    out.write(f"Import n° {run.pk} sur {twin.name} : état {run.state}.\n")

    # Accounts: a second factor with recovery codes, an API token, a failed sign-in.
    clermont = Territory.objects.get(name=TERRITORY_NAME)
    coordinator = Membership.objects.filter(organisation__territory=clermont, role=Role.COORDINATOR).order_by("pk") \
        .first().user
    device = twofactor.pending_totp_device(coordinator)
    twofactor.enrolment_confirm(coordinator, device)
    director = Membership.objects.filter(organisation__territory=clermont, role=Role.DIRECTOR).order_by("pk") \
        .first().user
    api_token_create(user=director, label="Logiciel de la direction")
    failure_record(RequestFactory().post("/connexion/"), coordinator.email, user=coordinator)


def snapshot_tables() -> list[str]:
    """Tables of the parcours apps, plus the other apps' tables whose rows hang on them (to a fixed point)."""
    from django.apps import apps

    from tests.migrations.snapshot import models_by_table

    models = models_by_table(apps)
    chosen = {t for t, m in models.items() if apps.get_app_config(m._meta.app_label).name.startswith("parcours.")}
    grown = True
    while grown:
        grown = False
        for table, model in models.items():
            if table not in chosen and any(f.is_relation and f.many_to_one and f.related_model._meta.db_table in chosen
                                           for f in model._meta.local_concrete_fields):
                chosen.add(table)
                grown = True
    return sorted(chosen)


def self_contained(tables: dict[str, dict]) -> list[str]:
    """References from a snapshot row to a table the snapshot does not hold (the test could not load them)."""
    from django.apps import apps

    from tests.migrations.snapshot import models_by_table, table_fields

    models = models_by_table(apps)
    problems = []
    for table, content in tables.items():
        fields = table_fields(models[table])
        for index, column in enumerate(content["columns"]):
            field = fields[column]
            if field.is_relation and field.related_model._meta.db_table not in tables:
                used = sum(1 for row in content["rows"] if row[index] is not None)
                if used:
                    problems.append(f"{table}.{column}: {used} rows point to {field.related_model._meta.db_table}, "
                                    "which the snapshot does not hold")
    return problems


def dump(tables_wanted: list[str]) -> dict:
    from django.apps import apps
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from tests.migrations import snapshot

    executor = MigrationExecutor(connection)
    leaves = sorted(executor.loader.graph.leaf_nodes())
    if executor.migration_plan(leaves):
        raise snapshot.HarnessError("unapplied migrations in the demo database")
    tables = snapshot.read_database(connection, apps, tables_wanted)
    problems = self_contained(tables)
    if problems:
        raise snapshot.HarnessError("the snapshot is not self-contained:\n  " + "\n  ".join(problems))
    files = {}
    for content in tables.values():
        for index, kind in enumerate(content["kinds"]):
            if kind != "file":
                continue
            for row in content["rows"]:
                name = row[index]
                if name:
                    with default_storage.open(name, "rb") as handle:
                        data = handle.read()
                    files[name] = {"sha256": snapshot.sha256(data), "size": len(data),
                                   "base64": base64.b64encode(data).decode("ascii")}
    parcours_apps = sorted(c.label for c in apps.get_app_configs() if c.name.startswith("parcours."))
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True,
                                    text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", None
    return {
        "format": snapshot.FORMAT, "version": snapshot.FORMAT_VERSION,
        "taken": {"at": timezone.now().isoformat(timespec="seconds"), "git_commit": commit, "src_modified": dirty,
                  "by": " ".join(["python -m tests.migrations.make_snapshot", *sys.argv[1:]])},
        # The "before" migration state: every leaf node, parcours apps and the others (Django, DRF, otp, tasks).
        "migrations": [list(node) for node in leaves],
        "parcours_apps": parcours_apps,
        "tables": tables,
        "files": files,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--territories", type=int, default=2, help="PLIE (territories) the people are spread over")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=None, help="default: tests/migrations/data/…json.gz")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder (prints its path)")
    args = parser.parse_args(argv)

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    data_dir = Path(tempfile.mkdtemp(prefix="parcours-migration-snapshot-"))
    try:
        _setup(data_dir)
        from tests.migrations import snapshot

        out = sys.stdout
        demo_generate(args.people, args.territories, args.seed, out)
        instance_extras(out)
        data = dump(snapshot_tables())
        output = args.output or snapshot.DATA_FILE
        snapshot.file_write(output, data)
        rows = sum(len(t["rows"]) for t in data["tables"].values())
        out.write(f"{output}: {len(data['tables'])} tables, {rows} rows, {len(data['files'])} files, "
                  f"{output.stat().st_size / 1024:.0f} KiB; state {len(data['migrations'])} leaf nodes.\n")
        if data["taken"]["src_modified"]:
            out.write("WARNING: src/ has uncommitted changes; the snapshot must come from the code before the "
                      "migration under test.\n")
    finally:
        if args.keep:
            print(f"data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
