"""`parcours import DIR`: import an interchange data set (docs/interchange.md)."""

import time

from django.core.management.base import BaseCommand, CommandError

from parcours.interchange.importer import ImportRefused, dataset_import
from parcours.territory.selectors import territory_resolve


class Command(BaseCommand):
    help = "Importe un jeu de données au format d'échange (participants, parcours, étapes, rendez-vous)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="dossier contenant participants.csv, pathways.csv…")
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")

    def handle(self, *args, directory: str, territory: str | None, **options):
        try:
            target = territory_resolve(territory)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        began = time.perf_counter()
        try:
            report = dataset_import(directory, territory=target)
        except ImportRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Import refusé, rien n'a été enregistré : {len(exc.errors)} erreur(s).") from None
        elapsed = time.perf_counter() - began
        self.stdout.write(f"Import dans le territoire « {report.territory} » :")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        rate = report.rows / elapsed if elapsed else 0
        self.stdout.write(f"{report.rows} ligne(s) en {elapsed:.1f} s ({rate:.0f} lignes/s)"
                          + ("" if report.changed else " — rien n'a changé"))
