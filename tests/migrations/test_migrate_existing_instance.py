"""Migrating an instance filled by the demo keeps every row, history, audit entry and document.

The test database is brought back to the migration state the frozen snapshot was taken at
(data/demo_before_programmes.json.gz, written by make_snapshot.py from the code of that time), the snapshot's rows
are inserted with raw SQL, every table is read ("before"), the database is migrated to today's leaf nodes, every
table is read again ("after"), and the two are compared: same tables, same columns, same rows (by primary key,
every column equal), same counts, except the transformations declared below. The documents' files are put in a
temporary storage before, and must all still be referenced, present and intact after.

A migration that reshapes data declares what it does here; every check receives (before, after), two
tests.migrations.snapshot.Snapshot (`.rows(table)` as dicts, `.by_pk(table)`, `.count(table)`, `.columns(table)`),
and asserts. See docs/testing.md, "Migrating an existing instance".
"""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from tests.migrations import harness
from tests.migrations import snapshot as snap
from tests.migrations.snapshot import Expected

# --- expected transformations -------------------------------------------------------------------------------------
#
# "One house for many programmes" (programmes 0001-0002, pathways 0004-0005, territory 0002): each territory's PLIE
# becomes a programme holding the rules the territory had, every pathway joins its territory's PLIE, the rule
# columns leave the territory. Tables are named as before the migration, except in NEW_TABLES and NEW_COLUMNS.

COMMON_RULES = ["inactivity_alert_days", "caseload_min", "caseload_max"]            # columns of the programme
PLIE_PARAMETERS = ["min_age", "youth_min_age", "youth_max_age", "eligible_situations", "qpv_residence_eligible",
                   "commission_interval_days", "assessment_deadline_days", "followup_months"]   # its parameters


def _plie_of(after) -> dict:
    return {p["territory_id"]: p for p in after.rows("programmes_programme") if p["kind"] == "plie"}


def one_plie_programme_per_territory(before, after):
    territories = before.by_pk("territory_territory")
    programmes = after.rows("programmes_programme")
    assert sorted(p["territory_id"] for p in programmes) == sorted(territories), "one programme per territory"
    plie_organisation = {}
    for organisation in before.rows("organisations_organisation"):   # the first PLIE structure of each territory
        if organisation["kind"] == "plie":
            plie_organisation.setdefault(organisation["territory_id"], organisation)
    for programme in programmes:
        organisation = plie_organisation[programme["territory_id"]]
        assert (programme["kind"], programme["organisation_id"], programme["name"], programme["is_active"]) == (
            "plie", organisation["id"], organisation["name"], True), f"programme {programme['id']}"


def rules_moved_to_the_plie_programme(before, after):
    programme_of = _plie_of(after)
    for pk, territory in before.by_pk("territory_territory").items():
        programme = programme_of[pk]
        for rule in COMMON_RULES:
            assert programme[rule] == territory[rule], f"territory {pk}: {rule}"
        parameters = json.loads(programme["parameters"])
        for rule in PLIE_PARAMETERS:
            value = json.loads(territory[rule]) if rule == "eligible_situations" else territory[rule]
            assert parameters.get(rule) == value, f"territory {pk}: {rule}"


def pathway_in_its_territory_plie(before, after):
    programme_of = _plie_of(after)
    wrong = [p["id"] for p in after.rows("pathways_pathway")
             if (p["programme_id"], p["programme_kind"]) != (programme_of[p["territory_id"]]["id"], "plie")]
    assert not wrong, f"pathways not in their territory's PLIE: {wrong}"


def transitions_keep_their_user(before, after):
    """The workflow engine (pathways 0006): every row of the log was a person's; none becomes a system actor's."""
    rows = after.rows("pathways_pathwaytransition")
    assert rows and all(row["system_actor"] == "" and row["by_id"] is not None for row in rows)


# "Situations as data" (participants 0003-0005): the person's seven situation columns become rows, one per column
# that held a value (yes or no), none for an empty (unknown) one; the columns leave the person's table.
SITUATION_COLUMNS = ["rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"]


def situation_columns_became_rows(before, after):
    expected = sorted((p["id"], code, p[code]) for p in before.rows("participants_participant")
                      for code in SITUATION_COLUMNS if p[code] is not None)
    # The demo answers every column: unknown (no row) is tested on its own, test_situations_migration.py.
    assert {value for _, _, value in expected} == {True, False}, "the snapshot holds yes and no"
    rows = after.rows("participants_participantsituation")
    assert sorted((r["participant_id"], r["code"], r["value"]) for r in rows) == expected, \
        "one row per known situation column, with its value"
    assert all(r["recorded_on"] is None and r["recorded_by_id"] is None for r in rows), \
        "carried-over rows have no date or author (unknown)"
    assert len({r["id"] for r in rows}) == len(rows)


