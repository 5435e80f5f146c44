"""The commission d'agrément: planning, agenda, decisions and their refusals, closing, documents."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.core.pdf import render, story_text
from parcours.audit.models import AccessLog
from parcours.plie.commissions import pdf
from parcours.plie.commissions.enums import CommissionStatus
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.commissions.selectors import agenda_barriers, commission_agenda, commission_decisions
from parcours.plie.commissions.services import commission_close, commission_decide, commission_plan
from parcours.core.workflow import TransitionRefused
from parcours.plie.intake.models import Assessment
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import BarrierReview, PathwayTransition
from tests import factories

TODAY = timezone.localdate()


def assessed(referent, operator, **participant):
    pathway = factories.PathwayFactory(status=PathwayStatus.ASSESSED, referent=referent, operator=operator,
                                       assigned_at=TODAY - datetime.timedelta(days=60),
                                       participant__territory=operator.territory, **participant)
    factories.ApplicationFactory(pathway=pathway)
    Assessment.objects.create(pathway=pathway, strengths="Motivée.", recommendations="Formation numérique.",
                              completed_on=TODAY - datetime.timedelta(days=5), author=referent)
    BarrierReview.objects.create(pathway=pathway, barrier="mobility", level="major", reviewed_on=TODAY,
                                 reviewed_by=referent)
    return pathway


@pytest.fixture
def commission(territory):
    return Commission.objects.create(territory=territory, date=TODAY)


@pytest.fixture
def file(referent, operator):
    return assessed(referent, operator)


# --- planning ---------------------------------------------------------------------------------------------

def test_first_session_is_today_then_the_rhythm_follows_the_territory(territory, coordinator):
    first = commission_plan(territory=territory, by=coordinator)
    factories.plie_rules_set(territory, commission_interval_days=21)
    second = commission_plan(territory=territory, by=coordinator)
    assert first.date == TODAY and second.date == TODAY + datetime.timedelta(days=21)


def test_two_sessions_on_one_day_are_refused(territory, coordinator, commission):
    with pytest.raises(ValidationError, match="déjà programmée"):
        commission_plan(territory=territory, by=coordinator, on=commission.date)


def test_referents_do_not_plan(territory, referent):
    with pytest.raises(TransitionRefused):
        commission_plan(territory=territory, by=referent)


# --- agenda -----------------------------------------------------------------------------------------------

def test_agenda_holds_the_closed_assessments_of_the_territory(commission, file, referent, operator):
    factories.PathwayFactory(status=PathwayStatus.ASSIGNED, participant__territory=commission.territory)
    elsewhere = factories.TerritoryFactory(name="Ailleurs")
    factories.PathwayFactory(status=PathwayStatus.ASSESSED, participant__territory=elsewhere)
    (pathway,) = commission_agenda(commission)
    assert pathway == file
    assert [(b.label, b.major) for b in agenda_barriers(pathway, may_read_sensitive_details=False)] == [
        ("Mobilité géographique", True)]


def test_agenda_query_count_is_constant(commission, referent, operator, django_assert_num_queries):
    for _ in range(2):
        assessed(referent, operator)
    with django_assert_num_queries(2):
        list(commission_agenda(commission))
    for _ in range(4):
        assessed(referent, operator)
    with django_assert_num_queries(2):
        assert len(commission_agenda(commission)) == 6


# --- decisions --------------------------------------------------------------------------------------------

def test_admission_stores_the_commission_date_and_logs_the_transition(commission, file, coordinator):
    commission_decide(commission=commission, pathway=file, outcome="admitted", by=coordinator)
    file.refresh_from_db()
    assert (file.status, file.decision, file.commission_date) == (PathwayStatus.ADMITTED, "admitted", TODAY)
    log = PathwayTransition.objects.get(pathway=file, transition="admit")
    assert log.by == coordinator and log.from_state == "assessed"
    assert list(commission_agenda(commission)) == []


def test_refusal_needs_a_motive(commission, file, director):
    with pytest.raises(ValidationError):
        commission_decide(commission=commission, pathway=file, outcome="refused", by=director)
    file.refresh_from_db()
    assert file.status == PathwayStatus.ASSESSED and not CommissionDecision.objects.exists()
    commission_decide(commission=commission, pathway=file, outcome="refused", motive="Projet hors PLIE.",
                      by=director)
    file.refresh_from_db()
    assert (file.status, file.decision) == (PathwayStatus.REFUSED, "refused")


def test_reorientation_names_the_scheme(commission, file, coordinator):
    with pytest.raises(ValidationError):
        commission_decide(commission=commission, pathway=file, outcome="reoriented", by=coordinator)
    commission_decide(commission=commission, pathway=file, outcome="reoriented", reoriented_to="Cap emploi",
                      by=coordinator)
    file.refresh_from_db()
    assert file.status == PathwayStatus.REORIENTED


def test_postponed_file_comes_back_at_the_next_session(commission, file, coordinator, territory):
    commission_decide(commission=commission, pathway=file, outcome="postponed", motive="Bilan à compléter",
                      by=coordinator)
    file.refresh_from_db()
    assert file.status == PathwayStatus.ASSESSED
    assert list(commission_agenda(commission)) == []
    next_session = Commission.objects.create(territory=territory, date=TODAY + datetime.timedelta(days=15))
    assert list(commission_agenda(next_session)) == [file]


def test_a_second_decision_in_the_same_session_is_refused(commission, file, coordinator):
    commission_decide(commission=commission, pathway=file, outcome="postponed", by=coordinator)
    with pytest.raises(TransitionRefused, match="déjà une décision"):
        commission_decide(commission=commission, pathway=file, outcome="admitted", by=coordinator)


def test_a_future_session_cannot_decide(territory, file, coordinator):
    future = Commission.objects.create(territory=territory, date=TODAY + datetime.timedelta(days=3))
    with pytest.raises(TransitionRefused, match="pas encore eu lieu"):
        commission_decide(commission=future, pathway=file, outcome="admitted", by=coordinator)


def test_referents_attend_but_do_not_decide(commission, file, referent):
    with pytest.raises(TransitionRefused, match="décident"):
        commission_decide(commission=commission, pathway=file, outcome="admitted", by=referent)


def test_a_file_not_ready_is_refused_and_nothing_is_saved(commission, coordinator, referent, operator):
    pathway = factories.PathwayFactory(status=PathwayStatus.ASSIGNED, referent=referent, operator=operator,
                                       participant__territory=commission.territory)
    with pytest.raises(TransitionRefused):
        commission_decide(commission=commission, pathway=pathway, outcome="admitted", by=coordinator)
    assert not CommissionDecision.objects.exists()


def test_another_territorys_file_is_refused(commission, coordinator):
    elsewhere = factories.TerritoryFactory(name="Ailleurs")
    pathway = factories.PathwayFactory(status=PathwayStatus.ASSESSED, participant__territory=elsewhere)
    with pytest.raises(TransitionRefused, match="ne relève pas"):
        commission_decide(commission=commission, pathway=pathway, outcome="admitted", by=coordinator)


# --- closing ----------------------------------------------------------------------------------------------

def test_closing_waits_for_every_decision_then_freezes_the_session(commission, file, coordinator):
    with pytest.raises(TransitionRefused, match="1 dossier"):
        commission_close(commission=commission, by=coordinator)
    commission_decide(commission=commission, pathway=file, outcome="admitted", by=coordinator)
    commission_close(commission=commission, by=coordinator)
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.HELD
    other = assessed(file.referent, file.operator)
    with pytest.raises(TransitionRefused, match="close"):
        commission_decide(commission=commission, pathway=other, outcome="admitted", by=coordinator)


# --- documents --------------------------------------------------------------------------------------------

def test_decision_record_and_letter_say_the_decisions_and_escape_names(commission, coordinator, referent, operator):
    pathway = assessed(referent, operator, participant__last_name="<script>Dupont & Fils</script>",
                       participant__first_name="Zoé")
    commission_decide(commission=commission, pathway=pathway, outcome="refused", motive="Hors territoire",
                      by=coordinator)
    decisions = commission_decisions(commission)
    record = story_text(pdf.decision_record_story(commission, decisions))
    assert "<SCRIPT>DUPONT & FILS</SCRIPT> Z." in record
    assert "Refusé" in record and "Hors territoire" in record and "secret professionnel partagé" in record
    letter = story_text(pdf.prescriber_letter_story(decisions[0]))
    assert pathway.application.prescriber_organisation.name in letter and "Refusé" in letter
    assert render(pdf.decision_record_story(commission, decisions)).startswith(b"%PDF")


# --- pages ------------------------------------------------------------------------------------------------

def test_coordinator_plans_decides_and_downloads_from_the_pages(client, coordinator, commission, file):
    client.force_login(coordinator)
    page = client.get(reverse("commissions:commission_detail", args=[commission.pk]))
    assert str(file.participant) in page.content.decode()
    client.post(reverse("commissions:decide", args=[commission.pk, file.pk]), {f"p{file.pk}-outcome": "admitted"})
    file.refresh_from_db()
    assert file.status == PathwayStatus.ADMITTED
    record = client.get(reverse("commissions:decision_record", args=[commission.pk]))
    assert record["Content-Disposition"] == f'attachment; filename="releve-decisions-{TODAY.isoformat()}.pdf"'
    decision = CommissionDecision.objects.get()
    letter = client.get(reverse("commissions:prescriber_letter", args=[decision.pk]))
    assert letter["Content-Disposition"] == f'attachment; filename="courrier-prescripteur-{file.pk}.pdf"'


def test_refusal_without_motive_on_the_page_says_so(client, coordinator, commission, file):
    client.force_login(coordinator)
    response = client.post(reverse("commissions:decide", args=[commission.pk, file.pk]),
                           {f"p{file.pk}-outcome": "refused"}, follow=True)
    assert "Un refus doit être motivé." in response.content.decode()
    file.refresh_from_db()
    assert file.status == PathwayStatus.ASSESSED


def test_referent_reads_the_agenda_but_gets_no_form_nor_documents(client, referent, commission, file):
    client.force_login(referent)
    page = client.get(reverse("commissions:commission_detail", args=[commission.pk])).content.decode()
    assert str(file.participant) in page and "Enregistrer la décision" not in page
    assert client.post(reverse("commissions:decide", args=[commission.pk, file.pk]),
                       {f"p{file.pk}-outcome": "admitted"}).status_code == 403
    assert client.get(reverse("commissions:decision_record", args=[commission.pk])).status_code == 403


def test_prescribers_and_other_territories_do_not_find_the_session(client, prescriber, commission):
    client.force_login(prescriber)   # no commission is theirs: the area is closed before any lookup
    assert client.get(reverse("commissions:commission_detail", args=[commission.pk])).status_code == 403
    assert client.get(reverse("commissions:commission_detail", args=[10**9])).status_code == 403
    other_plie = factories.OrganisationFactory(territory=factories.TerritoryFactory(name="Ailleurs"), plie=True)
    client.force_login(factories.UserFactory(membership=(other_plie, "coordinator")))
    assert client.get(reverse("commissions:commission_detail", args=[commission.pk])).status_code == 404


def test_plan_from_the_list_page(client, coordinator, territory):
    client.force_login(coordinator)
    response = client.post(reverse("commissions:commission_list"), {"date": ""})
    commission = Commission.objects.get()
    assert response.status_code == 302 and commission.date == TODAY


def test_commission_page_query_count_is_constant(client, coordinator, commission, referent, operator,
                                                 django_assert_num_queries):
    client.force_login(coordinator)
    for _ in range(2):
        assessed(referent, operator)
    client.get(reverse("commissions:commission_detail", args=[commission.pk]))
    with django_assert_num_queries(10):   # +2: which agenda files the member follows, and their access-log rows
        client.get(reverse("commissions:commission_detail", args=[commission.pk]))
    for _ in range(4):
        assessed(referent, operator)
    with django_assert_num_queries(10):   # +2: which agenda files the member follows, and their access-log rows
        client.get(reverse("commissions:commission_detail", args=[commission.pk]))


def test_the_list_pages_through_three_years_of_commissions(client, territory, coordinator):
    start = timezone.localdate() - datetime.timedelta(days=3 * 365)
    Commission.objects.bulk_create([Commission(territory=territory, date=start + datetime.timedelta(days=15 * n))
                                    for n in range(60)])
    client.force_login(coordinator)
    first = client.get(reverse("commissions:commission_list"))
    assert first.status_code == 200 and 'href="?page=2"' in first.content.decode()
    last = client.get(reverse("commissions:commission_list"), {"page": 3})
    assert last.status_code == 200 and 'href="?page=2"' in last.content.decode()


def test_a_long_agenda_is_read_page_by_page_oldest_assessment_first(client, coordinator, commission, referent,
                                                                    operator, monkeypatch):
    from parcours.web.commissions import views

    monkeypatch.setattr(views, "AGENDA_PAGE_SIZE", 2)
    files = [assessed(referent, operator) for _ in range(5)]
    for age, pathway in enumerate(files):   # the first created has the most recent assessment
        Assessment.objects.filter(pathway=pathway).update(completed_on=TODAY - datetime.timedelta(days=10 - age))
    client.force_login(coordinator)
    url = reverse("commissions:commission_detail", args=[commission.pk])
    first = client.get(url).content.decode()
    assert "Ordre du jour : 5 dossiers" in first      # the whole backlog is counted, not the page
    assert f'id="dossier-{files[0].pk}"' in first and f'id="dossier-{files[2].pk}"' not in first
    assert 'aria-label="Pages de l\'ordre du jour"' in first and 'href="?page=2"' in first
    third = client.get(url, {"page": 3}).content.decode()
    assert f'id="dossier-{files[4].pk}"' in third and f'id="dossier-{files[0].pk}"' not in third
    # A decision taken on page 2 brings the coordinator back to page 2 (the next files are there).
    response = client.post(reverse("commissions:decide", args=[commission.pk, files[2].pk]) + "?page=2",
                           {f"p{files[2].pk}-outcome": "admitted"})
    assert response.status_code == 302 and response["Location"] == f"{url}?page=2"
    assert "Ordre du jour : 4 dossiers" in client.get(url).content.decode()
    # Out of range or not a number: the nearest valid page, never an error.
    assert client.get(url, {"page": 99}).status_code == 200
    assert client.get(url, {"page": "x"}).status_code == 200


def test_a_decision_on_a_file_of_another_territory_is_refused(client, coordinator, commission):
    elsewhere = factories.PathwayFactory(status=PathwayStatus.ASSESSED,
                                         participant__territory=factories.TerritoryFactory(name="Ailleurs"))
    client.force_login(coordinator)
    response = client.post(reverse("commissions:decide", args=[commission.pk, elsewhere.pk]),
                           {f"p{elsewhere.pk}-outcome": "admitted"}, follow=True)
    assert "pas (ou plus) à l&#x27;ordre du jour" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.status == PathwayStatus.ASSESSED and not CommissionDecision.objects.exists()


def test_the_decisions_of_a_session_are_paged_apart_from_the_agenda(client, coordinator, commission, referent,
                                                                    operator, monkeypatch):
    from parcours.web.commissions import views

    monkeypatch.setattr(views, "DECISIONS_PAGE_SIZE", 2)
    monkeypatch.setattr(views, "AGENDA_PAGE_SIZE", 1)
    decided = [assessed(referent, operator) for _ in range(3)]
    waiting = [assessed(referent, operator) for _ in range(2)]
    for pathway in decided:
        commission_decide(commission=commission, pathway=pathway, outcome="admitted", by=coordinator)
    client.force_login(coordinator)
    url = reverse("commissions:commission_detail", args=[commission.pk])
    page = client.get(url, {"page": 2, "decisions": 2}).content.decode()
    assert 'aria-label="Pages des décisions"' in page
    assert 'href="?decisions=1&amp;page=2"' in page       # the agenda keeps its page
    assert 'href="?page=1&amp;decisions=2"' in page       # and the decisions theirs
    assert page.count("<th scope=\"row\">") == 1          # the third decision alone on page 2
    assert len(waiting) == 2 and "Ordre du jour : 2 dossiers" in page


# --- what the members read, and the access log (issue 11) ---------------------------------------------------

@pytest.fixture
def reviewed_file(file, referent):
    factories.BarrierReviewFactory(pathway=file, barrier="justice", level="major", reviewed_by=referent,
                                   comment="Contrôle judiciaire jusqu'en juin.")
    factories.BarrierReviewFactory(pathway=file, barrier="health", level="moderate", reviewed_by=referent,
                                   comment="Suivi psychiatrique hebdomadaire.")
    factories.BarrierReviewFactory(pathway=file, barrier="housing", level="moderate", reviewed_by=referent,
                                   comment="Hébergée chez sa sœur.")
    return file


def test_a_member_who_does_not_follow_the_file_reads_barriers_and_levels_but_not_sensitive_details(
        client, commission, reviewed_file, other_referent):
    client.force_login(other_referent)
    html = client.get(reverse("commissions:commission_detail", args=[commission.pk])).content.decode()
    assert str(reviewed_file.participant) in html
    assert "Situation judiciaire : frein majeur" in html and "Santé physique et psychique : frein modéré" in html
    assert "Formation numérique." in html                      # the assessment's recommendations
    assert "Hébergée chez sa sœur." in html                    # a barrier that is not sensitive
    assert "Contrôle judiciaire" not in html and "psychiatrique" not in html
    assert html.count("détails réservés au ou à la référent·e") == 2


@pytest.mark.parametrize("who", ["referent", "coordinator"])
def test_the_file_s_referent_and_the_team_read_the_sensitive_details(client, commission, reviewed_file, who, request):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("commissions:commission_detail", args=[commission.pk])).content.decode()
    assert "Contrôle judiciaire jusqu&#x27;en juin." in html and "Suivi psychiatrique hebdomadaire." in html


def test_every_file_on_the_agenda_and_in_the_decisions_is_an_opening(client, commission, coordinator, referent,
                                                                      operator, other_referent):
    files = [assessed(referent, operator) for _ in range(3)]
    decided = assessed(referent, operator)
    commission_decide(commission=commission, pathway=decided, by=coordinator, outcome="admitted")
    client.force_login(other_referent)
    assert client.get(reverse("commissions:commission_detail", args=[commission.pk])).status_code == 200
    rows = set(AccessLog.objects.values_list("user_id", "participant_id", "screen"))
    assert rows == {(other_referent.pk, p.participant_id, "commission_agenda") for p in files + [decided]}


def test_the_decision_documents_are_openings_too(client, commission, coordinator, file):
    decision = commission_decide(commission=commission, pathway=file, by=coordinator, outcome="admitted")
    client.force_login(coordinator)
    assert client.get(reverse("commissions:decision_record", args=[commission.pk])).status_code == 200
    assert client.get(reverse("commissions:prescriber_letter", args=[decision.pk])).status_code == 200
    assert list(AccessLog.objects.order_by("pk").values_list("participant_id", "screen")) == [
        (file.participant_id, "commission_decision_record"), (file.participant_id, "commission_prescriber_letter")]


def test_the_administrator_reads_no_agenda(client, commission, file, territory):
    administrator = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory, plie=True),
                                                      "administrator"))
    client.force_login(administrator)
    assert client.get(reverse("commissions:commission_list")).status_code in (200, 403)
    response = client.get(reverse("commissions:commission_detail", args=[commission.pk]))
    assert response.status_code == 403
    assert not AccessLog.objects.exists()
