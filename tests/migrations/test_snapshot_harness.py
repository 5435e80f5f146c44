"""The migration harness itself: the comparison reports every undeclared difference, values survive the round
trip through the file, the state moves are sound (tests/migrations/test_migrate_existing_instance.py relies on it)."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from tests.migrations import harness
from tests.migrations import snapshot as snap
from tests.migrations.snapshot import Expected, compare


def tables():
    return {
        "territory_territory": {"columns": ["id", "name", "min_age"], "kinds": ["int", "str", "int"], "pk": "id",
                                "rows": [[1, "Clermont", 26], [2, "Twin", 25]]},
        "pathways_pathway": {"columns": ["id", "territory_id", "status"], "kinds": ["int", "int", "str"], "pk": "id",
                             "rows": [[1, 1, "active"], [2, 1, "exited"], [3, 2, "active"]]},
    }


def first_lines(problems):
    """A check's own message, without the explanation pytest's assertion rewriting appends."""
    return [problem.splitlines()[0] for problem in problems]


def test_identical_snapshots_have_no_difference():
    assert compare(tables(), tables()) == []


def test_a_changed_value_is_reported_with_table_pk_and_column():
    after = tables()
    after["pathways_pathway"]["rows"][1][2] = "active"
    assert compare(tables(), after) == [
        "pathways_pathway pk=2 column status: before 'exited', after 'active'"]


def test_a_missing_row_and_an_added_row_are_reported_with_the_counts():
    after = tables()
    del after["pathways_pathway"]["rows"][0]
    assert compare(tables(), after) == ["pathways_pathway: 3 rows before, 2 after",
                                        "pathways_pathway pk=1: row missing after the migration"]
    after = tables()
    after["territory_territory"]["rows"].append([3, "New", 30])
    assert compare(tables(), after) == ["territory_territory: 2 rows before, 3 after",
                                        "territory_territory pk=3: row added by the migration"]


def _drop(snapshot, table, column):
    content = snapshot[table]
    index = content["columns"].index(column)
    for key in ("columns", "kinds"):
        del content[key][index]
    for row in content["rows"]:
        del row[index]


def _add(snapshot, table, column, kind, values):
    content = snapshot[table]
    content["columns"].append(column)
    content["kinds"].append(kind)
    for row, value in zip(content["rows"], values, strict=True):
        row.append(value)


def test_an_undeclared_dropped_column_is_reported():
    after = tables()
    _drop(after, "territory_territory", "min_age")
    assert compare(tables(), after) == [
        "territory_territory: column min_age dropped by the migration, not declared in DROPPED_COLUMNS"]


def test_a_declared_dropped_column_runs_its_check_and_reports_its_failure():
    after = tables()
    _drop(after, "territory_territory", "min_age")
    after["programmes_programme"] = {"columns": ["id", "territory_id", "min_age"], "kinds": ["int", "int", "int"],
                                     "pk": "id", "rows": [[1, 1, 26], [2, 2, 26]]}   # the twin's rule lost
    calls = []

    def rules_moved(before, after):
        calls.append((before.count("territory_territory"), after.count("programmes_programme")))
        programme_of = {p["territory_id"]: p for p in after.rows("programmes_programme")}
        for pk, territory in before.by_pk("territory_territory").items():
            assert programme_of[pk]["min_age"] == territory["min_age"], f"territory {pk}: min_age not moved"

    expected = Expected(dropped_columns={"territory_territory": {"min_age": rules_moved}},
                        new_tables={"programmes_programme": None})
    assert first_lines(compare(tables(), after, expected)) == [
        "check DROPPED_COLUMNS['territory_territory']['min_age'] failed: territory 2: min_age not moved"]
    assert calls == [(2, 2)]
    after["programmes_programme"]["rows"][1][2] = 25
    assert compare(tables(), after, expected) == []


def test_new_columns_and_tables_must_be_declared_and_their_checks_run():
    after = tables()
    _add(after, "pathways_pathway", "programme_id", "int", [1, 1, 1])
    after["programmes_programme"] = {"columns": ["id", "territory_id"], "kinds": ["int", "int"], "pk": "id",
                                     "rows": [[1, 1], [2, 2]]}
    assert compare(tables(), after) == [
        "pathways_pathway: new column programme_id after the migration, not declared in NEW_COLUMNS",
        "programmes_programme: new table after the migration, not declared in NEW_TABLES (2 rows)"]

    def programme_of_its_territory(before, after):
        territory_of = {p["id"]: p["territory_id"] for p in after.rows("programmes_programme")}
        wrong = [p["id"] for p in after.rows("pathways_pathway") if territory_of[p["programme_id"]] != p["territory_id"]]
        assert not wrong, f"pathways in another territory's programme: {wrong}"

    def one_per_territory(before, after):
        assert after.count("programmes_programme") == before.count("territory_territory")

    expected = Expected(new_columns={"pathways_pathway": {"programme_id": programme_of_its_territory}},
                        new_tables={"programmes_programme": one_per_territory})
    assert first_lines(compare(tables(), after, expected)) == [
        "check NEW_COLUMNS['pathways_pathway']['programme_id'] failed: pathways in another territory's programme: [3]"]
    after["pathways_pathway"]["rows"][2][3] = 2
    assert compare(tables(), after, expected) == []


def test_a_missing_table_is_reported_and_a_renamed_one_is_compared_under_its_new_name():
    after = tables()
    after["plie_pathway"] = after.pop("pathways_pathway")
    assert compare(tables(), after) == [
        "pathways_pathway: table missing after the migration (not declared in RENAMED_TABLES or DROPPED_TABLES); "
        "3 rows before",
        "plie_pathway: new table after the migration, not declared in NEW_TABLES (3 rows)"]
    expected = Expected(renamed_tables={"pathways_pathway": "plie_pathway"})
    assert compare(tables(), after, expected) == []
    after["plie_pathway"]["rows"][0][2] = "exited"
    assert compare(tables(), after, expected) == [
        "pathways_pathway (now plie_pathway) pk=1 column status: before 'active', after 'exited'"]


def test_renamed_and_changed_columns():
    after = tables()
    after["pathways_pathway"]["columns"][2] = "state"
    assert compare(tables(), after, Expected(renamed_columns={"pathways_pathway": {"status": "state"}})) == []
    after["pathways_pathway"]["rows"][0][2] = "ACTIVE"
    assert compare(tables(), after, Expected(renamed_columns={"pathways_pathway": {"status": "state"}})) == [
        "pathways_pathway pk=1 column status (now state): before 'active', after 'ACTIVE'"]

    def upper_case(before, after):
        assert [p["state"] for p in after.rows("pathways_pathway")] == [
            p["status"].upper() for p in before.rows("pathways_pathway")], "states not upper-cased"

    expected = Expected(renamed_columns={"pathways_pathway": {"status": "state"}},
                        changed_columns={"pathways_pathway": {"status": upper_case}})
    assert first_lines(compare(tables(), after, expected)) == [
        "check CHANGED_COLUMNS['pathways_pathway']['status'] failed: states not upper-cased"]


def test_declarations_that_match_nothing_are_reported():
    expected = Expected(dropped_columns={"territory_territory": {"min_age": lambda b, a: None}},
                        new_columns={"pathways_pathway": {"programme_id": None}},
                        new_tables={"programmes_programme": None},
                        renamed_tables={"nope": "still_nope"})
    assert compare(tables(), tables(), expected) == [
        "nope: declared in RENAMED_TABLES/DROPPED_TABLES but not a table before the migration",
        "nope: declared renamed to still_nope but still_nope does not exist after the migration",
        "pathways_pathway: column programme_id declared in NEW_COLUMNS but absent after the migration",
        "territory_territory: column min_age declared in DROPPED_COLUMNS but still present after",
        "programmes_programme: declared in NEW_TABLES but absent after the migration"]


def test_many_differences_in_a_table_are_cut_after_a_few():
    before = tables()
    before["pathways_pathway"]["rows"] = [[pk, 1, "active"] for pk in range(1, 31)]
    after = copy.deepcopy(before)
    for row in after["pathways_pathway"]["rows"]:
        row[2] = "exited"
    problems = compare(before, after)
    assert len(problems) == snap.MAX_PER_TABLE + 1
    assert problems[-1] == "pathways_pathway: ... and 20 more row differences"


@pytest.mark.parametrize(("kind", "read", "stored"), [
    ("datetime", dt.datetime(2024, 3, 1, 9, 30, 0, 123), "2024-03-01T09:30:00.000123+00:00"),           # SQLite
    ("datetime", dt.datetime(2024, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),           # PostgreSQL
     "2024-03-01T09:30:00+00:00"),
    ("date", dt.date(2024, 3, 1), "2024-03-01"),
    ("decimal:2", 12.5, "12.50"),                    # SQLite gives a float,
    ("decimal:2", Decimal("12.50"), "12.50"),        # PostgreSQL a Decimal
    ("json", '{"b": 1, "a": [1, 2]}', '{"a":[1,2],"b":1}'),
    ("json", '{"a":[1,2],"b":1}', '{"a":[1,2],"b":1}'),
    ("binary", memoryview(b"\x00\xff"), "AP8="),
    ("uuid", "12345678123456781234567812345678", "12345678-1234-5678-1234-567812345678"),
    ("duration", dt.timedelta(seconds=2), 2_000_000),
    ("bool", 1, True),
])
def test_values_are_made_json_safe_and_backend_neutral(kind, read, stored):
    assert snap.to_json(kind, read) == stored
    back = snap.from_json(kind, stored)
    if kind == "datetime":
        assert back == read.replace(tzinfo=read.tzinfo or dt.UTC)
    elif kind == "uuid":
        assert back == uuid.UUID(read)
    elif kind not in ("json", "decimal:2"):
        assert back == (bytes(read) if kind == "binary" else read)


def test_the_snapshot_file_records_its_state_and_holds_the_demo():
    data = snap.file_read()
    nodes = {tuple(n) for n in data["migrations"]}
    assert {app for app, _name in nodes} >= {"territory", "pathways", "participants", "audit", "auth", "otp_totp"}
    counts = {table: len(content["rows"]) for table, content in data["tables"].items()}
    assert counts["territory_territory"] >= 2, "two PLIE, so that per-territory data is tested"
    for table in ("pathways_pathway", "pathways_pathwaytransition", "audit_auditevent", "audit_accesslog",
                  "participants_document", "interchange_importrun", "intake_collectiveactionentry",
                  "otp_totp_totpdevice"):
        assert counts[table] > 0, f"{table} empty in the snapshot"
    documents = data["tables"]["participants_document"]
    names = {row[documents["columns"].index("file")] for row in documents["rows"]}
    assert names <= set(data["files"])


def test_targets_of_an_unknown_state_are_refused_clearly():
    with pytest.raises(snap.HarnessError, match="missing from the code"):
        harness.targets_for(connection, [("territory", "0999_gone")])
    targets = harness.targets_for(connection, [("territory", "0001_initial")])
    assert ("territory", "0001_initial") in targets and ("pathways", None) in targets


def test_irreversible_operations_are_found_in_a_backwards_plan():
    from django.db import migrations

    class Migration(migrations.Migration):
        operations = [
            migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
            migrations.SeparateDatabaseAndState(database_operations=[migrations.RunSQL("SELECT 1")]),
            migrations.RunPython(migrations.RunPython.noop),
        ]

    migration = Migration("0002_programmes", "territory")
    assert harness.irreversible([(migration, False)]) == []
    assert harness.irreversible([(migration, True)]) == [
        "territory.0002_programmes: Raw SQL operation", "territory.0002_programmes: Raw Python operation"]


def test_loaded_rows_read_back_equal_and_the_next_ids_come_after_them():
    from django.apps import apps

    from parcours.territory.models import Territory

    Territory.objects.create(name="Territoire seul")
    read = snap.read_database(connection, apps, ["territory_territory"])
    content = read["territory_territory"]
    content["rows"][0][content["columns"].index("id")] = 500
    assert snap.load_rows(connection, apps, read) == {"territory_territory": 1}
    assert compare(read, snap.read_database(connection, apps, ["territory_territory"])) == []
    assert snap.sequences_behind(connection, apps, read) == []

    with connection.cursor() as cursor:   # as if the sequence had not been moved past the loaded ids
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('territory_territory', 'id'), 1)")
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = 1 WHERE name = 'territory_territory'")
    assert snap.sequences_behind(connection, apps, read) == [
        "territory_territory: the next id would be 2, the loaded ids go up to 500"]


def test_loading_rows_that_point_nowhere_is_refused():
    from django.apps import apps
    from django.db import IntegrityError

    from parcours.territory.models import Commune, Territory

    Commune.objects.create(territory=Territory.objects.create(name="Territoire seul"), insee="63113", name="Clermont")
    read = snap.read_database(connection, apps, ["territory_commune"])
    content = read["territory_commune"]
    content["rows"][0][content["columns"].index("territory_id")] = 999
    with pytest.raises(IntegrityError):
        snap.load_rows(connection, apps, read)


def test_files_must_stay_named_present_and_intact(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=str(tmp_path))
    recorded = {name: {"sha256": snap.sha256(data), "base64": base64.b64encode(data).decode()}
                for name, data in (("participants/a.pdf", b"%PDF-a"), ("participants/b.pdf", b"%PDF-b"),
                                   ("participants/c.pdf", b"%PDF-c"))}
    snap.files_put(storage, recorded)

    def documents(*names):
        return {"participants_document": {"columns": ["id", "file"], "kinds": ["int", "file"], "pk": "id",
                                          "rows": [[pk, name] for pk, name in enumerate(names, start=1)]}}

    assert snap.files_problems(storage, recorded, documents("participants/a.pdf", "participants/b.pdf",
                                                            "participants/c.pdf")) == []
    storage.save("programmes/1/c.pdf", ContentFile(b"%PDF-c"))    # moved by a migration: followed by content
    storage.delete("participants/b.pdf")
    with storage.open("participants/a.pdf", "wb") as handle:
        handle.write(b"%PDF-changed")
    assert snap.files_problems(storage, recorded, documents("participants/a.pdf", "participants/b.pdf",
                                                            "programmes/1/c.pdf")) == [
        "participants_document pk=2 column file: file participants/b.pdf is not in the storage",
        "file participants/a.pdf: its content changed",
        "file participants/b.pdf of the snapshot is no longer named by any row"]
    assert snap.files_problems(storage, recorded, documents("programmes/1/c.pdf")) == [
        "file participants/a.pdf of the snapshot is no longer named by any row",
        "file participants/b.pdf of the snapshot is no longer named by any row"]
