"""`parcours youth-report --from D1 --to D2 [--territory NAME] --format json|text` (docs/spec/youth.md)."""

from parcours.reporting.commands import TerritoryPeriodCommand
from parcours.reporting.esf import ESF_FORMATS, esf_render
from parcours.youth.selectors import youth_report


class Command(TerritoryPeriodCommand):
    help = "Affiche le rapport d'activité de la Mission Locale pour une période (bornes incluses)."
    formats = ESF_FORMATS   # json (the contract) or text, one `key : value` line per figure, as the ESF+ commands

    def render(self, *, territory, date_from, date_to, output_format) -> str:
        return esf_render(youth_report(territory_id=territory.pk, date_from=date_from, date_to=date_to),
                          output_format)