# "Phones in E.164" (participants 0006, organisations 0004, territory 0003): a number that parses is rewritten in
# E.164, one that does not is kept as typed; nothing else of the row changes.
def phones_in_e164(table):
    def check(before, after):
        from parcours.core.plausibility import phone_e164_or_none

        rows = after.by_pk(table)
        for pk, row in before.by_pk(table).items():
            expected = (phone_e164_or_none(row["phone"]) or row["phone"]) if row["phone"] else ""
            assert rows[pk]["phone"] == expected, f"{table} {pk}: {row['phone']!r} became {rows[pk]['phone']!r}"
    return check


# "API tokens that do not outlive their reason" (accounts 0002-0003): DRF's token app is removed
# (harness.REMOVED_APPS); its plain keys become hashed API tokens. The snapshot holds none (its state had the app, no
# key), so no token appears; test_api_token_migration.py moves a key.
def no_token_without_a_key(before, after):
    assert after.count("accounts_apitoken") == 0, "an API token appeared that no former key explains"


RENAMED_TABLES: dict[str, str] = {}                  # before name -> after name (rows compared as usual)
DROPPED_TABLES: dict[str, snap.Check] = {}           # table -> check of where its rows went
NEW_TABLES: dict[str, snap.Check | None] = {         # table -> check of its rows (None: no check)
    "programmes_programme": one_plie_programme_per_territory,
    "participants_participantsituation": situation_columns_became_rows,
    "accounts_apitoken": no_token_without_a_key,
    "organisations_membershipgrantrequest": None,     # requests for roles opening personal data: none before
    "accounts_formsubmission": None,      # the one-time tokens of forms sent (empty at first)
    "accounts_heldupload": None,          # files kept while a refused form is corrected (empty at first)
    "employers_employer": None,           # the employers' portfolio, tables of its own (empty at first)
    "employers_employercontact": None,
    "employers_employerexchange": None,
    "employers_joboffer": None,
    "employers_candidacy": None,
    "employers_candidacytransition": None,
    "employers_recruitmentevent": None,   # recruitment events and sponsorship (empty at first)
    "employers_recruitmentevent_employers": None,
    "employers_eventinvitation": None,
    "employers_sponsorship": None,
    "employers_sponsorshipmeeting": None,
    "esf_operation": None,                # ESF+ operations, files of their own (empty at first)
    "esf_cofinancing": None,
    "esf_referentcost": None,
    "esf_participation": None,
    "youth_site": None,                   # the Mission Locale's sites and records, tables of their own (empty at
    "youth_youthfile": None,              # first: the sites come with the next load-territory)
    "youth_youthevent": None,
    "youth_schemeenrolment": None,
    "youth_youthsituation": None,
    "youth_aid": None,
    "youth_workshopsession": None,
    "youth_workshopregistration": None,
    "youth_youthsupport": None,           # the support themes of a file (empty at first)
    "youth_youthdiagnostic": None,        # PACEA and CEJ on pages: diagnostics, phases, the workflow's log
    "youth_schemephase": None,
    "youth_schemeenrolmenttransition": None,
    "youth_workshop": None,               # the workshops' catalogue (empty at first)
    "youth_immersionagreement": None,      # immersions (PMSMP): agreements, their log, evaluation, follow-ups
    "youth_immersionagreementtransition": None,
    "youth_immersionevaluation": None,
    "youth_immersionfollowup": None,
    "esf_operationamendment": None,       # amendments of the operations (empty at first)
    "clauses_buyer": None,                # social clauses, files of their own (empty at first)
    "clauses_clausecontract": None,
    "clauses_beneficiary": None,
    "clauses_hoursstatement": None,
    "agenda_meeting": None,               # appointments planned ahead and their people, tables of their own
    "agenda_attendance": None,
    "agenda_attendancetransition": None,
    "agenda_meetingchange": None,
    "actions_action": None,               # operators' actions and positionings, tables of their own (empty at first)
    "actions_actionsession": None,
    "actions_positioning": None,
    "actions_positioningtransition": None,
    "actions_sessionattendance": None,
    "esf_claim": None,                    # saved payment claims, their control log and sample (empty at first)
    "esf_claimtransition": None,
    "esf_claimsampleitem": None,
}
RENAMED_COLUMNS: dict[str, dict[str, str]] = {}      # table -> {before column: after column}
DROPPED_COLUMNS: dict[str, dict[str, snap.Check]] = {         # table -> {column: check of where the values went}
    "territory_territory": {rule: rules_moved_to_the_plie_programme for rule in COMMON_RULES + PLIE_PARAMETERS},
    "participants_participant": {code: situation_columns_became_rows for code in SITUATION_COLUMNS},
}
def helpdesk_kind_from_structure(before, after):
    kinds = {o["id"]: o["kind"] for o in after.rows("organisations_organisation")}
    for place in after.rows("territory_helpdesk"):
        expected = "agency" if kinds.get(place["organisation_id"]) == "plie" else "operator"
        assert place["kind"] == expected, f"helpdesk {place['id']}"
        assert (place["email"], place["opening_hours"], place["offer"]) == ("", "", ""), f"helpdesk {place['id']}"


