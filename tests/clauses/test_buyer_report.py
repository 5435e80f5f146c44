"""The report to the buyer on one contract (XLSX, PDF): its figures, no one named, who may download it, and its
query count at two volumes (docs/clauses.md)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parcours.audit.models import AccessLog
from parcours.clauses.selectors import buyer_report_compute
from parcours.core import pdf
from parcours.web.clauses.exports import buyer_report_story
from tests import factories
from tests.clauses.test_pages import _beneficiary, _client, _contract, _statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(plie):
    return factories.UserFactory(membership=(plie, "facilitator"))


def _data(territory):
    contract = _contract(territory)        # 2025-01 to 2025-12, 600 hours required
    participant = factories.ParticipantFactory(territory=territory, last_name="Zerbib-Canari")
    anna = _beneficiary(territory, participant=participant)
    bob = _beneficiary(territory, "BE-2", sex="M")
    _statement(contract, anna, "L-1", month=date(2025, 2, 1), hours="100")
    _statement(contract, bob, "L-2", month=date(2025, 3, 1), hours="50.5")
    _statement(contract, anna, "L-3", month=date(2025, 3, 1), hours="49.5")
    _statement(contract, anna, "L-4", month=date(2025, 6, 1), hours="80")    # after the day of the report
    return contract


def test_the_figures_to_date(territory):
    report = buyer_report_compute(_data(territory), today=date(2025, 4, 30))
    assert report.worked == Decimal("200.00")
    assert report.forecast == Decimal("600.00")     # 200 × 12 / 4
    assert report.completion_rate == pytest.approx(1 / 3)
    assert report.by_month == [(date(2025, 2, 1), Decimal("100.00")), (date(2025, 3, 1), Decimal("100.00"))]
    assert dict(report.by_modality)["direct_hire"] == Decimal("200.00") and dict(report.by_modality)["geiq"] == 0
    assert (report.beneficiaries, report.women, report.plie_participants, report.employers) == (2, 1, 1, 1)
    assert report.fte == 0.12
    text = pdf.story_text(buyer_report_story(report))
    assert "M-1 — Travaux M-1" in text and "200,00" in text and "33 %" in text and "Zerbib" not in text


def test_the_xlsx_and_the_pdf_are_downloaded_without_names(territory, facilitator, coordinator):
    contract = _data(territory)
    client = _client(facilitator)
    response = client.get(reverse("clauses:buyer_report_xlsx", args=[contract.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Synthèse", "Par mois", "Par modalité"]
    summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True)}
    assert summary["Marché"] == "M-1" and summary["Heures d'insertion prévues"] == 600
    assert not any("Zerbib" in str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                   for cell in row)
    pdf_response = _client(coordinator).get(reverse("clauses:buyer_report_pdf", args=[contract.pk]))
    assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")
    assert not AccessLog.objects.exists()


def test_others_cannot_download(territory, referent):
    contract = _contract(territory)
    assert _client(referent).get(reverse("clauses:buyer_report_pdf", args=[contract.pk])).status_code == 403
    other = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=factories.TerritoryFactory(name="Ailleurs"), plie=True), "facilitator"))
    assert _client(other).get(reverse("clauses:buyer_report_xlsx", args=[contract.pk])).status_code == 404


REPORT_QUERIES = 8


@pytest.mark.parametrize("name", ["clauses:buyer_report_xlsx", "clauses:buyer_report_pdf"])
def test_the_report_costs_the_same_queries_at_two_volumes(name, territory, facilitator, django_assert_num_queries):
    contract = _data(territory)
    client = _client(facilitator)
    url = reverse(name, args=[contract.pk])
    client.get(url)
    with django_assert_num_queries(REPORT_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(5):
        person = _beneficiary(territory, f"BE-{n + 10}", participant=factories.ParticipantFactory(territory=territory))
        _statement(contract, person, f"L-{n + 10}", month=date(2025, 1 + n, 1))
    with django_assert_num_queries(REPORT_QUERIES):
        assert client.get(url).status_code == 200
