"""One report = the indicators of the selected period plus the year-by-year series, and their layout.

The figures come from `reporting.indicators.indicators_compute_with_series` (aggregated in the database): the
period's indicators and the year-by-year series (at most SERIES_YEARS) in the same two queries, so a page or an
export costs a fixed number of queries whatever the volume of pathways.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from parcours.organisations.enums import OrganisationKind
from parcours.organisations.capabilities import REPORTING_READ
from parcours.organisations.models import User
from parcours.organisations.scope import memberships_with
from parcours.reporting.indicators import indicators_compute_with_series

from .figures import Section, period_label, sections
from .forms import Selection

SERIES_YEARS = 5


def _has_activity(data: dict) -> bool:
    return bool(data["participants_in_pathway"] or data["entries"] or data["exits"]["total"]
                or data["steps"]["started"])


def series_years(selection: Selection, today: date) -> list[tuple[int, date, date]]:
    """The last SERIES_YEARS calendar years up to the selected period's end; the current year up to today."""
    last = min(selection.date_to.year, today.year)
    return [(year, date(year, 1, 1), min(date(year, 12, 31), today))
            for year in range(last - SERIES_YEARS + 1, last + 1)]


def year_points(years: list[tuple[int, date, date]], figures: list[dict]) -> list[dict]:
    """The series' points with their labels; leading years without any activity are left out (the years the
    data covers), the last year always stays."""
    points = []
    for (year, start, end), data in zip(years, figures, strict=True):
        label = str(year) if end.month == 12 and end.day == 31 else _("%(year)s (au %(day)s)") % {
            "year": year, "day": end.strftime("%d/%m")}
        points.append({"year": year, "label": label, "from": start, "to": end, "data": data})
    while len(points) > 1 and not _has_activity(points[0]["data"]):
        points.pop(0)
    return points


def plie_name(user: User) -> str:
    """The PLIE the user works for, from the memberships already loaded for their roles."""
    names = sorted({m.organisation.name for m in memberships_with(user, REPORTING_READ)
                    if m.organisation.kind == OrganisationKind.PLIE})
    return ", ".join(names) or _("PLIE")


@dataclass
class Report:
    selection: Selection
    plie: str
    data: dict
    series: list[dict]
    sections: list[Section] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_label(self.selection.date_from, self.selection.date_to)

    @property
    def title(self) -> str:
        return _("Consolidation quantitative — %(plie)s — %(period)s") % {"plie": self.plie, "period": self.period}

    @property
    def filters(self) -> list[tuple[str, str]]:
        """The filters applied, as (label, value) pairs; the period always."""
        applied = [(_("Période"), self.period)]
        applied.append((_("Structure référente"), self.selection.operator.name if self.selection.operator
                        else _("toutes les structures")))
        applied.append((_("Référent·e"), self.selection.referent.get_full_name() if self.selection.referent
                        else _("tous les référent·es")))
        return applied

    @property
    def filename_stem(self) -> str:
        # Dates only: no name of a structure or a person in a file name.
        return f"indicateurs-{self.selection.date_from.isoformat()}-{self.selection.date_to.isoformat()}"


def build_report(*, user: User, selection: Selection, today: date) -> Report:
    years = series_years(selection, today)
    data, figures = indicators_compute_with_series(
        date_from=selection.date_from, date_to=selection.date_to, periods=[(start, end) for _y, start, end in years],
        territory_ids=sorted(selection.territory_ids), operator=selection.operator, referent=selection.referent)
    series = year_points(years, figures)
    return Report(selection=selection, plie=plie_name(user), data=data, series=series,
                  sections=sections(data, series))
