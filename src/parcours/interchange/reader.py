"""Reading and checking an interchange data set (docs/spec/interchange.md).

`dataset_read` parses the four files and checks every cell on its own (types, codes, dates, refs
unique within a file). `dataset_check` checks what spans rows and files, and what is already in the
database (the importer gathers that state in bulk beforehand). Both return `ImportError_` lists;
nothing here writes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from parcours.core import plausibility
from parcours.esf.enums import SENSITIVE_FIELDS, ExitSituation, FunderKind, Isced, LabourStatus, SensitiveAnswer
from parcours.organisations.enums import PrescriberType
from parcours.participants.enums import EducationLevel, Sex
from parcours.pathways.enums import AppointmentKind, ContactMode, ContractType, Decision
from parcours.plie.enums import ExitReason, StepType
from parcours.youth.enums import (
    AidPurpose, EventKind, Fund, PmsmpAim, RegistrationStatus, Scheme, SchemeExit, SituationCategory, WorkshopTheme,
    YouthContractType,
)

PARTICIPANTS, PATHWAYS, STEPS, APPOINTMENTS = "participants.csv", "pathways.csv", "steps.csv", "appointments.csv"
# The ESF+ files (docs/spec/esf.md): optional files of the same data set.
OPERATIONS, COFINANCING, REFERENT_COSTS, PARTICIPATIONS = (
    "operations.csv", "cofinancing.csv", "referent_costs.csv", "participations.csv")
ESF_FILES = (OPERATIONS, COFINANCING, REFERENT_COSTS, PARTICIPATIONS)
# The social clauses' files (docs/spec/clauses.md); their columns and rules are in interchange/clauses.py.
BUYERS, CONTRACTS, BENEFICIARIES, CLAUSE_HOURS = "buyers.csv", "contracts.csv", "beneficiaries.csv", "clause_hours.csv"
CLAUSE_FILES = (BUYERS, CONTRACTS, BENEFICIARIES, CLAUSE_HOURS)
# The Mission Locale's files (docs/spec/youth.md): a data set of their own; checked and written by youth.py.
YOUNG_PEOPLE, EVENTS, SCHEMES, SITUATIONS, AIDS, WORKSHOP_SESSIONS, WORKSHOP_REGISTRATIONS = (
    "young_people.csv", "events.csv", "schemes.csv", "situations.csv", "aids.csv", "workshop_sessions.csv",
    "workshop_registrations.csv")
YOUTH_FILES = (YOUNG_PEOPLE, EVENTS, SCHEMES, SITUATIONS, AIDS, WORKSHOP_SESSIONS, WORKSHOP_REGISTRATIONS)
FILES = (PARTICIPANTS, PATHWAYS, STEPS, APPOINTMENTS, *ESF_FILES, *CLAUSE_FILES, *YOUTH_FILES)
REQUIRED_FILES = (PARTICIPANTS, PATHWAYS)
# Files that make a data set of their own (a facilitator's, a Mission Locale's): a set holding one of them
# needs neither participants.csv nor pathways.csv (docs/spec/clauses.md, docs/spec/youth.md).
STANDALONE_FILES: tuple[str, ...] = (*CLAUSE_FILES, *YOUTH_FILES)
BOOLEAN_SITUATIONS = ("rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth")

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
SIRET_RE = re.compile(r"^\d{14}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_RE = re.compile(r"^\d{1,5}(\.\d{1,2})?$")
INTEGER_RE = re.compile(r"^\d{1,9}$")
MONEY_RE = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
SHARE_RE = re.compile(r"^\d(\.\d{1,4})?$")
YEAR_RE = re.compile(r"^\d{4}$")
REF_MAX = 64


@dataclass(frozen=True, order=True)
class ImportError_:
    """One error, printed as `file:line: column: message` (line = physical line, header = 1)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


def errors_sorted(errors: list[ImportError_]) -> list[ImportError_]:
    # By file then line; within a line, the order the checks found them (stable sort).
    return sorted(errors, key=lambda e: (e.file, e.line))


# --- cell parsers: value -> (parsed, error message or None) ---------------------------------------------------------

Parser = Callable[[str, "ParseContext"], tuple[object, str | None]]


@dataclass
class ParseContext:
    today: date
    commune_codes: frozenset[str]
    qpv_codes: frozenset[str]
    territory_name: str


def _text(max_length: int) -> Parser:
    def parse(raw: str, ctx: ParseContext):
        if len(raw) > max_length:
            return raw, f"texte trop long ({len(raw)} caractères, {max_length} au plus)"
        return raw, None
    return parse


def _name(max_length: int) -> Parser:
    """A name or a label: control and invisible characters stripped, refused if nothing visible is left."""
    def parse(raw: str, ctx: ParseContext):
        if problem := plausibility.name_problem(raw):
            return None, problem
        return _text(max_length)(plausibility.text_clean(raw), ctx)
    return parse


def _ref(raw: str, ctx: ParseContext):
    if len(raw) > REF_MAX:
        return raw, f"identifiant trop long ({len(raw)} caractères, {REF_MAX} au plus)"
    return raw, None


