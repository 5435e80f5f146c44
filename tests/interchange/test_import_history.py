"""The import builds each pathway's transition history through the engine, from the PLIE's table: one row by the
import (a system actor, no user) per pathway it creates or moves, naming the route the table walks."""

from parcours.core.workflow import CREATED, IMPORT, IMPORT_ACTOR
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway, PathwayTransition
from parcours.plie.workflow import PATHWAY_WORKFLOW
from tests.interchange.helpers import pathway, person, run, write_set


def _set(directory, *pathways):
    return write_set(directory, participants=[person("P-1"), person("P-2", sex="M")], pathways=list(pathways),
                     steps=[], appointments=[])


def _history(ref):
    p = Pathway.objects.get(external_ref=ref)
    return p, list(p.transitions.all())


def test_each_imported_pathway_gets_the_route_of_the_table(tmp_path, territory):
    directory = _set(tmp_path / "set",
                     pathway("PW-1", "P-1", exit_date="2024-01-31", exit_reason="qualifying_training"),
                     pathway("PW-2", "P-2", decision="refused", entry_date=""),
                     pathway("PW-3", "P-2", decision="", entry_date="", referent="", commission_date="",
                             application_date="2024-03-01"))
    assert run("import", str(directory))[0] == 0
    for ref, state, route in (
        ("PW-1", PathwayStatus.EXITED, ["assign", "complete_assessment", "admit", "sign_contract", "exit"]),
        ("PW-2", PathwayStatus.REFUSED, ["assign", "complete_assessment", "refuse"]),
        ("PW-3", PathwayStatus.SUBMITTED, []),
    ):
        p, (row,) = _history(ref)
        assert p.status == state
        assert (row.transition, row.from_state, row.to_state, row.by, row.system_actor) == (
            IMPORT, CREATED, state, None, IMPORT_ACTOR.name)
        assert row.data == {"route": route}
        assert row.actor == IMPORT_ACTOR
        assert PATHWAY_WORKFLOW.history_problems([row], final=p.status) == []


def test_a_second_import_adds_rows_only_for_what_moved(tmp_path, territory):
    directory = _set(tmp_path / "set", pathway("PW-1", "P-1"), pathway("PW-2", "P-2", decision="", entry_date=""))
    assert run("import", str(directory))[0] == 0
    assert run("import", str(directory))[0] == 0
    assert PathwayTransition.objects.count() == 2  # nothing changed, nothing logged
    _set(directory, pathway("PW-1", "P-1", exit_date="2024-01-31", exit_reason="abandonment"),
         pathway("PW-2", "P-2", decision="", entry_date=""))
    assert run("import", str(directory))[0] == 0
    p, rows = _history("PW-1")
    assert [(r.from_state, r.to_state, r.data) for r in rows] == [
        (CREATED, PathwayStatus.ACTIVE, {"route": ["assign", "complete_assessment", "admit", "sign_contract"]}),
        (PathwayStatus.ACTIVE, PathwayStatus.EXITED, {"route": ["exit"]}),
    ]
    assert PATHWAY_WORKFLOW.history_problems(rows, final=p.status) == []
    assert len(_history("PW-2")[1]) == 1


def test_a_file_that_undoes_an_exit_is_logged_as_a_correction(tmp_path, territory):
    directory = _set(tmp_path / "set", pathway("PW-1", "P-1", exit_date="2024-01-31", exit_reason="abandonment"))
    assert run("import", str(directory))[0] == 0
    _set(directory, pathway("PW-1", "P-1"))
    assert run("import", str(directory))[0] == 0
    p, rows = _history("PW-1")
    assert p.status == PathwayStatus.ACTIVE
    assert (rows[-1].from_state, rows[-1].to_state, rows[-1].data) == (
        PathwayStatus.EXITED, PathwayStatus.ACTIVE, {"correction": True})
    assert PATHWAY_WORKFLOW.history_problems(rows, final=p.status) == []


def test_a_dry_run_logs_nothing(tmp_path, territory):
    from parcours.interchange.importer import dataset_import

    directory = _set(tmp_path / "set", pathway("PW-1", "P-1"))
    dataset_import(directory, territory=territory, dry_run=True)
    assert not PathwayTransition.objects.exists()


def test_history_problems_refuses_an_import_row_a_person_wrote_or_a_route_that_does_not_reach(tmp_path, territory):
    directory = _set(tmp_path / "set", pathway("PW-1", "P-1"))
    assert run("import", str(directory))[0] == 0
    p, (row,) = _history("PW-1")
    row.data = {"route": ["assign", "complete_assessment", "admit"]}
    assert any("the route ends in 'admitted'" in problem
               for problem in PATHWAY_WORKFLOW.history_problems([row], final=p.status))
    row.data, row.system_actor = {"correction": True}, ""
    problems = PATHWAY_WORKFLOW.history_problems([row], final=p.status)
    assert any("system actor" in problem for problem in problems)
    assert any("a correction where the table has a route" in problem for problem in problems)
