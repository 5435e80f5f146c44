"""The ESF+ pages: operations and their plan, amendments, a pathway's participation and its questionnaires (the
sensitive answers behind sensitive.read), the completeness dashboard and the claim page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.esf import services
from parcours.esf.models import Cofinancing, Operation, OperationAmendment, Participation
from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

from tests import factories

TODAY = timezone.localdate()
YEAR = TODAY.year


def _text(response) -> str:
    """The page, its (narrow) no-break spaces of French numbers as spaces."""
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


def _plan_post(lines: list[dict], extra: int = 0) -> dict:
    data = {"plan-TOTAL_FORMS": str(len(lines) + extra), "plan-INITIAL_FORMS": "0", "plan-MIN_NUM_FORMS": "0",
            "plan-MAX_NUM_FORMS": "60"}
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"plan-{i}-{key}"] = value
    return data


def _operation_post(beneficiary, **overrides) -> dict:
    data = {"operation_ref": "OP-2015-004", "title": "Accompagnement personnalisé des parcours",
            "beneficiary": beneficiary.pk, "start_date": f"{YEAR}-01-01", "end_date": f"{YEAR}-12-31",
            "total_eligible_cost": "25899,60", "esf_amount": "15539,76"}
    data.update(overrides)
    return data


SEED_PLAN = [{"funder_kind": "esf", "funder": "DREETS", "year": str(YEAR), "planned": "15539,76"},
             {"funder_kind": "own_funds", "funder": "", "year": str(YEAR), "planned": "10359,84"}]


def test_the_director_creates_an_operation_and_its_plan(client, director, operator):
    client.force_login(director)
    response = client.post(reverse("esf:operation_create"), _operation_post(operator) | _plan_post(SEED_PLAN, 1))
    operation = Operation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("esf:operation_detail",
                                                                          args=[operation.pk])
    assert (operation.total_eligible_cost, operation.esf_amount, operation.beneficiary) == (
        Decimal("25899.60"), Decimal("15539.76"), operator)
    assert sorted(Cofinancing.objects.values_list("funder_kind", "planned")) == [
        ("esf", Decimal("15539.76")), ("own_funds", Decimal("10359.84"))]
    assert AuditEvent.objects.filter(action="esf.operation.create", object_id=str(operation.pk)).exists()
    page = _text(client.get(reverse("esf:operation_detail", args=[operation.pk])))
    assert "Taux FSE+</dt><dd>60,00 %" in page                                  # seed 004's rate
    assert "15 539,76 €" in page


def test_a_plan_that_does_not_add_up_is_refused(client, director, operator):
    client.force_login(director)
    lines = [dict(SEED_PLAN[0]), dict(SEED_PLAN[1], planned="10000,00")]
    response = client.post(reverse("esf:operation_create"), _operation_post(operator) | _plan_post(lines))
    assert response.status_code == 400
    assert "Les lignes prévues totalisent 25539.76 €" in response.content.decode()
    assert not Operation.objects.exists()


def test_a_plan_year_outside_the_period_is_refused(director, operator):
    with pytest.raises(ValidationError, match="hors de la période"):
        services.operation_create(by=director, values={
            "operation_ref": "X", "title": "T", "beneficiary": operator, "start_date": datetime.date(YEAR, 1, 1),
            "end_date": datetime.date(YEAR, 12, 31), "total_eligible_cost": Decimal(10), "esf_amount": Decimal(5)},
            lines=[{"funder_kind": "esf", "funder": "", "year": YEAR + 1, "planned": Decimal(5), "actual": None},
                   {"funder_kind": "state", "funder": "", "year": YEAR, "planned": Decimal(5), "actual": None}])


def test_a_referent_cannot_manage_operations(client, referent, operator):
    client.force_login(referent)
    assert client.get(reverse("esf:operation_list")).status_code == 403
    assert client.post(reverse("esf:operation_create"), _operation_post(operator)).status_code == 403
    with pytest.raises(ValidationError, match="gérer les opérations"):
        services.operation_create(by=referent, values={
            "operation_ref": "X", "title": "T", "beneficiary": operator, "start_date": TODAY, "end_date": TODAY,
            "total_eligible_cost": Decimal(10), "esf_amount": Decimal(5)}, lines=[])


def test_an_amendment_changes_the_plan_and_keeps_the_history(client, coordinator, operator):
    operation = factories.OperationFactory(beneficiary=operator, plan=True)
    client.force_login(coordinator)
    lines = [dict(SEED_PLAN[0], planned="16000,00"), dict(SEED_PLAN[1], planned="10359,84", actual="9000,00")]
    response = client.post(reverse("esf:operation_amend", args=[operation.pk]), {
        "date": TODAY.isoformat(), "reason": "Avenant n° 1 : hausse de l'activité", "total_eligible_cost": "26359,84",
        "esf_amount": "16000,00"} | _plan_post(lines))
    assert response.status_code == 302
    operation.refresh_from_db()
    assert (operation.total_eligible_cost, operation.esf_amount) == (Decimal("26359.84"), Decimal("16000.00"))
    amendment = OperationAmendment.objects.get()
    assert amendment.before == {"total_eligible_cost": "25899.60", "esf_amount": "15539.76", "lines": [
        {"funder_kind": "esf", "funder": "DREETS", "year": YEAR, "planned": "15539.76", "actual": None},
        {"funder_kind": "own_funds", "funder": "", "year": YEAR, "planned": "10359.84", "actual": None}]}
    assert amendment.after["lines"][1] == {"funder_kind": "own_funds", "funder": "", "year": YEAR,
                                           "planned": "10359.84", "actual": "9000.00"}
    assert (amendment.reason, amendment.recorded_by) == ("Avenant n° 1 : hausse de l'activité", coordinator)
    page = _text(client.get(reverse("esf:operation_detail", args=[operation.pk])))
    assert "Avenant n° 1" in page and "10 359,84 / 9 000,00" in page and "25899.60 € → 26359.84 €" in page


def test_an_amendment_without_reason_or_change_is_refused(coordinator, operator):
    operation = factories.OperationFactory(beneficiary=operator, plan=True)
    lines = [{"funder_kind": "esf", "funder": "DREETS", "year": YEAR, "planned": operation.esf_amount,
              "actual": None},
             {"funder_kind": "own_funds", "funder": "", "year": YEAR,
              "planned": operation.total_eligible_cost - operation.esf_amount, "actual": None}]
    kwargs = {"operation": operation, "by": coordinator, "date": TODAY,
              "total_eligible_cost": operation.total_eligible_cost, "esf_amount": operation.esf_amount,
              "lines": lines}
    with pytest.raises(ValidationError, match="motif"):
        services.operation_amend(reason=" ", **kwargs)
    with pytest.raises(ValidationError, match="ne change rien"):
        services.operation_amend(reason="Rien", **kwargs)
    assert not OperationAmendment.objects.exists()


def test_the_period_cannot_exclude_a_participation(coordinator, operator):
    operation = factories.OperationFactory(beneficiary=operator)
    factories.ParticipationFactory(operation=operation, entry_date=datetime.date(YEAR, 1, 10))
    values = {"operation_ref": operation.operation_ref, "title": operation.title, "beneficiary": operator,
              "start_date": datetime.date(YEAR, 2, 1), "end_date": datetime.date(YEAR, 12, 31)}
    with pytest.raises(ValidationError, match="1 participation"):
        services.operation_update(operation=operation, by=coordinator, values=values)


def test_another_territorys_operation_is_not_found(client, foreign_coordinator, operator):
    operation = factories.OperationFactory(beneficiary=operator)
    client.force_login(foreign_coordinator)
    for name in ("esf:operation_detail", "esf:operation_edit", "esf:operation_amend", "esf:operation_completeness",
                 "esf:operation_claim"):
        assert client.get(reverse(name, args=[operation.pk])).status_code == 404, name


# --- participation --------------------------------------------------------------------------------------------

@pytest.fixture
def file(referent, operator, territory):
    person = factories.ParticipantFactory(territory=territory, education_level="IV", phone="+33473000000")
    from parcours.participants.models import ParticipantSituation
    ParticipantSituation.objects.create(participant=person, code="deld", value=True)
    ParticipantSituation.objects.create(participant=person, code="rqth", value=True)
    pathway = factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)
    operation = factories.OperationFactory(beneficiary=operator, start_date=datetime.date(YEAR - 1, 1, 1),
                                           end_date=datetime.date(YEAR + 1, 12, 31))
    return pathway, operation


def _entry_post(operation, **overrides) -> dict:
    data = {"operation": operation.pk, "entry_date": TODAY.isoformat(), "labour_status": "unemployed",
            "unemployment_months": "18", "in_education_or_training": "False", "isced": "3",
            "information_given_on": TODAY.isoformat(), "consent_given_on": TODAY.isoformat(),
            "disability": "1", "third_country_national": "0", "foreign_background": "refused", "minority": "refused",
            "homeless": "0", "rural": "0"}
    data.update(overrides)
    return data


def test_the_entry_questionnaire_is_prefilled_then_confirmed(client, referent, file):
    pathway, operation = file
    client.force_login(referent)
    url = reverse("esf:pathway_participations", args=[pathway.pk])
    form = client.get(url).context["form"]
    assert (form["isced"].value(), form["labour_status"].value(), form["disability"].value()) == (
        "3", "unemployed", "1")
    assert AccessLog.objects.filter(user=referent, participant=pathway.participant,
                                    screen="esf_participations").count() == 1
    response = client.post(url, _entry_post(operation))
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert (participation.operation, participation.participant, participation.labour_status,
            participation.unemployment_months, participation.in_education_or_training, participation.isced,
            participation.disability, participation.foreign_background, participation.consent_given_on) == (
        operation, pathway.participant, "unemployed", 18, False, "3", "1", "refused", TODAY)
    assert AuditEvent.objects.filter(action="esf.participation.enter", participant_id=pathway.participant_id).exists()


def test_the_pathway_file_links_to_the_participations(client, referent, file):
    pathway, _operation = file
    client.force_login(referent)
    page = client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode()
    assert reverse("esf:pathway_participations", args=[pathway.pk]) in page


@pytest.mark.parametrize("overrides, message", [
    ({"entry_date": f"{YEAR - 2}-06-01"}, "dans la période de l&#x27;opération"),
    ({"unemployment_months": ""}, "Obligatoire pour une personne au chômage"),
    ({"consent_given_on": ""}, "Ce champ est obligatoire"),
])
def test_entry_refusals(client, referent, file, overrides, message):
    pathway, operation = file
    client.force_login(referent)
    response = client.post(reverse("esf:pathway_participations", args=[pathway.pk]),
                           _entry_post(operation, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participation.objects.exists()


def test_a_second_participation_in_the_same_operation_or_an_overlap_is_refused(referent, file):
    pathway, operation = file
    values = {"entry_date": TODAY, "labour_status": "inactive", "information_given_on": TODAY,
              "consent_given_on": TODAY}
    services.participation_enter(pathway=pathway, operation=operation, by=referent, values=values)
    with pytest.raises(ValidationError, match="participe déjà"):
        services.participation_enter(pathway=pathway, operation=operation, by=referent, values=values)
    other = factories.OperationFactory(beneficiary=operation.beneficiary, start_date=operation.start_date,
                                       end_date=operation.end_date)
    with pytest.raises(ValidationError, match=f"Chevauche la participation de la personne à l'opération « "
                                              f"{operation.operation_ref} »"):
        services.participation_enter(pathway=pathway, operation=other, by=referent, values=values)
    assert Participation.objects.count() == 1


@pytest.fixture
def without_sensitive():
    """The referents' role without sensitive.read, for one test."""
    c.capabilities_revoke(Role.REFERENT, {c.SENSITIVE_READ})
    yield
    c.capabilities_grant(Role.REFERENT, {c.SENSITIVE_READ})