def _choice(choices) -> Parser:
    values = list(choices.values)

    def parse(raw: str, ctx: ParseContext):
        if raw not in values:
            return None, f"code « {raw} » inconnu (valeurs admises : {', '.join(values)})"
        return raw, None
    return parse


def _date(raw: str, ctx: ParseContext):
    if not DATE_RE.match(raw):
        return None, f"« {raw} » n'est pas une date au format AAAA-MM-JJ"
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None, f"la date « {raw} » n'existe pas"
    if value > ctx.today:
        return None, f"la date « {raw} » est dans le futur"
    return value, None


def _birth_date(raw: str, ctx: ParseContext):
    value, problem = _date(raw, ctx)
    if problem is None and isinstance(value, date):
        problem = plausibility.birth_date_problem(value, today=ctx.today)
    return (value, None) if problem is None else (None, problem)


def _event_date(raw: str, ctx: ParseContext):
    """A date of the file other than a birth date: not in the future here, and not before 1990 (plausibility)."""
    value, problem = _date(raw, ctx)
    if problem is None and isinstance(value, date):
        problem = plausibility.event_date_problem(value, today=ctx.today)
    return (value, None) if problem is None else (None, problem)


def _boolean(raw: str, ctx: ParseContext):
    if raw not in ("0", "1"):
        return None, f"« {raw} » n'est pas un booléen (0 ou 1 attendu)"
    return raw == "1", None


def _integer(raw: str, ctx: ParseContext):
    if not INTEGER_RE.match(raw):
        return None, f"« {raw} » n'est pas un nombre entier positif ou nul"
    return int(raw), None


def _decimal(raw: str, ctx: ParseContext):
    if not DECIMAL_RE.match(raw):
        return None, f"« {raw} » n'est pas un nombre positif (point décimal, 2 décimales au plus, moins de 100 000)"
    try:
        return Decimal(raw), None
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        return None, f"« {raw} » n'est pas un nombre"


def _period_date(raw: str, ctx: ParseContext):
    """An operation's start or end: a planned period may end in the future; not before 1990."""
    if not DATE_RE.match(raw):
        return None, f"« {raw} » n'est pas une date au format AAAA-MM-JJ"
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None, f"la date « {raw} » n'existe pas"
    if value.year < 1990:
        return None, f"la date « {raw} » précède 1990"
    return value, None


def _money(raw: str, ctx: ParseContext):
    if not MONEY_RE.match(raw):
        return None, f"« {raw} » n'est pas un montant en euros (nombre positif, point décimal, 2 décimales au plus)"
    return Decimal(raw), None


def _share(raw: str, ctx: ParseContext):
    value = Decimal(raw) if SHARE_RE.match(raw) else None
    if value is None or not (0 < value <= 1):
        return None, f"« {raw} » n'est pas une quotité dans ]0, 1] (1 pour un temps plein, 0.8…, 4 décimales au plus)"
    return value, None


def _year(raw: str, ctx: ParseContext):
    if not YEAR_RE.match(raw) or not (1990 <= int(raw) <= 2100):
        return None, f"« {raw} » n'est pas une année (4 chiffres, de 1990 à 2100)"
    return int(raw), None


def _phone(raw: str, ctx: ParseContext):
    # Stored in E.164, as everywhere in Parcours (core.plausibility).
    if problem := plausibility.phone_problem(raw):
        return None, str(problem)
    return plausibility.phone_e164(raw), None


def _email(raw: str, ctx: ParseContext):
    try:
        validate_email(raw)
    except ValidationError:
        return None, f"adresse électronique « {raw} » invalide"
    if len(raw) > 254:
        return None, f"texte trop long ({len(raw)} caractères, 254 au plus)"
    return raw, None


def _siret(raw: str, ctx: ParseContext):
    if not SIRET_RE.match(raw):
        return None, f"SIRET « {raw} » invalide : 14 chiffres attendus"
    return raw, None


def _insee(raw: str, ctx: ParseContext):
    if not INSEE_RE.match(raw):
        return None, (f"code INSEE « {raw} » mal formé : 5 caractères attendus "
                      "(chiffres, ou 2A/2B suivi de 3 chiffres)")
    # The commune is stored as a link to the territory's commune list: an unknown one cannot be kept.
    if raw not in ctx.commune_codes:
        return None, f"commune « {raw} » inconnue du territoire « {ctx.territory_name} »"
    return raw, None


def _qpv(raw: str, ctx: ParseContext):
    if raw not in ctx.qpv_codes:
        return None, f"QPV « {raw} » inconnu du territoire « {ctx.territory_name} »"
    return raw, None


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False


