"""The employers' pages: the list with its filters, an employer with its contacts and exchanges, the forms of those
who keep the portfolio; who is refused; a bad form names its field and saves nothing; the query counts pinned at
two volumes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.employers.models import Employer, EmployerContact, EmployerExchange
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db


def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _form(**overrides) -> dict:
    return {"siret": "732 829 320 00074", "name": "Boulangerie Dômes", "naf_division": "10", "size_band": "micro",
            "address": "3 rue des Gras", "commune": "", "phone": "04 73 00 00 01", "email": "", "website": "",
            "partner_status": "partner", "partner_since": "2024-03-01", "notes": "", **overrides}


def test_the_officer_records_an_employer_then_corrects_it(territory, officer):
    client = _client(officer)
    response = client.post(reverse("employers:employer_create"), _form())
    employer = Employer.objects.get()
    assert response.status_code == 302 and response.url == reverse("employers:employer_detail", args=[employer.pk])
    assert (employer.siret, employer.naf_section, employer.phone, employer.partner_since) == (
        "73282932000074", "C", "+33473000001", datetime.date(2024, 3, 1))
    page = client.get(reverse("employers:employer_edit", args=[employer.pk])).content.decode()
    assert 'name="version" value="0"' in page
    response = client.post(reverse("employers:employer_edit", args=[employer.pk]),
                           _form(version="0", naf_division="47", size_band="small"))
    employer.refresh_from_db()
    assert response.status_code == 302 and (employer.naf_section, employer.size_band) == ("G", "small")


def test_a_bad_form_names_its_field_and_saves_nothing(territory, officer):
    response = _client(officer).post(reverse("employers:employer_create"), _form(siret="12345678901234"))
    assert response.status_code == 400
    assert "la clé de contrôle ne correspond pas" in response.content.decode()
    assert not Employer.objects.exists()


def test_a_duplicate_is_refused_on_the_page(territory, officer):
    factories.EmployerFactory(territory=territory, siret="73282932000074", name="Boulangerie du Centre")
    response = _client(officer).post(reverse("employers:employer_create"), _form())
    assert response.status_code == 400
    assert "cet établissement est déjà enregistré (Boulangerie du Centre)" in response.content.decode()
    assert Employer.objects.count() == 1


def test_a_stale_edit_keeps_what_was_typed_and_says_why(territory, officer, coordinator):
    employer = factories.EmployerFactory(territory=territory, siret="73282932000074")
    _client(coordinator).post(reverse("employers:employer_edit", args=[employer.pk]), _form(version="0"))
    response = _client(officer).post(reverse("employers:employer_edit", args=[employer.pk]),
                                     _form(version="0", name="Nom tapé"))
    page = response.content.decode()
    assert response.status_code == 400 and "modifiée par quelqu&#x27;un d&#x27;autre" in page
    assert 'value="Nom tapé"' in page and 'name="version" value="1"' in page
    employer.refresh_from_db()
    assert employer.name == "Boulangerie Dômes"


def test_contacts_and_exchanges_on_the_employers_page(territory, officer):
    employer = factories.EmployerFactory(territory=territory)
    client = _client(officer)
    response = client.post(reverse("employers:contact_add", args=[employer.pk]), {
        "contact-name": "Claire Martin", "contact-job_title": "Responsable RH", "contact-phone": "04 73 00 00 02",
        "contact-email": "claire@example.org", "contact-is_active": "on"})
    assert response.status_code == 302
    contact = EmployerContact.objects.get()
    response = client.post(reverse("employers:exchange_add", args=[employer.pk]), {
        "exchange-kind": "call", "exchange-date": timezone.localdate().isoformat(), "exchange-contact": contact.pk,
        "exchange-summary": "Deux postes de vendeur·se en mars"})
    assert response.status_code == 302
    page = client.get(reverse("employers:employer_detail", args=[employer.pk])).content.decode()
    assert "Claire Martin" in page and "Deux postes de vendeur·se en mars" in page and "avec Claire Martin" in page
    response = client.post(reverse("employers:contact_edit", args=[employer.pk, contact.pk]), {
        "name": "Claire Martin", "job_title": "Responsable RH", "phone": "", "email": ""})
    contact.refresh_from_db()
    assert response.status_code == 302 and contact.is_active is False
    page = client.get(reverse("employers:employer_detail", args=[employer.pk])).content.decode()
    assert "est plus en poste" in page


def test_a_future_exchange_is_refused_on_the_page_and_saves_nothing(territory, officer):
    employer = factories.EmployerFactory(territory=territory)
    response = _client(officer).post(reverse("employers:exchange_add", args=[employer.pk]), {
        "exchange-kind": "call", "exchange-date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "exchange-summary": "Rappel"})
    assert response.status_code == 400
    assert "un échange s&#x27;enregistre une fois qu&#x27;il a eu lieu" in response.content.decode()
    assert not EmployerExchange.objects.exists()


def test_the_list_filters_by_section(territory, referent):
    factories.EmployerFactory(territory=territory, name="Ehpad Les Cèdres", naf_division="87", naf_section="Q")
    factories.EmployerFactory(territory=territory, name="BTP Volcans")
    factories.EmployerFactory(territory=factories.TerritoryFactory(name="Ailleurs"), name="Employeur-canari-5510")
    client = _client(referent)
    page = client.get(reverse("employers:employer_list")).content.decode()
    assert "Ehpad Les Cèdres" in page and "BTP Volcans" in page and "Employeur-canari-5510" not in page
    assert "Enregistrer un employeur" not in page      # a referent reads the portfolio, does not keep it
    page = client.get(reverse("employers:employer_list"), {"section": "Q"}).content.decode()
    assert "Ehpad Les Cèdres" in page and "BTP Volcans" not in page


@pytest.mark.parametrize("who", ["prescriber", "facilitator", "dpo"])
def test_who_does_not_work_with_employers_is_refused(request, territory, plie, prescriber_org, who):
    where = plie if who != "prescriber" else prescriber_org
    user = factories.UserFactory(membership=(where, who))
    employer = factories.EmployerFactory(territory=territory)
    client = _client(user)
    assert client.get(reverse("employers:employer_list")).status_code == 403
    assert client.get(reverse("employers:employer_detail", args=[employer.pk])).status_code == 403


def test_a_referent_reads_but_does_not_write(territory, referent):
    employer = factories.EmployerFactory(territory=territory)
    client = _client(referent)
    assert client.get(reverse("employers:employer_detail", args=[employer.pk])).status_code == 200
    assert client.get(reverse("employers:employer_edit", args=[employer.pk])).status_code == 403
    assert client.post(reverse("employers:exchange_add", args=[employer.pk]), {
        "exchange-kind": "call", "exchange-date": timezone.localdate().isoformat(),
        "exchange-summary": "x"}).status_code == 403
    assert not EmployerExchange.objects.exists()


def test_another_territorys_employer_is_not_found(territory, foreign_officer):
    employer = factories.EmployerFactory(territory=territory)
    client = _client(foreign_officer)
    assert client.get(reverse("employers:employer_detail", args=[employer.pk])).status_code == 404
    assert client.get(reverse("employers:employer_edit", args=[employer.pk])).status_code == 404


@pytest.mark.parametrize("name", ["list", "detail", "create", "edit", "contact_edit", "contact_add", "exchange_add"])
def test_the_pages_cost_the_same_at_two_volumes(name, territory, officer, django_assert_num_queries):
    employer = factories.EmployerFactory(territory=territory)
    contact = EmployerContact.objects.create(employer=employer, name="Contact 0")
    EmployerExchange.objects.create(employer=employer, kind="call", summary="Appel 0", by=officer,
                                    date=timezone.localdate(), contact=contact)
    client = _client(officer)
    url = {"list": reverse("employers:employer_list"), "create": reverse("employers:employer_create"),
           "detail": reverse("employers:employer_detail", args=[employer.pk]),
           "edit": reverse("employers:employer_edit", args=[employer.pk]),
           "contact_edit": reverse("employers:contact_edit", args=[employer.pk, contact.pk]),
           "contact_add": reverse("employers:contact_add", args=[employer.pk]),
           "exchange_add": reverse("employers:exchange_add", args=[employer.pk])}[name]
    client.get(url)
    # session, user, memberships (the scope), then: the count and the rows (list); the employer, its contacts, the
    # active contacts of the form, its latest offers, the exchanges' count and rows (detail); the territory or the
    # employer, and the communes (forms); the employer and the contact (contact_edit); the employer (contact_add) and
    # its active contacts (exchange_add)
    pins = {"list": 5, "detail": 9, "create": 5, "edit": 5, "contact_edit": 5, "contact_add": 4, "exchange_add": 5}
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
    for index in range(1, 31):
        other = factories.EmployerFactory(territory=territory, created_by=officer)
        EmployerContact.objects.create(employer=employer, name=f"Contact {index}")
        EmployerExchange.objects.create(employer=employer, kind="call", summary=f"Appel {index}", by=officer,
                                        date=timezone.localdate(), contact=contact)
        EmployerExchange.objects.create(employer=other, kind="visit", summary="Visite", by=officer,
                                        date=timezone.localdate())
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
