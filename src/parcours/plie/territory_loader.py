"""Loading a territory's reference file (communes, QPV, helpdesks, the PLIE — its structure and its programme —
and the other structures).

The file shape is documented in docs/domain.md. `territory_file_check` lists every problem
before anything is written; `territory_load` writes in one transaction, keyed by natural keys
(territory name, INSEE code, QPV code, structure name, helpdesk name), so loading twice changes
nothing the second time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record
from parcours.core.plausibility import name_problem, phone_e164, phone_problem
from parcours.organisations.enums import OrganisationKind, PrescriberType
from parcours.organisations.models import Organisation
from parcours.programmes.models import Programme
from parcours.territory.enums import HelpdeskKind
from parcours.territory.models import Commune, Helpdesk, Qpv, Territory
from parcours.territory.sections import territory_sections

from .definition import PLIE

DEFAULT_TERRITORY_FILE = Path(__file__).resolve().parent.parent / "territory" / "data" / "territory-clermont.json"

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
SIREN_RE = re.compile(r"^\d{9}$")
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class TerritoryFileError(ValueError):
    """The file cannot be loaded; `errors` lists every problem as « champ : message », in French."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadReport:
    """Per kind of object ("communes", "qpv"…): how many were created, updated, left unchanged."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def lines(self) -> list[str]:
        return [
            _("%(kind)s : %(created)s créé(s), %(updated)s mis à jour, %(unchanged)s inchangé(s)")
            % {"kind": kind, "created": c["created"], "updated": c["updated"], "unchanged": c["unchanged"]}
            for kind, c in self.counts.items()
        ]


def territory_file_read(path: Path | str) -> dict:
    """Read and check a territory file; raises TerritoryFileError listing every problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TerritoryFileError([_("fichier : introuvable (%(path)s)") % {"path": path}]) from None
    except OSError:
        raise TerritoryFileError([_("fichier : lecture impossible (%(path)s)") % {"path": path}]) from None
    except UnicodeDecodeError:
        raise TerritoryFileError([_("fichier : encodage UTF-8 attendu")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TerritoryFileError([_("fichier : JSON invalide, ligne %(line)s colonne %(col)s (%(msg)s)")
                                  % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}]) from None
    errors = territory_file_check(data)
    if errors:
        raise TerritoryFileError(errors)
    return data


# --- checking ---------------------------------------------------------------------------------
def _text(errors: list[str], obj: dict, key: str, where: str, *, required: bool = True, max_length: int = 200) -> None:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            errors.append(_("%(field)s : champ obligatoire") % {"field": f"{where}.{key}"})
        return
    if not isinstance(value, str):
        errors.append(_("%(field)s : texte attendu") % {"field": f"{where}.{key}"})
    elif len(value) > max_length:
        errors.append(_("%(field)s : %(max)s caractères au plus") % {"field": f"{where}.{key}", "max": max_length})
    elif "\x00" in value:  # PostgreSQL cannot store it
        errors.append(_("%(field)s : caractère nul (U+0000) interdit") % {"field": f"{where}.{key}"})


def _object(errors: list[str], data: dict, key: str, *, required: bool = True) -> dict | None:
    value = data.get(key)
    if value is None:
        if required:
            errors.append(_("%(field)s : champ obligatoire") % {"field": key})
        return None
    if not isinstance(value, dict):
        errors.append(_("%(field)s : objet attendu") % {"field": key})
        return None
    return value


def _list(errors: list[str], data: dict, key: str, *, required: bool = True) -> list:
    value = data.get(key)
    if value is None:
        if required:
            errors.append(_("%(field)s : champ obligatoire") % {"field": key})
        return []
    if not isinstance(value, list):
        errors.append(_("%(field)s : liste attendue") % {"field": key})
        return []
    return value


def _structure(errors: list[str], obj: Any, where: str, *, name_required: bool = True) -> bool:
    if not isinstance(obj, dict):
        errors.append(_("%(field)s : objet attendu") % {"field": where})
        return False
    _text(errors, obj, "name", where, required=name_required)
    _text(errors, obj, "address", where, required=False, max_length=300)
    _text(errors, obj, "phone", where, required=False, max_length=30)
    if isinstance(obj.get("phone"), str) and (problem := phone_problem(obj["phone"])):
        errors.append(f"{where}.phone : {problem}")
    if isinstance(obj.get("name"), str) and (problem := name_problem(obj["name"])):
        errors.append(f"{where}.name : {problem}")
    return True


# What the file may say of a place besides its name, address and phone (docs/places.md): written only when the
# file gives it, so that hours typed in the interface survive a reload of a file that says nothing of them.
PLACE_TEXTS = {"opening_hours": 1000, "offer": 2000, "email": 254}


def _place(errors: list[str], obj: dict, where: str) -> None:
    for key, max_length in PLACE_TEXTS.items():
        _text(errors, obj, key, where, required=False, max_length=max_length)
    email = obj.get("email")
    if isinstance(email, str) and email and not EMAIL_RE.match(email):
        errors.append(_("%(field)s : adresse électronique invalide") % {"field": f"{where}.email"})


def _place_values(obj: dict, kind: str) -> dict:
    return {"kind": kind, **{key: obj[key].strip() for key in PLACE_TEXTS if isinstance(obj.get(key), str)}}


def _phone(number: str) -> str:
    """Stored in E.164 like every phone number (the file was checked: it parses)."""
    return phone_e164(number) if number else ""


def territory_file_check(data: Any) -> list[str]:
    """Every problem of a territory file, each naming its field (`communes[3].insee : …`)."""
    if not isinstance(data, dict):
        return [_("fichier : un objet JSON est attendu")]
    errors: list[str] = []

    territory = _object(errors, data, "territory")
    if territory is not None:
        _text(errors, territory, "name", "territory")
        siren = territory.get("siren")
        if siren not in (None, "") and not (isinstance(siren, str) and SIREN_RE.match(siren)):
            errors.append(_("territory.siren : SIREN invalide (9 chiffres attendus)"))

    communes = _list(errors, data, "communes")
    if territory is not None and not communes and isinstance(data.get("communes"), list):
        errors.append(_("communes : au moins une commune est attendue"))
    seen_insee: set[str] = set()
    for i, commune in enumerate(communes):
        where = f"communes[{i}]"
        if not isinstance(commune, dict):
            errors.append(_("%(field)s : objet attendu") % {"field": where})
            continue
        insee = commune.get("insee")
        if not (isinstance(insee, str) and INSEE_RE.match(insee)):
            errors.append(_("%(field)s : code INSEE invalide") % {"field": f"{where}.insee"})
        elif insee in seen_insee:
            errors.append(_("%(field)s : code INSEE en double (%(code)s)") % {"field": f"{where}.insee", "code": insee})
        else:
            seen_insee.add(insee)
        _text(errors, commune, "name", where)
        postal_codes = commune.get("postal_codes", [])
        if not isinstance(postal_codes, list):
            errors.append(_("%(field)s : liste attendue") % {"field": f"{where}.postal_codes"})
        else:
            for j, code in enumerate(postal_codes):
                if not (isinstance(code, str) and POSTAL_CODE_RE.match(code)):
                    errors.append(_("%(field)s : code postal invalide (5 chiffres attendus)")
                                  % {"field": f"{where}.postal_codes[{j}]"})

    seen_qpv: set[str] = set()
    for i, qpv in enumerate(_list(errors, data, "qpv", required=False)):
        where = f"qpv[{i}]"
        if not isinstance(qpv, dict):
            errors.append(_("%(field)s : objet attendu") % {"field": where})
            continue
        code = qpv.get("code")
        if not (isinstance(code, str) and SLUG_RE.match(code) and len(code) <= 64):
            errors.append(_("%(field)s : code invalide (lettres, chiffres et tirets)") % {"field": f"{where}.code"})
        elif code in seen_qpv:
            errors.append(_("%(field)s : code en double (%(code)s)") % {"field": f"{where}.code", "code": code})
        else:
            seen_qpv.add(code)
        _text(errors, qpv, "name", where)
        if qpv.get("commune_insee") not in seen_insee:
            errors.append(_("%(field)s : commune absente de la liste des communes")
                          % {"field": f"{where}.commune_insee"})

    plie = _object(errors, data, "plie")
    if plie is not None:
        _structure(errors, plie, "plie")
        agency = plie.get("agency")
        if agency is not None and _structure(errors, agency, "plie.agency"):
            _place(errors, agency, "plie.agency")

    seen_names: set[str] = set()
    for i, operator in enumerate(_list(errors, data, "operators")):
        where = f"operators[{i}]"
        if _structure(errors, operator, where):
            _place(errors, operator, where)
            name = operator.get("name")
            if isinstance(name, str) and name in seen_names:
                errors.append(_("%(field)s : structure en double (%(name)s)") % {"field": f"{where}.name", "name": name})
            seen_names.add(name)

    mission_locale = _object(errors, data, "mission_locale", required=False)
    if mission_locale is not None:
        _structure(errors, mission_locale, "mission_locale")

    # Permanences: places held by a structure of the file elsewhere than at its premises (docs/places.md).
    structures = {s.get("name") for s in (plie or {}, mission_locale or {})} | seen_names
    places = set(seen_names)
    if plie is not None and isinstance(plie.get("agency"), dict):
        places.add(plie["agency"].get("name"))
    for i, permanence in enumerate(_list(errors, data, "permanences", required=False)):
        where = f"permanences[{i}]"
        if not _structure(errors, permanence, where):
            continue
        _place(errors, permanence, where)
        name = permanence.get("name")
        if isinstance(name, str) and name in places:
            errors.append(_("%(field)s : lieu en double (%(name)s)") % {"field": f"{where}.name", "name": name})
        places.add(name)
        held_by = permanence.get("organisation")
        if held_by not in (None, "") and held_by not in structures:
            errors.append(_("%(field)s : structure absente du fichier (%(name)s)")
                          % {"field": f"{where}.organisation", "name": held_by})
    for section in territory_sections():  # the parts a programme loads itself (the Mission Locale's sites)
        errors += section.check(data)
    return errors


# --- loading ----------------------------------------------------------------------------------
def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Create, update or leave as it is; the outcome tells which (for the report)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    obj.save()
    return obj, "updated"


def territory_load(*, data: dict, by=None) -> tuple[Territory, LoadReport]:
    """Load a checked territory file (see territory_file_check) in one transaction."""
    errors = territory_file_check(data)
    if errors:
        raise TerritoryFileError(errors)
    report = LoadReport()
    with transaction.atomic():
        t = data["territory"]
        territory, outcome = _upsert(Territory, {"name": t["name"]}, {"siren": t.get("siren") or ""})
        report.add(_("Territoire"), outcome)

        communes: dict[str, Commune] = {}
        for c in data["communes"]:
            commune, outcome = _upsert(Commune, {"territory": territory, "insee": c["insee"]},
                                       {"name": c["name"], "postal_codes": list(c.get("postal_codes", []))})
            communes[commune.insee] = commune
            report.add(_("Communes"), outcome)

        for q in data.get("qpv") or []:
            _unused, outcome = _upsert(Qpv, {"territory": territory, "code": q["code"]},
                                 {"name": q["name"], "commune": communes[q["commune_insee"]]})
            report.add(_("QPV"), outcome)

        plie_data = data["plie"]
        agency = plie_data.get("agency") or {}
        plie, outcome = _upsert(Organisation, {"territory": territory, "name": plie_data["name"]}, {
            "kind": OrganisationKind.PLIE, "prescriber_type": PrescriberType.PLIE,
            "address": plie_data.get("address") or agency.get("address", ""),
            "phone": _phone(plie_data.get("phone") or agency.get("phone", "")),
        })
        report.add(_("Structures"), outcome)
        # The PLIE's programme: created with its definition's rules; a reload keeps the rules set since.
        programme = Programme.objects.filter(territory=territory, kind=PLIE).first()
        if programme is None:
            programme = Programme(territory=territory, kind=PLIE, name=plie_data["name"], organisation=plie)
            programme.full_clean()
            programme.save()
            report.add(_("Dispositifs"), "created")
        elif (programme.name, programme.organisation_id) != (plie_data["name"], plie.pk):
            programme.name, programme.organisation = plie_data["name"], plie
            programme.full_clean()
            programme.save()
            report.add(_("Dispositifs"), "updated")
        else:
            report.add(_("Dispositifs"), "unchanged")
        if agency:
            _unused, outcome = _upsert(Helpdesk, {"territory": territory, "name": agency["name"]},
                                 {"address": agency.get("address", ""), "phone": _phone(agency.get("phone", "")),
                                  "organisation": plie, **_place_values(agency, HelpdeskKind.AGENCY)})
            report.add(_("Lieux d'accueil"), outcome)

        for o in data["operators"]:
            operator, outcome = _upsert(Organisation, {"territory": territory, "name": o["name"]}, {
                "kind": OrganisationKind.OPERATOR, "prescriber_type": "",
                "address": o.get("address", ""), "phone": _phone(o.get("phone", "")),
            })
            report.add(_("Structures"), outcome)
            # Each operator structure receives people at its own address (seed 000, "helpdesks").
            _unused, outcome = _upsert(Helpdesk, {"territory": territory, "name": o["name"]},
                                 {"address": o.get("address", ""), "phone": _phone(o.get("phone", "")),
                                  "organisation": operator, **_place_values(o, HelpdeskKind.OPERATOR)})
            report.add(_("Lieux d'accueil"), outcome)

        ml = data.get("mission_locale")
        if ml:
            _unused, outcome = _upsert(Organisation, {"territory": territory, "name": ml["name"]}, {
                "kind": OrganisationKind.PRESCRIBER, "prescriber_type": PrescriberType.MISSION_LOCALE,
                "address": ml.get("address", ""), "phone": _phone(ml.get("phone", "")),
            })
            report.add(_("Structures"), outcome)
        for p in data.get("permanences", []):
            held_by = (Organisation.objects.get(territory=territory, name=p["organisation"])
                       if p.get("organisation") else None)
            _unused, outcome = _upsert(Helpdesk, {"territory": territory, "name": p["name"]},
                                       {"address": p.get("address", ""), "phone": _phone(p.get("phone", "")),
                                        "organisation": held_by, **_place_values(p, HelpdeskKind.PERMANENCE)})
            report.add(_("Lieux d'accueil"), outcome)
        for section in territory_sections():
            section.load(territory, data, report.add)

        # A reload that changes nothing leaves no trace, so the load stays idempotent.
        if any(c["created"] or c["updated"] for c in report.counts.values()):
            audit_record(actor=by, action="territory_load", obj=territory, participant_id=None,
                         after={kind: dict(c) for kind, c in report.counts.items()})
    return territory, report
