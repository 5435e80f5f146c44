"""`parcours export DIR`: write the territory's data set in the interchange format (docs/interchange.md)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.interchange.exporter import ExportError, dataset_export
from parcours.territory.selectors import territory_resolve


class Command(BaseCommand):
    help = "Exporte les personnes, parcours, étapes et rendez-vous du territoire au format d'échange."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="dossier où écrire les quatre fichiers (créé au besoin)")
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")
        parser.add_argument("--anonymise", action="store_true", help="laisse vides les noms et prénoms")

    def handle(self, *args, directory: str, territory: str | None, anonymise: bool, **options):
        try:
            target = territory_resolve(territory)
            report = dataset_export(directory, territory=target, anonymise=anonymise)
        except (ValueError, ExportError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Export du territoire « {target.name} » dans {directory} :")
        for line in report.lines():
            self.stdout.write(f"  {line}")
