"""`parcours employers-report --from D1 --to D2 --format json|text [--territory NAME]` (docs/employers.md)."""

from parcours.employers.selectors import employers_report_compute
from parcours.reporting.commands import TerritoryPeriodCommand
from parcours.reporting.esf import ESF_FORMATS, esf_render


class Command(TerritoryPeriodCommand):
    help = ("Affiche les chiffres de la relation entreprise pour une période (bornes incluses) : employeurs, "
            "échanges, offres, positionnements et embauches, sorties en emploi durable par secteur, taille et contrat.")
    formats = ESF_FORMATS   # json (the contract) or text, one `key : value` line per figure

    def render(self, *, territory, date_from, date_to, output_format) -> str:
        return esf_render(employers_report_compute(territory_ids=[territory.pk], date_from=date_from,
                                                   date_to=date_to), output_format)
