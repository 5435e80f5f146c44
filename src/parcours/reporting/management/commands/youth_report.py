"""`parcours youth-report --from D1 --to D2 [--territory NAME] --format json|text` (docs/spec/youth.md)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.reporting.consolidation import period_parse
from parcours.reporting.esf import ESF_FORMATS, esf_render
from parcours.territory.selectors import territory_resolve
from parcours.youth.selectors import youth_report


class Command(BaseCommand):
    help = "Affiche le rapport d'activité de la Mission Locale pour une période (bornes incluses)."

    def add_arguments(self, parser):
        # Checked in handle(), so that every refusal is a French message naming the argument.
        parser.add_argument("--from", dest="date_from", help="premier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="dernier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--format", dest="output_format", default="json", help="json (défaut) ou text")
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")

    def handle(self, *args, date_from, date_to, output_format, territory, **options):
        d_from, d_to = period_parse(date_from, date_to)
        if output_format not in ESF_FORMATS:
            raise CommandError(f"--format : format « {output_format} » inconnu (json ou text)")
        try:
            target = territory_resolve(territory)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        data = youth_report(territory_id=target.pk, date_from=d_from, date_to=d_to)
        self.stdout.write(esf_render(data, output_format), ending="")
