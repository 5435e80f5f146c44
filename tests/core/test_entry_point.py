import os
import subprocess
import sys


def test_hyphenated_command_names_resolve():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="parcours.settings_test")
    for name in ("demo-data", "load-territory"):
        result = subprocess.run([sys.executable, "-m", "parcours", name, "--help"], capture_output=True, text=True,
                                env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "usage:" in result.stdout