NEW_COLUMNS: dict[str, dict[str, snap.Check | None]] = {      # table -> {column: check of its values, or None}
    "pathways_pathway": {"programme_id": pathway_in_its_territory_plie, "programme_kind": pathway_in_its_territory_plie},
    "pathways_pathwaytransition": {"system_actor": transitions_keep_their_user},
    "interchange_importrun": {"heartbeat_at": None},    # empty until a task stamps it
    "intake_application": {"decision_read_at": None},   # empty until a prescriber opens the decision
    # territory 0004: a place's kind follows its structure (the PLIE's agency), hours, offer and e-mail empty
    "territory_helpdesk": {"kind": helpdesk_kind_from_structure, "email": None, "opening_hours": None,
                           "offer": None},
}
CHANGED_COLUMNS: dict[str, dict[str, snap.Check]] = {        # table -> {column: check of the new values}
    table: {"phone": phones_in_e164(table)}
    for table in ("participants_participant", "organisations_organisation", "territory_helpdesk")
}

EXPECTED = Expected(renamed_tables=RENAMED_TABLES, dropped_tables=DROPPED_TABLES, new_tables=NEW_TABLES,
                    renamed_columns=RENAMED_COLUMNS, dropped_columns=DROPPED_COLUMNS, new_columns=NEW_COLUMNS,
                    changed_columns=CHANGED_COLUMNS)


# --- the test ------------------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rebuild", [False, True], ids=["reversed", "built-forward"])
def test_migrating_the_demo_instance_keeps_every_row_and_document(settings, tmp_path, rebuild):
    """reversed: the migrations since the snapshot are unapplied (on empty tables) when they all can be, the quick
    way; built-forward: every table is dropped and the migrations applied from zero up to the snapshot's state, as
    a production database was built (and the way taken when a migration cannot be reversed)."""
    data = snap.file_read()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None}}}

    timings = {}
    started = time.monotonic()
    try:
        moved = harness.to_state(connection, data["migrations"], rebuild=rebuild)
        timings[f"to before ({moved.how}, {moved.migrations} migrations)"] = moved.seconds
        mark = time.monotonic()
        counts = snap.load_rows(connection, moved.apps, data["tables"])
        snap.files_put(default_storage, data["files"])
        before = snap.read_database(connection, moved.apps)
        timings[f"load {sum(counts.values())} rows + read"] = time.monotonic() - mark
        # The load is faithful on this backend: the tables read back are the file's, value for value.
        reloaded = {table: before[table] for table in data["tables"]}
        assert snap.compare(data["tables"], reloaded) == [], "the snapshot did not load back identically"
        assert snap.sequences_behind(connection, moved.apps, data["tables"]) == []

        moved = harness.to_state(connection, harness.latest_nodes(connection))
        timings[f"to latest ({moved.how}, {moved.migrations} migrations)"] = moved.seconds
        mark = time.monotonic()
        after = snap.read_database(connection, moved.apps)
        problems = snap.compare(before, after, EXPECTED) + snap.files_problems(default_storage, data["files"], after)
        timings["read + compare"] = time.monotonic() - mark
        assert not problems, ("migrating the demo instance changed data in undeclared ways (declare expected "
                              "transformations in tests/migrations/test_migrate_existing_instance.py):\n  "
                              + "\n  ".join(problems))
    finally:
        restored = harness.to_latest(connection)
        timings[f"restore ({restored.how})"] = restored.seconds
        timings["total"] = time.monotonic() - started
        print("\n" + connection.vendor + ": " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
