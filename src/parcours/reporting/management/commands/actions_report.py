"""`parcours actions-report --from D1 --to D2 --format json|text [--territory NAME]` (docs/actions.md)."""

from parcours.actions.selectors import actions_report_compute
from parcours.reporting.commands import TerritoryPeriodCommand
from parcours.reporting.esf import ESF_FORMATS, esf_render


class Command(TerritoryPeriodCommand):
    help = "Affiche les chiffres des actions des opérateurs pour une période (bornes incluses), par fiche action."
    formats = ESF_FORMATS   # json (the contract) or text, one `key : value` line per figure, as clauses-report

    def render(self, *, territory, date_from, date_to, output_format) -> str:
        return esf_render(actions_report_compute(territory_ids=[territory.pk], date_from=date_from, date_to=date_to),
                          output_format)
