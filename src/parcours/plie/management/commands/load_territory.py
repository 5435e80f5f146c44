"""`parcours load-territory [FILE]`: load a territory's reference file (Clermont's by default)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.plie.territory_loader import DEFAULT_TERRITORY_FILE, TerritoryFileError, territory_file_read, territory_load


class Command(BaseCommand):
    help = "Charge le territoire (communes, QPV, lieux d'accueil, structures) depuis un fichier JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_TERRITORY_FILE),
                            help="fichier du territoire (par défaut : Clermont Auvergne Métropole)")

    def handle(self, *args, file: str, **options):
        try:
            data = territory_file_read(file)
            territory, report = territory_load(data=data)
        except TerritoryFileError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"Fichier refusé, rien n'a été enregistré ({len(exc.errors)} erreur(s)) : {file}") from None
        self.stdout.write(f"Territoire « {territory.name} » chargé depuis {file}")
        for line in report.lines():
            self.stdout.write(f"  {line}")