def test_sensitive_answers_need_sensitive_read(client, referent, file, without_sensitive):
    pathway, operation = file
    participation = factories.ParticipationFactory(participant=pathway.participant, operation=operation,
                                                   entry_date=TODAY, disability="1", minority="refused")
    client.force_login(referent)
    url = reverse("esf:participation_edit", args=[pathway.pk, participation.pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="disability"' not in page and 'name="minority"' not in page
    assert "données sensibles" in page
    # A POST naming them changes nothing of them; the rest is saved.
    response = client.post(url, _entry_post(operation, disability="0", minority="0", labour_status="inactive"))
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.labour_status, participation.disability, participation.minority) == (
        "inactive", "1", "refused")
    # The service refuses them outright.
    with pytest.raises(ValidationError, match="réponses sensibles"):
        services.participation_update(participation=participation, pathway=pathway, by=referent,
                                      values={}, sensitive={"disability": "0"})
    form = client.get(reverse("esf:pathway_participations", args=[pathway.pk])).context["form"]
    assert "disability" not in form.fields


def test_exit_and_six_month_situation(client, referent, file):
    pathway, operation = file
    participation = factories.ParticipationFactory(participant=pathway.participant, operation=operation,
                                                   entry_date=TODAY - datetime.timedelta(days=1),
                                                   labour_status="employed")
    client.force_login(referent)
    response = client.post(reverse("esf:participation_edit", args=[pathway.pk, participation.pk]), _entry_post(
        operation, entry_date=participation.entry_date.isoformat(), labour_status="employed",
        exit_date=TODAY.isoformat(), exit_situation="employed", qualification_gained="True",
        situation_6_months="employed", improved_situation_6_months="True"))
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.exit_date, participation.exit_situation, participation.qualification_gained,
            participation.improved_situation_6_months) == (TODAY, "employed", True, True)
    assert AuditEvent.objects.filter(action="esf.participation.update").exists()


