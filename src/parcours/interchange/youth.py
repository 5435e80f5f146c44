"""The Mission Locale's files of the interchange data set (docs/spec/youth.md): their checks across rows, files
and what Parcours holds, their writes and their export.

The cells are parsed by `reader` (its COLUMNS); the importer reads the territory's records once
(`youth_records`), adds `youth_check`'s errors to the others, and calls `youth_write` in its transaction.

A young person (young_people.csv, `youth_ref`) is a kernel `Participant` of the territory with a Mission Locale
file (`youth.YouthFile`) holding the ref: the ref is the file's, never the person's `external_ref`, so a
`youth_ref` and a `participant_ref` are independent (docs/youth.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from parcours.participants.models import Participant
from parcours.territory.models import Territory
from parcours.youth.enums import EXCLUSIVE_SCHEMES, SCHEME_MAX_MONTHS, EnrolmentStatus, SiteKind, SituationCategory
from parcours.youth.models import (
    Aid, SchemeEnrolment, Site, WorkshopRegistration, WorkshopSession, YouthEvent, YouthFile, YouthSituation,
)
from parcours.youth.selectors import add_months

from .reader import (
    AIDS, EVENTS, SCHEMES, SITUATIONS, WORKSHOP_REGISTRATIONS, WORKSHOP_SESSIONS, YOUNG_PEOPLE, DataSet,
    ImportError_,
)

PERSON_FIELDS = ["last_name", "first_name", "sex", "birth_date", "commune_id", "qpv_id", "education_level"]
FILE_FIELDS = ["participant_id", "first_reception_date", "antenna_id"]
EVENT_FIELDS = ["youth_file_id", "date", "kind", "site_id", "duration_minutes"]
# `status` follows the end date (the workflow's state, docs/youth.md): a file ending an enrolment ends it.
SCHEME_FIELDS = ["youth_file_id", "scheme", "start_date", "end_date", "collective_start", "exit_situation", "status"]
SITUATION_FIELDS = ["youth_file_id", "category", "start_date", "end_date", "contract_type", "pmsmp_aim",
                    "employer_siret"]
AID_FIELDS = ["youth_file_id", "fund", "decision_date", "amount", "purpose"]
SESSION_FIELDS = ["workshop", "theme", "date", "capacity"]
REGISTRATION_FIELDS = ["session_id", "youth_file_id", "status"]
# file -> (model, ref column, fields compared and written)
RECORDS = {
    EVENTS: (YouthEvent, "event_ref", EVENT_FIELDS),
    SCHEMES: (SchemeEnrolment, "scheme_ref", SCHEME_FIELDS),
    SITUATIONS: (YouthSituation, "situation_ref", SITUATION_FIELDS),
    AIDS: (Aid, "aid_ref", AID_FIELDS),
    WORKSHOP_SESSIONS: (WorkshopSession, "session_ref", SESSION_FIELDS),
}


@dataclass
class YouthRecords:
    """The territory's Mission Locale records as the import matches them, each read once."""

    sites: dict[str, tuple[int, str]]                 # code -> (pk, kind)
    files: dict[int, dict]                            # YouthFile pk -> its values (and youth_ref)
    file_pks: dict[str, int]                          # youth_ref -> YouthFile pk
    people: dict[int, dict]                           # Participant pk -> its identity fields
    records: dict[str, dict[int, dict]]               # file -> pk -> values (and the ref)
    pks: dict[str, dict[str, int]]                    # file -> ref -> pk
    registrations: dict[int, dict]
    registration_pks: dict[tuple[str, str], int]      # (session_ref, youth_ref) -> pk