# The person's columns, the same in participants.csv and young_people.csv.
PERSON_COLUMNS = (
    Column("last_name", _name(150)),
    Column("first_name", _name(150)),
    Column("sex", _choice(Sex), True),
    Column("birth_date", _birth_date, True),
    Column("commune_insee", _insee),
    Column("qpv_code", _qpv),
    Column("education_level", _choice(EducationLevel)),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    PARTICIPANTS: (
        Column("participant_ref", _ref, True),
        *PERSON_COLUMNS,
        *(Column(name, _boolean) for name in BOOLEAN_SITUATIONS),
        Column("phone", _phone),
        Column("email", _email),
    ),
    PATHWAYS: (
        Column("pathway_ref", _ref, True),
        Column("participant_ref", _ref, True),
        Column("operator", _text(200)),
        Column("referent", _text(254)),
        Column("prescriber_type", _choice(PrescriberType)),
        Column("application_date", _event_date),
        Column("commission_date", _event_date),
        Column("decision", _choice(Decision)),
        Column("entry_date", _event_date),
        Column("exit_date", _event_date),
        Column("exit_reason", _choice(ExitReason)),
    ),
    STEPS: (
        Column("step_ref", _ref, True),
        Column("pathway_ref", _ref, True),
        Column("step_type", _choice(StepType), True),
        Column("start_date", _event_date, True),
        Column("end_date", _event_date),
        Column("operator", _name(200)),
        Column("employer_siret", _siret),
        Column("contract_type", _choice(ContractType)),
        Column("social_clause", _boolean),
        Column("hours", _decimal),
    ),
    APPOINTMENTS: (
        Column("appointment_ref", _ref, True),
        Column("pathway_ref", _ref, True),
        Column("date", _event_date, True),
        Column("kind", _choice(AppointmentKind), True),
        Column("mode", _choice(ContactMode)),
        Column("duration_minutes", _integer),
        Column("place", _name(200)),
    ),
    OPERATIONS: (
        Column("operation_ref", _ref, True),
        Column("title", _name(300), True),
        Column("beneficiary", _name(200), True),
        Column("start_date", _period_date, True),
        Column("end_date", _period_date, True),
        Column("total_eligible_cost", _money, True),
        Column("esf_amount", _money, True),
    ),
    COFINANCING: (
        Column("operation_ref", _ref, True),
        Column("funder_kind", _choice(FunderKind), True),
        Column("funder", _name(200)),
        Column("year", _year, True),
        Column("planned", _money, True),
        Column("actual", _money),
    ),
    REFERENT_COSTS: (
        Column("referent", _text(254), True),
        Column("year", _year, True),
        Column("annual_gross_cost", _money, True),
        Column("work_time_share", _share, True),
    ),
    PARTICIPATIONS: (
        Column("participation_ref", _ref, True),
        Column("participant_ref", _ref, True),
        Column("operation_ref", _ref, True),
        Column("entry_date", _event_date, True),
        Column("exit_date", _event_date),
        Column("labour_status", _choice(LabourStatus), True),
        Column("unemployment_months", _integer),
        Column("in_education_or_training", _boolean),
        Column("isced", _choice(Isced)),
        *(Column(name, _choice(SensitiveAnswer)) for name in SENSITIVE_FIELDS),
        Column("exit_situation", _choice(ExitSituation)),
        Column("qualification_gained", _boolean),
        Column("situation_6_months", _choice(ExitSituation)),
        Column("improved_situation_6_months", _boolean),
    ),
    YOUNG_PEOPLE: (
        Column("youth_ref", _ref, True),
        *PERSON_COLUMNS,
        Column("first_reception_date", _event_date, True),
        Column("antenna", _text(64)),
    ),
    EVENTS: (
        Column("event_ref", _ref, True),
        Column("youth_ref", _ref, True),
        Column("date", _event_date, True),
        Column("kind", _choice(EventKind), True),
        Column("site", _text(64)),
        Column("duration_minutes", _integer),
    ),
    SCHEMES: (
        Column("scheme_ref", _ref, True),
        Column("youth_ref", _ref, True),
        Column("scheme", _choice(Scheme), True),
        Column("start_date", _event_date, True),
        Column("end_date", _event_date),
        Column("collective_start", _boolean),
        Column("exit_situation", _choice(SchemeExit)),
    ),
    SITUATIONS: (
        Column("situation_ref", _ref, True),
        Column("youth_ref", _ref, True),
        Column("category", _choice(SituationCategory), True),
        Column("start_date", _event_date, True),
        Column("end_date", _period_date),
        Column("contract_type", _choice(YouthContractType)),
        Column("pmsmp_aim", _choice(PmsmpAim)),
        Column("employer_siret", _siret),
    ),
    AIDS: (
        Column("aid_ref", _ref, True),
        Column("youth_ref", _ref, True),
        Column("fund", _choice(Fund), True),
        Column("decision_date", _event_date, True),
        Column("amount", _money, True),
        Column("purpose", _choice(AidPurpose)),
    ),
    WORKSHOP_SESSIONS: (
        Column("session_ref", _ref, True),
        Column("workshop", _name(200), True),
        Column("theme", _choice(WorkshopTheme), True),
        Column("date", _period_date, True),
        Column("capacity", _integer),
    ),
    WORKSHOP_REGISTRATIONS: (
        Column("session_ref", _ref, True),
        Column("youth_ref", _ref, True),
        Column("status", _choice(RegistrationStatus), True),
    ),
}
REF_COLUMN = {PARTICIPANTS: "participant_ref", PATHWAYS: "pathway_ref", STEPS: "step_ref",
              APPOINTMENTS: "appointment_ref", OPERATIONS: "operation_ref", PARTICIPATIONS: "participation_ref",
              YOUNG_PEOPLE: "youth_ref", EVENTS: "event_ref", SCHEMES: "scheme_ref", SITUATIONS: "situation_ref",
              AIDS: "aid_ref", WORKSHOP_SESSIONS: "session_ref"}
