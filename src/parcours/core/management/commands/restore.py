from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.core.backup import RestoreRefused, backup_key, restore_read


class Command(BaseCommand):
    help = "Restaure une sauvegarde chiffrée dans une base vide (--force efface d'abord la base existante)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier écrit par `parcours backup`.")
        parser.add_argument("--force", action="store_true", help="Efface la base non vide avant de restaurer.")
        parser.add_argument("--key-file", type=Path, default=None,
                            help="Fichier de clé à utiliser au lieu de PARCOURS_BACKUP_KEY_FILE (par exemple "
                                 "l'ancienne clé, pour une sauvegarde d'avant sa rotation).")

    def handle(self, *args, file: Path, force: bool = False, key_file: Path | None = None, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            manifest = restore_read(file, key=backup_key(key_file=key_file), force=force)
        except RestoreRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Sauvegarde restaurée : {rows} lignes, {len(manifest['counts'])} tables.")
