"""`parcours employers-report` (docs/employers.md): every figure from a small world written here, bounds
included; the exits into sustainable employment by the employer's NAF section and size and the job's contract."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from parcours.employers.models import EmployerExchange, JobOffer
from parcours.employers.selectors import employers_report_compute
from parcours.employers.services import candidacy_decide, candidacy_propose
from parcours.plie.models import EmploymentFollowUp
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


@pytest.fixture
def world(territory, officer, operator, referent):
    today = TODAY()
    care = factories.EmployerFactory(territory=territory, name="Ehpad", siret=factories.siret_valid(1),
                                     naf_division="87", naf_section="Q", size_band="medium",
                                     partner_status="partner", partner_since=today - datetime.timedelta(days=400))
    works = factories.EmployerFactory(territory=territory, name="BTP", siret=factories.siret_valid(2),
                                      naf_division="43", naf_section="F", size_band="micro")
    factories.EmployerFactory(territory=factories.TerritoryFactory(name="Ailleurs"), partner_status="partner",
                              partner_since=today - datetime.timedelta(days=30))
    for employer, kind, days in ((care, "visit", 5), (care, "call", 3), (works, "call", 40)):
        EmployerExchange.objects.create(employer=employer, kind=kind, summary="x", by=officer,
                                        date=today - datetime.timedelta(days=days))
    cdi = JobOffer.objects.create(employer=care, created_by=officer, title="ASH", contract_type="cdi",
                                  hours_per_week=Decimal("35"), places=3, social_clause=True,
                                  opens_on=today - datetime.timedelta(days=10))
    JobOffer.objects.create(employer=works, created_by=officer, title="Maçon", contract_type="cdd", places=1,
                            hours_per_week=Decimal("35"), opens_on=today - datetime.timedelta(days=60),
                            closes_on=today - datetime.timedelta(days=31))
    people = [factories.PathwayFactory(active=True, operator=operator, referent=referent) for _i in range(3)]
    hired = candidacy_decide(candidacy=candidacy_propose(offer=cdi, pathway=people[0], by=referent),
                             name="present", by=officer)
    candidacy_decide(candidacy=hired, name="hire", by=referent, data={"on": today})
    refused = candidacy_decide(candidacy=candidacy_propose(offer=cdi, pathway=people[1], by=referent),
                               name="present", by=officer)
    candidacy_decide(candidacy=refused, name="refuse", by=officer, data={"reason": "no_show"})
    candidacy_propose(offer=cdi, pathway=people[2], by=referent)
    # Two exits into sustainable employment in the period: one at the portfolio's employer, one elsewhere.
    for siret, contract in ((care.siret, "cdi"), ("73282932000074", "cdd")):
        exited = factories.PathwayFactory(exited=True, operator=operator, referent=referent,
                                          exit_reason="sustainable_employment", exit_date=today - datetime.timedelta(days=2))
        step = factories.StepFactory(pathway=exited, step_type="unsubsidised_employment", employer_siret=siret,
                                     contract_type=contract, start_date=today - datetime.timedelta(days=200),
                                     end_date=None if contract == "cdi" else today + datetime.timedelta(days=100))
        EmploymentFollowUp.objects.create(pathway=exited, step=step, started_on=step.start_date,
                                          due_on=today - datetime.timedelta(days=17), status="validated")
    return care, works


def test_every_figure(territory, world):
    today = TODAY()
    report = employers_report_compute(territory_ids=[territory.pk], date_from=today - datetime.timedelta(days=30),
                                      date_to=today)
    assert (report["employers"], report["partners"], report["employers_in_contact"]) == (2, 1, 1)
    assert report["exchanges"] == {"call": 1, "visit": 1, "email": 0, "meeting": 0, "event": 0, "other": 0,
                                   "unknown": 0}
    assert (report["offers"], report["places_offered"], report["offers_with_social_clause"]) == (1, 3, 1)
    assert report["candidacies"] == {"proposed": 3, "presented": 2, "hired": 1, "refused": 1, "withdrawn": 0,
                                     "expired": 0}
    assert report["refusals_by_reason"]["no_show"] == 1 and sum(report["refusals_by_reason"].values()) == 1
    assert report["hires_by_naf_section"]["Q"] == 1 and sum(report["hires_by_naf_section"].values()) == 1
    assert list(report["hires_by_naf_section"])[:2] == ["A", "B"] and len(report["hires_by_naf_section"]) == 22
    assert report["hires_by_size_band"] == {"micro": 0, "small": 0, "medium": 1, "large": 0, "unknown": 0}
    assert report["hires_by_contract_type"]["cdi"] == 1
    exits = report["sustainable_exits"]
    assert (exits["total"], exits["employer_known"]) == (2, 1)
    assert (exits["by_naf_section"]["Q"], exits["by_naf_section"]["unknown"]) == (1, 1)
    assert (exits["by_size_band"]["medium"], exits["by_size_band"]["unknown"]) == (1, 1)
    assert (exits["by_contract_type"]["cdi"], exits["by_contract_type"]["cdd"]) == (1, 1)


def test_the_bounds_are_included_and_the_period_matters(territory, world):
    today = TODAY()
    report = employers_report_compute(territory_ids=[territory.pk], date_from=today - datetime.timedelta(days=60),
                                      date_to=today - datetime.timedelta(days=40))
    assert (report["offers"], report["employers_in_contact"]) == (1, 1)   # opened on day -60, a call on day -40
    assert report["candidacies"]["proposed"] == 0 and report["sustainable_exits"]["total"] == 0
    later = employers_report_compute(territory_ids=[territory.pk], date_from=today, date_to=today)
    assert later["candidacies"]["hired"] == 1


def test_the_command_prints_json_and_text(territory, world):
    today = TODAY()
    out = StringIO()
    call_command("employers_report", "--from", (today - datetime.timedelta(days=30)).isoformat(), "--to",
                 today.isoformat(), "--format", "json", "--territory", territory.name, stdout=out)
    data = json.loads(out.getvalue())
    assert data["candidacies"]["hired"] == 1 and data["period"]["to"] == today.isoformat()
    out = StringIO()
    call_command("employers_report", "--from", (today - datetime.timedelta(days=30)).isoformat(), "--to",
                 today.isoformat(), "--format", "text", "--territory", territory.name, stdout=out)
    assert "candidacies.hired : 1" in out.getvalue()


def test_a_bad_period_is_refused_in_french(territory):
    with pytest.raises(Exception, match="--from"):
        call_command("employers_report", "--from", "2025-13-01", "--to", "2025-12-31", stdout=StringIO())


def test_the_counts_are_aggregates(territory, world, operator, referent, django_assert_num_queries):
    period = {"territory_ids": [territory.pk], "date_from": TODAY() - datetime.timedelta(days=30), "date_to": TODAY()}
    # 18 for the portfolio, offers, candidacies and exits; 6 for the events, 4 for the sponsorships.
    with django_assert_num_queries(28) as first:
        employers_report_compute(**period)
    offer = JobOffer.objects.get(title="ASH")
    for _index in range(10):
        candidacy_propose(offer=offer, pathway=factories.PathwayFactory(active=True, operator=operator,
                                                                        referent=referent), by=referent)
    with django_assert_num_queries(len(first.captured_queries)):
        report = employers_report_compute(**period)
    assert report["candidacies"]["proposed"] == 13
