"""Raw snapshots of a database, their JSON file, their reload, and the comparison of two of them.

A snapshot is every row of every table, read with raw SQL (never through today's models, which may not match the
schema of the moment), each value made JSON-safe and backend-neutral by its column's kind:

    {table: {"columns": [...], "kinds": [...], "pk": "id", "rows": [[...], ...]}}

Kinds come from the fields of the models *of the migration state being read* (historical models), so that a
snapshot taken before a migration and one taken after each use the schema of their moment:

    int, float, bool, str, file (a storage name), date, datetime (ISO, UTC), time, duration (microseconds),
    decimal:<places> (text, e.g. "12.50"), json (canonical text), binary (base64), uuid (text), raw (unknown)

The same reader serves `make_snapshot.py` (the frozen file) and the migration test (before and after).
See docs/testing.md, "Migrating an existing instance".
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field as dc_field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime, parse_time

FORMAT = "parcours/migration-snapshot"
FORMAT_VERSION = 1
DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_before_programmes.json.gz"
# The migration history is the state itself, recorded apart (the file's "migrations"), never compared as rows.
NOT_SNAPSHOT = {"django_migrations"}

_INT = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
        "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"}
_SIMPLE = {"BooleanField": "bool", "NullBooleanField": "bool", "DateField": "date", "DateTimeField": "datetime",
           "TimeField": "time", "DurationField": "duration", "FloatField": "float", "JSONField": "json",
           "BinaryField": "binary", "UUIDField": "uuid", "FileField": "file", "ImageField": "file"}


class HarnessError(Exception):
    """The harness cannot do what it was asked (not a difference between snapshots: a broken set-up)."""


# --- kinds and values ------------------------------------------------------------------------------------------

def field_kind(field) -> str:
    """The kind of a concrete model field (a foreign key takes the kind of the field it points to)."""
    if field.is_relation:
        return field_kind(field.target_field)
    internal = field.get_internal_type()
    if internal in _INT:
        return "int"
    if internal == "DecimalField":
        return f"decimal:{field.decimal_places}"
    return _SIMPLE.get(internal, "str")


def _utc(value: dt.datetime) -> dt.datetime:
    # Django stores UTC; SQLite hands back naive datetimes (in UTC), PostgreSQL aware ones.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def to_json(kind: str, value: Any) -> Any:
    """A value read from the database cursor, as a JSON-safe and backend-neutral value of its kind."""
    if value is None:
        return None
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind in ("str", "file"):
        return str(value)
    if kind == "float":
        return float(value)
    if kind.startswith("decimal:"):
        places = int(kind.split(":", 1)[1])
        return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-places)))
    if kind == "date":
        return (value if isinstance(value, dt.date) else parse_date(str(value))).isoformat()
    if kind == "datetime":
        return _utc(value if isinstance(value, dt.datetime) else parse_datetime(str(value))).isoformat()
    if kind == "time":
        return (value if isinstance(value, dt.time) else parse_time(str(value))).isoformat()
    if kind == "duration":
        if isinstance(value, dt.timedelta):
            return value // dt.timedelta(microseconds=1)
        return int(value)  # SQLite stores microseconds
    if kind == "json":
        decoded = json.loads(value) if isinstance(value, (str, bytes, bytearray)) else value
        return json.dumps(decoded, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "uuid":
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    return _raw_to_json(value)


def _raw_to_json(value: Any) -> Any:
    """A column no model describes: by its Python type."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return _utc(value).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def from_json(kind: str, value: Any) -> Any:
    """The Python value of a JSON-safe value of its kind (the inverse of to_json, json left as text)."""
    if value is None:
        return None
    if kind.startswith("decimal:"):
        return Decimal(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "duration":
        return dt.timedelta(microseconds=value)
    if kind == "binary":
        return base64.b64decode(value)
    if kind == "uuid":
        return uuid.UUID(value)
    return value


# --- reading -----------------------------------------------------------------------------------------------------

def models_by_table(apps) -> dict[str, Any]:
    """Every table of a model registry (real or historical), auto-created many-to-many tables included."""
    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped}


def table_fields(model) -> dict[str, Any]:
    return {f.column: f for f in model._meta.local_concrete_fields}


def read_database(connection, apps, tables: Iterable[str] | None = None) -> dict[str, dict]:
    """Every row of every table (or of `tables`) with raw SQL, in primary-key order, made JSON-safe.

    `apps` is the model registry of the migration state the database is at (a historical one in the test); it
    only tells each column's kind. Columns are those the database has, in its order.
    """
    known = models_by_table(apps)
    qn = connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        names = sorted(set(connection.introspection.table_names(cursor)) - NOT_SNAPSHOT)
        if tables is not None:
            wanted = set(tables)
            names = [n for n in names if n in wanted]
        for table in names:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            model = known.get(table)
            fields = table_fields(model) if model is not None else {}
            pk = model._meta.pk.column if model is not None else (
                connection.introspection.get_primary_key_column(cursor, table))
            kinds = [field_kind(fields[c]) if c in fields else "raw" for c in columns]
            order = f" ORDER BY {qn(pk)}" if pk else ""
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)}{order}")
            rows = [[to_json(k, v) for k, v in zip(kinds, row, strict=True)] for row in cursor.fetchall()]
            snapshot[table] = {"columns": columns, "kinds": kinds, "pk": pk, "rows": rows}
    return snapshot


