"""`parcours consolidation-export --from D1 --to D2 [--output FILE]`: this PLIE's anonymous counts as JSON.

The entry point turns `consolidation-export` into this module's name (parcours/__main__.py).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from parcours.territory.selectors import territory_resolve
from parcours.reporting.consolidation import consolidation_export, period_parse


class Command(BaseCommand):
    help = "Écrit les effectifs agrégés et anonymes du PLIE (JSON) pour la consolidation nationale."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="premier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="dernier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--output", help="fichier à écrire (sortie standard par défaut)")
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")

    def handle(self, *args, date_from, date_to, output, territory, **options):
        d_from, d_to = period_parse(date_from, date_to)
        try:
            target = territory_resolve(territory)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        text = json.dumps(consolidation_export(territory=target, date_from=d_from, date_to=d_to),
                          ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Export de consolidation écrit dans {output}")
        else:
            self.stdout.write(text, ending="")
