"""Selectors for the referent's home page: scoped, correct, constant query count."""

import datetime

from parcours.organisations.models import User
from parcours.plie.enums import PathwayStatus
from parcours.plie.models import EmploymentFollowUp
from parcours.pathways.selectors import pathways_without_contact
from parcours.plie.selectors import contracts_to_sign, followups_due
from tests import factories

from .conftest import TODAY, days_ago


def fresh(user):
    """The user as a request loads it: memberships not read yet (one query, then cached)."""
    return User.objects.get(pk=user.pk)


def _pathway(participant_territory, referent, operator, **kwargs):
    return factories.PathwayFactory(participant=factories.ParticipantFactory(territory=participant_territory),
                                    referent=referent, operator=operator, **kwargs)


def test_contracts_to_sign(referent, operator, coordinator, other_referent, territory, admitted,
                           django_assert_num_queries):
    _pathway(territory, other_referent, other_referent.active_memberships[0].organisation,
             status=PathwayStatus.ADMITTED, decision="admitted", commission_date=days_ago(5))
    _pathway(territory, referent, operator, active=True)
    user = fresh(referent)
    with django_assert_num_queries(2):  # memberships, then the list
        assert [p.pk for p in contracts_to_sign(user)] == [admitted.pk]
    assert contracts_to_sign(coordinator).count() == 2


def _followup(pathway, due_on):
    step = factories.StepFactory(pathway=pathway, step_type="unsubsidised_employment", contract_type="cdi",
                                 start_date=pathway.entry_date)
    return EmploymentFollowUp.objects.create(pathway=pathway, step=step, started_on=step.start_date, due_on=due_on)


def test_followups_due_within_days(referent, operator, territory, django_assert_num_queries):
    soon = _pathway(territory, referent, operator, active=True, status=PathwayStatus.FOLLOWUP)
    late = _pathway(territory, referent, operator, active=True, status=PathwayStatus.FOLLOWUP)
    later = _pathway(territory, referent, operator, active=True, status=PathwayStatus.FOLLOWUP)
    f_soon = _followup(soon, TODAY + datetime.timedelta(days=14))
    f_late = _followup(late, days_ago(3))
    _followup(later, TODAY + datetime.timedelta(days=15))
    user = fresh(referent)
    with django_assert_num_queries(2):  # memberships, then the list
        rows = list(followups_due(user))
    assert rows == [f_late, f_soon]
    assert rows[0].pathway.participant.last_name  # joined, no extra query
    assert list(followups_due(referent, within_days=30))[-1].due_on == TODAY + datetime.timedelta(days=15)


def test_pathways_without_contact(referent, operator, territory, django_assert_num_queries):
    silent = _pathway(territory, referent, operator, active=True)                       # entry 80 days ago
    seen = _pathway(territory, referent, operator, active=True)
    factories.AppointmentFactory(pathway=seen, date=days_ago(10))
    recorded = _pathway(territory, referent, operator, active=True)
    recorded.last_contact_date = days_ago(30)
    recorded.save()
    old_appointment = _pathway(territory, referent, operator, active=True)
    factories.AppointmentFactory(pathway=old_appointment, date=days_ago(61))
    boundary = _pathway(territory, referent, operator, active=True)
    factories.AppointmentFactory(pathway=boundary, date=days_ago(60))
    _pathway(territory, referent, operator, status=PathwayStatus.ADMITTED, decision="admitted",
             commission_date=days_ago(200), application_date=days_ago(300))
    user = fresh(referent)
    with django_assert_num_queries(3):  # memberships, territory thresholds, the list
        rows = list(pathways_without_contact(user))
    assert [p.pk for p in rows] == [silent.pk, old_appointment.pk]
    assert rows[0].last_contact == silent.entry_date
    factories.plie_rules_set(territory, inactivity_alert_days=90)
    assert list(pathways_without_contact(referent)) == []