# --- the file ------------------------------------------------------------------------------------------------------

def file_write(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same data give the same bytes (a regenerated, unchanged snapshot makes no diff).
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))


def file_read(path: Path = DATA_FILE) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        data = json.load(source)
    if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
        raise HarnessError(f"{path} is not a migration snapshot of format {FORMAT} v{FORMAT_VERSION}.")
    return data


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- files -----------------------------------------------------------------------------------------------------------

def files_put(storage, files: dict) -> None:
    for name, content in files.items():
        saved = storage.save(name, ContentFile(base64.b64decode(content["base64"])))
        assert saved == name, f"storage renamed {name} to {saved}"


def files_problems(storage, recorded: dict, after: dict[str, dict]) -> list[str]:
    """Every file named by a row after the migration is in the storage; every file of the snapshot is still named
    by a row, with the same content (under another name if a migration moved it)."""
    problems, named = [], {}
    for table, content in after.items():
        for index, kind in enumerate(content["kinds"]):
            if kind != "file":
                continue
            for row in content["rows"]:
                name = row[index]
                if not name:
                    continue
                if not storage.exists(name):
                    problems.append(f"{table} pk={row[content['columns'].index(content['pk'])]!r} column "
                                    f"{content['columns'][index]}: file {name} is not in the storage")
                    continue
                with storage.open(name, "rb") as handle:
                    named[name] = sha256(handle.read())
    moved_to = {digest: name for name, digest in named.items()}
    for name, content in sorted(recorded.items()):
        if name in named:
            if named[name] != content["sha256"]:
                problems.append(f"file {name}: its content changed")
        elif content["sha256"] not in moved_to:
            problems.append(f"file {name} of the snapshot is no longer named by any row")
    return problems


# --- loading -------------------------------------------------------------------------------------------------------

def load_rows(connection, apps, tables: dict[str, dict]) -> dict[str, int]:
    """Replace the rows of the snapshot's tables by the snapshot's, in one transaction; returns counts.

    Raw INSERTs in any order: Django creates foreign keys DEFERRABLE INITIALLY DEFERRED on PostgreSQL and SQLite,
    so they are checked once, before the commit (connection.check_constraints names a broken one). Each value goes
    through the historical field's get_db_prep_value, i.e. is stored as Django would have stored it. PostgreSQL
    sequences are moved past the inserted ids afterwards.
    """
    known = models_by_table(apps)
    qn = connection.ops.quote_name
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise HarnessError(f"tables of the snapshot without a model at this migration state: {unknown}")
    counts = {}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {qn(table)}")
        for table, content in tables.items():
            fields = table_fields(known[table])
            missing = [c for c in content["columns"] if c not in fields]
            if missing:
                raise HarnessError(f"{table}: columns {missing} of the snapshot are not in the schema at this state")
            prepare = [_preparer(fields[c], k, connection) for c, k in zip(content["columns"], content["kinds"], strict=True)]
            params = [[p(v) for p, v in zip(prepare, row, strict=True)] for row in content["rows"]]
            if params:
                columns = ", ".join(qn(c) for c in content["columns"])
                marks = ", ".join(["%s"] * len(content["columns"]))
                cursor.executemany(f"INSERT INTO {qn(table)} ({columns}) VALUES ({marks})", params)
            counts[table] = len(params)
        connection.check_constraints(table_names=list(tables))
        reset = connection.ops.sequence_reset_sql(no_style(), [known[t] for t in tables])
        for statement in reset:
            cursor.execute(statement)
    return counts


def sequences_behind(connection, apps, tables: dict[str, dict]) -> list[str]:
    """Tables whose next automatic id would collide with a loaded row (a migration inserting rows would fail)."""
    known = models_by_table(apps)
    problems = []
    with connection.cursor() as cursor:
        for table, content in tables.items():
            pk = known[table]._meta.pk
            if not content["rows"] or pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            top = max(row[content["columns"].index(pk.column)] for row in content["rows"])
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
                cursor.execute(f"SELECT last_value FROM {cursor.fetchone()[0]}")
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
            else:
                continue
            last = cursor.fetchone()[0]
            if last < top:
                problems.append(f"{table}: the next id would be {last + 1}, the loaded ids go up to {top}")
    return problems


