"""Moving the test database between migration states with Django's MigrationExecutor.

`to_state(connection, nodes)` brings the database to the state of `nodes` (the snapshot's recorded leaf nodes, or
today's): by unapplying the migrations that came after when every one of them can be reversed (fast: only the new
migrations are undone, on empty tables), otherwise by dropping every table and applying the migrations from zero up
to `nodes` (a few seconds; a data migration need not be reversible for the test to run).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import SeparateDatabaseAndState

from tests.migrations.snapshot import HarnessError


@dataclass
class Moved:
    how: str            # "none", "reverse", "forward" or "rebuild"
    migrations: int     # migrations applied or unapplied
    seconds: float
    apps: object        # the model registry of the state reached (historical models)


# Apps the snapshot's state had installed and the code no longer has, with where their data went. Their migrations
# are gone from the graph, so their nodes are left out of the state to reach (their tables never hold snapshot rows).
REMOVED_APPS = {
    "authtoken": "rest_framework.authtoken: its plain keys became hashed accounts.ApiToken rows (accounts 0003, "
                 "which drops its table)",
}


def latest_nodes(connection) -> list[tuple[str, str]]:
    return sorted(MigrationExecutor(connection).loader.graph.leaf_nodes())


def targets_for(connection, nodes, graph=None) -> list[tuple[str, str | None]]:
    """Executor targets for the state `nodes`: those nodes, and "none applied" for an app that came later."""
    graph = graph or MigrationExecutor(connection).loader.graph
    nodes = [tuple(n) for n in nodes if n[0] not in REMOVED_APPS]
    unknown = [n for n in nodes if n not in graph.nodes]
    if unknown:
        raise HarnessError(
            f"migrations of the snapshot's state missing from the code: {unknown}. The test can rebuild the "
            "'before' state only from migrations that still exist (never delete or squash a migration the "
            "snapshot was taken at without regenerating the snapshot from that code).")
    known_apps = {app for app, _name in nodes}
    later_apps = sorted({app for app, _name in graph.leaf_nodes()} - known_apps)
    return nodes + [(app, None) for app in later_apps]


def _operations(operations):
    for operation in operations:
        if isinstance(operation, SeparateDatabaseAndState):
            yield from _operations(operation.database_operations)
        else:
            yield operation


def irreversible(plan) -> list[str]:
    """The operations of a backwards plan that cannot be unapplied (RunPython/RunSQL without reverse)."""
    return [f"{migration.app_label}.{migration.name}: {operation.describe()}"
            for migration, backwards in plan if backwards
            for operation in _operations(migration.operations) if not operation.reversible]


def drop_all_tables(connection) -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    with connection.schema_editor() as editor:   # SQLite: foreign keys off while dropping
        for table in tables:
            editor.execute(editor.sql_delete_table % {"table": editor.quote_name(table)})


def to_state(connection, nodes, *, rebuild: bool = False) -> Moved:
    """Bring the database to the state of `nodes`; `rebuild` forces the drop-and-migrate-from-zero way."""
    started = time.monotonic()
    executor = MigrationExecutor(connection)
    targets = targets_for(connection, nodes, executor.loader.graph)
    plan = executor.migration_plan(targets)
    if not rebuild and not (any(backwards for _m, backwards in plan) and irreversible(plan)):
        if plan:
            executor.migrate(targets, plan=plan)
        how = "none" if not plan else ("reverse" if plan[0][1] else "forward")
    else:
        drop_all_tables(connection)
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(targets)
        executor.migrate(targets, plan=plan)
        how = "rebuild"
    executor.loader.build_graph()   # reads the migrations now applied
    left = executor.migration_plan(targets)
    if left:
        raise HarnessError(f"the database did not reach the state: {len(left)} migrations still to go")
    apps = executor.loader.project_state([t for t in targets if t[1] is not None], at_end=True).apps
    if how == "rebuild":
        # As `migrate` does: content types and permissions of the state's models (the tables were dropped).
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias, apps=apps, plan=plan)
    return Moved(how=how, migrations=len(plan), seconds=time.monotonic() - started, apps=apps)


def empty_all_tables(connection) -> None:
    """Delete every row but the migration history (pytest-django's flush knows only today's models' tables; a
    table a migration left behind would make it fail on a foreign key)."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - {"django_migrations"})
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))


def to_latest(connection) -> Moved:
    """Today's state with empty tables, whatever happened before (a failed migration, a half-loaded snapshot):
    migrate forward, and if that fails, rebuild from zero. The test's teardown (flush) then recreates the content
    types and permissions, as after any transactional test."""
    nodes = latest_nodes(connection)
    try:
        moved = to_state(connection, nodes)
    except Exception:
        moved = to_state(connection, nodes, rebuild=True)
    empty_all_tables(connection)
    return moved