def test_a_prescriber_or_another_structure_cannot_reach_the_questionnaire(client, prescriber, other_referent, file):
    pathway, _operation = file
    url = reverse("esf:pathway_participations", args=[pathway.pk])
    client.force_login(prescriber)
    assert client.get(url).status_code == 403
    client.force_login(other_referent)
    assert client.get(url).status_code == 404


# --- completeness and claim -----------------------------------------------------------------------------------

def test_completeness_dashboard_at_the_35_percent_line(client, coordinator, referent, operator, territory):
    operation = factories.OperationFactory(beneficiary=operator)
    complete = {"labour_status": "inactive", "isced": "3", "disability": "0", "third_country_national": "0",
                "foreign_background": "0", "minority": "refused", "homeless": "0", "rural": "0"}
    people = []
    for i in range(20):
        person = factories.ParticipantFactory(territory=territory, last_name=f"Personne{i:02d}",
                                              phone="+33473000000")
        factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)
        people.append(person)
    # 7 incomplete out of 20 = 35 %: on the line, not above it.
    for i, person in enumerate(people):
        values = complete | ({"isced": ""} if i < 7 else {})
        factories.ParticipationFactory(participant=person, operation=operation, entry_date=operation.start_date,
                                       **values)
    client.force_login(coordinator)
    url = reverse("esf:operation_completeness", args=[operation.pk])
    response = client.get(url)
    context = response.context
    assert context["completeness"] == {"participants": 20, "incomplete": 7, "incomplete_share": pytest.approx(0.35),
                                       "correction_risk": False}
    page = _text(response)
    assert "35,00 %" in page and "niveau CITE" in page and "Personne00" in page and "Personne07" not in page
    assert set(AccessLog.objects.filter(user=coordinator, screen="esf_completeness").values_list(
        "participant__last_name", flat=True)) == {f"Personne{i:02d}" for i in range(7)}
    by_referent = context["by_referent"]
    assert [(r["referent"], r["participants"], r["incomplete"], r["above"]) for r in by_referent] == [
        (referent.get_full_name(), 20, 7, False)]
    # One more incomplete: 8 / 20 = 40 %, above the line.
    Participation.objects.filter(participant=people[7]).update(isced="")
    context = client.get(url).context
    assert context["completeness"]["correction_risk"] is True and context["by_referent"][0]["above"] is True