def youth_records(territory: Territory) -> YouthRecords:
    sites = {code: (pk, kind) for pk, code, kind in
             Site.objects.filter(territory=territory).values_list("pk", "code", "kind")}
    files = {r["id"]: r for r in YouthFile.objects.filter(territory=territory).values(
        "id", "youth_ref", *FILE_FIELDS).iterator(chunk_size=5000)}
    people = {r["id"]: r for r in Participant.objects.filter(youth_file__territory=territory).values(
        "id", *PERSON_FIELDS).iterator(chunk_size=5000)}
    records, pks = {}, {}
    for file, (model, ref, fields) in RECORDS.items():
        records[file] = {r["id"]: r for r in model.objects.filter(territory=territory).values(
            "id", ref, *fields).iterator(chunk_size=5000)}
        pks[file] = {r[ref]: pk for pk, r in records[file].items()}
    registrations = {r["id"]: r for r in WorkshopRegistration.objects.filter(session__territory=territory).values(
        "id", *REGISTRATION_FIELDS).iterator(chunk_size=5000)}
    session_ref = {pk: r["session_ref"] for pk, r in records[WORKSHOP_SESSIONS].items()}
    registration_pks = {(session_ref[r["session_id"]], files[r["youth_file_id"]]["youth_ref"]): pk
                        for pk, r in registrations.items()}
    return YouthRecords(sites=sites, files=files, file_pks={r["youth_ref"]: pk for pk, r in files.items()},
                        people=people, records=records, pks=pks, registrations=registrations,
                        registration_pks=registration_pks)


# --- checks -----------------------------------------------------------------------------------------------------------

@dataclass
class _Enrolment:
    ref: str
    youth_ref: str
    scheme: str
    start: date
    end: date | None
    line: int | None  # line in schemes.csv; None when only in Parcours


def _overlap(a: _Enrolment, b: _Enrolment) -> bool:
    """Days in common, both bounds included (an enrolment without end runs on)."""
    return a.start <= (b.end or date.max) and b.start <= (a.end or date.max)


