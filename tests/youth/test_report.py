"""`parcours youth-report` on a hand-built data set: every figure below was computed by hand from the rows
(docs/spec/youth.md). Period P = 2024 unless a test says otherwise."""

import pytest

from tests.interchange.helpers import run
from tests.youth.dataset import (
    aid, event, registration, report, scheme, session, situation, sites_make, young, youth_set,
)

pytestmark = pytest.mark.django_db

PEOPLE = [
    # 18 on the very day of the first reception: not a minor then.
    young("J-1", birth_date="2006-03-10", qpv_code="croix-de-neyrat", antenna="montagne", education_level="V",
          first_reception_date="2024-03-10"),
    # 17 on that day (18 the next).
    young("J-2", sex="M", birth_date="2006-03-11", education_level="IV", first_reception_date="2024-03-10"),
    young("J-3", sex="M", birth_date="1999-05-01", qpv_code="croix-de-neyrat", education_level="VI",
          first_reception_date="2023-06-01"),
    young("J-4", birth_date="2008-01-01", antenna="montagne", first_reception_date="2024-12-31"),
    young("J-5", sex="M", birth_date="2004-02-29", first_reception_date="2025-01-01"),
]
EVENTS = [
    event("E-1", "J-1", date="2024-03-10", site="remote"),
    event("E-2", "J-1", date="2024-04-01"),                                   # main site
    event("E-3", "J-2", date="2024-03-10", kind="phone", site="champratel"),  # 17 on his first event in P
    event("E-8", "J-2", date="2024-12-31", kind="phone"),                     # a second event: counted once
    event("E-4", "J-3", date="2023-12-31"),                                   # before P
    event("E-5", "J-3", date="2024-05-01", site="champratel"),
    event("E-6", "J-3", date="2024-06-01", site="remote"),
    event("E-7", "J-5", date="2025-01-02"),                                   # after P
]
SCHEMES = [
    scheme("S-1", "J-1", start_date="2024-03-10", end_date="2024-06-30", exit_situation="job_seeking"),
    scheme("S-2", "J-1", scheme="cej", start_date="2024-07-01", collective_start="1", end_date="2024-11-30",
           exit_situation="short_employment"),
    scheme("S-3", "J-2", start_date="2024-03-10"),
    scheme("S-4", "J-3", scheme="cej", start_date="2023-10-01", end_date="2024-04-30",
           exit_situation="work_study"),                                      # entered before P, exits in P
    scheme("S-5", "J-3", start_date="2024-05-01", end_date="2024-12-31", exit_situation="abandonment"),
    scheme("S-6", "J-4", scheme="cej", start_date="2024-12-31"),
    scheme("S-7", "J-2", scheme="ppae", start_date="2024-04-01"),
    scheme("S-8", "J-5", scheme="cej", start_date="2025-01-02", end_date="2025-02-01", exit_situation="moved"),
]
SITUATIONS = [
    situation("SI-1", "J-1", category="employment", contract_type="cdd", start_date="2024-12-01"),
    situation("SI-2", "J-1", category="employment", contract_type="cdi", start_date="2024-12-15"),
    situation("SI-3", "J-3", category="work_study", start_date="2024-03-01"),
    situation("SI-4", "J-2", category="employment", contract_type="ctt", start_date="2024-02-25"),
    situation("SI-5", "J-4", category="employment", contract_type="cdd", start_date="2025-01-15"),
    situation("SI-6", "J-3", category="employment", contract_type="other", start_date="2024-09-08"),
    situation("SI-9", "J-2", category="employment", contract_type="cdi", start_date="2024-07-10"),
    situation("SI-10", "J-4", category="training", start_date="2024-12-31"),
    situation("SI-11", "J-2", category="schooling", start_date="2023-09-01", end_date="2024-06-30"),
    # Immersions: the job after each, in days after its end.
    situation("PM-1", "J-2", category="pmsmp", pmsmp_aim="discover_trade", start_date="2024-02-01",
              end_date="2024-02-10"),                                         # SI-4 on day +15
    situation("PM-2", "J-3", category="pmsmp", pmsmp_aim="confirm_project", start_date="2024-01-05",
              end_date="2024-01-31"),                                         # SI-3 (work-study) on day +30
    situation("PM-3", "J-4", category="pmsmp", pmsmp_aim="start_recruitment", start_date="2024-12-20",
              end_date="2024-12-31"),                                         # SI-5 on day +15, after P
    situation("PM-4", "J-1", category="pmsmp", pmsmp_aim="discover_trade", start_date="2024-11-01",
              end_date="2024-11-15"),                                         # SI-1 on day +16, SI-2 on +30
    situation("PM-5", "J-3", category="pmsmp", pmsmp_aim="discover_trade", start_date="2024-06-01",
              end_date="2024-06-10"),                                         # SI-6 on +90; SI-3 before the end
    situation("PM-6", "J-2", category="pmsmp", pmsmp_aim="confirm_project", start_date="2024-06-01"),  # no end
    situation("PM-7", "J-1", category="pmsmp", pmsmp_aim="discover_trade", start_date="2023-12-01",
              end_date="2023-12-10"),                                         # before P
    situation("PM-8", "J-2", category="pmsmp", pmsmp_aim="discover_trade", start_date="2024-04-01",
              end_date="2024-04-10"),                                         # SI-9 on day +91
]
SESSIONS = [
    session("WS-1", theme="employment", date="2024-05-14"),
    session("WS-2", theme="orientation_training", date="2024-12-31"),
    session("WS-3", theme="orientation_training", date="2024-01-01"),
    session("WS-4", theme="health", date="2023-12-31"),
    session("WS-5", theme="daily_life", date="2024-06-01"),
]
REGISTRATIONS = [
    registration("WS-1", "J-1", "present"), registration("WS-1", "J-2", "absent"),
    registration("WS-1", "J-3", "refused_by_youth"), registration("WS-1", "J-4", "prescribed"),
    registration("WS-2", "J-1", "present"), registration("WS-2", "J-2", "present"),
    registration("WS-3", "J-3", "refused_by_third_party"), registration("WS-4", "J-1", "present"),
]
AIDS = [
    aid("AI-1", "J-1", fund="faj", decision_date="2024-02-01", amount="100.10"),
    aid("AI-2", "J-2", fund="faj", decision_date="2024-03-01", amount="50.05"),
    aid("AI-3", "J-3", fund="cej_allowance", decision_date="2024-12-31", amount="528.22"),
    aid("AI-4", "J-3", fund="flu", decision_date="2023-12-31", amount="80"),
    aid("AI-5", "J-1", fund="pacea_allowance", decision_date="2024-05-01", amount="0.01"),
]


