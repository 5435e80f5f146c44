from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.core.backup import RestoreRefused, restore_read


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans une base vide (--force efface d'abord la base existante)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Archive écrite par `parcours backup`.")
        parser.add_argument("--force", action="store_true", help="Efface la base non vide avant de restaurer.")

    def handle(self, *args, file: Path, force: bool = False, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            manifest = restore_read(file, force=force)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Sauvegarde restaurée : {rows} lignes, {len(manifest['counts'])} tables.")
