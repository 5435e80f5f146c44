"""Employers' job offers (docs/employers.md): the ROME code, the contract, the hours, the dates; each refusal in
the service and in the database; the list of the offers open today; the pages and their query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.employers.models import JobOffer
from parcours.employers.selectors import offers_search
from parcours.employers.services import job_offer_save
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def _values(**overrides) -> dict:
    return {"title": "Agent·e de propreté", "rome_code": "k2204", "contract_type": "cddi",
            "hours_per_week": Decimal("26"), "places": 2, "workplace": "Zone du Brézet", "commune_id": None,
            "description": "", "prerequisites": "Horaires décalés", "opens_on": TODAY(), "closes_on": None,
            "status": "open", "social_clause": True, **overrides}


@pytest.fixture
def employer(territory, officer):
    return factories.EmployerFactory(territory=territory, created_by=officer, name="Nettoyage Auvergne")


def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


# --- the rules ------------------------------------------------------------------------------------------------------
def test_an_offer_is_recorded_with_its_rome_code_in_capitals_and_an_audit_row(employer, officer):
    offer = job_offer_save(by=officer, employer=employer, values=_values())
    assert (offer.rome_code, offer.contract_type, offer.social_clause) == ("K2204", "cddi", True)
    assert AuditEvent.objects.get(action="job_offer_create").object_id == str(offer.pk)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"rome_code": "Z1234"}, "rome_code", "Code ROME : une lettre de A à N puis quatre chiffres, par exemple K2204."),
    ({"rome_code": "K220"}, "rome_code", "Code ROME : une lettre de A à N puis quatre chiffres, par exemple K2204."),
    ({"hours_per_week": Decimal("0")}, "hours_per_week",
     "Heures par semaine : plus de 0 et 48 au plus (la durée maximale du travail)."),
    ({"hours_per_week": Decimal("48.5")}, "hours_per_week",
     "Heures par semaine : plus de 0 et 48 au plus (la durée maximale du travail)."),
    ({"closes_on": TODAY() - datetime.timedelta(days=1)}, "closes_on",
     "Close le : la date précède l'ouverture de l'offre."),
])
def test_each_rule_names_its_field(employer, officer, values, field, message):
    with pytest.raises(ValidationError) as excinfo:
        job_offer_save(by=officer, employer=employer, values=_values(**values))
    assert excinfo.value.message_dict[field] == [message]
    assert not JobOffer.objects.exists()


def test_an_unknown_contract_type_is_refused(employer, officer):
    with pytest.raises(ValidationError) as excinfo:
        job_offer_save(by=officer, employer=employer, values=_values(contract_type="stage"))
    assert "contract_type" in excinfo.value.message_dict


def test_a_referent_does_not_record_offers(employer, referent):
    with pytest.raises(ValidationError, match="Vous ne tenez pas à jour les employeurs de ce territoire."):
        job_offer_save(by=referent, employer=employer, values=_values())


def test_an_offer_is_edited_from_its_version(employer, officer, coordinator):
    offer = job_offer_save(by=officer, employer=employer, values=_values())
    offer = job_offer_save(by=coordinator, employer=employer, offer=offer, values=_values(status="filled"), version=0)
    assert (offer.status, offer.version) == ("filled", 1)
    other = factories.EmployerFactory(territory=employer.territory)
    with pytest.raises(ValidationError, match="Cette offre n'est pas de cet employeur."):
        job_offer_save(by=officer, employer=other, offer=offer, values=_values())


@pytest.mark.parametrize(("values", "constraint"), [
    ({"title": ""}, "job_offer_title_not_empty"),
    ({"rome_code": "k2204"}, "job_offer_rome_code_format"),
    ({"contract_type": "stage"}, "job_offer_contract_type_known"),
    ({"hours_per_week": Decimal("60")}, "job_offer_hours_within_the_legal_week"),
    ({"places": 0}, "job_offer_at_least_one_place"),
    ({"closes_on": datetime.date(2020, 1, 1)}, "job_offer_closes_after_it_opens"),
    ({"status": "lost"}, "job_offer_status_known"),
])
def test_the_database_holds_the_rules_too(employer, officer, values, constraint):
    row = {"title": "Poste", "rome_code": "K2204", "contract_type": "cdi", "hours_per_week": Decimal("35"),
           "places": 1, "opens_on": datetime.date(2025, 1, 1), "status": "open", **values}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        JobOffer.objects.create(employer=employer, created_by=officer, **row)


# --- the list -------------------------------------------------------------------------------------------------------
def test_the_list_opens_on_the_offers_open_today(employer, officer):
    today = TODAY()
    open_now = job_offer_save(by=officer, employer=employer, values=_values(title="Agent de propreté"))
    job_offer_save(by=officer, employer=employer, values=_values(title="Poste pourvu", status="filled"))
    job_offer_save(by=officer, employer=employer, values=_values(
        title="Poste passé", opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1)))
    job_offer_save(by=officer, employer=employer, values=_values(
        title="Poste à venir", opens_on=today + datetime.timedelta(days=3)))
    everything = JobOffer.objects.all()
    assert list(offers_search(everything, today=today)) == [open_now]
    assert offers_search(everything, today=today, open_only=False).count() == 4
    assert list(offers_search(everything, today=today, text="PROPRETE")) == [open_now]
    assert list(offers_search(everything, today=today, text="k2204")) == [open_now]
    assert list(offers_search(everything, today=today, text="auvergne")) == [open_now]
    assert not offers_search(everything, today=today, contract_type="cdi").exists()
    assert not offers_search(everything, today=today, section="Q").exists()


# --- the pages ------------------------------------------------------------------------------------------------------
def _form(**overrides) -> dict:
    return {"title": "Agent·e de propreté", "rome_code": "K2204", "contract_type": "cddi", "hours_per_week": "26,5",
            "places": "2", "workplace": "Zone du Brézet", "commune": "", "description": "", "prerequisites": "",
            "opens_on": TODAY().isoformat(), "closes_on": "", "status": "open", "social_clause": "on", **overrides}


def test_the_officer_records_an_offer_on_the_page_then_marks_it_filled(employer, officer):
    client = _client(officer)
    response = client.post(reverse("employers:offer_create", args=[employer.pk]), _form())
    offer = JobOffer.objects.get()
    assert response.status_code == 302 and response.url == reverse("employers:offer_detail", args=[offer.pk])
    assert offer.hours_per_week == Decimal("26.5")
    response = client.post(reverse("employers:offer_edit", args=[offer.pk]), _form(version="0", status="filled"))
    offer.refresh_from_db()
    assert response.status_code == 302 and offer.status == "filled"
    page = client.get(reverse("employers:employer_detail", args=[employer.pk])).content.decode()
    assert "Agent·e de propreté" in page and "Pourvue" in page


def test_a_bad_offer_names_its_field_and_saves_nothing(employer, officer):
    response = _client(officer).post(reverse("employers:offer_create", args=[employer.pk]), _form(rome_code="12345"))
    assert response.status_code == 400
    assert "Code ROME" in response.content.decode()
    assert not JobOffer.objects.exists()


def test_a_referent_reads_the_offers_but_does_not_write_them(employer, officer, referent):
    offer = job_offer_save(by=officer, employer=employer, values=_values())
    client = _client(referent)
    page = client.get(reverse("employers:offer_list")).content.decode()
    assert "Agent·e de propreté" in page
    assert client.get(reverse("employers:offer_detail", args=[offer.pk])).status_code == 200
    assert client.get(reverse("employers:offer_edit", args=[offer.pk])).status_code == 403
    assert client.post(reverse("employers:offer_create", args=[employer.pk]), _form()).status_code == 403
    assert JobOffer.objects.count() == 1


def test_another_territorys_offer_is_not_found(employer, officer, foreign_officer):
    offer = job_offer_save(by=officer, employer=employer, values=_values())
    client = _client(foreign_officer)
    assert client.get(reverse("employers:offer_detail", args=[offer.pk])).status_code == 404
    assert "Agent·e de propreté" not in client.get(reverse("employers:offer_list")).content.decode()


@pytest.mark.parametrize("name", ["list", "detail", "create", "edit"])
def test_the_pages_cost_the_same_at_two_volumes(name, employer, officer, django_assert_num_queries):
    offer = job_offer_save(by=officer, employer=employer, values=_values())
    client = _client(officer)
    url = {"list": reverse("employers:offer_list"), "detail": reverse("employers:offer_detail", args=[offer.pk]),
           "create": reverse("employers:offer_create", args=[employer.pk]),
           "edit": reverse("employers:offer_edit", args=[offer.pk])}[name]
    client.get(url)
    # session, user, memberships (the scope), then the count and the rows (list), the offer and the count of its
    # candidacies the user sees (detail: none here; test_candidacy_pages.py pins it with some), the employer or the
    # offer and the communes (forms)
    pins = {"list": 5, "detail": 5, "create": 5, "edit": 5}
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
    for index in range(30):
        other = factories.EmployerFactory(territory=employer.territory, created_by=officer)
        job_offer_save(by=officer, employer=other, values=_values(title=f"Poste {index}"))
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
