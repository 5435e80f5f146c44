"""`parcours import DIR`: check a whole data set, then create or update by refs in one transaction.

Cost: a fixed number of queries whatever the size of the set. The territory's existing records
are read once each (values lists), rows are matched in memory, and writes go through
bulk_create / bulk_update in batches. Nothing is written unless every check passes.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from parcours.organisations.enums import OrganisationKind
from parcours.organisations.models import Organisation, User
from parcours.participants.models import Participant, ParticipantSituation
from parcours.participants.selectors import situation_subquery
from parcours.pathways.enums import Decision, EntryRoute
from parcours.plie.enums import PathwayStatus
from parcours.core.workflow import CREATED, IMPORT_ACTOR, transition_import
from parcours.pathways.models import Appointment, Pathway, PathwayTransition, Step
from parcours.programmes.registry import programme_definition
from parcours.plie.definition import PLIE, plie_programme_of
from parcours.territory.models import Territory

from parcours.esf.enums import SENSITIVE_FIELDS
from parcours.esf.models import Cofinancing, Operation, Participation, ReferentCost

from .clauses import clauses_check, clauses_existing, clauses_write
from .reader import (
    APPOINTMENTS, BOOLEAN_SITUATIONS, COFINANCING, FILES, OPERATIONS, PARTICIPANTS, PARTICIPATIONS, PATHWAYS,
    REF_COLUMN, REFERENT_COSTS, STEPS, ChildState, CofinancingState, DataSet, Existing, ImportError_, OperationState,
    ParseContext, ParticipationState, PathwayState, dataset_check, dataset_read, errors_sorted,
)
from .youth import youth_check, youth_records, youth_write

BATCH = 2000
IN_CHUNK = 900  # refs per IN (...) query: well under SQLite's parameter limit

PARTICIPANT_FIELDS = ["last_name", "first_name", "sex", "birth_date", "commune_id", "qpv_id", "education_level"]
# The criteria are the person's rows (participants.ParticipantSituation), compared with the file as fields are.
SITUATION_CODES = list(BOOLEAN_SITUATIONS)
PATHWAY_FIELDS = ["participant_id", "operator_id", "referent_id", "referent_ref", "prescriber_type",
                  "application_date", "commission_date", "decision", "entry_date", "exit_date", "exit_reason",
                  "status", "last_contact_date"]
STEP_FIELDS = ["pathway_id", "step_type", "start_date", "end_date", "operator_name", "employer_siret",
               "contract_type", "social_clause", "hours"]
APPOINTMENT_FIELDS = ["pathway_id", "date", "kind", "mode", "duration_minutes", "place"]
# Contact columns of participants.csv that Parcours also fills: written only when the header names them.
CONTACT_FIELDS = ["phone", "email"]
OPERATION_FIELDS = ["title", "beneficiary_id", "start_date", "end_date", "total_eligible_cost", "esf_amount"]
PARTICIPATION_FIELDS = ["participant_id", "operation_id", "entry_date", "exit_date", "labour_status",
                        "unemployment_months", "in_education_or_training", "isced", *SENSITIVE_FIELDS,
                        "exit_situation", "qualification_gained", "situation_6_months", "improved_situation_6_months"]
COFINANCING_FIELDS = ["funder_kind", "funder", "year", "planned", "actual"]

# Refs that `parcours export` generates for records created in Parcours (no external_ref).
GENERATED = {PARTICIPANTS: re.compile(r"^P(\d+)$"), PATHWAYS: re.compile(r"^PW(\d+)$"),
             STEPS: re.compile(r"^S(\d+)$"), APPOINTMENTS: re.compile(r"^A(\d+)$")}
GENERATED_PREFIX = {PARTICIPANTS: "P", PATHWAYS: "PW", STEPS: "S", APPOINTMENTS: "A"}


# progress(step, rows done, rows total), step being one of these; called from the importer's own thread.
READING, CHECKING, WRITING = "reading", "checking", "writing"
Progress = Callable[[str, int, int], None]


class ImportRefused(Exception):
    def __init__(self, errors: list[ImportError_]):
        super().__init__(f"{len(errors)} erreur(s)")
        self.errors = errors_sorted(errors)


@dataclass
class FileReport:
    present: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    territory: str
    files: dict[str, FileReport] = field(default_factory=lambda: {f: FileReport() for f in FILES})
    organisations_created: int = 0

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.files.values())

    @property
    def changed(self) -> bool:
        return self.organisations_created > 0 or any(r.created or r.updated for r in self.files.values())

    def lines(self) -> list[str]:
        lines = []
        for file, r in self.files.items():
            if not r.present:
                lines.append(f"{file} : absent")
            else:
                lines.append(f"{file} : {r.created} créé(s), {r.updated} modifié(s), {r.unchanged} inchangé(s)")
        lines.append(f"structures référentes créées : {self.organisations_created}")
        return lines


def derive_status(decision: str, entry: date | None, exit_: date | None, has_referent: bool) -> str:
    """The pathway's state from the format's columns (spec: interchange.md)."""
    if decision == Decision.REFUSED:
        return PathwayStatus.REFUSED
    if decision == Decision.REORIENTED:
        return PathwayStatus.REORIENTED
    if decision == Decision.ADMITTED:
        if exit_ is not None:
            return PathwayStatus.EXITED
        return PathwayStatus.ACTIVE if entry is not None else PathwayStatus.ADMITTED
    return PathwayStatus.ASSIGNED if has_referent else PathwayStatus.SUBMITTED


def _keep_status(current: str, derived: str, db_decision: str) -> bool:
    """Keep a finer state the format cannot express when it agrees with the file."""
    if derived == PathwayStatus.ACTIVE:
        return current == PathwayStatus.FOLLOWUP  # in employment follow-up: still in pathway
    if derived in (PathwayStatus.SUBMITTED, PathwayStatus.ASSIGNED):
        # An application closed before the commission has no decision either: the format cannot say it.
        return current in (PathwayStatus.ASSESSED, PathwayStatus.CLOSED_BEFORE_COMMISSION) or (
            current == PathwayStatus.ADMITTED and db_decision == Decision.ADMITTED)
    return False


def _chunks(values: list, size: int = IN_CHUNK):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _foreign(model, refs: list[str], territory: Territory, path: str) -> set[str]:
    """Refs among `refs` already borne by a record of another territory."""
    found: set[str] = set()
    for chunk in _chunks(refs):
        # The unique index on external_ref is partial (non-empty refs): the query repeats its condition so that the
        # planner uses it (PostgreSQL cannot infer it from an IN list of more than 100 values) instead of reading
        # every row of the instance for each chunk.
        found.update(model.objects.filter(external_ref__in=chunk).exclude(external_ref="")
                     .exclude(**{path: territory}).values_list("external_ref", flat=True))
    return found


def _values(qs, fields: list[str]) -> dict[int, dict]:
    return {row["id"]: row for row in qs.values("id", "external_ref", *fields).iterator(chunk_size=5000)}


class _Matcher:
    """Existing records of one kind, found by ref, or by the ref `export` generates from their id."""

    def __init__(self, file: str, records: dict[int, dict]):
        self.file = file
        self.records = records
        self.by_ref = {r["external_ref"]: pk for pk, r in records.items() if r["external_ref"]}

    def match(self, ref: str, accept) -> int | None:
        pk = self.by_ref.get(ref)
        if pk is not None:
            return pk
        generated = GENERATED[self.file].match(ref)
        if generated:
            pk = int(generated.group(1))
            record = self.records.get(pk)
            # Only a record without a ref of its own, and that fits the row (see docs/interchange.md).
            if record is not None and not record["external_ref"] and accept(record):
                return pk
        return None

    def file_ref(self, pk: int) -> str:
        return self.records[pk]["external_ref"] or f"{GENERATED_PREFIX[self.file]}{pk}"


class _Tracker:
    """Counts the rows written and reports them to `progress` once per batch (and at the end)."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done, self.reported = progress, total, 0, 0

    def advance(self, rows: int) -> None:
        if not rows:
            return  # nothing new to tell (an absent file)
        self.done += rows
        if self.progress and (self.done - self.reported >= BATCH or self.done == self.total):
            self.reported = self.done
            self.progress(WRITING, self.done, self.total)


