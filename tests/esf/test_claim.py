"""`parcours esf-claim`: eligible minutes, per referent and year, costed, rounded once (docs/spec/esf.md)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from parcours.esf.models import Operation
from parcours.esf.selectors import amount_round
from parcours.pathways.models import Pathway
from parcours.plie.intake.models import ReceptionInterview
from tests import factories
from tests.esf.dataset import claim_set, command_json, imported
from tests.interchange.helpers import cofinancing, operation, run, write_set, person, pathway

pytestmark = pytest.mark.django_db


def test_claim_counts_eligible_minutes_per_referent_and_year(tmp_path, territory):
    imported(claim_set(tmp_path / "set"))
    # A first-reception interview is referent time too: it counts as the pathway's referent's.
    ReceptionInterview.objects.create(pathway=Pathway.objects.get(external_ref="PW-1"), date="2023-03-01",
                                      mode="in_person", duration_minutes=30, place="Permanence",
                                      referent=factories.UserFactory())
    data = command_json("esf_claim", "--operation", "OP-1", "--from", "2023-01-01", "--to", "2024-12-31")
    assert list(data) == ["operation", "period", "esf_rate", "referents", "direct_staff_costs", "flat_rate_costs",
                          "total_eligible", "esf_due", "appointments_without_duration", "referents_without_cost"]
    assert data["operation"] == "OP-1" and data["period"] == {"from": "2023-01-01", "to": "2024-12-31"}
    assert data["esf_rate"] == 0.6
    # r1: 90 + 20 (a collective session's share) + 30 (interview) in 2023 at 43000 / 1720 = 25 €/h, and 60 in 2024
    # without a cost; r2: 45 in 2023 at 30000 / (1720 × 0.8), 30 in 2024 at 36000 / 1720 (after its exit: no).
    # Excluded: another structure's pathways, the one-day participation.
    assert data["referents"] == [
        {"referent": "r1@example.org", "minutes": 200, "hours": 3.33, "staff_cost": 58.33},
        {"referent": "r2@example.org", "minutes": 75, "hours": 1.25, "staff_cost": 26.82},
    ]
    # From the exact values: 58.333… + 26.8168… = 85.1502…, then 40 %, then the rate.
    assert (data["direct_staff_costs"], data["flat_rate_costs"], data["total_eligible"], data["esf_due"]) == (
        85.15, 34.06, 119.21, 71.53)
    assert data["appointments_without_duration"] == 1
    assert data["referents_without_cost"] == ["r1@example.org"]


def test_claim_keeps_to_the_period_and_the_operation_s_period(tmp_path, territory):
    imported(claim_set(tmp_path / "set"))
    data = command_json("esf_claim", "--operation", "OP-1", "--from", "2023-01-01", "--to", "2023-12-31")
    assert [(r["referent"], r["minutes"]) for r in data["referents"]] == [("r1@example.org", 110),
                                                                         ("r2@example.org", 45)]
    assert data["referents_without_cost"] == []  # r1's year without a cost has no minute in P
    assert data["direct_staff_costs"] == float(amount_round(Fraction(110, 60) * 25 + Fraction(45, 60) * Fraction(
        30000) / (1720 * Fraction(8, 10))))


def test_rounding_is_half_away_from_zero_from_the_exact_value():
    assert amount_round(Fraction(1, 8)) == Decimal("0.13")
    assert amount_round(Fraction(-1, 8)) == Decimal("-0.13")
    assert amount_round(Decimal("2.675")) == Decimal("2.68")     # a float would give 2.67
    assert amount_round(Fraction(1, 3)) == Decimal("0.33")
    assert amount_round(Fraction(200, 60)) == Decimal("3.33")


def test_seed_004_operation_rate_and_an_empty_claim(tmp_path, territory):
    write_set(tmp_path / "set", participants=[person("P-1")], pathways=[pathway("PW-1", "P-1")],
              operations=[operation("2015-ACC", title="Accompagnement personnalisé des parcours d'insertion 2015",
                                    beneficiary="La Courte Echelle", start_date="2015-01-01",
                                    end_date="2015-12-31", total_eligible_cost="25899.60", esf_amount="15539.76")],
              cofinancing=[cofinancing("2015-ACC", year="2015", planned="15539.76"),
                           cofinancing("2015-ACC", funder_kind="state", funder="DREETS", year="2015",
                                       planned="10359.84")])
    imported(tmp_path / "set")
    op = Operation.objects.get(operation_ref="2015-ACC")
    assert op.esf_rate == Decimal("0.6") and f"{op.esf_rate * 100:.2f}" == "60.00"
    assert op.beneficiary.name == "La Courte Echelle" and op.beneficiary.territory == territory
    data = command_json("esf_claim", "--operation", "2015-ACC", "--from", "2015-01-01", "--to", "2015-12-31")
    assert data == {"operation": "2015-ACC", "period": {"from": "2015-01-01", "to": "2015-12-31"}, "esf_rate": 0.6,
                    "referents": [], "direct_staff_costs": 0.0, "flat_rate_costs": 0.0, "total_eligible": 0.0,
                    "esf_due": 0.0, "appointments_without_duration": 0, "referents_without_cost": []}


@pytest.mark.parametrize("command", ["esf_claim", "esf_indicators"])
def test_unknown_operation_and_bad_dates_are_refused_naming_the_option(tmp_path, territory, command):
    imported(claim_set(tmp_path / "set"))
    code, out, err = run(command, "--operation", "OP-9", "--from", "2023-01-01", "--to", "2023-12-31")
    assert code != 0 and "--operation : opération « OP-9 » inconnue" in err
    code, out, err = run(command, "--operation", "OP-1", "--from", "2023-13-01", "--to", "2023-12-31")
    assert code != 0 and "--from" in err
    code, out, err = run(command, "--operation", "OP-1", "--from", "2023-01-01", "--to", "2023-12-31",
                         "--format", "xml")
    assert code != 0 and "--format" in err
    code, out, err = run(command, "--operation", "OP-1", "--from", "2023-01-01", "--to", "2023-12-31",
                         "--format", "text")
    assert code == 0 and "operation : OP-1" in out
