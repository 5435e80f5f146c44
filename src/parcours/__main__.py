"""The `parcours` command: Django's manage.py for this project.

Commands are spelled with hyphens (`parcours load-territory`, `parcours demo-data`,
`parcours consolidation-export`); Django names them after their modules, with underscores.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcours.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
