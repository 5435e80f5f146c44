"""Entering buyers, contracts and beneficiaries in the interface, the hours calculator, the late contracts of the
facilitator's work list: the rules, each refusal, who may, and the query counts at two volumes (docs/clauses.md)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.clauses.calculator import hours_proposed
from parcours.clauses.models import Beneficiary, Buyer, ClauseContract
from parcours.clauses.selectors import contracts_late
from tests import factories
from tests.clauses.test_pages import _beneficiary, _client, _contract, _statement

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"


@pytest.fixture
def facilitator(plie):
    return factories.UserFactory(membership=(plie, "facilitator"))


def _contract_post(buyer, **extra):
    return {"contract_ref": "M-9", "buyer": buyer.pk, "title": "Voirie lot 2", "legal_basis": "execution_condition",
            "awardee_siret": "732 829 320 00074", "awardee_name": "BTP Auvergne", "amount_excl_tax": "1000000",
            "start_date": "2025-01-15", "end_date": "2025-12-31", "labour_share": "40", "insertion_share": "5",
            "hourly_cost": "30", "hours_required": "600", **extra}


# --- buyers -------------------------------------------------------------------------------------------------------

def test_the_facilitator_records_and_edits_a_buyer_audited(territory, facilitator):
    client = _client(facilitator)
    response = client.post(reverse("clauses:buyer_create"), {"buyer_ref": "B-7", "name": "Ville de Riom",
                                                             "kind": "commune"})
    assert response.status_code == 302
    buyer = Buyer.objects.get()
    assert (buyer.territory, buyer.buyer_ref, buyer.kind) == (territory, "B-7", "commune")
    assert AuditEvent.objects.get(action="buyer_create").changes["name"] == [None, "Ville de Riom"]
    response = client.post(reverse("clauses:buyer_edit", args=[buyer.pk]), {"name": "Riom Limagne", "kind": "epci"})
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.buyer_ref, buyer.name, buyer.kind) == ("B-7", "Riom Limagne", "epci")
    assert AuditEvent.objects.get(action="buyer_update").changes["kind"] == ["commune", "epci"]


@pytest.mark.parametrize(("data", "message"), [
    ({"buyer_ref": "B-1", "name": "Autre", "kind": "commune"}, "identifiant « B-1 » déjà porté par une autre fiche"),
    ({"buyer_ref": "B-2", "name": "Autre", "kind": "mairie"}, "Sélectionnez un choix valide"),
    ({"buyer_ref": "B-2", "name": "\u200b", "kind": "commune"}, "aucun caractère visible"),
])
def test_a_buyer_outside_the_rules_is_refused(territory, facilitator, data, message):
    Buyer.objects.create(territory=factories.TerritoryFactory(name="Ailleurs"), buyer_ref="B-1", name="Ville",
                         kind="commune")
    response = _client(facilitator).post(reverse("clauses:buyer_create"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Buyer.objects.count() == 1


# --- contracts ----------------------------------------------------------------------------------------------------

def test_the_facilitator_records_a_contract_with_a_spaced_siret(territory, facilitator):
    buyer = Buyer.objects.create(territory=territory, buyer_ref="B-1", name="Ville", kind="commune")
    response = _client(facilitator).post(reverse("clauses:contract_create"), _contract_post(buyer))
    assert response.status_code == 302
    contract = ClauseContract.objects.get()
    assert (contract.awardee_siret, contract.hours_required, contract.amount_excl_tax) == (
        SIRET, Decimal(600), Decimal(1000000))
    changes = AuditEvent.objects.get(action="clause_contract_create").changes
    assert changes["buyer"] == [None, "B-1"] and changes["hours_required"] == [None, "600"]


def test_the_calculator_proposes_the_hours_without_saving(territory, facilitator):
    buyer = Buyer.objects.create(territory=territory, buyer_ref="B-1", name="Ville", kind="commune")
    page = _client(facilitator).get(reverse("clauses:contract_create")).content.decode()
    assert "heures = montant HT × part de la main-d'œuvre × part réservée à l'insertion" in page
    assert "la main-d'œuvre fait 40 % du montant, 5 % de ses heures" in page and "coûte 30 €" in page
    response = _client(facilitator).post(reverse("clauses:contract_create"),
                                         _contract_post(buyer, hours_required="", calculate="1"))
    assert response.status_code == 200 and not ClauseContract.objects.exists()
    body = response.content.decode()
    assert "Heures proposées : 667" in body and 'name="hours_required" value="667"' in body
    missing = _client(facilitator).post(reverse("clauses:contract_create"),
                                        _contract_post(buyer, amount_excl_tax="", calculate="1"))
    assert missing.status_code == 400 and "Indiquez le montant HT pour calculer les heures." in missing.content.decode()


def test_the_hours_rule():
    # 1,000,000 € × 40 % × 5 % ÷ 30 € = 666.67 → 667 hours.
    assert hours_proposed(amount_excl_tax=Decimal(1000000)) == Decimal(667)
    assert hours_proposed(amount_excl_tax=Decimal(250000), labour_share=Decimal("0.5"),
                          insertion_share=Decimal("0.07"), hourly_cost=Decimal(35)) == Decimal(250)
    assert hours_proposed(amount_excl_tax=Decimal(0)) == 0
    for bad in ({"labour_share": Decimal(0)}, {"insertion_share": Decimal("1.5")}, {"hourly_cost": Decimal(0)},
                {"amount_excl_tax": Decimal(-1)}):
        with pytest.raises(ValueError):
            hours_proposed(**{"amount_excl_tax": Decimal(1), **bad})


@pytest.mark.parametrize(("extra", "message"), [
    ({"awardee_siret": "73282932000075"}, "SIRET invalide"),
    ({"end_date": "2024-12-31"}, "la fin (2024-12-31) précède le début (2025-01-15)"),
    ({"legal_basis": "l2112"}, "Sélectionnez un choix valide"),
    ({"hours_required": "-1"}, "supérieure ou égale à 0"),
    ({"hours_required": ""}, "Indiquez les heures d&#x27;insertion prévues (ou calculez-les)."),
    ({"contract_ref": "M-1"}, "identifiant « M-1 » déjà porté par une autre fiche"),
    ({"start_date": "1989-12-31"}, "La date doit être comprise entre le 01/01/1990"),
])
def test_a_contract_outside_the_rules_is_refused(territory, facilitator, extra, message):
    existing = _contract(territory, "M-1")
    response = _client(facilitator).post(reverse("clauses:contract_create"), _contract_post(existing.buyer, **extra))
    assert response.status_code == 400 and message in response.content.decode()
    assert ClauseContract.objects.count() == 1


def test_an_edit_keeps_the_statements_within_the_period(territory, facilitator):
    contract = _contract(territory)
    _statement(contract, _beneficiary(territory), "L-1", month=date(2025, 11, 1))
    client = _client(facilitator)
    data = _contract_post(contract.buyer, end_date="2025-10-31")
    del data["contract_ref"]
    refused = client.post(reverse("clauses:contract_edit", args=[contract.pk]), data)
    assert refused.status_code == 400
    assert ("le relevé « L-1 » déjà enregistré dans Parcours ne tiendrait plus : le mois 2025-11 est hors de la "
            "période du marché « M-1 » (2025-01 – 2025-10)") in refused.content.decode()
    data["end_date"] = "2026-06-30"
    assert client.post(reverse("clauses:contract_edit", args=[contract.pk]), data).status_code == 302
    contract.refresh_from_db()
    assert (contract.contract_ref, contract.end_date, contract.title) == ("M-1", date(2026, 6, 30), "Voirie lot 2")
    assert AuditEvent.objects.get(action="clause_contract_update").changes["end_date"] == ["2025-12-31", "2026-06-30"]


def test_the_database_holds_the_contracts_rules(territory):
    contract = _contract(territory)
    for field, value in (("end_date", date(2024, 1, 1)), ("hours_required", Decimal(-1)),
                         ("awardee_siret", "123")):
        with pytest.raises(IntegrityError), transaction.atomic():
            ClauseContract.objects.filter(pk=contract.pk).update(**{field: value})


# --- beneficiaries ------------------------------------------------------------------------------------------------

def _beneficiary_post(**extra):
    return {"beneficiary_ref": "BE-7", "person_ref": "", "sex": "F", "birth_date": "1988-04-02",
            "publics": ["rsa", "deld"], "eligibility_date": "2025-02-01", **extra}


def test_the_facilitator_records_a_person_not_followed(territory, facilitator):
    response = _client(facilitator).post(reverse("clauses:beneficiary_create"), _beneficiary_post())
    assert response.status_code == 302
    person = Beneficiary.objects.get()
    assert (person.territory, person.participant, person.publics, person.checked_by) == (
        territory, None, ["deld", "rsa"], facilitator)
    assert AuditEvent.objects.get(action="beneficiary_create").changes["publics"] == [None, "deld;rsa"]


def test_a_plie_participant_is_linked_by_their_file_and_their_name_shown_is_logged(territory, facilitator,
                                                                                    coordinator):
    pathway = factories.PathwayFactory(participant__territory=territory)
    participant = pathway.participant
    client = _client(facilitator)
    response = client.post(reverse("clauses:beneficiary_create"),
                           _beneficiary_post(person_ref=f"P{participant.pk}", publics=["plie_participant"]))
    assert response.status_code == 302
    assert Beneficiary.objects.get().participant == participant
    assert AuditEvent.objects.get(action="beneficiary_create").participant_id == participant.pk
    AccessLog.objects.all().delete()
    page = _client(coordinator).get(reverse("clauses:beneficiary_list")).content.decode()
    assert participant.last_name in page
    assert list(AccessLog.objects.values_list("user", "participant", "screen")) == [
        (coordinator.pk, participant.pk, "clause_beneficiaries")]
    again = client.post(reverse("clauses:beneficiary_create"),
                        _beneficiary_post(beneficiary_ref="BE-8", person_ref=f"P{participant.pk}"))
    assert again.status_code == 400
    assert (f"la personne « P{participant.pk} » est déjà le ou la bénéficiaire « BE-7 » (déjà enregistré·e dans "
            "Parcours)") in again.content.decode()


@pytest.mark.parametrize(("extra", "message"), [
    ({"person_ref": "P999999"}, "personne « P999999 » absente des dossiers du territoire"),
    ({"publics": []}, "au moins un motif d&#x27;éligibilité"),
    ({"publics": ["chomeur"]}, "Sélectionnez un choix valide"),
    ({"sex": "X"}, "Sélectionnez un choix valide"),
    ({"birth_date": "1890-01-01"}, "La date de naissance doit être comprise"),
    ({"beneficiary_ref": "BE-1"}, "identifiant « BE-1 » déjà porté par une autre fiche"),
])
def test_a_beneficiary_outside_the_rules_is_refused(territory, facilitator, extra, message):
    _beneficiary(territory, "BE-1")
    response = _client(facilitator).post(reverse("clauses:beneficiary_create"), _beneficiary_post(**extra))
    assert response.status_code == 400 and message in response.content.decode()
    assert Beneficiary.objects.count() == 1


def test_the_eligibility_cannot_be_dated_after_today(territory, facilitator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _client(facilitator).post(reverse("clauses:beneficiary_create"),
                                         _beneficiary_post(eligibility_date=tomorrow.isoformat()))
    assert response.status_code == 400
    assert "la vérification de l&#x27;éligibilité ne peut pas être datée après aujourd&#x27;hui" in \
        response.content.decode()


def test_a_participant_of_another_territory_is_not_found(territory, facilitator):
    stranger = factories.PathwayFactory(participant__territory=factories.TerritoryFactory(name="Ailleurs"))
    response = _client(facilitator).post(reverse("clauses:beneficiary_create"),
                                         _beneficiary_post(person_ref=f"P{stranger.participant.pk}"))
    assert response.status_code == 400 and not Beneficiary.objects.exists()


def test_an_edit_keeps_the_statements_after_the_eligibility(territory, facilitator, coordinator):
    contract = _contract(territory)
    person = _beneficiary(territory)                   # eligible from 2025-02-10
    _statement(contract, person, "L-1", month=date(2025, 3, 1))
    client = _client(facilitator)
    url = reverse("clauses:beneficiary_edit", args=[person.pk])
    data = {"sex": "F", "birth_date": "1990-05-01", "publics": ["rqth"], "eligibility_date": "2025-04-02"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert ("le relevé « L-1 » déjà enregistré dans Parcours ne tiendrait plus : le mois 2025-03 précède "
            "l&#x27;éligibilité de « BE-1 » (vérifiée le 2025-04-02)") in refused.content.decode()
    assert client.post(url, {**data, "eligibility_date": "2025-03-20"}).status_code == 302
    person.refresh_from_db()
    assert (person.publics, person.eligibility_date, person.checked_by) == (["rqth"], date(2025, 3, 20), facilitator)
    assert AuditEvent.objects.get(action="beneficiary_update").changes["publics"] == ["rsa", "rqth"]
    assert _client(coordinator).get(url).status_code == 403


def test_only_the_facilitator_enters_and_the_team_reads(territory, facilitator, coordinator, referent):
    contract = _contract(territory)
    team = _client(coordinator)
    for name, args in (("clauses:buyer_create", []), ("clauses:buyer_edit", [contract.buyer_id]),
                       ("clauses:contract_create", []), ("clauses:contract_edit", [contract.pk]),
                       ("clauses:beneficiary_create", [])):
        assert team.get(reverse(name, args=args)).status_code == 403
        assert _client(facilitator).get(reverse(name, args=args)).status_code == 200
    assert team.get(reverse("clauses:beneficiary_list")).status_code == 200
    assert _client(referent).get(reverse("clauses:beneficiary_list")).status_code == 403


# --- the companies late on their commitment ----------------------------------------------------------------------

def test_late_contracts_are_those_whose_forecast_falls_short(territory):
    today = date(2025, 4, 30)   # four months of twelve elapsed
    late = _contract(territory, "M-1")                                    # 600 required
    _statement(late, _beneficiary(territory), "L-1", hours="100")         # 100 × 12 / 4 = 300: 300 short
    on_track = _contract(territory, "M-2", buyer=late.buyer)
    _statement(on_track, _beneficiary(territory, "BE-2"), "L-2", hours="200")   # 600: not late
    _contract(territory, "M-3", buyer=late.buyer, hours_required=Decimal(1000))   # nothing: 1000 short
    _contract(territory, "M-4", buyer=late.buyer, end_date=date(2025, 3, 31))              # ended
    _contract(territory, "M-5", buyer=late.buyer, start_date=date(2025, 6, 1))             # not started
    _contract(territory, "M-6", buyer=late.buyer, end_date=None)                           # no forecast
    _contract(territory, "M-7", buyer=late.buyer, hours_required=Decimal(0))               # nothing owed
    rows = contracts_late(ClauseContract.objects.all(), today=today)
    assert [(r.contract.contract_ref, r.forecast, r.shortfall) for r in rows] == [
        ("M-3", Decimal("0.00"), Decimal("1000.00")), ("M-1", Decimal("300.00"), Decimal("300.00"))]


def test_the_facilitators_home_lists_the_late_companies(territory, facilitator, coordinator):
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    contract = _contract(territory, "M-1", start_date=start, end_date=start + timedelta(days=700))
    page = _client(facilitator).get(reverse("web:home")).content.decode()
    assert "Entreprises en retard sur leur engagement" in page
    assert f'<a href="{reverse("clauses:contract_detail", args=[contract.pk])}">M-1</a> — BTP Auvergne' in page
    assert "prévision 0,00 h pour 600,00 h prévues, 600,00 h manquantes" in page
    assert "Entreprises en retard" not in _client(coordinator).get(reverse("web:home")).content.decode()


def test_the_facilitators_home_costs_the_same_queries_at_two_volumes(territory, facilitator,
                                                                      django_assert_num_queries):
    today = timezone.localdate()
    client = _client(facilitator)
    buyer = Buyer.objects.create(territory=territory, buyer_ref="B-0", name="Ville", kind="commune")

    def grow(start, count):
        for n in range(start, start + count):
            contract = _contract(territory, f"M-{n}", buyer=buyer, start_date=today.replace(day=1),
                                 end_date=today + timedelta(days=400))
            person = _beneficiary(territory, f"BE-{n}", eligibility_date=today.replace(day=1))
            _statement(contract, person, f"L-{n}", month=today.replace(day=1), hours="1")

    grow(0, 1)
    client.get(reverse("web:home"))
    with django_assert_num_queries(HOME_QUERIES):
        assert "M-0</a>" in client.get(reverse("web:home")).content.decode()
    grow(1, 12)
    with django_assert_num_queries(HOME_QUERIES):
        assert "M-12</a>" in client.get(reverse("web:home")).content.decode()


HOME_QUERIES = 4


# --- query counts at two volumes ----------------------------------------------------------------------------------

PINS = {  # url name -> queries
    "clauses:buyer_create": 4,
    "clauses:buyer_edit": 5,
    "clauses:contract_create": 4,
    "clauses:contract_edit": 5,
    "clauses:beneficiary_list": 6,
    "clauses:beneficiary_create": 4,
    "clauses:beneficiary_edit": 4,
}


def _grow(territory, count, start=0):
    for n in range(start, start + count):
        buyer = Buyer.objects.create(territory=territory, buyer_ref=f"B-{n + 10}", name=f"Ville {n}", kind="epci")
        _contract(territory, f"M-{n + 10}", buyer=buyer)
        _beneficiary(territory, f"BE-{n + 10}", participant=factories.ParticipantFactory(territory=territory))


@pytest.mark.parametrize("name", sorted(PINS))
def test_each_form_costs_the_same_queries_at_two_volumes(name, territory, facilitator, django_assert_num_queries):
    first = _contract(territory, "M-1")
    _grow(territory, 1)
    client = _client(facilitator)
    kwargs = {"clauses:buyer_edit": {"pk": first.buyer_id}, "clauses:contract_edit": {"pk": first.pk},
              "clauses:beneficiary_edit": {"pk": Beneficiary.objects.first().pk}}.get(name, {})
    url = reverse(name, kwargs=kwargs)
    client.get(url)   # the session's first read
    with django_assert_num_queries(PINS[name]):
        assert client.get(url).status_code == 200
    _grow(territory, 4, start=1)
    with django_assert_num_queries(PINS[name]):
        assert client.get(url).status_code == 200
