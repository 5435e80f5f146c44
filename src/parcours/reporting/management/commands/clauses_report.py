"""`parcours clauses-report --from D1 --to D2 --format json|text [--territory NAME]` (docs/spec/clauses.md)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.clauses.selectors import clauses_report_compute
from parcours.reporting.consolidation import period_parse
from parcours.reporting.esf import esf_render as report_render
from parcours.reporting.esf import format_arg
from parcours.territory.selectors import territory_resolve


class Command(BaseCommand):
    help = "Affiche les chiffres des clauses sociales pour une période (bornes incluses)."

    def add_arguments(self, parser):
        # Checked in handle(), so that every refusal is a French message naming the argument.
        parser.add_argument("--from", dest="date_from", help="premier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="dernier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--format", dest="output_format", default="json", help="json (défaut) ou text")
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")

    def handle(self, *args, date_from, date_to, output_format, territory, **options):
        d_from, d_to = period_parse(date_from, date_to)
        output_format = format_arg(output_format)
        try:
            target = territory_resolve(territory)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        data = clauses_report_compute(territory_ids=[target.pk], date_from=d_from, date_to=d_to)
        self.stdout.write(report_render(data, output_format), ending="")