def dataset_import(directory: Path, *, territory: Territory, today: date | None = None, dry_run: bool = False,
                   progress: Progress | None = None,
                   before_commit: Callable[[ImportReport], None] | None = None) -> ImportReport:
    """Check the data set in `directory`, then import it; raises ImportRefused with every error.

    `dry_run`: every check, and the report of what would be created, updated or left unchanged, computed by the
    same code as a real import, but nothing is written (and no write lock is taken). `progress` is told each
    step. `before_commit(report)` runs inside the import's transaction, after the writes: what it writes commits
    or rolls back with the data (the interface marks its run done there).
    """
    today = today or timezone.localdate()
    if progress:
        progress(READING, 0, 0)
    communes = dict(territory.communes.values_list("insee", "pk"))
    qpvs = dict(territory.qpvs.values_list("code", "pk"))
    ctx = ParseContext(today=today, commune_codes=frozenset(communes), qpv_codes=frozenset(qpvs),
                       territory_name=territory.name)
    dataset, errors = dataset_read(directory, ctx)
    if dataset.unreadable:
        raise ImportRefused(errors)
    total = sum(len(rows) for rows in dataset.rows.values())
    if progress:
        progress(CHECKING, 0, total)

    # A young person of the Mission Locale with no PLIE pathway is not the PLIE's: the PLIE's files never name them
    # (the export leaves them out), so a generated ref "P<id>" cannot reach them either (docs/youth.md).
    participants = _Matcher(PARTICIPANTS, _values(
        Participant.objects.filter(territory=territory)
        .exclude(pk__in=Participant.objects.filter(territory=territory, youth_file__isnull=False)
                 .exclude(pathways__programme_kind=PLIE).values("pk")).annotate(
            **{code: situation_subquery(code) for code in SITUATION_CODES}),
        PARTICIPANT_FIELDS + CONTACT_FIELDS + SITUATION_CODES))
    # The interchange format is the PLIE's: its pathways are those of the territory's PLIE programme.
    pathways = _Matcher(PATHWAYS, _values(Pathway.objects.filter(territory=territory, programme_kind=PLIE),
                                          PATHWAY_FIELDS))
    steps = _Matcher(STEPS, _values(Step.objects.filter(pathway__territory=territory, pathway__programme_kind=PLIE),
                                    STEP_FIELDS))
    appointments = _Matcher(APPOINTMENTS, _values(
        Appointment.objects.filter(pathway__territory=territory, pathway__programme_kind=PLIE), APPOINTMENT_FIELDS))

    existing = Existing()
    for row in dataset.rows[PARTICIPANTS]:
        if row["participant_ref"]:
            pk = participants.match(row["participant_ref"], lambda r, row=row: r["birth_date"] == row["birth_date"])
            if pk is not None:
                existing.participant_pks[row["participant_ref"]] = pk
    pathway_pks: dict[str, int] = {}
    for row in dataset.rows[PATHWAYS]:
        if row["pathway_ref"]:
            person = existing.participant_pks.get(row["participant_ref"])
            pk = pathways.match(row["pathway_ref"], lambda r, person=person: r["participant_id"] == person)
            if pk is not None:
                pathway_pks[row["pathway_ref"]] = pk
    in_file = set(pathway_pks.values())
    # Pathways the file leaves out: they still count for the rules (one open pathway, steps' dates).
    ref_to_pathway = {}
    for pk, r in pathways.records.items():
        if pk not in in_file:
            ref = pathways.file_ref(pk)
            ref_to_pathway[ref] = pk
            existing.other_pathways[ref] = PathwayState(
                ref=ref, participant_key=("pk", r["participant_id"]), decision=r["decision"],
                entry_date=r["entry_date"], exit_date=r["exit_date"])
    ref_to_pathway.update(pathway_pks)
    pathway_file_ref = {pk: ref for ref, pk in pathway_pks.items()}

    child_pks: dict[str, dict[str, int]] = {STEPS: {}, APPOINTMENTS: {}}
    for file, matcher in ((STEPS, steps), (APPOINTMENTS, appointments)):
        for row in dataset.rows[file]:
            ref = row[REF_COLUMN[file]]
            if ref:
                parent = ref_to_pathway.get(row["pathway_ref"])
                pk = matcher.match(ref, lambda r, parent=parent: r["pathway_id"] == parent)
                if pk is not None:
                    child_pks[file][ref] = pk
        matched = set(child_pks[file].values())
        kept = existing.steps_kept if file == STEPS else existing.appointments_kept
        start_field = "start_date" if file == STEPS else "date"
        for pk, r in matcher.records.items():
            if pk not in matched and r["pathway_id"] in pathway_file_ref:
                kept.setdefault(pathway_file_ref[r["pathway_id"]], []).append(
                    ChildState(ref=matcher.file_ref(pk), pathway_ref=pathway_file_ref[r["pathway_id"]],
                               start=r[start_field]))

    for file, model, path, matched in ((PATHWAYS, Pathway, "territory", pathway_pks),
                                       (STEPS, Step, "pathway__territory", child_pks[STEPS]),
                                       (APPOINTMENTS, Appointment, "pathway__territory",
                                        child_pks[APPOINTMENTS])):
        unmatched = [row[REF_COLUMN[file]] for row in dataset.rows[file]
                     if row[REF_COLUMN[file]] and row[REF_COLUMN[file]] not in matched]
        existing.foreign_refs[file] = _foreign(model, unmatched, territory, path)

    esf = _esf_existing(dataset, territory, existing)
    clauses = clauses_existing(dataset, territory, existing, participants)

    youth = youth_records(territory)

    errors += dataset_check(dataset, existing)
    errors += youth_check(dataset, youth)
    errors += clauses_check(dataset, existing, clauses)
    if errors:
        raise ImportRefused(errors)

    report = ImportReport(territory=territory.name)
    for file in dataset.present:
        report.files[file].present = True
    if progress:
        progress(WRITING, 0, total)  # before the transaction: the last progress others can read on SQLite
    # A dry run writes nothing: no transaction, so no write lock either (SQLite takes it at BEGIN IMMEDIATE).
    writer = _Writer(dry_run=dry_run, tracker=_Tracker(progress, total))
    with contextlib.nullcontext() if dry_run else transaction.atomic():
        _write(dataset, territory=territory, report=report, communes=communes, qpvs=qpvs,
               participants=participants, pathways=pathways, steps=steps, appointments=appointments,
               participant_pks=existing.participant_pks, pathway_pks=pathway_pks, ref_to_pathway=ref_to_pathway,
               child_pks=child_pks, esf=esf, clauses=clauses, writer=writer)
        youth_write(dataset, territory=territory, report=report, records=youth, communes=communes, qpvs=qpvs,
                    apply=_apply, writer=writer)
        if before_commit:
            before_commit(report)
    return report


