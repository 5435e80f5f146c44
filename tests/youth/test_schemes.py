"""PACEA and CEJ as the workflow of youth/workflow.py: signed after a diagnostic, entered at the right ages, never
both at once, phased, ended within their longest duration; allowances under their contract. Each rule and each
refusal, then the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.core.workflow import TransitionRefused
from parcours.youth.models import Aid, SchemeEnrolment, SchemeEnrolmentTransition
from parcours.youth.selectors import add_months
from parcours.youth.services import (
    scheme_end, scheme_enter, scheme_phase_add, scheme_phase_evaluate, youth_aid_record, youth_diagnostic_record,
    youth_file_receive,
)
from parcours.youth.workflow import ENROLMENT_WORKFLOW
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def adviser(territory):
    mission_locale = factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")
    return factories.UserFactory(membership=(mission_locale, "youth_adviser"))


def _file(territory, adviser, *, age_years=20, received_days_ago=800):
    received = TODAY - datetime.timedelta(days=received_days_ago)
    born = add_months(received, -12 * age_years)
    return youth_file_receive(by=adviser, territory=territory, first_reception_date=received, values={},
                              person={"last_name": "Arnaud", "first_name": "Léo", "sex": "M", "birth_date": born})


@pytest.fixture
def file(territory, adviser):
    return _file(territory, adviser)


def _pacea(file, adviser, on):
    youth_diagnostic_record(by=adviser, youth_file=file, day=on - 10 * DAY, needs="Logement et projet.")
    return scheme_enter(by=adviser, youth_file=file, scheme="pacea", on=on)


def test_a_pacea_is_signed_after_its_diagnostic_and_logged(file, adviser):
    with pytest.raises(TransitionRefused, match="après le diagnostic"):
        scheme_enter(by=adviser, youth_file=file, scheme="pacea", on=TODAY)
    pacea = _pacea(file, adviser, TODAY)
    assert pacea.status == "active" and pacea.adviser == adviser and pacea.start_date == TODAY
    log = list(SchemeEnrolmentTransition.objects.filter(enrolment=pacea))
    assert ENROLMENT_WORKFLOW.history_problems(log, final="active") == []


def test_a_diagnostic_older_than_a_month_is_refused(file, adviser):
    youth_diagnostic_record(by=adviser, youth_file=file, day=TODAY - 40 * DAY, needs="Projet.")
    with pytest.raises(TransitionRefused, match="dans le mois qui suit le diagnostic"):
        scheme_enter(by=adviser, youth_file=file, scheme="pacea", on=TODAY)
    assert not SchemeEnrolment.objects.exists()


def test_a_cej_beside_an_open_pacea_is_refused_and_allowed_once_it_ended(file, adviser):
    pacea = _pacea(file, adviser, TODAY - 100 * DAY)
    with pytest.raises(TransitionRefused, match="un PACEA et un CEJ ne se cumulent pas"):
        scheme_enter(by=adviser, youth_file=file, scheme="cej", on=TODAY)
    scheme_end(by=adviser, enrolment=pacea, on=TODAY - DAY, exit_situation="job_seeking", reason="scheme_change")
    cej = scheme_enter(by=adviser, youth_file=file, scheme="cej", on=TODAY, collective_start=True)
    assert cej.collective_start and cej.status == "active"
    with pytest.raises(TransitionRefused, match="ne se cumulent pas"):
        scheme_enter(by=adviser, youth_file=file, scheme="cej", on=TODAY)   # nor twice the same


def test_the_same_day_in_both_is_refused(file, adviser):
    pacea = _pacea(file, adviser, TODAY - 100 * DAY)
    scheme_end(by=adviser, enrolment=pacea, on=TODAY, exit_situation="job_seeking", reason="scheme_change")
    with pytest.raises(TransitionRefused):
        scheme_enter(by=adviser, youth_file=file, scheme="cej", on=TODAY)


def test_a_pacea_past_24_months_is_refused_at_its_end(file, adviser):
    start = TODAY - datetime.timedelta(days=760)
    pacea = _pacea(file, adviser, start)
    with pytest.raises(TransitionRefused, match="24 mois au plus"):
        scheme_end(by=adviser, enrolment=pacea, on=TODAY, exit_situation="other", reason="term")
    scheme_end(by=adviser, enrolment=pacea, on=add_months(start, 24), exit_situation="other", reason="term")
    pacea.refresh_from_db()
    assert pacea.status == "ended" and pacea.end_reason == "term"
    with pytest.raises(TransitionRefused, match="impossible"):
        scheme_end(by=adviser, enrolment=pacea, on=TODAY, exit_situation="other", reason="term")


def test_a_cej_past_18_months_is_refused(file, adviser):
    start = TODAY - datetime.timedelta(days=600)
    cej = scheme_enter(by=adviser, youth_file=file, scheme="cej", on=start)
    with pytest.raises(TransitionRefused, match="18 mois au plus"):
        scheme_end(by=adviser, enrolment=cej, on=TODAY, exit_situation="work_study", reason="autonomy")


def test_over_25_at_entry_is_refused_unless_recognised_disabled_up_to_29(territory, adviser):
    # Received at 24, three years ago: 27 today.
    older = _file(territory, adviser, age_years=24, received_days_ago=3 * 365 + 2)
    with pytest.raises(TransitionRefused, match="ce jeune a 27 ans à l'entrée"):
        scheme_enter(by=adviser, youth_file=older, scheme="cej", on=TODAY)
    cej = scheme_enter(by=adviser, youth_file=older, scheme="cej", on=TODAY, rqth=True)
    assert cej.pk and older.participant.situation("rqth") is True
    oldest = _file(territory, adviser, age_years=25, received_days_ago=5 * 365 + 3)
    with pytest.raises(TransitionRefused, match="ce jeune a 30 ans"):
        scheme_enter(by=adviser, youth_file=oldest, scheme="cej", on=TODAY, rqth=True)


def test_phases_follow_one_another_within_the_pacea(file, adviser):
    pacea = _pacea(file, adviser, TODAY - 60 * DAY)
    first = scheme_phase_add(by=adviser, enrolment=pacea, start_date=TODAY - 60 * DAY, planned_end=TODAY,
                             objectives="Lever le frein du logement", commitments="Venir aux rendez-vous")
    with pytest.raises(ValidationError) as refused:
        scheme_phase_add(by=adviser, enrolment=pacea, start_date=TODAY, planned_end=TODAY, objectives="Suite")
    assert "évaluez-la d'abord" in refused.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError):
        scheme_phase_evaluate(by=adviser, phase=first, end_date=TODAY, evaluation="")
    scheme_phase_evaluate(by=adviser, phase=first, end_date=TODAY - DAY, evaluation="Hébergée en FJT.")
    with pytest.raises(ValidationError) as refused:
        scheme_phase_add(by=adviser, enrolment=pacea, start_date=TODAY, objectives="Trop long",
                         planned_end=add_months(pacea.start_date, 24) + DAY)
    assert "24 mois après la signature" in refused.value.message_dict["planned_end"][0]
    second = scheme_phase_add(by=adviser, enrolment=pacea, start_date=TODAY, planned_end=TODAY + 90 * DAY,
                              objectives="Trouver une alternance")
    assert second.number == 2
    with pytest.raises(TransitionRefused, match="évaluez la phase en cours"):
        scheme_end(by=adviser, enrolment=pacea, on=TODAY, exit_situation="work_study", reason="autonomy")


def test_a_cej_has_no_phases(file, adviser):
    cej = scheme_enter(by=adviser, youth_file=file, scheme="cej", on=TODAY)
    with pytest.raises(ValidationError, match="Seul un PACEA"):
        scheme_phase_add(by=adviser, enrolment=cej, start_date=TODAY, planned_end=TODAY, objectives="x")


def test_an_allowance_without_its_contract_is_refused(file, adviser):
    with pytest.raises(ValidationError) as refused:
        youth_aid_record(by=adviser, youth_file=file, fund="pacea_allowance", decision_date=TODAY,
                         amount=Decimal("300"))
    assert "suppose un PACEA en cours" in refused.value.message_dict["fund"][0]
    _pacea(file, adviser, TODAY - 30 * DAY)
    assert youth_aid_record(by=adviser, youth_file=file, fund="pacea_allowance", decision_date=TODAY,
                            amount=Decimal("300")).pk
    with pytest.raises(ValidationError, match="CEJ en cours"):
        youth_aid_record(by=adviser, youth_file=file, fund="cej_allowance", decision_date=TODAY, amount=Decimal("5"))
    aid = youth_aid_record(by=adviser, youth_file=file, fund="faj", decision_date=TODAY, amount=Decimal("150.50"),
                           purpose="mobility")   # a youth fund needs no contract
    assert aid.aid_ref.startswith("A-") and Aid.objects.count() == 2


def test_a_zero_amount_is_refused(file, adviser):
    with pytest.raises(ValidationError) as refused:
        youth_aid_record(by=adviser, youth_file=file, fund="faj", decision_date=TODAY, amount=Decimal("0"))
    assert "amount" in refused.value.message_dict


def test_another_role_may_not_sign(file, territory):
    desk = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=territory, prescriber=True, name="Accueil ML"), "youth_reception"))
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        scheme_enter(by=desk, youth_file=file, scheme="cej", on=TODAY)


def test_the_report_counts_a_pacea_signed_on_a_page(file, adviser, territory):
    from parcours.youth.selectors import youth_report

    _pacea(file, adviser, TODAY - 5 * DAY)
    report = youth_report(territory_id=territory.pk, date_from=TODAY - 30 * DAY, date_to=TODAY)
    assert report["pacea"]["total"] == 1


# --- pages --------------------------------------------------------------------------------------------------------

def test_the_adviser_signs_a_pacea_with_two_phases_then_ends_it_from_the_pages(client, file, adviser):
    client.force_login(adviser)
    detail = reverse("youth:file_detail", args=[file.pk])
    start = TODAY - 50 * DAY
    assert client.post(reverse("youth:diagnostic_add", args=[file.pk]), {
        "date": (start - DAY).isoformat(), "needs": "Sans logement stable."})["Location"] == detail
    assert client.post(reverse("youth:scheme_enter", args=[file.pk, "pacea"]),
                       {"on": start.isoformat()})["Location"] == detail
    pacea = SchemeEnrolment.objects.get()
    phase_url = reverse("youth:phase_add", args=[file.pk, pacea.pk])
    assert client.post(phase_url, {"start_date": start.isoformat(), "planned_end": (start + 20 * DAY).isoformat(),
                                   "objectives": "Se loger"})["Location"] == detail
    phase = pacea.phases.get()
    assert client.post(reverse("youth:phase_evaluate", args=[file.pk, phase.pk]), {
        "end_date": (start + 20 * DAY).isoformat(), "evaluation": "Logé en FJT."})["Location"] == detail
    assert client.post(phase_url, {"start_date": (start + 21 * DAY).isoformat(), "planned_end": TODAY.isoformat(),
                                   "objectives": "Alternance"})["Location"] == detail
    html = client.get(detail).content.decode()
    assert "Phase 1" in html and "Logé en FJT." in html and "Phase 2" in html
    # Ending with a phase still running is refused with the reason on the form.
    response = client.post(reverse("youth:scheme_end", args=[file.pk, pacea.pk]), {
        "on": TODAY.isoformat(), "exit_situation": "work_study", "reason": "autonomy"})
    assert response.status_code == 400 and "évaluez la phase en cours" in response.content.decode()


def test_an_entry_refused_by_the_workflow_is_named_on_its_form(client, file, adviser):
    client.force_login(adviser)
    response = client.post(reverse("youth:scheme_enter", args=[file.pk, "pacea"]), {"on": TODAY.isoformat()})
    assert response.status_code == 400 and "après le diagnostic" in response.content.decode()
    assert client.get(reverse("youth:scheme_enter", args=[file.pk, "ppae"])).status_code == 404


def test_an_allowance_without_a_contract_is_refused_on_the_form(client, file, adviser):
    client.force_login(adviser)
    response = client.post(reverse("youth:aid_add", args=[file.pk]), {
        "fund": "cej_allowance", "decision_date": TODAY.isoformat(), "amount": "500"})
    assert response.status_code == 400 and "suppose un CEJ en cours" in response.content.decode()
    assert not Aid.objects.exists()
