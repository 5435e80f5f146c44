"""Run by tests/security/test_submit_once.py in a process of its own: two identical posts at once on a SQLite file.

The test database of SQLite lives in shared memory, where a second writer fails at once; a deployed instance uses
a file, where the second waits for the first. This builds the walk's world in a fresh file database (the data
folder given by PARCOURS_DATA_DIR), runs the two threads and prints the outcome as JSON.
"""

import json

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()   # the test client's host, the tasks run at once, as in the suite

    call_command("migrate", verbosity=0)
    from tests.security.test_submit_once import double_post_at_once
    from tests.security.world import build_world

    print(json.dumps(double_post_at_once(build_world())))


if __name__ == "__main__":
    main()