def test_claim_page_shows_the_commands_figures(client, director, referent, operator, territory):
    from parcours.esf.models import ReferentCost

    operation = factories.OperationFactory(beneficiary=operator)
    person = factories.ParticipantFactory(territory=territory)
    pathway = factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)
    factories.ParticipationFactory(participant=person, operation=operation, entry_date=operation.start_date)
    factories.AppointmentFactory(pathway=pathway, date=operation.start_date + datetime.timedelta(days=3),
                                 duration_minutes=90)
    # 34,400 € a year at full time: 20 € an hour; 90 minutes = 30.00 €, flat rate 12.00 €, total 42.00 €,
    # ESF due 42.00 × 15,539.76 / 25,899.60 = 25.20 €.
    ReferentCost.objects.create(territory=territory, referent=referent, year=operation.start_date.year,
                                annual_gross_cost=Decimal("34400"), work_time_share=Decimal("1"))
    client.force_login(director)
    response = client.get(reverse("esf:operation_claim", args=[operation.pk]), {
        "date_from": operation.start_date.isoformat(), "date_to": operation.end_date.isoformat()})
    claim = response.context["claim"]
    assert claim == {"operation": operation.operation_ref,
                     "period": {"from": operation.start_date.isoformat(), "to": operation.end_date.isoformat()},
                     "esf_rate": 0.6, "referents": [{"referent": referent.email, "minutes": 90, "hours": 1.5,
                                                     "staff_cost": 30.0}],
                     "direct_staff_costs": 30.0, "flat_rate_costs": 12.0, "total_eligible": 42.0, "esf_due": 25.2,
                     "appointments_without_duration": 0, "referents_without_cost": []}
    page = _text(response)
    assert "25,20 €" in page and "60,00 %" in page


def test_a_period_whose_end_precedes_its_start_is_said(client, director, operator):
    operation = factories.OperationFactory(beneficiary=operator)
    client.force_login(director)
    response = client.get(reverse("esf:operation_claim", args=[operation.pk]),
                          {"date_from": f"{YEAR}-06-01", "date_to": f"{YEAR}-01-01"})
    assert response.context["claim"] is None
    assert "La fin de la période précède son début." in response.content.decode()
