import base64
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parcours.core.backup import backup_key_generate, backup_key_id


class Command(BaseCommand):
    help = ("Crée une clé de chiffrement des sauvegardes dans un nouveau fichier (droits 0600), à désigner par "
            "PARCOURS_BACKUP_KEY_FILE et à garder ailleurs que les sauvegardes.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier de clé à créer (refusé s'il existe déjà).")

    def handle(self, *args, file: Path, **options):
        key = backup_key_generate()
        try:
            # O_EXCL: an existing key is never overwritten (the backups it sealed would be lost with it).
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"Le fichier « {file} » existe déjà : il contient peut-être la clé de sauvegardes "
                               "existantes, il n'est pas remplacé. Choisissez un autre nom.") from None
        except OSError as error:
            raise CommandError(f"Le fichier « {file} » ne peut pas être créé ({error.strerror}).") from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        self.stdout.write(f"Clé de sauvegarde écrite dans {file} (empreinte "
                          f"{backup_key_id(base64.urlsafe_b64decode(key))}). Désignez-la par "
                          "PARCOURS_BACKUP_KEY_FILE ; gardez-en une copie hors du serveur et loin des sauvegardes : "
                          "sans elle, elles ne peuvent pas être restaurées.")