def _changed(existing: dict, values: dict) -> bool:
    return any(existing[k] != v for k, v in values.items())


@dataclass
class _Writer:
    """Where `_write` sends its rows: the database, or (dry run) nowhere, new rows getting stand-in keys."""

    dry_run: bool
    tracker: _Tracker
    stand_in: itertools.count = field(default_factory=lambda: itertools.count(-1, -1))


def _apply(model, rows: list[tuple[dict, int | None, str]], records: dict[int, dict], fields: list[str],
           file_report: FileReport, *, extra_create: dict, versioned: bool, writer: _Writer,
           update_order=None, compared_only: tuple[str, ...] = ()) -> dict[str, int]:
    """Create or update rows given as (values, existing pk or None, ref); returns ref -> pk.

    Values named in `compared_only` (the person's criteria, rows of their own) are compared, not set."""
    now = timezone.now()
    creates, updates, pks, unchanged = [], [], {}, 0
    for values, pk, ref in rows:
        own = {name: value for name, value in values.items() if name not in compared_only}
        if pk is None:
            creates.append((ref, model(**extra_create(ref), **own)))
        elif _changed(records[pk], values):
            obj = model(pk=pk, updated_at=now, **own)
            if versioned:
                obj.version = F("version") + 1
            updates.append(obj)
            pks[ref] = pk
        else:
            unchanged += 1
            pks[ref] = pk
    file_report.created += len(creates)
    file_report.updated += len(updates)
    file_report.unchanged += unchanged
    writer.tracker.advance(unchanged)
    if writer.dry_run:
        # Stand-in keys (negative, never a real row's) so that rows pointing at new ones compare as changed.
        pks.update((ref, next(writer.stand_in)) for ref, _ in creates)
        writer.tracker.advance(len(creates) + len(updates))
        return pks
    if updates:
        update_fields = fields + ["updated_at"] + (["version"] if versioned else [])
        for group in (update_order(updates) if update_order else [updates]):
            for batch in _chunks(group, BATCH):
                model.objects.bulk_update(batch, update_fields)
                writer.tracker.advance(len(batch))
    for batch in _chunks(creates, BATCH):
        model.objects.bulk_create([obj for _, obj in batch])
        pks.update((ref, obj.pk) for ref, obj in batch)
        writer.tracker.advance(len(batch))
    return pks