# Files without a ref of their own: rows are told apart by these columns (the key of a row, unique in its file).
KEY_COLUMNS = {REFERENT_COSTS: ("referent", "year"), WORKSHOP_REGISTRATIONS: ("session_ref", "youth_ref")}


def column_names(file: str) -> list[str]:
    return [c.name for c in COLUMNS[file]]


class Row(dict):
    """Parsed cells by column name (None = empty or invalid), plus the physical line of the record."""

    __slots__ = ("line", "bad")

    def __init__(self, line: int, values: dict, bad: frozenset = frozenset()):
        super().__init__(values)
        self.line = line
        self.bad = bad  # columns whose cell was refused: rules that read them are skipped


@dataclass
class DataSet:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {f: [] for f in FILES})
    present: set[str] = field(default_factory=set)
    # Files that could not be read to the end (absent, header, encoding, quoting): checks across
    # files would only pile up consequences of that one error.
    unreadable: set[str] = field(default_factory=set)
    # The columns each file's header names (an optional column left out is not the same as empty cells for
    # the columns that Parcours also fills itself: participants' phone and e-mail).
    headers: dict[str, set[str]] = field(default_factory=dict)

    def by_ref(self, file: str) -> dict[str, Row]:
        ref = REF_COLUMN[file]
        return {row[ref]: row for row in self.rows[file] if row[ref]}


