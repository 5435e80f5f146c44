"""The indicators page of the animation team and its exports (XLSX, CSV, PDF), on the same selection."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.organisations.capabilities import REPORTING_READ

from ..permissions import capability_required
from . import exports
from .charts import evolution_charts, table_chart
from .forms import IndicatorsFilterForm, Selection
from .report import Report, build_report

team_only = capability_required(REPORTING_READ)

EXPORTS = {
    "xlsx": (exports.report_xlsx, exports.XLSX_TYPE),
    "csv": (exports.report_csv, "text/csv; charset=utf-8"),
    "pdf": (exports.report_pdf, "application/pdf"),
}


def _quick_periods(selection: Selection, today: date) -> list[dict]:
    """The current year so far and the last three calendar years, keeping the other filters."""
    periods = [(_("Année en cours"), date(today.year, 1, 1), today)]
    periods += [(str(year), date(year, 1, 1), date(year, 12, 31)) for year in range(today.year - 1, today.year - 4, -1)]
    return [{"label": label, "query": selection.query(date_from=start.isoformat(), date_to=end.isoformat()),
             "current": (start, end) == (selection.date_from, selection.date_to)}
            for label, start, end in periods]


def _figures(report: Report) -> list[dict]:
    """Each section with its tables, each table with the chart drawn from it."""
    shown = []
    for section in report.sections:
        items = [{"table": table, "charts": [table_chart(table)] if table.charted else []} for table in section.tables]
        if section.slug == "evolution":
            items[0]["charts"] = evolution_charts(section.tables[0])
        shown.append({"section": section, "items": items})
    return shown


def _invalid(request, form: IndicatorsFilterForm):
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-describedby"] = f"{form[name].auto_id}_erreurs"
    return render(request, "reporting/indicators.html", {"form": form, "report": None}, status=400)


@team_only
def indicators(request):
    today = timezone.localdate()
    form = IndicatorsFilterForm(request.GET, user=request.user, today=today)
    if not form.is_valid():
        return _invalid(request, form)
    selection = form.selection()
    report = build_report(user=request.user, selection=selection, today=today)
    query = selection.query()
    return render(request, "reporting/indicators.html", {
        "form": form, "report": report, "figures": _figures(report),
        "quick_periods": _quick_periods(selection, today),
        "export_links": [(fmt.upper(), f"{reverse('reporting:export', args=[fmt])}?{query}") for fmt in EXPORTS],
    })


@team_only
def export(request, fmt: str):
    if fmt not in EXPORTS:
        raise Http404
    today = timezone.localdate()
    form = IndicatorsFilterForm(request.GET, user=request.user, today=today)
    if not form.is_valid():
        return _invalid(request, form)
    report = build_report(user=request.user, selection=form.selection(), today=today)
    render_export, content_type = EXPORTS[fmt]
    response = HttpResponse(render_export(report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename_stem}.{fmt}"'
    return response
