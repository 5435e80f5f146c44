"""The home pages: each role's work list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.plie.commissions.models import Commission
from parcours.plie.intake.models import ReceptionInterview
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Step
from parcours.plie.models import EmploymentFollowUp
from tests import factories

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def mine(referent, operator):
    """Pathways of the referent at each stage the home page watches."""
    def make(**fields):
        return factories.PathwayFactory(referent=referent, operator=operator, **fields)

    new = make(status=PathwayStatus.ASSIGNED, assigned_at=days_ago(2))
    overdue = make(status=PathwayStatus.ASSIGNED, assigned_at=days_ago(50))
    ReceptionInterview.objects.create(pathway=overdue, date=days_ago(45), mode="in_person", duration_minutes=60,
                                      place="Agence", referent=referent)
    to_sign = make(status=PathwayStatus.ADMITTED, decision="admitted", commission_date=days_ago(5))
    silent = make(active=True, last_contact_date=days_ago(90))
    recent = make(active=True, last_contact_date=days_ago(3))
    in_job = make(active=True, status=PathwayStatus.FOLLOWUP, last_contact_date=days_ago(1))
    step = Step.objects.create(pathway=in_job, step_type="unsubsidised_employment", start_date=days_ago(181),
                               contract_type="cdi")
    EmploymentFollowUp.objects.create(pathway=in_job, step=step, started_on=days_ago(181), due_on=days_ago(1))
    return {"new": new, "overdue": overdue, "to_sign": to_sign, "silent": silent, "recent": recent, "in_job": in_job}


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("web:home")).status_code == 302


def test_referent_sees_what_needs_them(client, referent, mine):
    client.force_login(referent)
    response = client.get(reverse("web:home"))
    lists = response.context["referent"]
    assert lists["new_assignments"].rows == [mine["new"]]
    assert [due.pathway.pk for due in lists["assessments_due"].rows] == [mine["overdue"].pk, mine["new"].pk]
    assert lists["assessments_due"].rows[0].overdue and not lists["assessments_due"].rows[1].overdue
    assert lists["contracts_to_sign"].rows == [mine["to_sign"]]
    assert [f.pathway_id for f in lists["followups_due"].rows] == [mine["in_job"].pk]
    assert lists["without_contact"].rows == [mine["silent"]]
    assert "en retard" in response.content.decode()
    assert "team" not in response.context


def test_inactivity_threshold_follows_the_territory(client, referent, mine, territory):
    factories.plie_rules_set(territory, inactivity_alert_days=100)
    client.force_login(referent)
    assert client.get(reverse("web:home")).context["referent"]["without_contact"].total == 0


def test_another_referents_files_stay_out(client, operator, mine):
    colleague = factories.UserFactory(membership=(operator, "referent"))
    client.force_login(colleague)
    lists = client.get(reverse("web:home")).context["referent"]
    assert all(worklist.total == 0 for worklist in lists.values())


def test_referent_home_query_count_is_constant(client, referent, operator, mine, django_assert_num_queries):
    client.force_login(referent)
    client.get(reverse("web:home"))
    with django_assert_num_queries(14):   # +1: the people shown, logged in one insert
        client.get(reverse("web:home"))
    for _ in range(5):
        factories.PathwayFactory(referent=referent, operator=operator, active=True, last_contact_date=days_ago(80))
    with django_assert_num_queries(14):   # +1: the people shown, logged in one insert
        client.get(reverse("web:home"))


def test_coordinator_sees_intake_commission_and_caseloads(client, coordinator, referent, operator, territory, mine):
    waiting = factories.PathwayFactory(participant__territory=territory)
    factories.PathwayFactory(participant__territory=territory, status=PathwayStatus.ASSESSED)
    Commission.objects.create(territory=territory, date=TODAY + datetime.timedelta(days=3))
    client.force_login(coordinator)
    response = client.get(reverse("web:home"))
    team = response.context["team"]
    assert team["awaiting_assignment"].rows == [waiting]
    assert team["next_commission"].date == TODAY + datetime.timedelta(days=3)
    assert team["ready_for_commission"] == 1
    (row,) = team["caseloads"]
    assert row.membership.user == referent and row.count == 6 and row.level == "under"
    assert "sous la plage (moins de 60)" in response.content.decode()


def test_caseloads_count_each_structure_apart_lightest_first(client, coordinator, referent, operator, territory):
    second = factories.OrganisationFactory(territory=territory, operator=True)
    referent.memberships.create(organisation=second, role="referent")
    busy = factories.UserFactory(membership=(operator, "referent"))
    for _ in range(2):
        factories.PathwayFactory(referent=busy, operator=operator, active=True)
    factories.PathwayFactory(referent=referent, operator=second, active=True)
    client.force_login(coordinator)
    rows = client.get(reverse("web:home")).context["team"]["caseloads"]
    counts = [(row.membership.user, row.membership.organisation, row.count) for row in rows]
    assert counts == [(referent, operator, 0), (referent, second, 1), (busy, operator, 2)]


def test_coordinator_home_query_count_is_constant(client, coordinator, territory, operator, django_assert_num_queries):
    client.force_login(coordinator)
    for _ in range(2):
        factories.UserFactory(membership=(operator, "referent"))
        factories.PathwayFactory(participant__territory=territory)
    client.get(reverse("web:home"))
    with django_assert_num_queries(9):   # +1: the people shown, logged in one insert
        client.get(reverse("web:home"))
    for _ in range(4):
        factories.UserFactory(membership=(operator, "referent"))
        factories.PathwayFactory(participant__territory=territory)
    with django_assert_num_queries(9):   # +1: the people shown, logged in one insert
        client.get(reverse("web:home"))


# --- the prescriber ------------------------------------------------------------------------------------------------

@pytest.fixture
def sent(prescriber, prescriber_org, territory):
    """Applications of the prescriber's structure: one waiting, one admitted, one refused long ago (read)."""
    def application(**fields):
        pathway = factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory),
                                           application_date=fields.pop("sent", days_ago(20)), **fields)
        factories.ApplicationFactory(pathway=pathway, prescriber_organisation=prescriber_org, prescribed_by=prescriber)
        return pathway

    waiting = application(status=PathwayStatus.ASSIGNED)
    admitted = application(status=PathwayStatus.ADMITTED, decision="admitted", commission_date=days_ago(3))
    refused = application(status=PathwayStatus.REFUSED, decision="refused", commission_date=days_ago(300),
                          sent=days_ago(400))
    refused.application.decision_read_at = timezone.now()
    refused.application.save()
    other_structure = factories.PathwayFactory(status=PathwayStatus.ASSIGNED, application_date=days_ago(5))
    factories.ApplicationFactory(pathway=other_structure)
    return {"waiting": waiting, "admitted": admitted, "refused": refused, "other": other_structure}