@pytest.fixture
def imported(tmp_path, territory):
    sites_make(territory)
    code, out, err = run("import", str(youth_set(
        tmp_path / "set", young_people=PEOPLE, events=EVENTS, schemes=SCHEMES, situations=SITUATIONS, aids=AIDS,
        workshop_sessions=SESSIONS, workshop_registrations=REGISTRATIONS)))
    assert code == 0, err


def test_the_report_of_2024(imported):
    assert report("--from", "2024-01-01", "--to", "2024-12-31") == {
        "period": {"from": "2024-01-01", "to": "2024-12-31"},
        "first_reception": {"total": 3, "men": 1, "qpv": 1, "antenna": 2, "minors": 2},
        "accompanied": {"total": 3, "men": 2, "qpv": 2, "antenna": 1, "minors": 1},
        "pacea": {"total": 3, "men": 2, "qpv": 2, "antenna": 1, "minors": 1, "infra_bac": 2},
        "cej": {"entries": {"total": 2, "men": 0, "qpv": 1, "antenna": 2, "minors": 1},
                "collective_start": 1, "exits": 2, "positive": 1, "positive_rate": 0.5,
                "exits_by_situation": {"sustainable_employment": 0, "work_study": 1, "qualifying_training": 0,
                                       "business_creation": 0, "short_employment": 1, "other_training": 0,
                                       "civic_service": 0, "job_seeking": 0, "abandonment": 0, "moved": 0,
                                       "other": 0}},
        "situations": {"employment": {"young_people": 3, "qpv": 2}, "work_study": {"young_people": 1, "qpv": 1},
                       "training": {"young_people": 1, "qpv": 0}, "pmsmp": {"young_people": 4, "qpv": 2},
                       "civic_service": {"young_people": 0, "qpv": 0}, "schooling": {"young_people": 0, "qpv": 0}},
        "pmsmp": {"total": 7, "by_aim": {"discover_trade": 4, "confirm_project": 2, "start_recruitment": 1},
                  "with_end_date": 6,
                  "employment_within": {"15_days": 2, "1_month": 4, "3_months": 5},
                  "employment_within_rate": {"15_days": 2 / 6, "1_month": 4 / 6, "3_months": 5 / 6}},
        "workshops": {"sessions": 4, "prescribed": 7, "present": 3, "by_theme": {
            "employment": {"sessions": 1, "prescribed": 4, "present": 1},
            "orientation_training": {"sessions": 2, "prescribed": 3, "present": 2},
            "daily_life": {"sessions": 1, "prescribed": 0, "present": 0},
            "health": {"sessions": 0, "prescribed": 0, "present": 0},
            "citizenship": {"sessions": 0, "prescribed": 0, "present": 0},
            "other": {"sessions": 0, "prescribed": 0, "present": 0}}},
        "aids": {"by_fund": {"faj": {"count": 2, "amount": 150.15}, "fdaj": {"count": 0, "amount": 0.0},
                             "flu": {"count": 0, "amount": 0.0}, "pacea_allowance": {"count": 1, "amount": 0.01},
                             "cej_allowance": {"count": 1, "amount": 528.22}, "other": {"count": 0, "amount": 0.0}},
                 "total_amount": 678.38},
        "interviews_by_site": {"champratel": 1, "main": 1, "remote": 2},
    }