def _preparer(field, kind: str, connection) -> Callable[[Any], Any]:
    if kind == "json":
        return lambda value: value  # canonical JSON text: a valid value for a JSON column on both backends

    def prepare(value):
        if value is None:
            return None
        return field.get_db_prep_value(from_json(kind, value), connection, prepared=False)
    return prepare


# --- snapshots as rows -----------------------------------------------------------------------------------------------

class Snapshot:
    """Read access to a snapshot for the checks of expected transformations."""

    def __init__(self, tables: dict[str, dict]):
        self.tables = tables

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def columns(self, table: str) -> list[str]:
        return self.tables[table]["columns"]

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of `table` as dicts, in primary-key order."""
        content = self.tables[table]
        return [dict(zip(content["columns"], row, strict=True)) for row in content["rows"]]

    def by_pk(self, table: str) -> dict[Any, dict[str, Any]]:
        content = self.tables[table]
        return {row[content["pk"]]: row for row in self.rows(table)}

    def count(self, table: str) -> int:
        return len(self.tables[table]["rows"])


# --- comparison ------------------------------------------------------------------------------------------------------

Check = Callable[[Snapshot, Snapshot], Any]


@dataclass
class Expected:
    """The transformations a migration is allowed to make; anything else is a difference.

    Tables are named as before the migration, except in `new_tables` and `new_columns` (names after; for a renamed
    table, the new name). Every check is called as check(before, after) with two Snapshot and fails by raising
    AssertionError (a plain `assert`); its message is reported with the declaration it belongs to.
    """

    renamed_tables: dict[str, str] = dc_field(default_factory=dict)                 # before name -> after name
    dropped_tables: dict[str, Check] = dc_field(default_factory=dict)               # table -> where its rows went
    new_tables: dict[str, Check | None] = dc_field(default_factory=dict)            # table -> check of its rows
    renamed_columns: dict[str, dict[str, str]] = dc_field(default_factory=dict)     # table -> {before: after}
    dropped_columns: dict[str, dict[str, Check]] = dc_field(default_factory=dict)   # table -> {column: check}
    new_columns: dict[str, dict[str, Check | None]] = dc_field(default_factory=dict)  # table -> {column: check}
    changed_columns: dict[str, dict[str, Check]] = dc_field(default_factory=dict)   # values allowed to change


MAX_PER_TABLE = 10   # differences listed per table before "... and n more"


def compare(before: dict[str, dict], after: dict[str, dict], expected: Expected | None = None) -> list[str]:
    """Every difference between two snapshots that `expected` does not declare, one message each (empty: same).

    Default rule: every table of `before` is in `after` with the same columns and exactly the same rows (same
    primary keys, every column equal), and no table is added. Declarations that match nothing are reported too,
    so that they do not outlive the migration they describe.
    """
    expected = expected or Expected()
    problems: list[str] = []
    checks: list[tuple[str, Check]] = []

    def declared(kind: str, table: str, name: str | None = None) -> str:
        return f"{kind}[{table!r}]" + (f"[{name!r}]" if name else "")

    for table in sorted(set(expected.renamed_tables) | set(expected.dropped_tables)):
        if table not in before:
            problems.append(f"{table}: declared in RENAMED_TABLES/DROPPED_TABLES but not a table before the migration")
    for old, new in sorted(expected.renamed_tables.items()):
        if old in after:
            problems.append(f"{old}: declared renamed to {new} but still present after the migration")
        if new not in after:
            problems.append(f"{old}: declared renamed to {new} but {new} does not exist after the migration")

    after_names_of_before = {}
    for table in sorted(before):
        if table in expected.dropped_tables:
            if table in after:
                problems.append(f"{table}: declared in DROPPED_TABLES but still present after the migration")
            checks.append((declared("DROPPED_TABLES", table), expected.dropped_tables[table]))
            continue
        target = expected.renamed_tables.get(table, table)
        if target not in after:
            problems.append(f"{table}: table missing after the migration (not declared in RENAMED_TABLES or "
                            f"DROPPED_TABLES); {len(before[table]['rows'])} rows before")
            continue
        after_names_of_before[target] = table
        problems += _compare_table(table, target, before[table], after[target], expected, checks, declared)

    for table in sorted(set(after) - set(after_names_of_before)):
        if table in expected.new_tables:
            if expected.new_tables[table] is not None:
                checks.append((declared("NEW_TABLES", table), expected.new_tables[table]))
        elif table not in expected.renamed_tables.values():
            problems.append(f"{table}: new table after the migration, not declared in NEW_TABLES "
                            f"({len(after[table]['rows'])} rows)")
    for table in sorted(set(expected.new_tables) - (set(after) - set(after_names_of_before))):
        problems.append(f"{table}: declared in NEW_TABLES but " + (
            "it existed before the migration" if table in after_names_of_before else "absent after the migration"))

    for table in sorted(set(expected.new_columns) - set(after)):
        problems.append(f"{table}: declared in NEW_COLUMNS but no such table after the migration")
    for declarations, name in ((expected.dropped_columns, "DROPPED_COLUMNS"),
                               (expected.renamed_columns, "RENAMED_COLUMNS"),
                               (expected.changed_columns, "CHANGED_COLUMNS")):
        for table in sorted(set(declarations) - set(before)):
            problems.append(f"{table}: declared in {name} but no such table before the migration")

    seen = set()
    for label, check in checks:
        if id(check) in seen:   # one function declared for several columns runs once
            continue
        seen.add(id(check))
        try:
            check(Snapshot(before), Snapshot(after))
        except AssertionError as exc:
            message = str(exc) or "assertion failed"
            problems.append(f"check {label} failed: " + message.replace("\n", "\n      "))
    return problems


def _compare_table(table, target, old, new, expected: Expected, checks, declared) -> list[str]:
    problems: list[str] = []
    label = table if table == target else f"{table} (now {target})"
    renamed = expected.renamed_columns.get(table, {})
    dropped = expected.dropped_columns.get(table, {})
    changed = expected.changed_columns.get(table, {})
    added = expected.new_columns.get(target, {})

    old_columns, new_columns = old["columns"], new["columns"]
    for column in sorted(set(renamed) - set(old_columns)):
        problems.append(f"{label}: column {column} declared in RENAMED_COLUMNS but not a column before")
    # Columns compared: before name -> after name.
    pairs, still_present = {}, set()
    for column in old_columns:
        after_name = renamed.get(column, column)
        if column in dropped:
            if after_name in new_columns:
                still_present.add(after_name)
                problems.append(f"{label}: column {column} declared in DROPPED_COLUMNS but still present after")
            checks.append((declared("DROPPED_COLUMNS", table, column), dropped[column]))
        elif after_name not in new_columns:
            problems.append(f"{label}: column {column} dropped by the migration, not declared in DROPPED_COLUMNS")
        else:
            pairs[column] = after_name
    for column in sorted(set(dropped) - set(old_columns)):
        problems.append(f"{label}: column {column} declared in DROPPED_COLUMNS but not a column before")
    for column in sorted(set(changed) - set(pairs)):
        problems.append(f"{label}: column {column} declared in CHANGED_COLUMNS but not kept by the migration")
    for column in new_columns:
        if column in pairs.values() or column in still_present:
            continue
        if column in added:
            if added[column] is not None:
                checks.append((declared("NEW_COLUMNS", target, column), added[column]))
        else:
            problems.append(f"{label}: new column {column} after the migration, not declared in NEW_COLUMNS")
    for column in sorted(set(added) - (set(new_columns) - set(pairs.values()))):
        problems.append(f"{target}: column {column} declared in NEW_COLUMNS but " + (
            "it existed before" if column in pairs.values() else "absent after the migration"))
    for column in changed:
        if column in pairs:
            checks.append((declared("CHANGED_COLUMNS", table, column), changed[column]))

    old_pk, new_pk = old["pk"], new["pk"]
    if pairs.get(old_pk) != new_pk:
        return problems + [f"{label}: primary key {old_pk} became {new_pk}: rows cannot be matched"]
    old_index = {c: i for i, c in enumerate(old_columns)}
    new_index = {c: i for i, c in enumerate(new_columns)}
    old_rows = {row[old_index[old_pk]]: row for row in old["rows"]}
    new_rows = {row[new_index[new_pk]]: row for row in new["rows"]}
    compared = [(c, old_index[c], new_index[a], a) for c, a in pairs.items() if c not in changed]

    rows_problems = []
    for pk in sorted(set(old_rows) - set(new_rows), key=_sort_key):
        rows_problems.append(f"{label} pk={pk!r}: row missing after the migration")
    for pk in sorted(set(new_rows) - set(old_rows), key=_sort_key):
        rows_problems.append(f"{label} pk={pk!r}: row added by the migration")
    for pk in sorted(set(old_rows) & set(new_rows), key=_sort_key):
        a, b = old_rows[pk], new_rows[pk]
        for column, i, j, after_name in compared:
            if a[i] != b[j]:
                where = column if column == after_name else f"{column} (now {after_name})"
                rows_problems.append(f"{label} pk={pk!r} column {where}: before {a[i]!r}, after {b[j]!r}")
    if len(old_rows) != len(new_rows):
        problems.append(f"{label}: {len(old_rows)} rows before, {len(new_rows)} after")
    problems += rows_problems[:MAX_PER_TABLE]
    if len(rows_problems) > MAX_PER_TABLE:
        problems.append(f"{label}: ... and {len(rows_problems) - MAX_PER_TABLE} more row differences")
    return problems


def _sort_key(value):
    return (str(type(value)), value)
