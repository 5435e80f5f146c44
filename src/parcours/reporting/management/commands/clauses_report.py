"""`parcours clauses-report --from D1 --to D2 --format json|text [--territory NAME]` (docs/spec/clauses.md)."""

from parcours.clauses.selectors import clauses_report_compute
from parcours.reporting.commands import TerritoryPeriodCommand
from parcours.reporting.esf import ESF_FORMATS, esf_render


class Command(TerritoryPeriodCommand):
    help = "Affiche les chiffres des clauses sociales pour une période (bornes incluses)."
    formats = ESF_FORMATS   # json (the contract) or text, one `key : value` line per figure, as the ESF+ commands

    def render(self, *, territory, date_from, date_to, output_format) -> str:
        return esf_render(clauses_report_compute(territory_ids=[territory.pk], date_from=date_from, date_to=date_to),
                          output_format)