def youth_check(dataset: DataSet, records: YouthRecords) -> list[ImportError_]:
    """The rules of docs/spec/youth.md across rows, files and the database."""
    errors: list[ImportError_] = []

    def error(file: str, line: int, column: str, message: str) -> None:
        errors.append(ImportError_(file, line, column, message))

    # The young people: from the file, else from Parcours (ref -> first reception).
    ref_of_file = {pk: r["youth_ref"] for pk, r in records.files.items()}
    reception: dict[str, date | None] = {r["youth_ref"]: r["first_reception_date"] for r in records.files.values()}
    reception_line: dict[str, int] = {}
    for row in dataset.rows[YOUNG_PEOPLE]:
        code = row["antenna"]
        if code:
            site = records.sites.get(code)
            if site is None:
                error(YOUNG_PEOPLE, row.line, "antenna", f"antenne « {code} » absente des lieux de la Mission Locale "
                                                         "du territoire")
            elif site[1] != SiteKind.ANTENNA:
                error(YOUNG_PEOPLE, row.line, "antenna", f"le lieu « {code} » n'est pas une antenne "
                                                         f"(type « {site[1]} »)")
        if row["youth_ref"]:
            reception[row["youth_ref"]] = row["first_reception_date"]
            reception_line[row["youth_ref"]] = row.line

    def known(file: str, row, column: str = "youth_ref") -> bool:
        ref = row[column]
        if not ref or column in row.bad:
            return False
        if ref not in reception:
            error(file, row.line, column, f"jeune « {ref} » absent de young_people.csv et de Parcours")
            return False
        return True

    # Events: a site of the territory, not before the first reception.
    in_file = set()
    for row in dataset.rows[EVENTS]:
        in_file.add(row["event_ref"])
        code = row["site"]
        if code and code not in records.sites:
            error(EVENTS, row.line, "site", f"lieu « {code} » absent des lieux de la Mission Locale du territoire")
        if known(EVENTS, row) and row["date"] is not None:
            first = reception[row["youth_ref"]]
            if first is not None and row["date"] < first:
                error(EVENTS, row.line, "date", f"l'événement ({row['date'].isoformat()}) précède le premier "
                                                f"accueil du jeune ({first.isoformat()})")
    # Events already in Parcours must still follow a first reception the file moves.
    for r in records.records[EVENTS].values():
        youth_ref = ref_of_file[r["youth_file_id"]]
        if r["event_ref"] in in_file or youth_ref not in reception_line:
            continue
        first = reception[youth_ref]
        if first is not None and r["date"] < first:
            error(YOUNG_PEOPLE, reception_line[youth_ref], "first_reception_date",
                  f"l'événement « {r['event_ref']} » déjà enregistré dans Parcours ({r['date'].isoformat()}) "
                  "précéderait le premier accueil")
            reception_line.pop(youth_ref)  # once per young person

    # Enrolments: dates, exit, duration, one open per scheme, never PACEA and CEJ over the same days.
    enrolments: dict[str, _Enrolment] = {}
    for r in records.records[SCHEMES].values():
        enrolments[r["scheme_ref"]] = _Enrolment(r["scheme_ref"], ref_of_file[r["youth_file_id"]], r["scheme"],
                                                 r["start_date"], r["end_date"], None)
    for row in dataset.rows[SCHEMES]:
        start, end, scheme = row["start_date"], row["end_date"], row["scheme"]
        ok = known(SCHEMES, row)
        if end is None and row["exit_situation"] is not None and "end_date" not in row.bad:
            error(SCHEMES, row.line, "exit_situation", "situation de sortie sans date de fin")
        elif end is not None and row["exit_situation"] is None and "exit_situation" not in row.bad:
            error(SCHEMES, row.line, "exit_situation", "situation de sortie obligatoire quand la date de fin "
                                                       "est indiquée")
        if start is None or "end_date" in row.bad or scheme is None:
            enrolments.pop(row["scheme_ref"], None)
            continue
        if end is not None and end < start:
            error(SCHEMES, row.line, "end_date", f"la fin ({end.isoformat()}) précède le début ({start.isoformat()})")
        elif end is not None and scheme in SCHEME_MAX_MONTHS:
            months = SCHEME_MAX_MONTHS[scheme]
            if end > add_months(start, months):
                error(SCHEMES, row.line, "end_date",
                      f"un « {scheme} » dure {months} mois au plus : la fin ({end.isoformat()}) dépasse le "
                      f"{add_months(start, months).isoformat()}")
        if ok:
            enrolments[row["scheme_ref"]] = _Enrolment(row["scheme_ref"], row["youth_ref"], scheme, start, end,
                                                       row.line)
        else:
            enrolments.pop(row["scheme_ref"], None)
    by_person: dict[str, list[_Enrolment]] = {}
    for enrolment in enrolments.values():
        by_person.setdefault(enrolment.youth_ref, []).append(enrolment)
    for states in by_person.values():
        # Those already in Parcours first, then in file order: the later line is the one refused.
        states.sort(key=lambda s: (s.line is not None, s.line or 0))
        for i, later in enumerate(states):
            if later.line is None:
                continue
            for earlier in states[:i]:
                if not _overlap(earlier, later):
                    continue
                where = f"ligne {earlier.line}" if earlier.line else "déjà enregistrée dans Parcours"
                if earlier.scheme == later.scheme:
                    error(SCHEMES, later.line, "start_date",
                          f"le jeune a déjà une inscription « {later.scheme} » sur ces jours (« {earlier.ref} », "
                          f"{where}) : une seule à la fois par dispositif")
                    break
                if earlier.scheme in EXCLUSIVE_SCHEMES and later.scheme in EXCLUSIVE_SCHEMES:
                    error(SCHEMES, later.line, "start_date",
                          f"un PACEA et un CEJ ne se cumulent pas : l'inscription « {earlier.ref} » "
                          f"(« {earlier.scheme} », {where}) couvre des mêmes jours")
                    break

    for row in dataset.rows[SITUATIONS]:
        known(SITUATIONS, row)
        start, end = row["start_date"], row["end_date"]
        if start is not None and end is not None and end < start:
            error(SITUATIONS, row.line, "end_date", f"la fin ({end.isoformat()}) précède le début "
                                                    f"({start.isoformat()})")
        category = row["category"]
        if category == SituationCategory.EMPLOYMENT and row["contract_type"] is None \
                and "contract_type" not in row.bad:
            error(SITUATIONS, row.line, "contract_type", "type de contrat obligatoire pour une situation "
                                                         "« employment »")
        if category == SituationCategory.PMSMP and row["pmsmp_aim"] is None and "pmsmp_aim" not in row.bad:
            error(SITUATIONS, row.line, "pmsmp_aim", "objet de l'immersion obligatoire pour une situation « pmsmp »")

    for row in dataset.rows[AIDS]:
        known(AIDS, row)
        if row["amount"] is not None and row["amount"] <= 0:
            error(AIDS, row.line, "amount", "le montant doit être positif")

    sessions = set(records.pks[WORKSHOP_SESSIONS]) | {row["session_ref"] for row in dataset.rows[WORKSHOP_SESSIONS]}
    for row in dataset.rows[WORKSHOP_REGISTRATIONS]:
        ref = row["session_ref"]
        if ref and "session_ref" not in row.bad and ref not in sessions:
            error(WORKSHOP_REGISTRATIONS, row.line, "session_ref",
                  f"séance « {ref} » absente de workshop_sessions.csv et de Parcours")
        known(WORKSHOP_REGISTRATIONS, row)
    return errors


