"""`parcours consolidate FILE...`: add up consolidation exports; prints the shape of `parcours indicators`."""

from django.core.management.base import BaseCommand, CommandError

from parcours.reporting.consolidation import consolidate
from parcours.reporting.indicators import FORMATS, indicators_render


class Command(BaseCommand):
    help = "Additionne des exports de consolidation de plusieurs PLIE et affiche les indicateurs de l'ensemble."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FICHIER", help="exports de `parcours consolidation-export`")
        parser.add_argument("--format", dest="output_format", default="json", help="json (défaut), csv ou text")

    def handle(self, *args, files, output_format, **options):
        if output_format not in FORMATS:
            raise CommandError(f"--format : format « {output_format} » inconnu (json, csv ou text)")
        self.stdout.write(indicators_render(consolidate(files), output_format), ending="")