def test_an_empty_period_has_every_key_with_zeros_and_null_rates(imported):
    zero_profile = {"total": 0, "men": 0, "qpv": 0, "antenna": 0, "minors": 0}
    assert report("--from", "2020-01-01", "--to", "2020-12-31") == {
        "period": {"from": "2020-01-01", "to": "2020-12-31"},
        "first_reception": zero_profile, "accompanied": zero_profile, "pacea": {**zero_profile, "infra_bac": 0},
        "cej": {"entries": zero_profile, "collective_start": 0, "exits": 0, "positive": 0, "positive_rate": None,
                "exits_by_situation": {"sustainable_employment": 0, "work_study": 0, "qualifying_training": 0,
                                       "business_creation": 0, "short_employment": 0, "other_training": 0,
                                       "civic_service": 0, "job_seeking": 0, "abandonment": 0, "moved": 0,
                                       "other": 0}},
        "situations": {code: {"young_people": 0, "qpv": 0} for code in (
            "employment", "work_study", "training", "pmsmp", "civic_service", "schooling")},
        "pmsmp": {"total": 0, "by_aim": {"discover_trade": 0, "confirm_project": 0, "start_recruitment": 0},
                  "with_end_date": 0, "employment_within": {"15_days": 0, "1_month": 0, "3_months": 0},
                  "employment_within_rate": {"15_days": None, "1_month": None, "3_months": None}},
        "workshops": {"sessions": 0, "prescribed": 0, "present": 0, "by_theme": {
            theme: {"sessions": 0, "prescribed": 0, "present": 0} for theme in (
                "employment", "orientation_training", "daily_life", "health", "citizenship", "other")}},
        "aids": {"by_fund": {fund: {"count": 0, "amount": 0.0} for fund in (
            "faj", "fdaj", "flu", "pacea_allowance", "cej_allowance", "other")}, "total_amount": 0.0},
        "interviews_by_site": {},
    }


def test_one_day_periods_include_both_bounds(imported):
    data = report("--from", "2024-12-31", "--to", "2024-12-31")
    assert data["first_reception"] == {"total": 1, "men": 0, "qpv": 0, "antenna": 1, "minors": 1}   # J-4
    assert data["accompanied"] == {"total": 1, "men": 1, "qpv": 0, "antenna": 0, "minors": 0}       # J-2 at 18
    assert data["cej"]["entries"]["total"] == 1 and data["cej"]["exits"] == 0
    assert data["workshops"]["by_theme"]["orientation_training"] == {"sessions": 1, "prescribed": 2, "present": 2}
    assert data["aids"]["total_amount"] == 528.22
    # PM-3 ended on D2; its employment (day +15) falls after D2 and counts.
    data = report("--from", "2024-12-20", "--to", "2024-12-20")
    assert data["pmsmp"]["employment_within"] == {"15_days": 1, "1_month": 1, "3_months": 1}
    assert data["pmsmp"]["employment_within_rate"] == {"15_days": 1.0, "1_month": 1.0, "3_months": 1.0}


def test_the_text_format_and_the_refusals(imported):
    code, out, err = run("youth_report", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "text")
    assert code == 0, err
    assert "first_reception.total : 3" in out.splitlines()
    assert "cej.positive_rate : 0.5" in out.splitlines()
    assert "interviews_by_site.remote : 2" in out.splitlines()
    code, out, err = run("youth_report", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv")
    assert code == 1 and "--format : format « csv » inconnu (json ou text)" in err
    code, out, err = run("youth_report", "--from", "2024-12-31", "--to", "2024-01-01")
    assert code == 1 and "--from" in err
    code, out, err = run("youth_report", "--from", "2024-01-01", "--to", "2024-12-31", "--territory", "Ailleurs")
    assert code == 1 and "Ailleurs" in err