def _changed(existing: dict, values: dict) -> bool:
    return any(existing[k] != v for k, v in values.items())


# --- writes -----------------------------------------------------------------------------------------------------------

def youth_write(dataset: DataSet, *, territory: Territory, report, records: YouthRecords, communes: dict[str, int],
                qpvs: dict[str, int], apply: Callable, writer) -> None:
    """Create or update the files' rows by ref (`apply` is the importer's: bulk writes, counts, dry run).
    Records the files leave out are kept, as for every file of the format."""
    rows = []
    for row in dataset.rows[YOUNG_PEOPLE]:
        values = {"last_name": row["last_name"] or "", "first_name": row["first_name"] or "", "sex": row["sex"],
                  "birth_date": row["birth_date"], "commune_id": communes.get(row["commune_insee"]),
                  "qpv_id": qpvs.get(row["qpv_code"]), "education_level": row["education_level"] or ""}
        file_pk = records.file_pks.get(row["youth_ref"])
        rows.append((values, records.files[file_pk]["participant_id"] if file_pk else None, row["youth_ref"]))
    # A young person is two records (the person, the file) and one row: counted once, changed if either is.
    quiet = dataclasses.replace(writer, tracker=type(writer.tracker)(None, 0))
    person_pks = apply(Participant, rows, records.people, PERSON_FIELDS, type(report.files[YOUNG_PEOPLE])(),
                       extra_create=lambda ref: {"territory": territory}, versioned=True, writer=quiet)
    person_changed = {ref for values, pk, ref in rows if pk is not None and _changed(records.people[pk], values)}
    rows = []
    for row in dataset.rows[YOUNG_PEOPLE]:
        ref = row["youth_ref"]
        antenna = records.sites[row["antenna"]][0] if row["antenna"] else None
        values = {"participant_id": person_pks[ref], "first_reception_date": row["first_reception_date"],
                  "antenna_id": antenna}
        rows.append((values, records.file_pks.get(ref), ref))
    file_report = report.files[YOUNG_PEOPLE]
    file_pks = {**records.file_pks, **apply(
        YouthFile, rows, records.files, FILE_FIELDS, file_report,
        extra_create=lambda ref: {"territory": territory, "youth_ref": ref}, versioned=False, writer=writer)}
    moved = len({ref for values, pk, ref in rows if pk is not None and not _changed(records.files[pk], values)}
                & person_changed)
    file_report.updated += moved
    file_report.unchanged -= moved

    def site(code: str | None) -> int | None:
        return records.sites[code][0] if code else None

    shaped: dict[str, Callable[[dict], dict]] = {
        EVENTS: lambda row: {"youth_file_id": file_pks[row["youth_ref"]], "date": row["date"], "kind": row["kind"],
                             "site_id": site(row["site"]), "duration_minutes": row["duration_minutes"]},
        SCHEMES: lambda row: {"youth_file_id": file_pks[row["youth_ref"]], "scheme": row["scheme"],
                              "start_date": row["start_date"], "end_date": row["end_date"],
                              "collective_start": bool(row["collective_start"]),
                              "exit_situation": row["exit_situation"] or "",
                              "status": EnrolmentStatus.ENDED if row["end_date"] else EnrolmentStatus.ACTIVE},
        SITUATIONS: lambda row: {"youth_file_id": file_pks[row["youth_ref"]], "category": row["category"],
                                 "start_date": row["start_date"], "end_date": row["end_date"],
                                 "contract_type": row["contract_type"] or "", "pmsmp_aim": row["pmsmp_aim"] or "",
                                 "employer_siret": row["employer_siret"] or ""},
        AIDS: lambda row: {"youth_file_id": file_pks[row["youth_ref"]], "fund": row["fund"],
                           "decision_date": row["decision_date"], "amount": row["amount"],
                           "purpose": row["purpose"] or ""},
        WORKSHOP_SESSIONS: lambda row: {"workshop": row["workshop"], "theme": row["theme"], "date": row["date"],
                                        "capacity": row["capacity"]},
    }
    written: dict[str, dict[str, int]] = {}
    for file, (model, ref_column, fields) in RECORDS.items():
        rows = [(shaped[file](row), records.pks[file].get(row[ref_column]), row[ref_column])
                for row in dataset.rows[file]]
        written[file] = {**records.pks[file], **apply(
            model, rows, records.records[file], fields, report.files[file],
            extra_create=lambda ref, ref_column=ref_column: {"territory": territory, ref_column: ref},
            versioned=False, writer=writer)}

    rows = []
    for row in dataset.rows[WORKSHOP_REGISTRATIONS]:
        key = (row["session_ref"], row["youth_ref"])
        values = {"session_id": written[WORKSHOP_SESSIONS][row["session_ref"]],
                  "youth_file_id": file_pks[row["youth_ref"]], "status": row["status"]}
        rows.append((values, records.registration_pks.get(key), key))
    apply(WorkshopRegistration, rows, records.registrations, REGISTRATION_FIELDS,
          report.files[WORKSHOP_REGISTRATIONS], extra_create=lambda key: {}, versioned=False, writer=writer)


