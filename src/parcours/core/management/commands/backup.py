from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.core.backup import BackupKeyError, backup_key, backup_write


class Command(BaseCommand):
    help = ("Sauvegarde toute la base (sérialisation Django) et les documents dans un fichier chiffré avec la clé "
            "de sauvegarde (PARCOURS_BACKUP_KEY_FILE ou PARCOURS_BACKUP_KEY).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier de sauvegarde à écrire.")
        parser.add_argument("--key-file", type=Path, default=None,
                            help="Fichier de clé à utiliser au lieu de PARCOURS_BACKUP_KEY_FILE.")

    def handle(self, *args, file: Path, key_file: Path | None = None, **options):
        try:
            key = backup_key(key_file=key_file)
        except BackupKeyError as refusal:
            raise CommandError(str(refusal)) from refusal
        manifest = backup_write(file, key=key)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Sauvegarde chiffrée écrite dans {file} : {rows} lignes, {len(manifest['counts'])} "
                          f"tables, clé d'empreinte {manifest['key_id']}. Gardez la clé ailleurs que la sauvegarde.")
