"""The Mission Locale's activity report for a chosen period: `parcours youth-report`'s figures, as tables."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.organisations.capabilities import YOUTH_REPORT
from parcours.organisations.scope import memberships_with
from parcours.youth.enums import Fund, PmsmpAim, SchemeExit, SituationCategory, WorkshopTheme
from parcours.youth.selectors import MAIN_SITE, youth_report, youth_site_names

from ..permissions import capability_required
from .forms import YouthReportForm

PROFILE_COLUMNS = ("total", "men", "qpv", "antenna", "minors")


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def _euros(value: float) -> str:
    return f"{value:,.2f} €".replace(",", " ").replace(".", ",")


def _tables(data: dict, site_names: dict[str, str]) -> list[dict]:
    """Each table: caption, column headings, rows (heading, cells); numbers as the page shows them."""
    profiles = {"caption": _("Jeunes par étape, avec la part des hommes, des résidents QPV, de l'antenne et des "
                             "mineur·es"),
                "columns": [_("Total"), _("Hommes"), _("QPV"), _("Antenne"), _("Mineur·es")],
                "rows": [(label, [block[key] for key in PROFILE_COLUMNS]) for label, block in (
                    (_("Premier accueil"), data["first_reception"]), (_("Jeunes accompagnés"), data["accompanied"]),
                    (_("PACEA signés"), data["pacea"]), (_("Entrées en CEJ"), data["cej"]["entries"]))]}
    cej = data["cej"]
    cej_table = {"caption": _("CEJ : entrées par le SAS collectif et sorties"), "columns": [_("Nombre")],
                 "rows": [(_("Entrées par le SAS collectif"), [cej["collective_start"]]),
                          (_("PACEA signés par des jeunes infra-bac"), [data["pacea"]["infra_bac"]]),
                          (_("Sorties de CEJ"), [cej["exits"]]), (_("dont sorties positives"), [cej["positive"]]),
                          (_("Taux de sorties positives"), [_rate(cej["positive_rate"])])]
                 + [(str(label), [cej["exits_by_situation"][code]]) for code, label in SchemeExit.choices]}
    situations = {"caption": _("Situations commencées dans la période (jeunes distincts)"),
                  "columns": [_("Jeunes"), _("dont QPV")],
                  "rows": [(str(label), [data["situations"][code]["young_people"], data["situations"][code]["qpv"]])
                           for code, label in SituationCategory.choices]}
    pmsmp = data["pmsmp"]
    pmsmp_table = {"caption": _("Immersions en entreprise (PMSMP) commencées dans la période"),
                   "columns": [_("Nombre"), _("Part")],
                   "rows": [(_("Immersions"), [pmsmp["total"], ""])]
                   + [(str(label), [pmsmp["by_aim"][code], ""]) for code, label in PmsmpAim.choices]
                   + [(_("Terminées (date de fin connue)"), [pmsmp["with_end_date"], ""])]
                   + [(label, [pmsmp["employment_within"][key], _rate(pmsmp["employment_within_rate"][key])])
                      for key, label in (("15_days", _("En emploi ou alternance 15 jours après")),
                                         ("1_month", _("… un mois après")), ("3_months", _("… trois mois après")))]}
    workshops = data["workshops"]
    workshop_table = {"caption": _("Ateliers : séances, jeunes prescrits et présents"),
                      "columns": [_("Séances"), _("Prescrits"), _("Présents")],
                      "rows": [(str(label), [workshops["by_theme"][code][key]
                                             for key in ("sessions", "prescribed", "present")])
                               for code, label in WorkshopTheme.choices]
                      + [(_("Total"), [workshops[key] for key in ("sessions", "prescribed", "present")])]}
    aids = data["aids"]
    aid_table = {"caption": _("Aides financières et allocations décidées"), "columns": [_("Décisions"), _("Montant")],
                 "rows": [(str(label), [aids["by_fund"][code]["count"], _euros(aids["by_fund"][code]["amount"])])
                          for code, label in Fund.choices]
                 + [(_("Total"), [sum(f["count"] for f in aids["by_fund"].values()), _euros(aids["total_amount"])])]}
    interviews = {"caption": _("Entretiens individuels par lieu"), "columns": [_("Entretiens")],
                  "rows": [(_("Siège") if code == MAIN_SITE else site_names.get(code, code), [count])
                           for code, count in data["interviews_by_site"].items()]}
    return [profiles, cej_table, situations, pmsmp_table, workshop_table, aid_table, interviews]


@capability_required(YOUTH_REPORT)
def report(request):
    """Aggregated, anonymous figures of the territory of the current structure: no person is shown."""
    form = YouthReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs["aria-describedby"] = f"{form[name].auto_id}_erreurs"
        return render(request, "youth/report.html", {"form": form, "tables": None}, status=400)
    territory_id = memberships_with(request.user, YOUTH_REPORT)[0].organisation.territory_id
    data = youth_report(territory_id=territory_id, date_from=form.cleaned_data["date_from"],
                        date_to=form.cleaned_data["date_to"])
    return render(request, "youth/report.html", {
        "form": form, "period": data["period"], "tables": _tables(data, youth_site_names(territory_id=territory_id))})