def test_the_prescriber_s_home_shows_decisions_to_read_and_applications_waiting(client, prescriber, sent):
    client.force_login(prescriber)
    response = client.get(reverse("web:home"))
    home = response.context["prescriber"]
    assert [p.pk for p in home.decisions_to_read.rows] == [sent["admitted"].pk]
    assert [p.pk for p in home.in_progress.rows] == [sent["waiting"].pk]
    assert home.sent_last_year == {"total": 2, "admitted": 1, "refused": 0, "reoriented": 0, "waiting": 1}
    body = response.content.decode()
    assert reverse("intake:application_detail", args=[sent["other"].pk]) not in body
    assert "Envoyer une candidature" in body


def test_reading_a_decision_takes_it_off_the_list(client, prescriber, sent):
    client.force_login(prescriber)
    client.get(reverse("intake:application_detail", args=[sent["admitted"].pk]))
    sent["admitted"].application.refresh_from_db()
    assert sent["admitted"].application.decision_read_at is not None
    assert client.get(reverse("web:home")).context["prescriber"].decisions_to_read.total == 0
    # A pending application opened does not count as read.
    client.get(reverse("intake:application_detail", args=[sent["waiting"].pk]))
    sent["waiting"].application.refresh_from_db()
    assert sent["waiting"].application.decision_read_at is None


def test_the_team_reading_a_decision_does_not_mark_it_read(client, coordinator, sent):
    client.force_login(coordinator)
    client.get(reverse("intake:application_detail", args=[sent["admitted"].pk]))
    sent["admitted"].application.refresh_from_db()
    assert sent["admitted"].application.decision_read_at is None
    assert "prescriber" not in client.get(reverse("web:home")).context


def test_the_prescriber_s_home_query_count_is_constant(client, prescriber, prescriber_org, territory, sent,
                                                       django_assert_num_queries):
    client.force_login(prescriber)
    url = reverse("web:home")
    client.get(url)
    # session, user, memberships; the year's figures (one aggregate); each list's count and rows; the people shown
    with django_assert_num_queries(9):
        client.get(url)
    for n in range(5):
        pathway = factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory),
                                           status=PathwayStatus.ADMITTED, decision="admitted",
                                           commission_date=days_ago(n + 1), application_date=days_ago(30))
        factories.ApplicationFactory(pathway=pathway, prescriber_organisation=prescriber_org, prescribed_by=prescriber)
    with django_assert_num_queries(9):
        client.get(url)
