"""The facilitator's pages: the contracts and their progress, a contract's statements, entering a statement, the
figures of a period; who sees them, and their query counts at two volumes (docs/clauses.md)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.clauses.models import Beneficiary, Buyer, ClauseContract, HoursStatement
from parcours.clauses.selectors import contract_forecast
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(plie):
    return factories.UserFactory(membership=(plie, "facilitator"))


def _client(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


def _contract(territory, ref="M-1", buyer=None, **extra):
    buyer = buyer or Buyer.objects.create(territory=territory, buyer_ref=f"B-{ref}", name=f"Ville {ref}",
                                          kind="commune")
    values = {"title": f"Travaux {ref}", "legal_basis": "execution_condition", "awardee_siret": "11111111100011",
              "awardee_name": "BTP Auvergne", "start_date": date(2025, 1, 15), "end_date": date(2025, 12, 31),
              "hours_required": Decimal(600), **extra}
    return ClauseContract.objects.create(contract_ref=ref, buyer=buyer, **values)


def _beneficiary(territory, ref="BE-1", **extra):
    values = {"sex": "F", "birth_date": date(1990, 5, 1), "publics": ["rsa"], "eligibility_date": date(2025, 2, 10),
              **extra}
    return Beneficiary.objects.create(territory=territory, beneficiary_ref=ref, **values)


def _statement(contract, beneficiary, ref, month=date(2025, 3, 1), hours="35"):
    return HoursStatement.objects.create(line_ref=ref, contract=contract, beneficiary=beneficiary, month=month,
                                         employer_siret="11111111100011", modality="direct_hire",
                                         contract_type="cdd", hours=Decimal(hours))


def test_the_forecast_rule():
    # 12 months (January to December 2025); in April, four months elapsed: 200 hours → 200 × 12 / 4 = 600.
    assert contract_forecast(start=date(2025, 1, 15), end=date(2025, 12, 31), worked=Decimal(200),
                             today=date(2025, 4, 30)) == Decimal("600.00")
    # After the end: what was worked; before the start or without an end: none.
    assert contract_forecast(start=date(2025, 1, 15), end=date(2025, 12, 31), worked=Decimal("350.5"),
                             today=date(2026, 3, 1)) == Decimal("350.50")
    assert contract_forecast(start=date(2025, 1, 15), end=date(2025, 12, 31), worked=Decimal(0),
                             today=date(2024, 12, 31)) is None
    assert contract_forecast(start=date(2025, 1, 15), end=None, worked=Decimal(10), today=date(2025, 4, 1)) is None


def test_the_list_shows_required_and_worked_hours_filtered_by_buyer(territory, facilitator):
    m1 = _contract(territory, "M-1")
    m2 = _contract(territory, "M-2", hours_required=Decimal(50))
    person = _beneficiary(territory)
    _statement(m1, person, "L-1", hours="120.5")
    _statement(m1, person, "L-2", month=date(2025, 4, 1), hours="30")
    client = _client(facilitator)
    page = client.get(reverse("clauses:contract_list")).content.decode()
    assert "M-1</a> — Travaux M-1" in page and "M-2</a>" in page
    assert '<td class="number">150,50</td>' in page       # worked to date on M-1
    assert "Prévision en fin de marché : les heures des mois écoulés" in page
    filtered = client.get(reverse("clauses:contract_list"), {"buyer": m2.buyer_id}).content.decode()
    assert "M-2</a>" in filtered and "M-1</a>" not in filtered


def test_the_detail_lists_the_statements_and_logs_the_plie_participants_shown(territory, facilitator):
    contract = _contract(territory)
    participant = factories.ParticipantFactory(territory=territory)
    _statement(contract, _beneficiary(territory, participant=participant), "L-1")
    _statement(contract, _beneficiary(territory, "BE-2"), "L-2", hours="12.25")
    page = _client(facilitator).get(reverse("clauses:contract_detail", args=[contract.pk])).content.decode()
    assert "BE-1 (participant·e du PLIE)" in page and "BE-2</td>" in page and "12,25" in page
    assert list(AccessLog.objects.values_list("user", "participant", "screen")) == [
        (facilitator.pk, participant.pk, "clause_contract")]


def test_the_facilitator_enters_a_statement_audited(territory, facilitator):
    contract = _contract(territory)
    person = _beneficiary(territory)
    client = _client(facilitator)
    url = reverse("clauses:statement_add", args=[contract.pk])
    assert 'value="11111111100011"' in client.get(url).content.decode()   # the awardee proposed as employer
    response = client.post(url, {"beneficiary": person.pk, "month": "2025-03", "employer_siret": "11111111100011",
                                 "modality": "geiq", "contract_type": "professionalisation", "hours": "70.25"})
    assert response.status_code == 302
    statement = HoursStatement.objects.get()
    assert (statement.month, statement.hours, statement.modality) == (date(2025, 3, 1), Decimal("70.25"), "geiq")
    assert statement.line_ref.startswith("R-")
    event = AuditEvent.objects.get(action="hours_statement_record")
    assert event.changes["hours"] == [None, "70.25"] and event.changes["month"] == [None, "2025-03"]


@pytest.mark.parametrize(("month", "message"), [
    ("2025-01", "le mois 2025-01 précède l&#x27;éligibilité de « BE-1 » (vérifiée le 2025-02-10)"),
    ("2026-01", "le mois 2026-01 est hors de la période du marché « M-1 » (2025-01 – 2025-12)"),
    ("2025-1", "Indiquez un mois au format AAAA-MM."),
])
def test_a_statement_outside_the_rules_is_refused(territory, facilitator, month, message):
    contract = _contract(territory)
    person = _beneficiary(territory)
    response = _client(facilitator).post(reverse("clauses:statement_add", args=[contract.pk]), {
        "beneficiary": person.pk, "month": month, "employer_siret": "11111111100011", "modality": "direct_hire",
        "contract_type": "cdd", "hours": "7"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HoursStatement.objects.exists()


def test_another_territorys_beneficiary_cannot_be_chosen(territory, facilitator):
    contract = _contract(territory)
    stranger = _beneficiary(factories.TerritoryFactory(name="Ailleurs"), "BE-9")
    response = _client(facilitator).post(reverse("clauses:statement_add", args=[contract.pk]), {
        "beneficiary": stranger.pk, "month": "2025-03", "employer_siret": "11111111100011", "modality": "direct_hire",
        "contract_type": "cdd", "hours": "7"})
    assert response.status_code == 400 and not HoursStatement.objects.exists()


def test_the_team_reads_without_entering_and_the_others_are_refused(territory, facilitator, coordinator, referent):
    contract = _contract(territory)
    team = _client(coordinator)
    assert team.get(reverse("clauses:contract_detail", args=[contract.pk])).status_code == 200
    assert "Saisir un relevé" not in team.get(reverse("clauses:contract_detail", args=[contract.pk])).content.decode()
    assert team.get(reverse("clauses:statement_add", args=[contract.pk])).status_code == 403
    for name, args in (("clauses:contract_list", []), ("clauses:contract_detail", [contract.pk]),
                       ("clauses:report", [])):
        assert _client(referent).get(reverse(name, args=args)).status_code == 403
    other = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=factories.TerritoryFactory(name="Ailleurs"), plie=True), "facilitator"))
    assert _client(other).get(reverse("clauses:contract_detail", args=[contract.pk])).status_code == 404


def test_the_report_page_shows_the_figures_of_the_period(territory, facilitator):
    contract = _contract(territory)
    _statement(contract, _beneficiary(territory), "L-1", hours="803.5")
    page = _client(facilitator).get(reverse("clauses:report"), {"date_from": "2025-01-01",
                                                                "date_to": "2025-12-31"}).content.decode()
    assert "Chiffres du 2025-01-01 au 2025-12-31" in page
    assert '<td class="number">803,50</td>' in page and '<td class="number">0,50</td>' in page   # hours, FTE
    assert "134 %" in page       # 803.5 / 600
    bad = _client(facilitator).get(reverse("clauses:report"), {"date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert bad.status_code == 400 and "La fin précède le début." in bad.content.decode()


def _grow(territory, count, start=0):
    buyer = Buyer.objects.first()
    for n in range(start, start + count):
        contract = _contract(territory, f"M-{n + 10}", buyer=buyer)
        person = _beneficiary(territory, f"BE-{n + 10}", participant=factories.ParticipantFactory(territory=territory))
        _statement(contract, person, f"L-{n + 10}")
        _statement(Buyer.objects.first().contracts.order_by("pk").first(), person, f"L-{n + 10}b")


PINS = {  # url name -> (queries, kwargs)
    "clauses:contract_list": 6,
    "clauses:contract_detail": 8,
    "clauses:statement_add": 5,
    "clauses:report": 11,
}


@pytest.mark.parametrize("name", sorted(PINS))
def test_each_page_costs_the_same_queries_at_two_volumes(name, territory, facilitator, django_assert_num_queries):
    first = _contract(territory, "M-1")
    _grow(territory, 1)
    client = _client(facilitator)
    kwargs = {"pk": first.pk} if name in ("clauses:contract_detail", "clauses:statement_add") else {}
    query = {"date_from": "2025-01-01", "date_to": "2025-12-31"} if name == "clauses:report" else {}
    url = reverse(name, kwargs=kwargs)
    client.get(url, query)   # the session's first read
    with django_assert_num_queries(PINS[name]):
        assert client.get(url, query).status_code == 200
    _grow(territory, 4, start=1)
    with django_assert_num_queries(PINS[name]):
        assert client.get(url, query).status_code == 200
    assert timezone.localdate()