def _decode(file: str, data: bytes) -> tuple[str | None, ImportError_ | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, ImportError_(file, line, "-", "encodage invalide : le fichier doit être en UTF-8")


def _file_read(file: str, data: bytes, ctx: ParseContext, rows: list[Row], errors: list[ImportError_],
               header_seen: set[str] | None = None) -> bool:
    """Parse one file into `rows`; False when it could not be read to the end."""
    text, error = _decode(file, data)
    if error:
        errors.append(error)
        return False
    columns = {c.name: c for c in COLUMNS[file]}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(ImportError_(file, 1, "-", f"ligne d'en-tête illisible ({exc})"))
        return False
    if not header:
        errors.append(ImportError_(file, 1, "-", "fichier vide : la ligne d'en-tête manque"))
        return False
    header_ok = True
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(ImportError_(file, 1, name, "colonne en double"))
            header_ok = False
        seen.add(name)
        if name not in columns:
            errors.append(ImportError_(file, 1, name, "colonne inconnue"))
            header_ok = False
    for column in COLUMNS[file]:
        if column.required and column.name not in seen:
            errors.append(ImportError_(file, 1, column.name, "colonne obligatoire absente"))
            header_ok = False
    if not header_ok:
        return False
    if header_seen is not None:
        header_seen.update(seen)
    # An optional column left out of the header reads as empty in every row.
    absent = [c.name for c in COLUMNS[file] if c.name not in seen]
    ref_column = REF_COLUMN.get(file)
    key_columns = KEY_COLUMNS.get(file, ())
    first_line: dict[object, int] = {}
    last_line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(ImportError_(file, last_line + 1, "-", f"guillemets mal placés ({exc})"))
            return False
        line = last_line + 1  # the physical line where this record starts
        last_line = reader.line_num
        if not record:
            continue  # blank line
        if len(record) != len(header):
            errors.append(ImportError_(file, line, "-",
                                       f"{len(record)} champ(s) au lieu de {len(header)} (selon l'en-tête)"))
            continue
        values: dict[str, object] = dict.fromkeys(absent)
        bad = set()
        for name, raw in zip(header, record, strict=False):
            column = columns[name]
            if raw == "":
                values[name] = None
                if column.required:
                    errors.append(ImportError_(file, line, name, "valeur obligatoire manquante"))
                continue
            if "\x00" in raw:  # PostgreSQL cannot store it, and no real value holds it
                values[name] = None
                bad.add(name)
                errors.append(ImportError_(file, line, name, "caractère nul (U+0000) interdit"))
                continue
            value, message = column.parse(raw, ctx)
            values[name] = value
            if message:
                bad.add(name)
                errors.append(ImportError_(file, line, name, message))
        if ref_column is None and key_columns:
            key = tuple(values[c] for c in key_columns)
            if all(v is not None for v in key) and not (bad & set(key_columns)):
                if key in first_line:
                    errors.append(ImportError_(file, line, key_columns[0],
                                               f"ligne en double pour {', '.join(map(str, key))} "
                                               f"(déjà ligne {first_line[key]})"))
                    continue
                first_line[key] = line
        ref = values[ref_column] if ref_column else None
        if ref:
            if ref in first_line:
                errors.append(ImportError_(file, line, ref_column,
                                           f"identifiant « {ref} » en double (déjà ligne {first_line[ref]})"))
                continue
            first_line[ref] = line
        rows.append(Row(line, values, frozenset(bad)))
    return True


def required_files(*, standalone: bool) -> tuple[str, ...]:
    """The files a data set must hold: none of the PLIE's when it holds a standalone file."""
    return () if standalone else REQUIRED_FILES


def dataset_read(directory: Path, ctx: ParseContext) -> tuple[DataSet, list[ImportError_]]:
    """Parse the data set's files; every cell is checked on its own."""
    dataset, errors = DataSet(), []
    directory = Path(directory)
    if not directory.is_dir():
        errors.append(ImportError_(str(directory), 0, "-", "dossier introuvable"))
        dataset.unreadable.add(str(directory))
        return dataset, errors
    standalone = any((directory / file).is_file() for file in STANDALONE_FILES)
    for file in FILES:
        path = directory / file
        if not path.is_file():
            if file in required_files(standalone=standalone):
                errors.append(ImportError_(file, 0, "-", "fichier obligatoire absent du dossier"))
                dataset.unreadable.add(file)
            continue
        dataset.present.add(file)
        header_seen = dataset.headers.setdefault(file, set())
        if not _file_read(file, path.read_bytes(), ctx, dataset.rows[file], errors, header_seen):
            dataset.unreadable.add(file)
    return dataset, errors


# --- checks across rows, files and the database -----------------------------------------------------------------------

@dataclass
class PathwayState:
    """What a check needs of a pathway, whether it comes from the file or from the database."""

    ref: str
    participant_key: tuple  # ("pk", id) for a person already in Parcours, ("new", ref) for one the file adds
    decision: str
    entry_date: date | None
    exit_date: date | None
    line: int | None = None  # line in pathways.csv; None when only in the database


@dataclass
class ChildState:
    """A step or an appointment already in the database (start = start_date or date)."""

    ref: str
    pathway_ref: str
    start: date


@dataclass
class OperationState:
    ref: str
    beneficiary: str
    start_date: date | None
    end_date: date | None
    total_eligible_cost: Decimal | None
    esf_amount: Decimal | None
    line: int | None = None  # line in operations.csv; None when only in the database


@dataclass
class CofinancingState:
    funder_kind: str
    year: int | None
    planned: Decimal | None
    line: int | None = None


@dataclass
class ParticipationState:
    ref: str
    participant_key: tuple
    operation_ref: str
    entry_date: date | None
    exit_date: date | None
    line: int | None = None


@dataclass
class Existing:
    """The database as the checks see it, gathered in bulk by the importer."""

    # participants.csv refs that match a person already in the territory, with that person's id.
    participant_pks: dict[str, int] = field(default_factory=dict)
    # Pathways of the territory not in pathways.csv, keyed by the ref the file would use.
    other_pathways: dict[str, PathwayState] = field(default_factory=dict)
    # Refs of the files already borne by a record of another territory (refs of pathways, steps and
    # appointments are unique across the database).
    foreign_refs: dict[str, set[str]] = field(default_factory=lambda: {f: set() for f in REF_COLUMN})
    # Steps and appointments of the territory that the files leave out, by the pathway ref they hang on.
    steps_kept: dict[str, list[ChildState]] = field(default_factory=dict)
    appointments_kept: dict[str, list[ChildState]] = field(default_factory=dict)
    # The territory's ESF+ records: operations by ref, their financing plan's lines, participations by ref.
    operations: dict[str, OperationState] = field(default_factory=dict)
    cofinancing: dict[str, list[CofinancingState]] = field(default_factory=dict)
    participations: dict[str, ParticipationState] = field(default_factory=dict)


def _pathway_rules(row: Row, errors: list[ImportError_]) -> None:
    line, decision = row.line, row["decision"]
    entry, exit_ = row["entry_date"], row["exit_date"]

    def error(column, message):
        errors.append(ImportError_(PATHWAYS, line, column, message))

    if row.bad & {"decision", "entry_date", "exit_date", "exit_reason"}:
        return  # already reported; the rules below would only echo it
    closed = decision in (Decision.REFUSED, Decision.REORIENTED)
    if decision == Decision.ADMITTED and entry is None:
        error("entry_date", "date d'entrée obligatoire quand la décision est « admitted »")
    if entry is not None and decision != Decision.ADMITTED:
        if closed:
            error("entry_date", f"un parcours « {decision} » n'a pas de date d'entrée")
        else:
            error("entry_date", "date d'entrée sans décision « admitted »")
    if exit_ is not None:
        if closed:
            error("exit_date", f"un parcours « {decision} » n'a pas de date de sortie")
        elif entry is None:
            error("exit_date", "date de sortie sans date d'entrée")
        if row["exit_reason"] is None:
            error("exit_reason", "motif de sortie obligatoire quand la date de sortie est indiquée")
    elif row["exit_reason"] is not None:
        error("exit_reason", "motif de sortie sans date de sortie")
    labels = {"application_date": "la candidature", "commission_date": "la commission",
              "entry_date": "l'entrée", "exit_date": "la sortie"}
    previous = None
    for column in ("application_date", "commission_date", "entry_date", "exit_date"):
        value = row[column]
        if value is None:
            continue
        if previous is not None and value < row[previous]:
            error(column, f"{labels[column]} ({value.isoformat()}) précède {labels[previous]} "
                          f"({row[previous].isoformat()})")
        previous = column


def _child_rules(file: str, row: Row, pathway: PathwayState | None, start_column: str,
                 errors: list[ImportError_]) -> None:
    what = "l'étape" if file == STEPS else "le rendez-vous"
    ref = row["pathway_ref"]

    def error(column, message):
        errors.append(ImportError_(file, row.line, column, message))

    if pathway is None:
        error("pathway_ref", f"parcours « {ref} » absent de pathways.csv et de Parcours")
        return
    if pathway.decision in (Decision.REFUSED, Decision.REORIENTED):
        error("pathway_ref", f"le parcours « {ref} » est « {pathway.decision} » : il n'a ni étape ni rendez-vous")
        return
    start = row[start_column]
    if pathway.entry_date is None:
        error("pathway_ref", f"le parcours « {ref} » n'a pas de date d'entrée : {what} ne peut pas s'y rattacher")
    elif start is not None:
        if start < pathway.entry_date:
            error(start_column, f"{what} ({start.isoformat()}) précède l'entrée en parcours "
                                f"({pathway.entry_date.isoformat()})")
        elif pathway.exit_date is not None and start > pathway.exit_date:
            error(start_column, f"{what} ({start.isoformat()}) suit la sortie du parcours "
                                f"({pathway.exit_date.isoformat()})")
    if file == STEPS and start is not None and row["end_date"] is not None and row["end_date"] < start:
        error("end_date", f"la fin ({row['end_date'].isoformat()}) précède le début ({start.isoformat()})")


def dataset_check(dataset: DataSet, existing: Existing) -> list[ImportError_]:
    """Rules that span rows, files and the database (the spec's 'rules of parcours import')."""
    errors: list[ImportError_] = []
    participants = dataset.by_ref(PARTICIPANTS)

    for file, refs in existing.foreign_refs.items():
        ref_column = REF_COLUMN[file]
        for row in dataset.rows[file]:
            if row[ref_column] in refs:
                errors.append(ImportError_(file, row.line, ref_column,
                                           f"identifiant « {row[ref_column]} » déjà porté par une fiche "
                                           "d'un autre territoire"))

    pathways: dict[str, PathwayState] = dict(existing.other_pathways)
    for row in dataset.rows[PATHWAYS]:
        if row["participant_ref"] and "participant_ref" not in row.bad and row["participant_ref"] not in participants:
            errors.append(ImportError_(PATHWAYS, row.line, "participant_ref",
                                       f"personne « {row['participant_ref']} » absente de participants.csv"))
        _pathway_rules(row, errors)
        if row["pathway_ref"]:
            person = row["participant_ref"]
            key = ("pk", existing.participant_pks[person]) if person in existing.participant_pks else ("new", person)
            pathways[row["pathway_ref"]] = PathwayState(
                ref=row["pathway_ref"], participant_key=key, decision=row["decision"] or "",
                entry_date=row["entry_date"], exit_date=row["exit_date"], line=row.line)

    # At most one open pathway (entered, not exited) per person, counting those left in the database.
    open_by_person: dict[tuple, list[PathwayState]] = {}
    person_ref = {row["pathway_ref"]: row["participant_ref"] for row in dataset.rows[PATHWAYS]}
    for state in pathways.values():
        if state.entry_date is not None and state.exit_date is None and state.participant_key[1] is not None:
            open_by_person.setdefault(state.participant_key, []).append(state)
    for states in open_by_person.values():
        if len(states) < 2:
            continue
        # The one already in Parcours (at most one: a database constraint) sorts first, then file order.
        states.sort(key=lambda s: (s.line is not None, s.line or 0))
        first = states[0]
        where = f"ligne {first.line}" if first.line else "déjà enregistré dans Parcours"
        for state in states[1:]:
            errors.append(ImportError_(PATHWAYS, state.line, "participant_ref",
                                       f"la personne « {person_ref[state.ref]} » a déjà un parcours en cours "
                                       f"(« {first.ref} », {where})"))

    for file, start_column in ((STEPS, "start_date"), (APPOINTMENTS, "date")):
        for row in dataset.rows[file]:
            if row["pathway_ref"] and "pathway_ref" not in row.bad:
                _child_rules(file, row, pathways.get(row["pathway_ref"]), start_column, errors)

    errors += _esf_check(dataset, existing)

    # Steps and appointments already in Parcours must still fit the pathways the file changes.
    for kept, what in ((existing.steps_kept, "l'étape"), (existing.appointments_kept, "le rendez-vous")):
        for pathway_ref, children in kept.items():
            state = pathways.get(pathway_ref)
            if state is None or state.line is None:
                continue
            for child in children:
                if state.decision in (Decision.REFUSED, Decision.REORIENTED) or state.entry_date is None:
                    column, reason = "decision", "le parcours n'aurait plus de date d'entrée"
                elif child.start < state.entry_date:
                    column, reason = "entry_date", f"elle précède l'entrée ({state.entry_date.isoformat()})"
                elif state.exit_date is not None and child.start > state.exit_date:
                    column, reason = "exit_date", f"elle suit la sortie ({state.exit_date.isoformat()})"
                else:
                    continue
                errors.append(ImportError_(PATHWAYS, state.line, column,
                                           f"{what} « {child.ref} » déjà enregistré(e) dans Parcours "
                                           f"({child.start.isoformat()}) ne tiendrait plus : {reason}"))
    return errors


def _euros(value: Decimal) -> str:
    return f"{value:.2f} €"


def _esf_check(dataset: DataSet, existing: Existing) -> list[ImportError_]:
    """The rules of docs/spec/esf.md across rows, files and what Parcours already holds."""
    errors: list[ImportError_] = []
    operations: dict[str, OperationState] = dict(existing.operations)
    for row in dataset.rows[OPERATIONS]:
        start, end = row["start_date"], row["end_date"]
        if start is not None and end is not None and end < start:
            errors.append(ImportError_(OPERATIONS, row.line, "end_date",
                                       f"la fin ({end.isoformat()}) précède le début ({start.isoformat()})"))
        total, esf = row["total_eligible_cost"], row["esf_amount"]
        if esf is not None and esf <= 0:
            errors.append(ImportError_(OPERATIONS, row.line, "esf_amount", "le montant FSE+ doit être positif"))
        elif esf is not None and total is not None and esf > total:
            errors.append(ImportError_(OPERATIONS, row.line, "esf_amount",
                                       f"le montant FSE+ ({_euros(esf)}) dépasse le coût total éligible "
                                       f"({_euros(total)})"))
        if row["operation_ref"]:
            operations[row["operation_ref"]] = OperationState(
                ref=row["operation_ref"], beneficiary=row["beneficiary"] or "", start_date=start, end_date=end,
                total_eligible_cost=total, esf_amount=esf, line=row.line)

    # The financing plan: an operation named in cofinancing.csv gets the file's lines; the others keep theirs.
    plans: dict[str, list[CofinancingState]] = {ref: list(lines) for ref, lines in existing.cofinancing.items()}
    from_file: set[str] = set()
    for row in dataset.rows[COFINANCING]:
        ref = row["operation_ref"]
        if not ref or "operation_ref" in row.bad:
            continue
        operation = operations.get(ref)
        if operation is None:
            errors.append(ImportError_(COFINANCING, row.line, "operation_ref",
                                       f"opération « {ref} » absente de operations.csv et de Parcours"))
            continue
        if ref not in from_file:
            from_file.add(ref)
            plans[ref] = []
        plans[ref].append(CofinancingState(funder_kind=row["funder_kind"] or "", year=row["year"],
                                           planned=row["planned"], line=row.line))
        year = row["year"]
        if (year is not None and operation.start_date is not None and operation.end_date is not None
                and not operation.start_date.year <= year <= operation.end_date.year):
            errors.append(ImportError_(COFINANCING, row.line, "year",
                                       f"l'année {year} est hors de la période de l'opération « {ref} » "
                                       f"({operation.start_date.isoformat()} – {operation.end_date.isoformat()})"))
    for ref, lines in sorted(plans.items()):
        operation = operations.get(ref)
        # Checked when the file brings the plan or the operation; an operation without a plan yet is accepted.
        if operation is None or not lines or (ref not in from_file and operation.line is None):
            continue
        if any(line.planned is None for line in lines) or operation.esf_amount is None \
                or operation.total_eligible_cost is None:
            continue  # a refused cell, already reported
        where = (COFINANCING, lines[0].line, "planned") if ref in from_file else (OPERATIONS, operation.line,
                                                                                    "esf_amount")
        esf = sum((line.planned for line in lines if line.funder_kind == "esf"), Decimal(0))
        total = sum((line.planned for line in lines if line.planned is not None), Decimal(0))
        if esf != operation.esf_amount:
            errors.append(ImportError_(where[0], where[1] or 0, where[2],
                                       f"opération « {ref} » : les lignes « esf » totalisent {_euros(esf)}, "
                                       f"le montant FSE+ de l'opération est {_euros(operation.esf_amount)}"))
        if total != operation.total_eligible_cost:
            errors.append(ImportError_(where[0], where[1] or 0, where[2],
                                       f"opération « {ref} » : les lignes prévues totalisent {_euros(total)}, "
                                       f"le coût total éligible de l'opération est "
                                       f"{_euros(operation.total_eligible_cost)}"))
        if ref not in from_file and operation.start_date and operation.end_date:
            for line in lines:
                if line.year is not None and not operation.start_date.year <= line.year <= operation.end_date.year:
                    errors.append(ImportError_(OPERATIONS, operation.line or 0, "start_date",
                                               f"une ligne de cofinancement déjà enregistrée ({line.year}) sortirait "
                                               "de la période de l'opération"))
                    break

    participants = dataset.by_ref(PARTICIPANTS)
    participations: dict[str, ParticipationState] = dict(existing.participations)
    for row in dataset.rows[PARTICIPATIONS]:
        def error(column, message, row=row):
            errors.append(ImportError_(PARTICIPATIONS, row.line, column, message))
        person, ref = row["participant_ref"], row["operation_ref"]
        if person and "participant_ref" not in row.bad and person not in participants:
            error("participant_ref", f"personne « {person} » absente de participants.csv")
        operation = operations.get(ref) if ref else None
        if ref and "operation_ref" not in row.bad and operation is None:
            error("operation_ref", f"opération « {ref} » absente de operations.csv et de Parcours")
        entry, exit_ = row["entry_date"], row["exit_date"]
        if entry is not None and operation is not None and operation.start_date and operation.end_date \
                and not operation.start_date <= entry <= operation.end_date:
            error("entry_date", f"l'entrée ({entry.isoformat()}) est hors de la période de l'opération "
                                f"« {ref} » ({operation.start_date.isoformat()} – {operation.end_date.isoformat()})")
        if entry is not None and exit_ is not None and exit_ < entry:
            error("exit_date", f"la sortie ({exit_.isoformat()}) précède l'entrée ({entry.isoformat()})")
        status = row["labour_status"]
        if status == LabourStatus.UNEMPLOYED and row["unemployment_months"] is None \
                and "unemployment_months" not in row.bad:
            error("unemployment_months", "durée du chômage obligatoire quand labour_status est « unemployed »")
        if row["improved_situation_6_months"] is not None and status is not None \
                and status not in (LabourStatus.EMPLOYED, LabourStatus.SELF_EMPLOYED):
            error("improved_situation_6_months", "seulement pour une personne « employed » ou « self_employed » "
                                                 f"à l'entrée (ici « {status} »)")
        if row["participation_ref"] and person:
            key = ("pk", existing.participant_pks[person]) if person in existing.participant_pks else ("new", person)
            participations[row["participation_ref"]] = ParticipationState(
                ref=row["participation_ref"], participant_key=key, operation_ref=ref or "", entry_date=entry,
                exit_date=exit_, line=row.line)

    # Participations already in Parcours must still fit an operation whose period the file changes.
    for state in existing.participations.values():
        if state.ref in participations and participations[state.ref].line is not None:
            continue
        operation = operations.get(state.operation_ref)
        if operation is None or operation.line is None or not (operation.start_date and operation.end_date):
            continue
        if state.entry_date and not operation.start_date <= state.entry_date <= operation.end_date:
            errors.append(ImportError_(OPERATIONS, operation.line, "start_date",
                                       f"la participation « {state.ref} » déjà enregistrée dans Parcours "
                                       f"({state.entry_date.isoformat()}) sortirait de la période de l'opération"))

    # One participation per person and operation; none overlapping in two operations of the same beneficiary.
    by_person: dict[tuple, list[ParticipationState]] = {}
    for state in participations.values():
        by_person.setdefault(state.participant_key, []).append(state)
    far = date.max
    for states in by_person.values():
        if len(states) < 2:
            continue
        states.sort(key=lambda s: (s.line is not None, s.line or 0))
        for i, later in enumerate(states):
            if later.line is None:
                continue
            for earlier in states[:i]:
                where = f"ligne {earlier.line}" if earlier.line else "déjà enregistrée dans Parcours"
                if earlier.operation_ref == later.operation_ref:
                    errors.append(ImportError_(PARTICIPATIONS, later.line, "operation_ref",
                                               f"la personne a déjà une participation à l'opération "
                                               f"« {later.operation_ref} » (« {earlier.ref} », {where})"))
                    break
                a, b = operations.get(earlier.operation_ref), operations.get(later.operation_ref)
                if a is None or b is None or a.beneficiary != b.beneficiary or not (
                        earlier.entry_date and later.entry_date):
                    continue
                if earlier.entry_date <= (later.exit_date or far) and later.entry_date <= (earlier.exit_date or far):
                    errors.append(ImportError_(PARTICIPATIONS, later.line, "entry_date",
                                               f"chevauche la participation « {earlier.ref} » ({where}) de la même "
                                               f"personne à l'opération « {earlier.operation_ref} » du même "
                                               f"bénéficiaire « {a.beneficiary} »"))
                    break
    return errors


# The clauses' columns and refs join COLUMNS and REF_COLUMN when their module loads (it reads this one's parsers).
from . import clauses as _clauses  # noqa: E402,F401
