"""`parcours esf-indicators --operation REF --from D1 --to D2 --format json|text` (docs/spec/esf.md)."""

from django.core.management.base import BaseCommand

from parcours.esf.selectors import esf_indicators_compute
from parcours.reporting.consolidation import period_parse
from parcours.reporting.esf import esf_render, format_arg, operation_arg


class Command(BaseCommand):
    help = "Affiche les indicateurs communs FSE+ d'une opération pour une période (bornes incluses)."

    def add_arguments(self, parser):
        # Checked in handle(), so that every refusal is a French message naming the argument.
        parser.add_argument("--operation", help="numéro de l'opération (operation_ref)")
        parser.add_argument("--from", dest="date_from", help="premier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="dernier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--format", dest="output_format", default="json", help="json (défaut) ou text")

    def handle(self, *args, operation, date_from, date_to, output_format, **options):
        d_from, d_to = period_parse(date_from, date_to)
        output_format = format_arg(output_format)
        target = operation_arg(operation)
        data = esf_indicators_compute(operation=target, date_from=d_from, date_to=d_to)
        self.stdout.write(esf_render(data, output_format), ending="")
