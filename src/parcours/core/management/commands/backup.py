from pathlib import Path

from django.core.management.base import BaseCommand

from parcours.core.backup import backup_write


class Command(BaseCommand):
    help = "Sauvegarde toute la base (sérialisation Django) et les documents dans une archive .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier d'archive à écrire (.tar.gz).")

    def handle(self, *args, file: Path, **options):
        manifest = backup_write(file)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Sauvegarde écrite dans {file} : {rows} lignes, {len(manifest['counts'])} tables. "
                          "Elle contient des données personnelles : chiffrez-la avant de la stocker.")
