"""The territory's places (docs/places.md): loaded from the territory file with their kind, hours and offer;
kept on the places page by those who hold places.manage; read by everyone working on the territory."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.organisations.services import helpdesk_save
from parcours.plie.territory_loader import DEFAULT_TERRITORY_FILE, territory_file_check, territory_load
from parcours.territory.enums import HelpdeskKind
from parcours.territory.models import Helpdesk, Territory
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def clermont() -> dict:
    return json.loads(DEFAULT_TERRITORY_FILE.read_text(encoding="utf-8"))


def _values(**overrides) -> dict:
    return {"name": "Permanence de Croix-de-Neyrat", "kind": HelpdeskKind.PERMANENCE, "address": "Centre social",
            "phone": "+33473000000", "email": "", "opening_hours": "mardi, 9 h – 12 h",
            "offer": "Entretiens avec un·e référent·e", "organisation_id": None, **overrides}


# --- the territory file -------------------------------------------------------------------------------------------
def test_the_file_gives_each_place_its_kind(clermont):
    territory_load(data=clermont)
    assert Helpdesk.objects.get(name="Agence PLIE de Clermont Auvergne Métropole").kind == HelpdeskKind.AGENCY
    assert Helpdesk.objects.get(name="INFA Auvergne").kind == HelpdeskKind.OPERATOR


def test_the_file_loads_permanences_with_hours_and_offer(clermont):
    clermont["permanences"] = [{"name": "Permanence Neyrat", "address": "Centre social Neyrat",
                                "phone": "04 73 00 00 00", "opening_hours": "mardi matin",
                                "offer": "Accueil et entretiens", "organisation": "INFA Auvergne",
                                "email": "neyrat@example.org"}]
    territory_load(data=clermont)
    permanence = Helpdesk.objects.get(name="Permanence Neyrat")
    assert (permanence.kind, permanence.opening_hours, permanence.offer, permanence.organisation.name,
            permanence.phone, permanence.email) == (HelpdeskKind.PERMANENCE, "mardi matin", "Accueil et entretiens",
                                                    "INFA Auvergne", "+33473000000", "neyrat@example.org")


def test_the_mission_locales_receiving_sites_are_places_too(clermont):
    sites = clermont["mission_locale"]["sites"]
    receiving = {s["name"] for s in sites if s["kind"] in ("permanence", "antenna")}
    other = {s["name"] for s in sites if s["kind"] not in ("permanence", "antenna")}
    assert receiving and other   # the shipped file has both, so the test can fail
    first = sorted(receiving)[0]
    clermont["permanences"] = [{"name": first, "opening_hours": "jeudi", "organisation": "INFA Auvergne"}]
    territory_load(data=clermont)
    places = Helpdesk.objects.filter(kind=HelpdeskKind.PERMANENCE)
    assert set(places.values_list("name", flat=True)) == receiving
    assert not Helpdesk.objects.filter(name__in=other).exists()
    # the file's own permanence of that name is kept as the file says; the others are the Mission Locale's
    assert Helpdesk.objects.get(name=first).organisation.name == "INFA Auvergne"
    assert {p.organisation.name for p in places.exclude(name=first)} == {clermont["mission_locale"]["name"]}
    count = Helpdesk.objects.count()
    territory_load(data=clermont)
    assert Helpdesk.objects.count() == count


def test_a_reload_keeps_the_hours_typed_on_the_page(clermont, coordinator):
    territory_load(data=clermont)
    infa = Helpdesk.objects.get(name="INFA Auvergne")
    infa.opening_hours, infa.offer = "lundi au vendredi", "Formations"
    infa.save()
    territory_load(data=clermont)
    infa.refresh_from_db()
    assert (infa.opening_hours, infa.offer) == ("lundi au vendredi", "Formations")
    # A file that does give them is the reference: it wins.
    clermont["operators"][0]["opening_hours"] = "sur rendez-vous"
    territory_load(data=clermont)
    infa.refresh_from_db()
    assert infa.opening_hours == "sur rendez-vous"


def test_the_file_check_names_each_bad_place(clermont):
    bad = copy.deepcopy(clermont)
    bad["permanences"] = [
        {"name": "INFA Auvergne"},
        {"name": "Ailleurs", "organisation": "Structure inconnue", "email": "pas-une-adresse"},
        {"address": "sans nom"},
        {"name": "Longue", "opening_hours": "x" * 1001},
    ]
    errors = territory_file_check(bad)
    assert "permanences[0].name : lieu en double (INFA Auvergne)" in errors
    assert "permanences[1].organisation : structure absente du fichier (Structure inconnue)" in errors
    assert "permanences[1].email : adresse électronique invalide" in errors
    assert "permanences[2].name : champ obligatoire" in errors
    assert "permanences[3].opening_hours : 1000 caractères au plus" in errors


# --- the service ----------------------------------------------------------------------------------------------------
def test_the_team_adds_a_permanence_with_an_audit_row(territory, coordinator):
    place = helpdesk_save(by=coordinator, territory=territory, values=_values())
    assert (place.kind, place.territory_id) == (HelpdeskKind.PERMANENCE, territory.pk)
    event = AuditEvent.objects.get(action="helpdesk_create")
    assert event.changes["opening_hours"] == [None, "mardi, 9 h – 12 h"]
    helpdesk_save(by=coordinator, territory=territory, helpdesk=place, values=_values(opening_hours="jeudi"))
    assert AuditEvent.objects.get(action="helpdesk_update").changes == {
        "opening_hours": ["mardi, 9 h – 12 h", "jeudi"]}


@pytest.mark.parametrize("who", ["referent", "prescriber"])
def test_who_does_not_keep_the_places_is_refused(request, territory, who):
    with pytest.raises(ValidationError) as refusal:
        helpdesk_save(by=request.getfixturevalue(who), territory=territory, values=_values())
    assert "lieux de ce territoire" in str(refusal.value)
    assert not Helpdesk.objects.exists()


def test_another_territorys_team_is_refused(territory, foreign_coordinator):
    with pytest.raises(ValidationError):
        helpdesk_save(by=foreign_coordinator, territory=territory, values=_values())


def test_a_structure_of_another_territory_is_refused(territory, coordinator):
    elsewhere = factories.OrganisationFactory(territory=factories.TerritoryFactory(name="Ailleurs"))
    with pytest.raises(ValidationError) as refusal:
        helpdesk_save(by=coordinator, territory=territory, values=_values(organisation_id=elsewhere.pk))
    assert "organisation" in refusal.value.message_dict


def test_two_places_of_one_name_are_refused(territory, coordinator):
    helpdesk_save(by=coordinator, territory=territory, values=_values())
    with pytest.raises(ValidationError) as refusal:
        helpdesk_save(by=coordinator, territory=territory, values=_values(address="ailleurs"))
    assert "un lieu de ce nom existe déjà" in str(refusal.value)
    assert Helpdesk.objects.count() == 1


def test_the_database_refuses_an_unknown_kind_and_an_empty_name(territory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Helpdesk.objects.create(territory=territory, name="X", kind="bus")
    with pytest.raises(IntegrityError), transaction.atomic():
        Helpdesk.objects.create(territory=territory, name="")


# --- the pages ------------------------------------------------------------------------------------------------------
def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["referent", "prescriber", "coordinator"])
def test_everyone_of_the_territory_reads_the_places(request, territory, who):
    Helpdesk.objects.create(territory=territory, name="Maison de l'emploi Nord", kind=HelpdeskKind.PERMANENCE,
                            opening_hours="lundi, 14 h – 17 h", offer="Ateliers numériques")
    Helpdesk.objects.create(territory=factories.TerritoryFactory(name="Ailleurs"), name="Lieu-canari-4410")
    page = _client(request.getfixturevalue(who)).get(reverse("places:place_list")).content.decode()
    assert "Maison de l&#x27;emploi Nord" in page and "lundi, 14 h – 17 h" in page and "Ateliers numériques" in page
    assert "Lieu-canari-4410" not in page
    assert ("Ajouter un lieu" in page) is (who == "coordinator")


def test_the_search_ignores_case_and_accents(territory, referent):
    Helpdesk.objects.create(territory=territory, name="Médiathèque de Jaude", offer="Accès numérique")
    Helpdesk.objects.create(territory=territory, name="Centre social", kind=HelpdeskKind.PERMANENCE)
    client = _client(referent)
    page = client.get(reverse("places:place_list"), {"q": "mediatheque"}).content.decode()
    assert "Médiathèque de Jaude" in page and "Centre social" not in page
    page = client.get(reverse("places:place_list"), {"q": "NUMERIQUE"}).content.decode()
    assert "Médiathèque de Jaude" in page
    page = client.get(reverse("places:place_list"), {"kind": HelpdeskKind.PERMANENCE}).content.decode()
    assert "Centre social" in page and "Médiathèque" not in page


def test_the_team_adds_and_edits_a_place_on_the_page(territory, coordinator):
    client = _client(coordinator)
    form = {"name": "Permanence Saint-Jacques", "kind": HelpdeskKind.PERMANENCE, "address": "MP Saint-Jacques",
            "phone": "04 73 11 22 33", "opening_hours": "mercredi", "offer": "Entretiens"}
    response = client.post(reverse("places:place_create"), form)
    assert response.status_code == 302
    place = Helpdesk.objects.get(name="Permanence Saint-Jacques")
    assert place.phone == "+33473112233"
    response = client.post(reverse("places:place_edit", args=[place.pk]), {**form, "opening_hours": "jeudi"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.opening_hours == "jeudi"


def test_a_bad_form_names_its_field_and_saves_nothing(territory, coordinator):
    helpdesk_save(by=coordinator, territory=territory, values=_values())
    response = _client(coordinator).post(reverse("places:place_create"), {
        "name": "Permanence de Croix-de-Neyrat", "kind": HelpdeskKind.PERMANENCE, "email": "pas-une-adresse"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saisissez une adresse e-mail valide" in page or "adresse électronique" in page.lower()
    assert Helpdesk.objects.count() == 1


@pytest.mark.parametrize("who", ["referent", "prescriber"])
def test_only_those_who_keep_the_places_open_the_forms(request, territory, who):
    place = Helpdesk.objects.create(territory=territory, name="Agence")
    client = _client(request.getfixturevalue(who))
    assert client.get(reverse("places:place_create")).status_code == 403
    assert client.get(reverse("places:place_edit", args=[place.pk])).status_code == 403


def test_another_territorys_place_is_not_found(territory, coordinator):
    place = Helpdesk.objects.create(territory=Territory.objects.create(name="Ailleurs"), name="Loin")
    assert _client(coordinator).get(reverse("places:place_edit", args=[place.pk])).status_code == 404


@pytest.mark.parametrize("name", ["list", "create", "edit"])
def test_the_pages_cost_the_same_at_two_volumes(name, territory, coordinator, operator, django_assert_num_queries):
    place = Helpdesk.objects.create(territory=territory, name="Agence", organisation=operator)
    client = _client(coordinator)
    url = {"list": reverse("places:place_list"), "create": reverse("places:place_create"),
           "edit": reverse("places:place_edit", args=[place.pk])}[name]
    client.get(url)
    # session, user, memberships (the scope), the page's count and rows (list) or the place and the structures
    pins = {"list": 5, "create": 5, "edit": 5}
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
    for index in range(30):
        Helpdesk.objects.create(territory=territory, name=f"Permanence {index}", organisation=operator)
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
