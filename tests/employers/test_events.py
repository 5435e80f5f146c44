"""Recruitment events and sponsorship (docs/employers.md): the officer runs the events, their employers and who
came; whoever follows a person invites them and starts their sponsorship. Each rule and each refusal, who sees which
name, and the figures of `parcours employers-report`."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.employers.access import invitations_visible_to, sponsorships_visible_to
from parcours.employers.models import EventInvitation, RecruitmentEvent, Sponsorship
from parcours.employers.selectors import employers_report_compute
from parcours.employers.services import (
    event_attendance_record, event_invitation_create, event_invitation_withdraw, recruitment_event_employer_add,
    recruitment_event_employer_remove, recruitment_event_save, sponsorship_end, sponsorship_meeting_record,
    sponsorship_start,
)
from tests import factories

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


@pytest.fixture
def event(territory, officer):
    return factories.RecruitmentEventFactory(territory=territory, created_by=officer, title="Job dating logistique")


@pytest.fixture
def employers(territory, officer):
    return [factories.EmployerFactory(territory=territory, created_by=officer, name=name)
            for name in ("Transports Dômes", "Logistique Arverne", "Entrepôts du Puy")]


@pytest.fixture
def pathway(operator, referent):
    return factories.PathwayFactory(active=True, operator=operator, referent=referent)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- events -------------------------------------------------------------------------------------------------------
def test_the_officer_plans_an_event_and_its_audit_row_is_written(territory, officer):
    event = recruitment_event_save(by=officer, territory=territory, values={
        "kind": "forum", "title": "  Forum de l'emploi  ", "date": today() + 30 * DAY, "place": "Polydome"})
    assert (event.title, event.kind) == ("Forum de l'emploi", "forum")
    assert AuditEvent.objects.filter(action="recruitment_event_create", object_id=str(event.pk)).exists()


@pytest.mark.parametrize("values, field", [
    ({"kind": "party", "title": "Fête", "date": None}, "date"),
    ({"kind": "party", "title": "Fête"}, "kind"),
    ({"kind": "forum", "title": "  "}, "title"),
    ({"kind": "forum", "title": "Forum", "date": datetime.date(1980, 1, 1)}, "date"),
])
def test_an_event_s_values_are_refused_with_their_field_named(territory, officer, values, field):
    values = {"date": today(), **values}
    with pytest.raises(ValidationError) as refused:
        recruitment_event_save(by=officer, territory=territory, values=values)
    assert field in refused.value.message_dict
    assert not RecruitmentEvent.objects.exists()


def test_a_referent_and_another_territory_s_officer_do_not_run_events(territory, referent, foreign_officer):
    for actor in (referent, foreign_officer):
        with pytest.raises(ValidationError):
            recruitment_event_save(by=actor, territory=territory, values={
                "kind": "forum", "title": "Forum", "date": today()})


def test_employers_join_once_and_only_from_the_territory(event, officer, employers):
    recruitment_event_employer_add(by=officer, event=event, employer=employers[0])
    with pytest.raises(ValidationError, match="participe déjà"):
        recruitment_event_employer_add(by=officer, event=event, employer=employers[0])
    elsewhere = factories.EmployerFactory(territory=factories.TerritoryFactory(name="Autre territoire"))
    with pytest.raises(ValidationError, match="territoire"):
        recruitment_event_employer_add(by=officer, event=event, employer=elsewhere)
    assert list(event.employers.all()) == [employers[0]]


def test_the_referent_invites_a_person_they_follow_once_up_to_the_event_s_day(event, pathway, referent):
    invitation = event_invitation_create(by=referent, event=event, pathway=pathway)
    assert invitation.attended is None and invitation.invited_by == referent
    with pytest.raises(ValidationError, match="déjà invitée"):
        event_invitation_create(by=referent, event=event, pathway=pathway)
    past = factories.RecruitmentEventFactory(territory=event.territory, date=today() - DAY)
    with pytest.raises(ValidationError, match="a eu lieu"):
        event_invitation_create(by=referent, event=past, pathway=pathway)
    audit = AuditEvent.objects.get(action="event_invitation_create")
    assert audit.participant_id == pathway.participant_id


def test_the_database_holds_one_invitation_a_person_and_event(event, pathway, referent):
    event_invitation_create(by=referent, event=event, pathway=pathway)
    with pytest.raises(IntegrityError), transaction.atomic():
        EventInvitation.objects.create(event=event, pathway=pathway, invited_by=referent)


def test_who_does_not_follow_the_person_cannot_invite_them(event, pathway, officer, operator):
    other_referent = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=event.territory, operator=True), "referent"))
    for actor in (officer, other_referent):
        with pytest.raises(ValidationError, match="ne suivez pas"):
            event_invitation_create(by=actor, event=event, pathway=pathway)
    elsewhere = factories.RecruitmentEventFactory(territory=factories.TerritoryFactory(name="Autre territoire"))
    with pytest.raises(ValidationError, match="autre territoire"):
        event_invitation_create(by=pathway.referent, event=elsewhere, pathway=pathway)


def test_an_invitation_is_withdrawn_until_the_attendance_is_recorded(event, pathway, referent, officer):
    invitation = event_invitation_create(by=referent, event=event, pathway=pathway)
    with pytest.raises(ValidationError, match="ne suivez pas"):
        event_invitation_withdraw(by=officer, invitation=invitation)
    event_invitation_withdraw(by=referent, invitation=invitation)
    assert not EventInvitation.objects.exists()
    assert AuditEvent.objects.filter(action="event_invitation_withdraw").exists()
    invitation = event_invitation_create(by=referent, event=event, pathway=pathway)
    RecruitmentEvent.objects.filter(pk=event.pk).update(date=today())
    event.refresh_from_db()
    event_attendance_record(by=officer, event=event, rows={invitation.pk: {"attended": False}})
    with pytest.raises(ValidationError, match="ne se retire plus"):
        event_invitation_withdraw(by=referent, invitation=invitation)


def _invited(event, referent, operator, n):
    people = [factories.PathwayFactory(active=True, operator=operator, referent=referent) for _ in range(n)]
    return [event_invitation_create(by=referent, event=event, pathway=p) for p in people]


def test_the_attendance_waits_for_the_event_s_day(event, referent, operator, officer):
    invitation = _invited(event, referent, operator, 1)[0]
    with pytest.raises(ValidationError, match="à partir du jour"):
        event_attendance_record(by=officer, event=event, rows={invitation.pk: {"attended": True}})


def test_attendance_and_outcomes_are_recorded_all_or_nothing(event, referent, operator, officer, employers):
    for employer in employers:
        recruitment_event_employer_add(by=officer, event=event, employer=employer)
    invitations = _invited(event, referent, operator, 5)
    RecruitmentEvent.objects.filter(pk=event.pk).update(date=today())
    event.refresh_from_db()
    good = {invitations[0].pk: {"attended": True, "outcome": "hired", "outcome_employer_id": employers[0].pk},
            invitations[1].pk: {"attended": True, "outcome": "interview", "outcome_employer_id": employers[1].pk},
            invitations[2].pk: {"attended": True, "outcome": "none"},
            invitations[3].pk: {"attended": False}}
    bad = [{"attended": False, "outcome": "none"},                                   # an outcome without coming
           {"attended": True, "outcome": "hired"},                                   # a hire names its employer
           {"attended": True, "outcome": "contact", "outcome_employer_id": factories.EmployerFactory(
               territory=event.territory).pk},                                       # not an employer of the event
           {"attended": True, "outcome": "promotion"}]                               # not an outcome of the list
    for row in bad:
        with pytest.raises(ValidationError):
            event_attendance_record(by=officer, event=event, rows={**good, invitations[4].pk: row})
        assert not EventInvitation.objects.filter(attended__isnull=False).exists()
    event_attendance_record(by=officer, event=event, rows=good)
    rows = {i.pk: (i.attended, i.outcome, i.outcome_employer_id) for i in EventInvitation.objects.all()}
    assert rows == {invitations[0].pk: (True, "hired", employers[0].pk),
                    invitations[1].pk: (True, "interview", employers[1].pk),
                    invitations[2].pk: (True, "none", None), invitations[3].pk: (False, "", None),
                    invitations[4].pk: (None, "", None)}
    assert AuditEvent.objects.filter(action="event_attendance_record").count() == 4
    with pytest.raises(ValidationError, match="suite donnée"):
        recruitment_event_employer_remove(by=officer, event=event, employer=employers[0])
    recruitment_event_employer_remove(by=officer, event=event, employer=employers[2])
    assert event.employers.count() == 2


def test_the_database_refuses_an_outcome_for_someone_absent(event, pathway, referent):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventInvitation.objects.create(event=event, pathway=pathway, invited_by=referent, attended=False,
                                       outcome="none")


def test_the_names_of_an_event_s_people_are_for_its_officer_and_their_followers(event, pathway, referent, officer,
                                                                              operator, foreign_officer):
    event_invitation_create(by=referent, event=event, pathway=pathway)
    other = factories.UserFactory(membership=(factories.OrganisationFactory(territory=event.territory,
                                                                            operator=True), "referent"))
    assert invitations_visible_to(officer).count() == invitations_visible_to(referent).count() == 1
    assert invitations_visible_to(other).count() == invitations_visible_to(foreign_officer).count() == 0


# --- sponsorship --------------------------------------------------------------------------------------------------
def _sponsor(pathway, referent, employer, **values):
    return sponsorship_start(by=referent, pathway=pathway, values={
        "employer_id": employer.pk, "sponsor_name": "Hélène Roux", "sponsor_job_title": "Responsable d'exploitation",
        "started_on": today() - 30 * DAY, **values})


def test_a_sponsorship_runs_meets_and_ends_with_its_outcome(pathway, referent, officer, employers):
    sponsorship = _sponsor(pathway, referent, employers[0], goal="Découvrir la logistique")
    sponsorship_meeting_record(by=referent, sponsorship=sponsorship, values={"date": today() - 20 * DAY,
                                                                             "summary": "Visite de l'entrepôt."})
    sponsorship_meeting_record(by=officer, sponsorship=sponsorship, values={"date": today() - 5 * DAY,
                                                                            "summary": "Point sur les candidatures."})
    with pytest.raises(ValidationError, match="rencontre est enregistrée après"):
        sponsorship_end(by=referent, sponsorship=sponsorship, ended_on=today() - 10 * DAY, outcome="employment")
    ended = sponsorship_end(by=referent, sponsorship=sponsorship, ended_on=today() - 2 * DAY, outcome="employment")
    assert (ended.ended_on, ended.outcome, ended.meetings.count()) == (today() - 2 * DAY, "employment", 2)
    with pytest.raises(ValidationError, match="déjà terminé"):
        sponsorship_end(by=referent, sponsorship=ended, ended_on=today(), outcome="employment")
    with pytest.raises(ValidationError, match="terminé le"):
        sponsorship_meeting_record(by=referent, sponsorship=ended, values={"date": today(), "summary": "x"})
    assert {a.action for a in AuditEvent.objects.filter(participant_id=pathway.participant_id)} >= {
        "sponsorship_start", "sponsorship_meeting_record", "sponsorship_end"}


def test_one_running_sponsorship_a_person(pathway, referent, employers):
    _sponsor(pathway, referent, employers[0])
    with pytest.raises(ValidationError, match="déjà un parrainage en cours"):
        _sponsor(pathway, referent, employers[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        Sponsorship.objects.create(pathway=pathway, employer=employers[1], sponsor_name="X",
                                   started_on=today(), started_by=referent)


@pytest.mark.parametrize("values, field", [
    ({"sponsor_name": " "}, "sponsor_name"),
    ({"started_on": None}, "started_on"),
    ({"employer_id": None}, "employer"),
])
def test_a_sponsorship_s_values_are_refused_with_their_field_named(pathway, referent, employers, values, field):
    with pytest.raises(ValidationError) as refused:
        _sponsor(pathway, referent, employers[0], **values)
    assert field in refused.value.message_dict
    assert not Sponsorship.objects.exists()


def test_a_sponsorship_starts_not_in_the_future_nor_with_another_territory_s_employer(pathway, referent, employers):
    with pytest.raises(ValidationError) as refused:
        _sponsor(pathway, referent, employers[0], started_on=today() + DAY)
    assert "started_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _sponsor(pathway, referent, factories.EmployerFactory(territory=factories.TerritoryFactory(name="Ailleurs")))
    assert "employer" in refused.value.message_dict


def test_meetings_and_end_are_dated_within_the_sponsorship(pathway, referent, employers):
    sponsorship = _sponsor(pathway, referent, employers[0])
    for day, field in ((today() - 40 * DAY, "date"), (today() + DAY, "date")):
        with pytest.raises(ValidationError) as refused:
            sponsorship_meeting_record(by=referent, sponsorship=sponsorship, values={"date": day, "summary": "x"})
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        sponsorship_meeting_record(by=referent, sponsorship=sponsorship, values={"date": today(), "summary": " "})
    assert "summary" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        sponsorship_end(by=referent, sponsorship=sponsorship, ended_on=today() - 40 * DAY, outcome="employment")
    assert "ended_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        sponsorship_end(by=referent, sponsorship=sponsorship, ended_on=today(), outcome="fortune")
    assert "outcome" in refused.value.message_dict


def test_a_sponsorship_is_for_those_who_follow_the_person_and_the_territory_s_officer(pathway, referent, officer,
                                                                                  employers, foreign_officer):
    with pytest.raises(ValidationError, match="ne suivez pas"):
        _sponsor(pathway, officer, employers[0])
    sponsorship = _sponsor(pathway, referent, employers[0])
    with pytest.raises(ValidationError, match="ne suivez pas"):
        sponsorship_meeting_record(by=foreign_officer, sponsorship=sponsorship,
                                   values={"date": today(), "summary": "x"})
    assert sponsorships_visible_to(officer).count() == sponsorships_visible_to(referent).count() == 1
    assert sponsorships_visible_to(foreign_officer).count() == 0


# --- the report ---------------------------------------------------------------------------------------------------
def test_the_report_counts_events_invitations_outcomes_and_sponsorships(territory, event, referent, operator,
                                                                      officer, employers):
    for employer in employers:
        recruitment_event_employer_add(by=officer, event=event, employer=employer)
    invitations = _invited(event, referent, operator, 3)
    RecruitmentEvent.objects.filter(pk=event.pk).update(date=today())
    event.refresh_from_db()
    event_attendance_record(by=officer, event=event, rows={
        invitations[0].pk: {"attended": True, "outcome": "hired", "outcome_employer_id": employers[0].pk},
        invitations[1].pk: {"attended": True, "outcome": "none"}, invitations[2].pk: {"attended": False}})
    factories.RecruitmentEventFactory(territory=territory, kind="forum", date=today() - 400 * DAY)  # out of period
    pathway = invitations[0].pathway
    sponsorship = _sponsor(pathway, referent, employers[1])
    _sponsor(invitations[1].pathway, referent, employers[1])
    sponsorship_end(by=referent, sponsorship=sponsorship, ended_on=today(), outcome="employment")
    report = employers_report_compute(territory_ids=[territory.pk], date_from=today() - 60 * DAY, date_to=today())
    assert report["events"] == {
        "total": 1, "by_kind": {"job_dating": 1, "forum": 0, "company_visit": 0, "mock_interviews": 0,
                                "trade_discovery": 0},
        "employers_involved": 3, "invited": 3, "attended": 2,
        "outcomes": {"hired": 1, "interview": 0, "immersion": 0, "training": 0, "contact": 0, "none": 1}}
    assert report["sponsorships"] == {
        "started": 2, "ended": 1, "running_at_end": 1,
        "outcomes": {"employment": 1, "training": 0, "project": 0, "stopped_by_person": 0, "stopped_by_sponsor": 0,
                     "no_outcome": 0}}


# --- pages --------------------------------------------------------------------------------------------------------
def test_the_event_page_logs_each_person_it_shows(client, event, pathway, referent, officer):
    event_invitation_create(by=referent, event=event, pathway=pathway)
    client.force_login(officer)
    response = client.get(reverse("employers:event_detail", args=[event.pk]))
    assert response.status_code == 200
    assert str(pathway.participant).encode() in response.content
    assert AccessLog.objects.filter(user=officer, participant_id=pathway.participant_id,
                                    screen="recruitment_event").exists()


def test_the_attendance_page_refused_line_names_the_person_and_keeps_what_was_typed(client, event, pathway,
                                                                                   referent, officer):
    invitation = event_invitation_create(by=referent, event=event, pathway=pathway)
    RecruitmentEvent.objects.filter(pk=event.pk).update(date=today())
    client.force_login(officer)
    response = client.post(reverse("employers:event_attendance", args=[event.pk]), {
        f"attended_{invitation.pk}": "no", f"outcome_{invitation.pk}": "none", f"comment_{invitation.pk}": "Malade"})
    assert response.status_code == 400
    text = response.content.decode()
    assert f"{pathway.participant} : une suite se donne à qui est venu·e." in text
    assert 'value="Malade"' in text
    assert EventInvitation.objects.get().attended is None
