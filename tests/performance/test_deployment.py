"""The large-deployment story of docs/deployment.md holds.

- With PARCOURS_REPLICA_DATABASE_URL the production settings define a `replica` database and reports read from it
  (`core.db.reporting_alias()`); the indicators' queries really go to that connection, none to the primary.
- Production settings queue background tasks in the database (django-tasks' DB backend), run by `parcours
  db_worker` in its own process; the interface's imports are such tasks.
- No request state lives in a process: sessions and messages in the database, documents in the data folder, no
  use of Django's per-process cache; so any app process may answer any request.
"""

from __future__ import annotations

import ast
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

import parcours
from parcours.core.db import reporting_alias
from parcours.reporting.indicators import indicators_compute

from tests import factories
from tests.conftest import VerifiedClient

SRC = Path(parcours.__file__).resolve().parent


def production_settings(**env: str) -> dict:
    """What `parcours.settings` (the production settings) decide for this environment, read in a fresh process."""
    code = (
        "import json, django\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from parcours.core.db import reporting_alias\n"
        "print(json.dumps({'databases': {k: v['NAME'] for k, v in settings.DATABASES.items()},"
        " 'connections': {k: [v['CONN_MAX_AGE'], v.get('CONN_HEALTH_CHECKS', False)]"
        " for k, v in settings.DATABASES.items()},"
        " 'replica_test': settings.DATABASES.get('replica', {}).get('TEST', {}),"
        " 'reporting_alias': reporting_alias(), 'tasks': settings.TASKS['default']['BACKEND'],"
        " 'session_engine': settings.SESSION_ENGINE, 'messages': settings.MESSAGE_STORAGE,"
        " 'documents': settings.STORAGES['default']['OPTIONS']['location'], 'data_dir': str(settings.DATA_DIR)}))\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PARCOURS_", "DATABASE_URL"))}
    environment.update(DJANGO_SETTINGS_MODULE="parcours.settings", PARCOURS_DEBUG="0",
                       PARCOURS_SECRET_KEY="deployment-test-key", **env)
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_replica_url_adds_the_reporting_database(tmp_path):
    primary = "postgres://parcours@db-primary:5432/parcours"
    replica = "postgres://parcours_ro@db-replica:5432/parcours"
    with_replica = production_settings(DATABASE_URL=primary, PARCOURS_REPLICA_DATABASE_URL=replica,
                                       PARCOURS_DATA_DIR=str(tmp_path))
    assert with_replica["databases"] == {"default": "parcours", "replica": "parcours"}
    assert with_replica["reporting_alias"] == "replica"
    assert with_replica["replica_test"]["MIRROR"] == "default"   # the test suite reads the primary
    without = production_settings(DATABASE_URL=primary, PARCOURS_DATA_DIR=str(tmp_path))
    assert without["databases"] == {"default": "parcours"}
    assert without["reporting_alias"] == "default"


def test_kept_postgresql_connections_are_tested_before_use(tmp_path):
    """docs/deployment.md: a connection kept 60 s that the server dropped is replaced, not handed to a request."""
    decided = production_settings(DATABASE_URL="postgres://parcours@db-primary:5432/parcours",
                                  PARCOURS_REPLICA_DATABASE_URL="postgres://parcours_ro@db-replica:5432/parcours",
                                  PARCOURS_DATA_DIR=str(tmp_path))
    assert decided["connections"] == {"default": [60, True], "replica": [60, True]}
    # SQLite opens its file anew for each request: nothing is kept, nothing to test.
    assert production_settings(PARCOURS_DATA_DIR=str(tmp_path))["connections"] == {"default": [0, False]}


def test_production_queues_background_tasks_in_the_database(tmp_path):
    decided = production_settings(PARCOURS_DATA_DIR=str(tmp_path))
    assert decided["tasks"] == "django_tasks_db.DatabaseBackend"
    assert "db_worker" in get_commands()   # the worker process of docs/deployment.md
    tasks = (SRC / "interchange" / "tasks.py").read_text()
    assert "def import_check_task" in tasks and "def import_run_task" in tasks


def test_request_state_is_shared_by_every_process(tmp_path):
    decided = production_settings(PARCOURS_DATA_DIR=str(tmp_path))
    assert decided["session_engine"] == "django.contrib.sessions.backends.db"
    assert decided["messages"] == "django.contrib.messages.storage.session.SessionStorage"
    assert decided["documents"] == str(tmp_path.resolve() / "documents")


def test_no_module_keeps_request_state_in_the_process_cache():
    """Django's default cache is per process (LocMemCache): nothing may rely on it, else a second worker
    would not see what the first stored (sign-in locks, OTP throttling and sessions are database rows)."""
    users = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.cache"):
                users.append(str(path.relative_to(SRC)))
            elif isinstance(node, ast.ImportFrom) and node.module == "django.core" and any(
                    alias.name == "cache" for alias in node.names):
                users.append(str(path.relative_to(SRC)))
    assert users == []


def test_a_session_opened_by_one_process_is_honoured_by_another(client, referent):
    """Two clients stand for two app processes: the second one only has the cookie, the session is in the DB."""
    client.force_login(referent)
    other = VerifiedClient()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert other.get("/parcours/").status_code == 200


class SharedConnectionReplica:
    """A `replica` connection of its own (own query log) on the primary's database session, so that it sees the
    test's rolled-back rows: stands for a streaming replica."""

    def __enter__(self):
        primary = connections["default"]
        primary.ensure_connection()
        replica = connections.create_connection("default")
        replica.alias = "replica"
        replica.connection = primary.connection
        replica.autocommit = primary.autocommit
        self.replica = replica
        connections["replica"] = replica
        return replica

    def __exit__(self, *exc):
        self.replica.connection = None   # never close the primary's session
        del connections["replica"]


# reporting_alias() reads settings.DATABASES; the connection itself is installed by SharedConnectionReplica.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_indicators_read_the_replica_and_nothing_from_the_primary(territory, operator):
    participant = factories.ParticipantFactory(territory=territory)
    factories.StepFactory(pathway=factories.PathwayFactory(participant=participant, operator=operator, active=True))
    today = datetime.date.today()
    databases = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    with override_settings(DATABASES=databases), SharedConnectionReplica() as replica:
        assert reporting_alias() == "replica"
        with CaptureQueriesContext(connections["default"]) as on_primary, \
                CaptureQueriesContext(replica) as on_replica:
            figures = indicators_compute(territory_ids=[territory.pk], date_from=today - datetime.timedelta(days=365),
                                         date_to=today)
    assert figures["participants_in_pathway"] == 1
    assert len(on_replica) >= 1
    assert len(on_primary) == 0


def test_the_benchmark_runs_postgresql_with_the_settings_the_deployment_asks_for():
    """docs/deployment.md, "PostgreSQL settings": the bench measures the server as deployed."""
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    tree = ast.parse((root / "bench" / "run.py").read_text(encoding="utf-8"))
    (settings,) = [ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                   and any(getattr(t, "id", "") == "PG_SETTINGS" for t in node.targets)]
    documented = dict(re.findall(r"ALTER DATABASE parcours SET (\w+) = ([\w.]+);",
                                 (root / "docs" / "deployment.md").read_text(encoding="utf-8")))
    assert settings == documented == {"random_page_cost": "1.1"}
