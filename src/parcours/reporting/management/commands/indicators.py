"""`parcours indicators --from D1 --to D2 --format json|csv|text` (docs/spec/indicators.md)."""

from parcours.reporting.commands import TerritoryPeriodCommand
from parcours.reporting.indicators import FORMATS, indicators_compute, indicators_render


class Command(TerritoryPeriodCommand):
    help = "Affiche les indicateurs du PLIE pour une période (bornes incluses)."
    formats = FORMATS

    def render(self, *, territory, date_from, date_to, output_format) -> str:
        data = indicators_compute(territory_ids=[territory.pk], date_from=date_from, date_to=date_to)
        return indicators_render(data, output_format)
