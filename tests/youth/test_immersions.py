"""Immersions in companies (PMSMP): the agreement's rules and refusals, its workflow (the PMSMP situation at the
signature), the evaluation after the end, the follow-ups and the report's `employment_within`, the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.core.pdf import story_text
from parcours.core.workflow import TransitionRefused
from parcours.youth.immersion_pdf import immersion_story
from parcours.youth.immersion_workflow import IMMERSION_WORKFLOW
from parcours.youth.models import ImmersionAgreement, ImmersionAgreementTransition, YouthSituation
from parcours.youth.selectors import add_months, immersion_follow_ups_due, youth_report
from parcours.youth.services import (
    immersion_cancel, immersion_complete, immersion_draw_up, immersion_evaluate, immersion_follow_up_record,
    immersion_sign, youth_file_receive, youth_situation_record,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
SIRET = "732 829 320 00074"


@pytest.fixture
def adviser(territory):
    mission_locale = factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")
    return factories.UserFactory(membership=(mission_locale, "youth_adviser"))


@pytest.fixture
def file(territory, adviser):
    received = TODAY - 400 * DAY
    return youth_file_receive(by=adviser, territory=territory, first_reception_date=received, values={},
                              person={"last_name": "Arnaud", "first_name": "Léo", "sex": "M",
                                      "birth_date": add_months(received, -12 * 20)})


def _values(start=TODAY - 40 * DAY, days=13, **changes):
    values = {"company_name": "Boulangerie Morel", "company_siret": SIRET, "company_address": "3 rue Haute, Riom",
              "tutor_name": "Anne Morel", "tutor_job": "gérante", "tutor_phone": "06 12 34 56 78",
              "tutor_email": "anne@example.org", "trade": "Boulanger", "rome_code": "d1102", "start_date": start,
              "end_date": start + days * DAY, "weekly_hours": Decimal("35"), "aim": "discover_trade"}
    return values | changes


def _signed(file, adviser, **changes):
    return immersion_sign(by=adviser, agreement=immersion_draw_up(by=adviser, youth_file=file,
                                                                  values=_values(**changes)))


def test_drawing_up_cleans_the_values_and_audits(file, adviser):
    agreement = immersion_draw_up(by=adviser, youth_file=file, values=_values())
    assert (agreement.status, agreement.company_siret, agreement.tutor_phone, agreement.rome_code) == (
        "draft", "73282932000074", "+33612345678", "D1102")
    assert agreement.situation is None and agreement.prescriber == adviser
    assert AuditEvent.objects.filter(action="immersion_draw_up").count() == 1


@pytest.mark.parametrize(("changes", "field"), [
    ({"company_siret": "732 829 320 00075"}, "company_siret"),
    ({"company_siret": ""}, "company_siret"),
    ({"tutor_phone": "12"}, "tutor_phone"),
    ({"tutor_email": "anne@"}, "tutor_email"),
    ({"rome_code": "D110"}, "rome_code"),
    ({"rome_code": "11023"}, "rome_code"),
    ({"company_name": " "}, "company_name"),
    ({"weekly_hours": Decimal("49")}, "weekly_hours"),
    ({"aim": "holiday"}, "aim"),
    ({"start_date": TODAY - 500 * DAY}, "start_date"),
])
def test_each_refused_value_is_named_and_nothing_is_saved(file, adviser, changes, field):
    with pytest.raises(ValidationError) as refused:
        immersion_draw_up(by=adviser, youth_file=file, values=_values(**changes))
    assert field in refused.value.message_dict
    assert not ImmersionAgreement.objects.exists() and not AuditEvent.objects.filter(
        action="immersion_draw_up").exists()


def test_a_pmsmp_lasts_one_month_at_most_and_ends_after_its_start(file, adviser):
    start = add_months(TODAY.replace(day=1), -2)
    days = (add_months(start, 1) - start).days - 1   # from the 1st to the month's last day
    immersion_draw_up(by=adviser, youth_file=file, values=_values(start=start, days=days))
    with pytest.raises(ValidationError, match="un mois au plus") as refused:
        immersion_draw_up(by=adviser, youth_file=file, values=_values(start=start, days=days + 1))
    assert "end_date" in refused.value.message_dict
    with pytest.raises(ValidationError, match="précède le début"):
        immersion_draw_up(by=adviser, youth_file=file, values=_values(start=start, days=-1))


def test_signing_records_the_pmsmp_situation_the_report_counts(file, adviser, territory):
    agreement = _signed(file, adviser)
    situation = agreement.situation
    assert (situation.category, situation.start_date, situation.end_date, situation.pmsmp_aim,
            situation.employer_siret) == ("pmsmp", agreement.start_date, agreement.end_date, "discover_trade",
                                          "73282932000074")
    log = list(ImmersionAgreementTransition.objects.filter(agreement=agreement))
    assert IMMERSION_WORKFLOW.history_problems(log, final="signed") == []
    pmsmp = youth_report(territory_id=territory.pk, date_from=TODAY - 60 * DAY, date_to=TODAY)["pmsmp"]
    assert pmsmp["total"] == 1 and pmsmp["by_aim"]["discover_trade"] == 1 and pmsmp["with_end_date"] == 1


def test_done_only_from_the_last_day(file, adviser):
    future = _signed(file, adviser, start=TODAY + 5 * DAY)
    with pytest.raises(TransitionRefused, match="réalisée à partir"):
        immersion_complete(by=adviser, agreement=future)
    assert immersion_complete(by=adviser, agreement=_signed(file, adviser)).status == "done"


def test_cancelling_only_before_the_start_and_removes_nothing(file, adviser):
    started = _signed(file, adviser)
    with pytest.raises(TransitionRefused, match="avant son premier"):
        immersion_cancel(by=adviser, agreement=started)
    coming = _signed(file, adviser, start=TODAY + 5 * DAY)
    cancelled = immersion_cancel(by=adviser, agreement=coming, reason="Entreprise fermée")
    assert cancelled.status == "cancelled" and ImmersionAgreement.objects.filter(pk=coming.pk).exists()
    assert YouthSituation.objects.filter(pk=coming.situation_id).exists()
    with pytest.raises(TransitionRefused, match="impossible"):
        immersion_sign(by=adviser, agreement=cancelled)


def test_another_role_may_not_sign(file, territory):
    adviser = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory), "youth_adviser"))
    draft = immersion_draw_up(by=adviser, youth_file=file, values=_values())
    desk = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory), "youth_reception"))
    with pytest.raises(TransitionRefused):
        immersion_sign(by=desk, agreement=draft)


def test_the_evaluation_only_once_the_end_has_passed(file, adviser):
    running = _signed(file, adviser, start=TODAY - 3 * DAY, days=3)   # ends today
    with pytest.raises(ValidationError, match="une fois ce jour passé"):
        immersion_evaluate(by=adviser, agreement=running, day=TODAY, aptitudes="Ponctuel", outcome="Bien",
                           hire_proposed=False)
    draft = immersion_draw_up(by=adviser, youth_file=file, values=_values())
    with pytest.raises(ValidationError, match="signée"):
        immersion_evaluate(by=adviser, agreement=draft, day=TODAY, aptitudes="a", outcome="b", hire_proposed=False)
    ended = _signed(file, adviser)
    with pytest.raises(ValidationError) as refused:
        immersion_evaluate(by=adviser, agreement=ended, day=TODAY, aptitudes=" ", outcome="Bien", hire_proposed=True)
    assert "aptitudes" in refused.value.message_dict
    evaluation = immersion_evaluate(by=adviser, agreement=ended, day=TODAY, aptitudes="Ponctuel", outcome="Bien",
                                    hire_proposed=True)
    assert evaluation.hire_proposed and AuditEvent.objects.filter(action="immersion_evaluate").count() == 1
    with pytest.raises(ValidationError, match="déjà évaluée"):
        immersion_evaluate(by=adviser, agreement=ended, day=TODAY, aptitudes="a", outcome="b", hire_proposed=False)


def test_a_follow_up_is_due_only_from_its_day_and_once(file, adviser):
    agreement = _signed(file, adviser, start=TODAY - 30 * DAY, days=10)   # ended 20 days ago
    with pytest.raises(ValidationError) as early:
        immersion_follow_up_record(by=adviser, agreement=agreement, milestone="1_month", day=TODAY,
                                   outcome="job_seeking")
    assert "date" in early.value.message_dict
    immersion_follow_up_record(by=adviser, agreement=agreement, milestone="15_days", day=TODAY, outcome="training")
    with pytest.raises(ValidationError, match="déjà enregistré"):
        immersion_follow_up_record(by=adviser, agreement=agreement, milestone="15_days", day=TODAY, outcome="other")
    with pytest.raises(ValidationError) as no_contract:
        immersion_follow_up_record(by=adviser, agreement=agreement, milestone="1_month", day=TODAY + 10 * DAY,
                                   outcome="employment")
    assert set(no_contract.value.message_dict) == {"date", "contract_type"}


def test_in_employment_records_the_situation_once_and_the_report_follows(file, adviser, territory):
    end = TODAY - 100 * DAY
    agreement = _signed(file, adviser, start=end - 10 * DAY, days=10)
    # At 15 days: in employment since the 10th day after the end (a CDD): the situation starts that day.
    first = immersion_follow_up_record(by=adviser, agreement=agreement, milestone="15_days", day=end + 15 * DAY,
                                       outcome="employment", contract_type="cdd", employment_start=end + 10 * DAY)
    assert (first.situation.category, first.situation.start_date, first.situation.contract_type) == (
        "employment", end + 10 * DAY, "cdd")
    # At 1 month, still in that job: the running situation is found, none is added.
    second = immersion_follow_up_record(by=adviser, agreement=agreement, milestone="1_month", day=end + 30 * DAY,
                                        outcome="employment", contract_type="cdd")
    assert second.situation == first.situation
    assert YouthSituation.objects.filter(youth_file=file, category="employment").count() == 1
    pmsmp = youth_report(territory_id=territory.pk, date_from=end - 20 * DAY, date_to=TODAY)["pmsmp"]
    assert pmsmp["employment_within"] == {"15_days": 1, "1_month": 1, "3_months": 1}
    assert pmsmp["employment_within_rate"]["15_days"] == 1.0


def test_a_job_found_late_counts_only_in_the_later_windows(file, adviser, territory):
    end = TODAY - 100 * DAY
    agreement = _signed(file, adviser, start=end - 10 * DAY, days=10)
    immersion_follow_up_record(by=adviser, agreement=agreement, milestone="15_days", day=end + 15 * DAY,
                               outcome="job_seeking")
    immersion_follow_up_record(by=adviser, agreement=agreement, milestone="3_months", day=end + 95 * DAY,
                               outcome="work_study", employment_start=end + 60 * DAY)
    pmsmp = youth_report(territory_id=territory.pk, date_from=end - 20 * DAY, date_to=TODAY)["pmsmp"]
    assert pmsmp["employment_within"] == {"15_days": 0, "1_month": 0, "3_months": 1}


def test_an_employment_already_recorded_is_not_doubled(file, adviser):
    end = TODAY - 40 * DAY
    agreement = _signed(file, adviser, start=end - 5 * DAY, days=5)
    job = youth_situation_record(by=adviser, youth_file=file, category="employment", start_date=end + 2 * DAY,
                                 contract_type="cdi")
    follow_up = immersion_follow_up_record(by=adviser, agreement=agreement, milestone="15_days",
                                           day=end + 16 * DAY, outcome="employment", contract_type="cdi")
    assert follow_up.situation == job
    assert YouthSituation.objects.filter(category="employment").count() == 1


def test_the_due_list_holds_the_days_come_and_not_recorded(file, adviser):
    agreement = _signed(file, adviser, start=TODAY - 50 * DAY, days=10)   # ended 40 days ago
    _signed(file, adviser, start=TODAY + 3 * DAY)                          # none due yet
    due = immersion_follow_ups_due(ImmersionAgreement.objects.all(), today=TODAY)
    assert [(row["agreement"], row["milestone"]) for row in due] == [(agreement, "15_days"), (agreement, "1_month")]
    immersion_follow_up_record(by=adviser, agreement=agreement, milestone="15_days", day=TODAY, outcome="other")
    due = immersion_follow_ups_due(ImmersionAgreement.objects.all(), today=TODAY)
    assert [row["milestone"] for row in due] == ["1_month"]


def test_the_pdf_names_the_three_parties(file, adviser):
    agreement = _signed(file, adviser, company_name="A & <B>")
    plain = story_text(immersion_story(agreement))
    assert "Léo Arnaud" in plain and "A & <B>" in plain and "Anne Morel" in plain
    assert adviser.get_full_name() in plain and "35 heures par semaine" in plain and "découvrir un métier" in plain


def test_the_adviser_draws_up_signs_evaluates_and_follows_up_from_the_pages(client, file, adviser):
    client.force_login(adviser)
    start = TODAY - 40 * DAY
    response = client.post(reverse("youth:immersion_add", args=[file.pk]), {
        **{k: v for k, v in _values(start=start).items() if k not in ("start_date", "end_date")},
        "start_date": start.isoformat(), "end_date": (start + 13 * DAY).isoformat()})
    agreement = ImmersionAgreement.objects.get()
    detail = reverse("youth:immersion_detail", args=[file.pk, agreement.pk])
    assert response["Location"] == detail
    assert client.post(reverse("youth:immersion_transition", args=[file.pk, agreement.pk, "sign"]),
                       {})["Location"] == detail
    assert client.post(reverse("youth:immersion_evaluation", args=[file.pk, agreement.pk]), {
        "date": TODAY.isoformat(), "aptitudes": "Ponctuel", "outcome": "Motivé", "hire_proposed": "on"}
    )["Location"] == detail
    assert "15 jours après" in client.get(reverse("youth:immersion_follow_ups_due")).content.decode()
    # The world of tests/security has no follow-up due (its file was received today): the list's log is checked here.
    assert AccessLog.objects.filter(screen="youth_follow_ups_due", participant_id=file.participant_id).exists()
    assert client.post(reverse("youth:immersion_follow_up", args=[file.pk, agreement.pk, "15_days"]), {
        "date": TODAY.isoformat(), "outcome": "employment", "contract_type": "cdi"})["Location"] == detail
    html = client.get(detail).content.decode()
    assert "Motivé" in html and "en emploi" in html
    assert "Boulangerie Morel" in client.get(reverse("youth:file_detail", args=[file.pk])).content.decode()
    pdf = client.get(reverse("youth:immersion_pdf", args=[file.pk, agreement.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(screen="youth_immersion_pdf", participant_id=file.participant_id).exists()
    # A refusal is shown under its field.
    refused = client.post(reverse("youth:immersion_add", args=[file.pk]), {
        **{k: v for k, v in _values().items() if k not in ("start_date", "end_date")},
        "start_date": start.isoformat(), "end_date": (start + 40 * DAY).isoformat()})
    assert refused.status_code == 400 and "un mois au plus" in refused.content.decode()
    assert "Aucun suivi n'est à faire" in client.get(reverse("youth:immersion_follow_ups_due")).content.decode()
