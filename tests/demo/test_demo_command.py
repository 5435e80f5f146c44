"""`parcours demo-data` on an empty database: determinism, --if-empty, missing territory."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from parcours.organisations.models import User
from parcours.participants.models import Participant


def run(*args) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def test_same_seed_same_people():
    call_command("load_territory", stdout=StringIO())
    run("--people", "30", "--seed", "3")
    first = list(Participant.objects.filter(youth_file__isnull=True).order_by("pk").values_list("last_name", "first_name", "birth_date"))
    assert len(first) == 30
    run("--people", "30", "--seed", "3")
    second = list(Participant.objects.filter(youth_file__isnull=True).order_by("pk").values_list("last_name", "first_name", "birth_date"))[30:]
    assert second == first
    assert User.objects.filter(email="coordination@demo.parcours.fr").count() == 1


def test_if_empty_generates_on_an_empty_database():
    call_command("load_territory", stdout=StringIO())
    out = run("--if-empty", "--people", "25")
    assert "Terminé" in out
    assert Participant.objects.filter(youth_file__isnull=True).count() == 25   # the PLIE's


def test_missing_territory_is_explained():
    with pytest.raises(CommandError, match="load-territory"):
        run("--people", "5")
