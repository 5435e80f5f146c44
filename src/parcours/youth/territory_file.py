"""The Mission Locale's part of the territory file: `mission_locale.sites` (docs/domain.md#the-territory-file).

Registered as a section of the file (`territory.sections`) by the app: the loader checks it with the rest of the
file and loads it in the same transaction, keyed by (territory, code), so that loading twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from parcours.core.plausibility import name_problem
from parcours.organisations.enums import PrescriberType
from parcours.organisations.models import Organisation
from parcours.territory.enums import HelpdeskKind
from parcours.territory.models import Helpdesk, Territory
from parcours.territory.sections import TerritorySection

from .enums import SiteKind
from .models import Site

CODE_RE = re.compile(r"^[a-z0-9_]{1,64}$")


def sites_check(data: dict[str, Any]) -> list[str]:
    ml = data.get("mission_locale")
    if not isinstance(ml, dict) or ml.get("sites") is None:
        return []
    sites = ml["sites"]
    if not isinstance(sites, list):
        return [_("%(field)s : liste attendue") % {"field": "mission_locale.sites"}]
    errors: list[str] = []
    seen: set[str] = set()
    for i, site in enumerate(sites):
        where = f"mission_locale.sites[{i}]"
        if not isinstance(site, dict):
            errors.append(_("%(field)s : objet attendu") % {"field": where})
            continue
        code = site.get("code")
        if not (isinstance(code, str) and CODE_RE.match(code)):
            errors.append(_("%(field)s : code invalide (lettres minuscules, chiffres et _, 64 au plus)")
                          % {"field": f"{where}.code"})
        elif code in seen:
            errors.append(_("%(field)s : code en double (%(code)s)") % {"field": f"{where}.code", "code": code})
        else:
            seen.add(code)
        name = site.get("name")
        if name is None or name == "":
            errors.append(_("%(field)s : champ obligatoire") % {"field": f"{where}.name"})
        elif not isinstance(name, str):
            errors.append(_("%(field)s : texte attendu") % {"field": f"{where}.name"})
        elif len(name) > 200:
            errors.append(_("%(field)s : %(max)s caractères au plus") % {"field": f"{where}.name", "max": 200})
        elif problem := name_problem(name):
            errors.append(f"{where}.name : {problem}")
        if site.get("kind") not in SiteKind.values:
            errors.append(_("%(field)s : type inconnu (valeurs admises : %(values)s)")
                          % {"field": f"{where}.kind", "values": ", ".join(SiteKind.values)})
        interviews = site.get("interviews_2024")
        if interviews is not None and not (isinstance(interviews, int) and not isinstance(interviews, bool)
                                           and interviews >= 0):
            errors.append(_("%(field)s : nombre entier positif ou nul attendu")
                          % {"field": f"{where}.interviews_2024"})
    return errors


def sites_load(territory: Territory, data: dict[str, Any], report: Callable[[str, str], None]) -> None:
    """Create or update the file's sites (a site the file no longer lists is kept: events may name it)."""
    ml = data.get("mission_locale") or {}
    existing = {site.code: site for site in Site.objects.filter(territory=territory)}
    for item in ml.get("sites") or []:
        values = {"name": item["name"], "kind": item["kind"], "interviews_2024": item.get("interviews_2024")}
        site = existing.get(item["code"])
        if site is None:
            site = Site(territory=territory, code=item["code"], **values)
            outcome = "created"
        elif any(getattr(site, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(site, name, value)
            outcome = "updated"
        else:
            report(_("Lieux de la Mission Locale"), "unchanged")
            continue
        site.full_clean()
        site.save()
        report(_("Lieux de la Mission Locale"), outcome)
    _sites_as_places(territory, ml, report)


# The sites where advisers receive young people in person are places of the territory too (docs/places.md): the
# places page lists them beside the PLIE's. A place of that name already there (from the file's permanences, or
# kept on the page) is left as it is.
RECEIVING_SITES = (SiteKind.PERMANENCE, SiteKind.ANTENNA)


def _sites_as_places(territory: Territory, ml: dict[str, Any], report: Callable[[str, str], None]) -> None:
    sites = [item for item in ml.get("sites") or [] if item["kind"] in RECEIVING_SITES]
    if not sites:
        return
    mission_locale = Organisation.objects.filter(territory=territory, name=ml.get("name"),
                                                 prescriber_type=PrescriberType.MISSION_LOCALE).first()
    known = set(Helpdesk.objects.filter(territory=territory, name__in=[s["name"] for s in sites])
                .values_list("name", flat=True))
    for item in sites:
        if item["name"] in known:
            report(_("Lieux d'accueil"), "unchanged")
            continue
        place = Helpdesk(territory=territory, name=item["name"], kind=HelpdeskKind.PERMANENCE,
                         organisation=mission_locale)
        place.full_clean()
        place.save()
        known.add(item["name"])
        report(_("Lieux d'accueil"), "created")


SITES_SECTION = TerritorySection(name="mission_locale.sites", check=sites_check, load=sites_load)
