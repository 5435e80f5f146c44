"""The PLIE's team does not see the Mission Locale's young people: a Participant with a Mission Locale file and no
PLIE pathway appears in none of the PLIE's person search, caseload, API or interchange files (PLIE's part)."""

import pytest
from django.urls import reverse

from tests import factories
from tests.api.helpers import api_for
from tests.interchange.helpers import run

pytestmark = pytest.mark.django_db

NAME = ("Zerbib", "Maëlys")


@pytest.fixture
def young_person(territory):
    return factories.YouthFileFactory(participant__territory=territory, participant__last_name=NAME[0],
                                      participant__first_name=NAME[1], youth_ref="J-SECRET").participant


@pytest.fixture
def plie_person(territory, operator, referent):
    """A PLIE person with the same name, so that every check below can fail: the page lists people."""
    return factories.PathwayFactory(active=True, operator=operator, referent=referent,
                                    participant__last_name=NAME[0], participant__first_name="Awa").participant


def test_the_person_search_does_not_find_a_young_person(client, coordinator, young_person, plie_person):
    client.force_login(coordinator)
    html = client.post(reverse("intake:person_search"), {
        "last_name": NAME[0].lower(), "birth_date": young_person.birth_date.isoformat(),
        "purpose": "application"}).content.decode()
    assert f"?participant={plie_person.pk}" in html
    assert f"?participant={young_person.pk}" not in html and NAME[1] not in html


def test_the_caseload_does_not_list_a_young_person(client, referent, young_person, plie_person):
    client.force_login(referent)
    html = client.get(reverse("pathways:caseload")).content.decode()
    assert "Awa" in html and NAME[1] not in html


def test_the_api_does_not_serve_a_young_person(coordinator, young_person, plie_person):
    client = api_for(coordinator)
    ids = {row["id"] for row in client.get("/api/v1/participants/").json()["results"]}
    assert plie_person.pk in ids and young_person.pk not in ids
    assert client.get(f"/api/v1/participants/{young_person.pk}/").status_code == 404


def test_the_plie_files_of_the_export_hold_no_young_person(tmp_path, young_person, plie_person):
    code, out, err = run("export", str(tmp_path / "out"))
    assert code == 0, err
    participants = (tmp_path / "out" / "participants.csv").read_text(encoding="utf-8")
    assert f"P{plie_person.pk}," in participants and NAME[1] not in participants
    assert f"P{young_person.pk}," not in participants
    # The young person is in the Mission Locale's own file only.
    assert "J-SECRET" in (tmp_path / "out" / "young_people.csv").read_text(encoding="utf-8")



def test_retention_counts_a_young_person_from_their_mission_locale_file(territory):
    """Two files created long ago, without any PLIE pathway: the young person met last month is kept, the one whose
    last event is three years old is archived."""
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from parcours.participants.models import Participant
    from parcours.youth.models import YouthEvent

    today = timezone.localdate()
    recent, quiet = (factories.YouthFileFactory(participant__territory=territory,
                                                first_reception_date=today - timedelta(days=1500)) for _ in range(2))
    for file, days in ((recent, 30), (quiet, 1100)):
        YouthEvent.objects.create(territory=territory, event_ref=f"E-{file.pk}", youth_file=file,
                                  date=today - timedelta(days=days), kind="phone")
    Participant.objects.update(created_at=timezone.now() - timedelta(days=1500))
    call_command("retention", stdout=StringIO())
    assert Participant.objects.get(pk=recent.participant_id).archived_at is None
    assert Participant.objects.get(pk=quiet.participant_id).archived_at is not None


def test_a_plie_file_cannot_reach_a_young_person_by_a_generated_ref(tmp_path, territory, young_person):
    from parcours.participants.models import Participant
    from tests.interchange.helpers import write_set

    write_set(tmp_path / "set", participants=[{
        "participant_ref": f"P{young_person.pk}", "last_name": "Écrasé", "first_name": "Par-erreur", "sex": "F",
        "birth_date": young_person.birth_date.isoformat()}], pathways=[])
    code, out, err = run("import", str(tmp_path / "set"))
    assert code == 0, err
    young_person.refresh_from_db()
    assert (young_person.last_name, young_person.first_name) == NAME   # untouched: the row made a new person
    assert Participant.objects.filter(last_name="Écrasé").exists()