def _history_write(programme, rows: list[tuple[dict, int | None, str]], records: dict[int, dict],
                   pks: dict[str, int]) -> None:
    """The transition log of every pathway the file created or moved, through the engine: one row by the import
    (a system actor) naming the route the programme's table walks from the old state to the new one."""
    workflow = programme_definition(programme.kind).workflow
    history = []
    for values, pk, ref in rows:
        source = records[pk]["status"] if pk else CREATED
        if source != values["status"]:
            history.append(transition_import(workflow, Pathway(pk=pks[ref], status=values["status"]), source=source,
                                             by=IMPORT_ACTOR))
    for batch in _chunks(history, BATCH):
        PathwayTransition.objects.bulk_create(batch)


def _situations_write(rows: list[tuple[dict, int | None, str]], records: dict[int, dict],
                      person_pks: dict[str, int]) -> None:
    """The criteria of the file's people as rows, for the cells that changed (a criterion left as it was keeps its
    row, date and author): an empty cell is unknown, no row. At most one delete per criterion and one insert per
    batch of people."""
    changed: dict[str, list[tuple[int, bool | None]]] = {code: [] for code in SITUATION_CODES}
    for values, pk, ref in rows:
        for code in SITUATION_CODES:
            if (None if pk is None else records[pk][code]) != values[code]:
                changed[code].append((person_pks[ref], values[code]))
    today = timezone.localdate()
    for code, people in changed.items():
        for batch in _chunks(people, IN_CHUNK):
            known = [pk for pk, _ in batch if pk in records]
            if known:
                ParticipantSituation.objects.filter(code=code, participant_id__in=known).delete()
            ParticipantSituation.objects.bulk_create(
                [ParticipantSituation(participant_id=pk, code=code, value=value, recorded_on=today)
                 for pk, value in batch if value is not None], batch_size=BATCH)


