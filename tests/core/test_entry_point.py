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


def test_a_missing_data_folder_is_said_in_french_without_a_traceback(tmp_path):
    missing = tmp_path / "donnees"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="parcours.settings", PARCOURS_DEBUG="1", PARCOURS_DATA_DIR=str(missing))
    result = subprocess.run([sys.executable, "-m", "parcours", "migrate", "--no-input"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert f"Le dossier de données « {missing} » n'existe pas. Créez-le (mkdir -p {missing})" in result.stderr
    assert "PARCOURS_DATA_DIR" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()
    # Help is still given without the folder.
    helped = subprocess.run([sys.executable, "-m", "parcours", "migrate", "--help"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert helped.returncode == 0 and "usage:" in helped.stdout
