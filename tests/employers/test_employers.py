"""The employers' portfolio (docs/employers.md): NAF reference data, the SIRET check, duplicates, contacts and the
history of exchanges, each rule and each refusal, in the services and in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.audit.models import AuditEvent
from parcours.core.concurrency import StaleObjectError
from parcours.employers.models import Employer, EmployerContact, EmployerExchange
from parcours.employers.naf import naf_division_from_code, naf_divisions, naf_sections
from parcours.employers.selectors import employers_search
from parcours.employers.services import employer_contact_save, employer_exchange_record, employer_save
from parcours.territory.models import Commune
from tests import factories

pytestmark = pytest.mark.django_db

SIRET = "732 829 320 00074"   # typed as printed on a Kbis: spaces accepted, stored as 14 digits


def _values(**overrides) -> dict:
    return {"siret": SIRET, "name": "Boulangerie Dômes", "naf_division": "10", "size_band": "micro",
            "address": "3 rue des Gras", "commune_id": None, "phone": "", "email": "", "website": "",
            "partner_status": "prospect", "partner_since": None, "notes": "", **overrides}


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- NAF rév. 2 -----------------------------------------------------------------------------------------------------
def test_naf_ships_its_21_sections_and_88_divisions():
    sections, divisions = naf_sections(), naf_divisions()
    assert list(sections) == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert len(divisions) == 88
    assert {d.section for d in divisions.values()} == set(sections)
    assert (divisions["43"].section, divisions["43"].label) == ("F", "Travaux de construction spécialisés")
    assert divisions["88"].section == "Q" and divisions["01"].section == "A" and divisions["99"].section == "U"


@pytest.mark.parametrize(("code", "division"), [("43.21A", "43"), ("4321A", "43"), ("88", "88"), ("04", None),
                                                ("", None)])
def test_an_ape_code_gives_its_division(code, division):
    assert naf_division_from_code(code) == division


# --- creating and editing -------------------------------------------------------------------------------------------
def test_the_officer_records_an_employer_with_its_section_and_an_audit_row(territory, officer):
    employer = employer_save(by=officer, territory=territory, values=_values())
    assert (employer.siret, employer.naf_division, employer.naf_section) == ("73282932000074", "10", "C")
    assert employer.naf_label == "10 — Industries alimentaires"
    event = AuditEvent.objects.get(action="employer_create")
    assert (event.actor, event.object_id, event.participant_id) == (officer, str(employer.pk), None)
    assert event.changes["siret"] == [None, "73282932000074"]


def test_changing_the_division_moves_the_section(territory, officer):
    employer = employer_save(by=officer, territory=territory, values=_values())
    employer = employer_save(by=officer, territory=territory, employer=employer, values=_values(naf_division="86"))
    assert (employer.naf_section, employer.version) == ("Q", 1)
    employer = employer_save(by=officer, territory=territory, employer=employer, values=_values(naf_division=""))
    assert (employer.naf_division, employer.naf_section) == ("", "")
    assert AuditEvent.objects.filter(action="employer_update").count() == 2


@pytest.mark.parametrize(("siret", "message"), [
    ("12345678901234", "SIRET : la clé de contrôle ne correspond pas"),
    ("7328293200007", "SIRET : 14 chiffres attendus"),
    ("7328293200007A", "SIRET : 14 chiffres attendus"),
])
def test_a_bad_siret_is_refused_naming_the_field(territory, officer, siret, message):
    with pytest.raises(ValidationError) as excinfo:
        employer_save(by=officer, territory=territory, values=_values(siret=siret))
    assert _errors(excinfo)["siret"][0].startswith(message)
    assert not Employer.objects.exists()


def test_a_second_record_of_one_establishment_is_refused_naming_the_first(territory, officer):
    employer_save(by=officer, territory=territory, values=_values())
    with pytest.raises(ValidationError) as excinfo:
        employer_save(by=officer, territory=territory, values=_values(siret="73282932000074", name="Autre nom"))
    assert _errors(excinfo)["siret"] == ["SIRET : cet établissement est déjà enregistré (Boulangerie Dômes)."]
    assert Employer.objects.count() == 1


def test_another_territory_may_hold_the_same_establishment(territory, officer, foreign_officer):
    employer_save(by=officer, territory=territory, values=_values())
    other = foreign_officer.memberships.get().organisation.territory
    employer_save(by=foreign_officer, territory=other, values=_values())
    assert Employer.objects.count() == 2


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"naf_division": "04"}, "naf_division", "Secteur d'activité : division NAF inconnue (04)."),
    ({"partner_since": datetime.date(2024, 1, 1)}, "partner_since",
     "Partenaire depuis le : à laisser vide pour un employeur à démarcher."),
    ({"partner_status": "partner", "partner_since": datetime.date.today() + datetime.timedelta(days=2)},
     "partner_since", "Partenaire depuis le : la date ne peut pas être dans le futur."),
])
def test_each_rule_names_its_field(territory, officer, values, field, message):
    with pytest.raises(ValidationError) as excinfo:
        employer_save(by=officer, territory=territory, values=_values(**values))
    assert _errors(excinfo)[field] == [message]


def test_a_commune_of_another_territory_is_refused(territory, officer):
    elsewhere = factories.TerritoryFactory(name="Autre territoire")
    commune = Commune.objects.filter(territory=elsewhere).first()
    with pytest.raises(ValidationError) as excinfo:
        employer_save(by=officer, territory=territory, values=_values(commune_id=commune.pk))
    assert _errors(excinfo)["commune"] == ["Commune : elle n'est pas sur le territoire."]


@pytest.mark.parametrize("who", ["referent", "prescriber"])
def test_who_does_not_keep_the_employers_is_refused(request, territory, who):
    with pytest.raises(ValidationError, match="Vous ne tenez pas à jour les employeurs de ce territoire."):
        employer_save(by=request.getfixturevalue(who), territory=territory, values=_values())


def test_another_territorys_officer_is_refused(territory, foreign_officer):
    with pytest.raises(ValidationError, match="Vous ne tenez pas à jour"):
        employer_save(by=foreign_officer, territory=territory, values=_values())


def test_a_stale_form_is_refused_and_changes_nothing(territory, officer, coordinator):
    employer = employer_save(by=officer, territory=territory, values=_values())
    employer_save(by=coordinator, territory=territory, employer=employer, values=_values(name="Boulangerie des Dômes"),
                  version=0)
    with pytest.raises(StaleObjectError):
        employer_save(by=officer, territory=territory, employer=employer, values=_values(name="Autre"), version=0)
    employer.refresh_from_db()
    assert (employer.name, employer.version) == ("Boulangerie des Dômes", 1)


@pytest.mark.parametrize(("values", "constraint"), [
    ({"siret": "1234"}, "employer_siret_14_digits"),
    ({"name": ""}, "employer_name_not_empty"),
    ({"naf_division": "04", "naf_section": "B"}, "employer_naf_division_known"),
    ({"naf_division": "43", "naf_section": ""}, "employer_naf_section_follows_division"),
    ({"size_band": "huge"}, "employer_size_band_known"),
    ({"partner_status": "prospect", "partner_since": datetime.date(2024, 1, 1)},
     "employer_partner_since_only_for_partners"),
])
def test_the_database_holds_the_rules_too(territory, officer, values, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Employer.objects.create(territory=territory, created_by=officer, **{
            "siret": "73282932000074", "name": "X", "naf_division": "43", "naf_section": "F", **values})


def test_the_database_refuses_a_duplicate_siret(territory, officer):
    factories.EmployerFactory(territory=territory, siret="73282932000074")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.EmployerFactory(territory=territory, siret="73282932000074")


# --- contacts and exchanges -----------------------------------------------------------------------------------------
def test_contacts_are_added_and_kept_when_they_leave(territory, officer):
    employer = factories.EmployerFactory(territory=territory)
    contact = employer_contact_save(by=officer, employer=employer, values={
        "name": "Claire Martin", "job_title": "Responsable RH", "phone": "+33473000001", "email": "", "is_active": True})
    employer_contact_save(by=officer, employer=employer, contact=contact, values={
        "name": "Claire Martin", "job_title": "Responsable RH", "phone": "", "email": "", "is_active": False})
    contact.refresh_from_db()
    assert (contact.is_active, contact.phone) == (False, "")
    assert list(AuditEvent.objects.filter(object_type="employers.employercontact").values_list("action", flat=True)
                .order_by("pk")) == ["employer_contact_create", "employer_contact_update"]


def test_a_contact_of_another_employer_is_refused(territory, officer):
    employer, other = factories.EmployerFactory(territory=territory), factories.EmployerFactory(territory=territory)
    contact = EmployerContact.objects.create(employer=other, name="Paul")
    with pytest.raises(ValidationError) as excinfo:
        employer_contact_save(by=officer, employer=employer, contact=contact, values={"name": "Paul"})
    assert excinfo.value.messages == ["Ce contact n'est pas chez cet employeur."]
    with pytest.raises(ValidationError) as excinfo:
        employer_exchange_record(by=officer, employer=employer, values={
            "kind": "call", "date": timezone.localdate(), "contact_id": contact.pk, "summary": "Appel"})
    assert _errors(excinfo)["contact"] == ["Contact : il n'est pas chez cet employeur."]


def test_an_exchange_is_recorded_once_it_happened(territory, officer):
    employer = factories.EmployerFactory(territory=territory)
    today = timezone.localdate()
    exchange = employer_exchange_record(by=officer, employer=employer, values={
        "kind": "visit", "date": today, "contact_id": None, "summary": "Visite de l'atelier, deux postes à venir"})
    assert (exchange.by, exchange.kind) == (officer, "visit")
    assert AuditEvent.objects.filter(action="employer_exchange_record", object_id=str(exchange.pk)).exists()
    with pytest.raises(ValidationError) as excinfo:
        employer_exchange_record(by=officer, employer=employer, values={
            "kind": "call", "date": today + datetime.timedelta(days=1), "contact_id": None, "summary": "Rappel"})
    assert _errors(excinfo)["date"][0].startswith("Date : un échange s'enregistre une fois qu'il a eu lieu")
    assert EmployerExchange.objects.count() == 1


def test_an_exchange_without_a_summary_is_refused(territory, officer):
    employer = factories.EmployerFactory(territory=territory)
    with pytest.raises(ValidationError) as excinfo:
        employer_exchange_record(by=officer, employer=employer, values={
            "kind": "call", "date": timezone.localdate(), "contact_id": None, "summary": "   "})
    assert "summary" in _errors(excinfo)
    with pytest.raises(IntegrityError, match="employer_exchange_summary_not_empty"), transaction.atomic():
        EmployerExchange.objects.create(employer=employer, kind="call", date=timezone.localdate(), summary="",
                                        by=officer)


def test_a_referent_does_not_record_exchanges(territory, referent):
    employer = factories.EmployerFactory(territory=territory)
    with pytest.raises(ValidationError, match="Vous ne tenez pas à jour"):
        employer_exchange_record(by=referent, employer=employer, values={
            "kind": "call", "date": timezone.localdate(), "contact_id": None, "summary": "Appel"})


# --- search ---------------------------------------------------------------------------------------------------------
def test_the_search_ignores_case_and_accents_and_reads_a_siret_with_spaces(territory):
    bakery = factories.EmployerFactory(territory=territory, name="Boulangerie Dômes", siret="73282932000074",
                                       naf_division="10", naf_section="C", size_band="micro")
    care = factories.EmployerFactory(territory=territory, name="Ehpad Les Cèdres", naf_division="87",
                                     naf_section="Q", size_band="medium", partner_status="partner")
    everyone = Employer.objects.all()
    assert list(employers_search(everyone, text="domes")) == [bakery]
    assert list(employers_search(everyone, text="CEDRES")) == [care]
    assert list(employers_search(everyone, text="732 829 320")) == [bakery]
    assert list(employers_search(everyone, section="Q")) == [care]
    assert list(employers_search(everyone, size_band="micro")) == [bakery]
    assert list(employers_search(everyone, partner_status="partner")) == [care]


def test_each_row_carries_its_last_exchange_and_active_contacts(territory, officer):
    employer = factories.EmployerFactory(territory=territory)
    EmployerContact.objects.create(employer=employer, name="A")
    EmployerContact.objects.create(employer=employer, name="B")
    EmployerContact.objects.create(employer=employer, name="C", is_active=False)
    for days in (10, 3):
        EmployerExchange.objects.create(employer=employer, kind="call", summary="Appel", by=officer,
                                        date=timezone.localdate() - datetime.timedelta(days=days))
    row = employers_search(Employer.objects.all()).get()
    assert (row.active_contacts, row.last_exchange) == (2, timezone.localdate() - datetime.timedelta(days=3))