@dataclass
class _EsfRecords:
    """The territory's ESF+ records as the import matches them (by operation_ref, participation_ref)."""

    operations: dict[int, dict]
    operation_pks: dict[str, int]
    cofinancing: dict[int, list[dict]]      # operation pk -> its lines
    participations: dict[int, dict]
    participation_pks: dict[str, int]


def _foreign_by(model, column: str, refs: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(refs):
        found.update(model.objects.filter(**{f"{column}__in": chunk}).values_list(column, flat=True))
    return found


def _esf_existing(dataset: DataSet, territory: Territory, existing: Existing) -> _EsfRecords:
    """Read the territory's ESF+ records once each, and give the checks their state (docs/spec/esf.md)."""
    operations = {r["id"]: r for r in Operation.objects.filter(beneficiary__territory=territory).values(
        "id", "operation_ref", "beneficiary__name", *OPERATION_FIELDS)}
    operation_pks = {r["operation_ref"]: pk for pk, r in operations.items()}
    op_ref = {pk: r["operation_ref"] for pk, r in operations.items()}
    for ref, pk in operation_pks.items():
        r = operations[pk]
        existing.operations[ref] = OperationState(
            ref=ref, beneficiary=r["beneficiary__name"], start_date=r["start_date"], end_date=r["end_date"],
            total_eligible_cost=r["total_eligible_cost"], esf_amount=r["esf_amount"])
    cofinancing: dict[int, list[dict]] = {}
    for r in Cofinancing.objects.filter(operation__beneficiary__territory=territory).values(
            "id", "operation_id", *COFINANCING_FIELDS):
        cofinancing.setdefault(r["operation_id"], []).append(r)
        existing.cofinancing.setdefault(op_ref[r["operation_id"]], []).append(
            CofinancingState(funder_kind=r["funder_kind"], year=r["year"], planned=r["planned"]))
    participations = {r["id"]: r for r in Participation.objects.filter(
        operation__beneficiary__territory=territory).values("id", "participation_ref", *PARTICIPATION_FIELDS)}
    participation_pks = {r["participation_ref"]: pk for pk, r in participations.items()}
    for ref, pk in participation_pks.items():
        r = participations[pk]
        existing.participations[ref] = ParticipationState(
            ref=ref, participant_key=("pk", r["participant_id"]), operation_ref=op_ref[r["operation_id"]],
            entry_date=r["entry_date"], exit_date=r["exit_date"])
    for file, model, column, known in ((OPERATIONS, Operation, "operation_ref", operation_pks),
                                       (PARTICIPATIONS, Participation, "participation_ref", participation_pks)):
        unmatched = [row[column] for row in dataset.rows[file] if row[column] and row[column] not in known]
        existing.foreign_refs[file] = _foreign_by(model, column, unmatched)
    return _EsfRecords(operations=operations, operation_pks=operation_pks, cofinancing=cofinancing,
                       participations=participations, participation_pks=participation_pks)


def _referent_key(users: dict[str, int], identifier: str) -> tuple:
    """A referent as pathways.csv names it: the account whose e-mail it is, else the identifier itself."""
    user_pk = users.get(identifier.lower())
    return ("user", user_pk) if user_pk else ("ref", identifier)


def _esf_write(dataset: DataSet, *, territory, report, organisations: dict[str, int], users: dict[str, int],
               person_pks: dict[str, int], esf: _EsfRecords, writer: _Writer) -> None:
    rows = []
    for row in dataset.rows[OPERATIONS]:
        values = {"title": row["title"], "beneficiary_id": organisations[row["beneficiary"]],
                  "start_date": row["start_date"], "end_date": row["end_date"],
                  "total_eligible_cost": row["total_eligible_cost"], "esf_amount": row["esf_amount"]}
        rows.append((values, esf.operation_pks.get(row["operation_ref"]), row["operation_ref"]))
    operation_pks = {**esf.operation_pks, **_apply(
        Operation, rows, esf.operations, OPERATION_FIELDS, report.files[OPERATIONS],
        extra_create=lambda ref: {"operation_ref": ref}, versioned=False, writer=writer)}

    # Cofinancing lines have no ref: an operation named in the file gets exactly the file's lines, left as they
    # are when they are the same (idempotence), replaced otherwise.
    lines: dict[str, list[dict]] = {}
    for row in dataset.rows[COFINANCING]:
        lines.setdefault(row["operation_ref"], []).append(
            {"funder_kind": row["funder_kind"], "funder": row["funder"] or "", "year": row["year"],
             "planned": row["planned"], "actual": row["actual"]})
    file_report = report.files[COFINANCING]

    def shape(line: dict) -> tuple:
        return tuple(line[name] for name in COFINANCING_FIELDS[:3]) + (
            Decimal(line["planned"]).normalize(), None if line["actual"] is None else Decimal(line["actual"]).normalize())
    stale, fresh = [], []
    for ref, new in lines.items():
        pk = operation_pks[ref]
        old = esf.cofinancing.get(pk, []) if pk in esf.operations else []
        if sorted(map(shape, old), key=repr) == sorted(map(shape, new), key=repr):
            file_report.unchanged += len(new)
            continue
        stale.extend(line["id"] for line in old)
        fresh.extend(Cofinancing(operation_id=pk, **line) for line in new)
        file_report.created += len(new)
    writer.tracker.advance(sum(len(new) for new in lines.values()))
    if not writer.dry_run:
        for chunk in _chunks(stale):
            Cofinancing.objects.filter(pk__in=chunk).delete()
        Cofinancing.objects.bulk_create(fresh, batch_size=BATCH)

    costs = {}
    for r in ReferentCost.objects.filter(territory=territory).values(
            "id", "referent_id", "referent_ref", "year", "annual_gross_cost", "work_time_share"):
        key = ("user", r["referent_id"]) if r["referent_id"] else ("ref", r["referent_ref"])
        costs[(key, r["year"])] = r
    creates, updates = [], []
    file_report = report.files[REFERENT_COSTS]
    for row in dataset.rows[REFERENT_COSTS]:
        key = _referent_key(users, row["referent"])
        record = costs.get((key, row["year"]))
        values = {"annual_gross_cost": row["annual_gross_cost"], "work_time_share": row["work_time_share"]}
        if record is None:
            creates.append(ReferentCost(territory=territory, year=row["year"], **values,
                                        referent_id=key[1] if key[0] == "user" else None,
                                        referent_ref=key[1] if key[0] == "ref" else ""))
        elif _changed(record, values):
            updates.append(ReferentCost(pk=record["id"], **values))
        else:
            file_report.unchanged += 1
    file_report.created += len(creates)
    file_report.updated += len(updates)
    writer.tracker.advance(len(dataset.rows[REFERENT_COSTS]))
    if not writer.dry_run:
        ReferentCost.objects.bulk_update(updates, ["annual_gross_cost", "work_time_share"], batch_size=BATCH)
        ReferentCost.objects.bulk_create(creates, batch_size=BATCH)

    rows = []
    for row in dataset.rows[PARTICIPATIONS]:
        values = {
            "participant_id": person_pks[row["participant_ref"]], "operation_id": operation_pks[row["operation_ref"]],
            "entry_date": row["entry_date"], "exit_date": row["exit_date"], "labour_status": row["labour_status"],
            "unemployment_months": row["unemployment_months"],
            "in_education_or_training": row["in_education_or_training"], "isced": row["isced"] or "",
            **{name: row[name] or "" for name in SENSITIVE_FIELDS},
            "exit_situation": row["exit_situation"] or "", "qualification_gained": row["qualification_gained"],
            "situation_6_months": row["situation_6_months"] or "",
            "improved_situation_6_months": row["improved_situation_6_months"],
        }
        rows.append((values, esf.participation_pks.get(row["participation_ref"]), row["participation_ref"]))
    _apply(Participation, rows, esf.participations, PARTICIPATION_FIELDS, report.files[PARTICIPATIONS],
           extra_create=lambda ref: {"participation_ref": ref}, versioned=False, writer=writer)


def _write(dataset: DataSet, *, territory, report, communes, qpvs, participants, pathways, steps, appointments,
           participant_pks, pathway_pks, ref_to_pathway, child_pks, esf: _EsfRecords, clauses, writer: _Writer) -> None:
    programme = plie_programme_of(territory.pk)
    # A file without the phone or e-mail column leaves what Parcours holds (an older export, another system).
    contact_fields = [name for name in CONTACT_FIELDS if name in dataset.headers.get(PARTICIPANTS, set())]
    rows = []
    for row in dataset.rows[PARTICIPANTS]:
        values = {
            "last_name": row["last_name"] or "", "first_name": row["first_name"] or "", "sex": row["sex"],
            "birth_date": row["birth_date"], "commune_id": communes.get(row["commune_insee"]),
            "qpv_id": qpvs.get(row["qpv_code"]), "education_level": row["education_level"] or "",
            **{name: row[name] for name in BOOLEAN_SITUATIONS},
            **{name: row[name] or "" for name in contact_fields},
        }
        rows.append((values, participant_pks.get(row["participant_ref"]), row["participant_ref"]))
    person_pks = _apply(Participant, rows, participants.records, PARTICIPANT_FIELDS + contact_fields,
                        report.files[PARTICIPANTS],
                        extra_create=lambda ref: {"territory": territory, "external_ref": ref}, versioned=True,
                        writer=writer, compared_only=tuple(SITUATION_CODES))
    if not writer.dry_run:
        _situations_write(rows, participants.records, person_pks)

    organisations = dict(territory.organisations.values_list("name", "pk"))
    # Operators of pathways and beneficiaries of operations are the territory's structures, matched by name.
    named = {row["operator"] for row in dataset.rows[PATHWAYS] if row["operator"]}
    named |= {row["beneficiary"] for row in dataset.rows[OPERATIONS] if row["beneficiary"]}
    missing = sorted(named - set(organisations))
    if writer.dry_run:
        organisations.update((name, next(writer.stand_in)) for name in missing)
    else:
        created = Organisation.objects.bulk_create(
            [Organisation(territory=territory, name=name, kind=OrganisationKind.OPERATOR) for name in missing])
        organisations.update((o.name, o.pk) for o in created)
    report.organisations_created = len(missing)
    users = {email: pk for email, pk in User.objects.annotate(key=Lower("email")).values_list("key", "pk")}

    # An appointment the import adds or moves is a contact: it may bring the last contact date forward.
    # Those already known leave it alone (idempotence; Parcours keeps it up to date itself).
    last_contact: dict[str, date] = {}
    for row in dataset.rows[APPOINTMENTS]:
        known = child_pks[APPOINTMENTS].get(row["appointment_ref"])
        if known is not None and appointments.records[known]["date"] == row["date"]:
            continue
        ref = row["pathway_ref"]
        if ref not in last_contact or row["date"] > last_contact[ref]:
            last_contact[ref] = row["date"]

    rows = []
    for row in dataset.rows[PATHWAYS]:
        ref, pk = row["pathway_ref"], pathway_pks.get(row["pathway_ref"])
        record = pathways.records.get(pk) if pk else None
        referent = row["referent"] or ""
        user_pk = users.get(referent.lower()) if referent else None
        decision = row["decision"] or ""
        if (record and not decision and row["entry_date"] is None and record["decision"] == Decision.ADMITTED
                and record["entry_date"] is None):
            # Admitted, contract not signed yet: exported with an empty decision (docs/interchange.md).
            decision = Decision.ADMITTED
        status = derive_status(row["decision"] or "", row["entry_date"], row["exit_date"], bool(referent))
        if record and _keep_status(record["status"], status, record["decision"]):
            status = record["status"]
        contact = last_contact.get(ref)
        if record and record["last_contact_date"] and (contact is None or record["last_contact_date"] > contact):
            contact = record["last_contact_date"]
        values = {
            "participant_id": person_pks[row["participant_ref"]],
            "operator_id": organisations[row["operator"]] if row["operator"] else None,
            "referent_id": user_pk, "referent_ref": "" if user_pk else referent,
            "prescriber_type": row["prescriber_type"] or "", "application_date": row["application_date"],
            "commission_date": row["commission_date"], "decision": decision, "entry_date": row["entry_date"],
            "exit_date": row["exit_date"], "exit_reason": row["exit_reason"] or "", "status": status,
            "last_contact_date": contact,
        }
        rows.append((values, pk, ref))

    def opening_last(updates):
        # PostgreSQL checks "one open pathway per person" row by row: close pathways before opening others.
        def opens(obj):
            before = pathways.records[obj.pk]
            now_open = obj.entry_date is not None and obj.exit_date is None
            was_open = before["entry_date"] is not None and before["exit_date"] is None
            return now_open and (not was_open or before["participant_id"] != obj.participant_id)
        return [[o for o in updates if not opens(o)], [o for o in updates if opens(o)]]

    pathway_refs = _apply(Pathway, rows, pathways.records, PATHWAY_FIELDS, report.files[PATHWAYS],
                          extra_create=lambda ref: {"external_ref": ref, "entry_route": EntryRoute.IMPORT,
                                                      "territory": territory, "programme": programme,
                                                      "programme_kind": programme.kind},
                          versioned=True, writer=writer, update_order=opening_last)
    ref_to_pathway = {**ref_to_pathway, **pathway_refs}
    if not writer.dry_run:
        _history_write(programme, rows, pathways.records, pathway_refs)

    rows = []
    for row in dataset.rows[STEPS]:
        values = {
            "pathway_id": ref_to_pathway[row["pathway_ref"]], "step_type": row["step_type"],
            "start_date": row["start_date"], "end_date": row["end_date"], "operator_name": row["operator"] or "",
            "employer_siret": row["employer_siret"] or "", "contract_type": row["contract_type"] or "",
            "social_clause": row["social_clause"], "hours": row["hours"],
        }
        rows.append((values, child_pks[STEPS].get(row["step_ref"]), row["step_ref"]))
    _apply(Step, rows, steps.records, STEP_FIELDS, report.files[STEPS],
           extra_create=lambda ref: {"external_ref": ref}, versioned=True, writer=writer)

    rows = []
    for row in dataset.rows[APPOINTMENTS]:
        values = {
            "pathway_id": ref_to_pathway[row["pathway_ref"]], "date": row["date"], "kind": row["kind"],
            "mode": row["mode"] or "", "duration_minutes": row["duration_minutes"], "place": row["place"] or "",
        }
        rows.append((values, child_pks[APPOINTMENTS].get(row["appointment_ref"]), row["appointment_ref"]))
    _apply(Appointment, rows, appointments.records, APPOINTMENT_FIELDS, report.files[APPOINTMENTS],
           extra_create=lambda ref: {"external_ref": ref}, versioned=False, writer=writer)

    _esf_write(dataset, territory=territory, report=report, organisations=organisations, users=users,
               person_pks=person_pks, esf=esf, writer=writer)
    clauses_write(dataset, territory=territory, report=report, records=clauses, person_pks=person_pks,
                  communes=communes, qpvs=qpvs, writer=writer)
