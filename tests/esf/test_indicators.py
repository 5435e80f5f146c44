"""`parcours esf-indicators`: who is a participant, the common indicators, completeness (docs/spec/esf.md)."""

import pytest

from tests.esf.dataset import claim_set, command_json, imported
from tests.interchange.helpers import participation, person

pytestmark = pytest.mark.django_db


def c(total, women, men):
    return {"total": total, "women": women, "men": men}


def test_indicators_over_a_year(tmp_path, territory):
    imported(claim_set(tmp_path / "set"))
    data = command_json("esf_indicators", "--operation", "OP-1", "--from", "2023-01-01", "--to", "2023-12-31")
    assert list(data) == ["operation", "period", *(f"EECO{n:02d}" for n in range(1, 18)),
                          *(f"EECR{n:02d}" for n in range(1, 7)), "leavers", "six_months_known", "completeness"]
    # P-1 (F, 37, unemployed 14 months), P-2 (M, 18, unemployed 8 months: long-term under 25), P-4 (F, 58,
    # inactive); P-3's one-day participation counts nowhere.
    assert data["EECO01"] == c(2, 1, 1)
    assert data["EECO02"] == c(2, 1, 1)
    assert data["EECO03"] == c(1, 1, 0)
    assert data["EECO04"] == c(0, 0, 0)
    assert data["EECO05"] == c(3, 2, 1)
    assert data["EECO06"] == c(0, 0, 0)
    assert data["EECO07"] == c(1, 0, 1)
    assert data["EECO08"] == c(1, 1, 0)
    assert (data["EECO09"], data["EECO10"], data["EECO11"]) == (c(1, 0, 1), c(1, 1, 0), c(1, 1, 0))
    assert data["EECO12"] == c(1, 1, 0)        # P-4's disability
    assert data["EECO14"] == c(0, 0, 0)        # "refused" is not a yes
    assert data["EECO17"] == c(3, 2, 1)        # rural: "1" by default in the data set
    assert data["EECR01"] == c(1, 1, 0)        # P-4: inactive at entry, job searching upon leaving
    assert (data["EECR02"], data["EECR03"], data["EECR04"]) == (c(0, 0, 0), c(1, 1, 0), c(0, 0, 0))
    assert (data["EECR05"], data["EECR06"]) == (c(1, 1, 0), c(0, 0, 0))
    assert (data["leavers"], data["six_months_known"]) == (1, 1)
    # P-2 has neither phone nor e-mail: 1 of 3, under the 35 % line.
    assert data["completeness"] == {"participants": 3, "incomplete": 1, "incomplete_share": 1 / 3,
                                    "correction_risk": False}


def test_long_term_thresholds_by_age_and_completeness_above_the_line(tmp_path, territory):
    people = [person("P-1", birth_date="1998-01-10"), person("P-2", birth_date="1998-01-11", sex="M"),
              person("P-3", birth_date="1990-01-01", phone="0612345678"), person("P-4")]
    imported(claim_set(tmp_path / "set", participants=people, participations=[
        # 25 on the entry day: more than 12 months needed; 10 is not.
        participation("PA-1", "P-1", entry_date="2023-01-10", unemployment_months="10"),
        # 24 on the entry day (25 tomorrow): more than 6 months is enough.
        participation("PA-2", "P-2", entry_date="2023-01-10", unemployment_months="7"),
        # Left on or before D2 without the exit's data: incomplete.
        participation("PA-3", "P-3", entry_date="2023-01-10", unemployment_months="13", exit_date="2023-06-30"),
    ]))
    data = command_json("esf_indicators", "--operation", "OP-1", "--from", "2023-01-01", "--to", "2023-12-31")
    assert data["EECO02"] == c(2, 1, 1)        # P-2 and P-3, not P-1
    assert data["EECO07"] == c(2, 1, 1)
    assert data["completeness"] == {"participants": 3, "incomplete": 3, "incomplete_share": 1.0,
                                    "correction_risk": True}


def test_no_participant_gives_a_null_share(tmp_path, territory):
    imported(claim_set(tmp_path / "set"))
    data = command_json("esf_indicators", "--operation", "OP-1", "--from", "2024-06-01", "--to", "2024-06-30")
    assert data["EECO05"] == c(0, 0, 0) and data["leavers"] == 0
    assert data["completeness"] == {"participants": 0, "incomplete": 0, "incomplete_share": None,
                                    "correction_risk": False}
