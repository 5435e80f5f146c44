"""The `parcours` command: Django's manage.py for this project.

Commands are spelled with hyphens (`parcours load-territory`, `parcours demo-data`,
`parcours consolidation-export`); Django names them after their modules, with underscores.
"""

import os
import sys
from pathlib import Path


def _data_folder_missing() -> str | None:
    """What to do, in French, when the SQLite database's folder does not exist (else None): sqlite would only say
    "unable to open database file", deep in a traceback."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        database = settings.DATABASES["default"]
    except ImproperlyConfigured:
        return None   # Django says what is wrong with the settings, in French too
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    folder = Path(str(database["NAME"])).parent
    if folder.is_dir():
        return None
    return (f"Le dossier de données « {folder} » n'existe pas. Créez-le (mkdir -p {folder}), ou indiquez le "
            "dossier des données de cette installation dans PARCOURS_DATA_DIR (ou une base PostgreSQL dans "
            "DATABASE_URL), puis relancez la commande.")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        wants_help = any(arg in ("-h", "--help") for arg in argv[2:]) or argv[1] == "help"
        problem = None if wants_help else _data_folder_missing()
        if problem:
            sys.stderr.write(problem + "\n")
            raise SystemExit(1)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