# --- export -----------------------------------------------------------------------------------------------------------

def youth_export(territory: Territory, *, anonymise: bool) -> dict[str, list[list]]:
    """The territory's Mission Locale records, in the columns of docs/spec/youth.md."""
    tables: dict[str, list[list]] = {}
    rows = []
    for r in YouthFile.objects.filter(territory=territory).values(
            "youth_ref", "participant__last_name", "participant__first_name", "participant__sex",
            "participant__birth_date", "participant__commune__insee", "participant__qpv__code",
            "participant__education_level", "first_reception_date", "antenna__code").iterator(chunk_size=5000):
        values = list(r.values())
        if anonymise:
            values[1:3] = ["", ""]
        rows.append(values)
    tables[YOUNG_PEOPLE] = rows
    mine = {"territory": territory}
    tables[EVENTS] = [list(r) for r in YouthEvent.objects.filter(**mine).values_list(
        "event_ref", "youth_file__youth_ref", "date", "kind", "site__code", "duration_minutes")]
    tables[SCHEMES] = [[*r[:5], "1" if r[5] else "", r[6]] for r in SchemeEnrolment.objects.filter(
        **mine).values_list("scheme_ref", "youth_file__youth_ref", "scheme", "start_date", "end_date",
                            "collective_start", "exit_situation")]
    tables[SITUATIONS] = [list(r) for r in YouthSituation.objects.filter(**mine).values_list(
        "situation_ref", "youth_file__youth_ref", "category", "start_date", "end_date", "contract_type", "pmsmp_aim",
        "employer_siret")]
    tables[AIDS] = [[*r[:4], f"{r[4]:.2f}", r[5]] for r in Aid.objects.filter(**mine).values_list(
        "aid_ref", "youth_file__youth_ref", "fund", "decision_date", "amount", "purpose")]
    tables[WORKSHOP_SESSIONS] = [list(r) for r in WorkshopSession.objects.filter(**mine).values_list(
        "session_ref", "workshop", "theme", "date", "capacity")]
    tables[WORKSHOP_REGISTRATIONS] = [list(r) for r in WorkshopRegistration.objects.filter(
        session__territory=territory).values_list("session__session_ref", "youth_file__youth_ref", "status")]
    return tables
