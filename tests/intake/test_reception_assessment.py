"""First reception interviews, the socio-professional assessment, its deadline and its closure."""

import html as html_module
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.core.workflow import TransitionRefused
from parcours.plie.intake import selectors
from parcours.plie.intake.models import Assessment, ReceptionInterview
from parcours.plie.intake.services import (
    BarrierAssessed, assessment_complete, assessment_save, reception_interview_record,
)
from parcours.pathways.models import BarrierReview, PathwayTransition
from tests import factories

from .helpers import assigned, today


@pytest.fixture
def pathway(referent, operator):
    return assigned(referent, operator)


def interview(pathway, by, **changes):
    values = {"on": today(), "mode": "in_person", "duration_minutes": 45, "place": "Agence PLIE", "summary": "Premier échange."}
    values.update(changes)
    return reception_interview_record(pathway=pathway, by=by, **values)


def save(pathway, by, barriers=None, **changes):
    values = {"strengths": "Motivée, expérience en vente.", "professional_project": "Vendeuse",
              "recommendations": "Entrée dans le PLIE.",
              "barriers": {"mobility": BarrierAssessed("major", "Pas de permis")} if barriers is None else barriers}
    values.update(changes)
    return assessment_save(pathway=pathway, by=by, **values)


# --- interviews --------------------------------------------------------------------------------------------------
def test_interview_is_recorded_and_audited(pathway, referent):
    recorded = interview(pathway, referent)
    assert recorded.referent == referent
    assert AuditEvent.objects.filter(action="reception_interview_create", participant_id=pathway.participant_id).exists()


def test_interview_in_the_future_is_refused(pathway, referent):
    with pytest.raises(ValidationError) as caught:
        interview(pathway, referent, on=today() + datetime.timedelta(days=1))
    assert caught.value.message_dict == {"date": ["La date ne peut pas être dans le futur."]}


def test_interview_before_the_assignment_is_refused(pathway, referent):
    with pytest.raises(ValidationError) as caught:
        interview(pathway, referent, on=pathway.assigned_at - datetime.timedelta(days=1))
    assert "précéder l'affectation" in caught.value.message_dict["date"][0]
    assert not ReceptionInterview.objects.exists()


def test_interview_on_the_assignment_day_is_accepted(pathway, referent):
    assert interview(pathway, referent, on=pathway.assigned_at).pk


@pytest.mark.parametrize("duration", [0, -5])
def test_interview_duration_must_be_positive(pathway, referent, duration):
    with pytest.raises(ValidationError) as caught:
        interview(pathway, referent, duration_minutes=duration)
    assert "duration_minutes" in caught.value.message_dict


@pytest.mark.parametrize("status", ["submitted", "assessed", "active"])
def test_interview_only_while_assigned(referent, operator, status):
    pathway = factories.PathwayFactory(status=status, referent=referent, operator=operator, assigned_at=today())
    with pytest.raises(TransitionRefused):
        interview(pathway, referent)


def test_reception_page_records_an_interview(client, referent, pathway, django_assert_num_queries):
    client.force_login(referent)
    url = reverse("intake:reception", args=[pathway.pk])
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    response = client.post(url, {"date": today().isoformat(), "mode": "phone", "duration_minutes": "30",
                                 "place": "Téléphone", "summary": ""})
    assert response.status_code == 302
    assert ReceptionInterview.objects.get().mode == "phone"


def test_reception_form_errors_are_in_french_and_linked(client, referent, pathway):
    client.force_login(referent)
    response = client.post(reverse("intake:reception", args=[pathway.pk]), {
        "date": (today() + datetime.timedelta(days=2)).isoformat(), "mode": "in_person", "duration_minutes": "0",
        "place": "Agence"})
    html = response.content.decode()
    assert '<a href="#id_duration_minutes">Durée (minutes)</a> : La durée doit être d&#x27;au moins une minute.' in html
    assert 'aria-describedby="id_duration_minutes_error"' in html
    assert not ReceptionInterview.objects.exists()


def test_reception_page_for_another_structure_is_404(client, territory, pathway):
    stranger = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory, operator=True),
                                                 "referent"))
    client.force_login(stranger)
    assert client.get(reverse("intake:reception", args=[pathway.pk])).status_code == 404
    assert client.get(reverse("intake:assessment", args=[pathway.pk])).status_code == 404
    assert client.post(reverse("intake:assessment_complete", args=[pathway.pk])).status_code == 404


def test_colleague_of_the_same_structure_and_the_team_may_record(client, operator, coordinator, pathway):
    colleague = factories.UserFactory(membership=(operator, "referent"))
    assert interview(pathway, colleague).pk
    assert interview(pathway, coordinator).pk


def test_overdue_assessment_is_marked(client, referent, operator):
    late = assigned(referent, operator, days_ago=43)
    client.force_login(referent)
    html = client.get(reverse("intake:reception", args=[late.pk])).content.decode()
    assert "En retard" in html
    due = (late.assigned_at + datetime.timedelta(days=42)).strftime("%d/%m/%Y")
    assert f"Bilan attendu avant le {due}" in html


# --- assessment --------------------------------------------------------------------------------------------------
def test_assessment_saves_reviews_for_present_barriers_only(pathway, referent):
    save(pathway, referent, barriers={"mobility": BarrierAssessed("major", "Pas de permis"),
                                      "housing": BarrierAssessed("moderate")})
    assert set(BarrierReview.objects.values_list("barrier", "level")) == {("mobility", "major"), ("housing", "moderate")}
    assert Assessment.objects.get().author == referent


def test_resaving_keeps_the_first_date_and_removes_dropped_barriers(pathway, referent):
    save(pathway, referent, barriers={"mobility": BarrierAssessed("major"), "housing": BarrierAssessed("moderate")})
    BarrierReview.objects.filter(barrier="mobility").update(reviewed_on=today() - datetime.timedelta(days=3))
    save(pathway, referent, barriers={"mobility": BarrierAssessed("resolved", "Permis obtenu")})
    review = BarrierReview.objects.get()
    assert (review.barrier, review.level, review.reviewed_on) == ("mobility", "resolved", today() - datetime.timedelta(days=3))
    assert AuditEvent.objects.filter(action="assessment_save").count() == 2


def test_unknown_barrier_or_level_is_refused(pathway, referent):
    with pytest.raises(ValidationError) as caught:
        save(pathway, referent, barriers={"weather": BarrierAssessed("major"), "debt": BarrierAssessed("huge")})
    assert len(caught.value.message_dict["barriers"]) == 2
    assert not Assessment.objects.exists()


def test_assessment_cannot_be_edited_once_closed(pathway, referent):
    pathway.status = "assessed"
    pathway.save()
    with pytest.raises(TransitionRefused):
        save(pathway, referent)


def test_complete_requires_an_interview(pathway, referent):
    save(pathway, referent)
    with pytest.raises(TransitionRefused) as caught:
        assessment_complete(pathway=pathway, by=referent)
    assert "au moins un entretien" in caught.value.message


def test_complete_requires_the_assessment(pathway, referent):
    interview(pathway, referent)
    with pytest.raises(TransitionRefused) as caught:
        assessment_complete(pathway=pathway, by=referent)
    assert "points d'appui" in caught.value.message


def test_complete_requires_a_barrier_review(pathway, referent):
    interview(pathway, referent)
    save(pathway, referent, barriers={})
    with pytest.raises(TransitionRefused) as caught:
        assessment_complete(pathway=pathway, by=referent)
    assert "freins" in caught.value.message


def test_complete_moves_to_assessed(pathway, referent):
    interview(pathway, referent)
    save(pathway, referent)
    done = assessment_complete(pathway=pathway, by=referent)
    assert done.status == "assessed"
    assert Assessment.objects.get().completed_on == today()
    row = PathwayTransition.objects.get(transition="complete_assessment")
    assert (row.from_state, row.to_state, row.by) == ("assigned", "assessed", referent)


def test_prescriber_role_cannot_complete(pathway, referent, prescriber):
    interview(pathway, referent)
    save(pathway, referent)
    with pytest.raises(TransitionRefused) as caught:
        assessment_complete(pathway=pathway, by=prescriber)
    assert "Votre rôle" in caught.value.message


def test_assessment_page_saves_and_completes(client, referent, pathway, django_assert_num_queries):
    client.force_login(referent)
    url = reverse("intake:assessment", args=[pathway.pk])
    with django_assert_num_queries(7):
        html = client.get(url).content.decode()
    assert "<legend>Mobilité géographique</legend>" in html
    typed = {"strengths": "Ponctuelle", "professional_project": "", "recommendations": "PLIE",
             "level_mobility": "major", "comment_mobility": "Pas de permis"}
    response = client.post(url, typed)
    assert response.status_code == 302
    # Closing is refused (no interview yet): the page comes back with what was typed, and nothing was written.
    response = client.post(reverse("intake:assessment_complete", args=[pathway.pk]),
                           {**typed, "strengths": "Ponctuelle, modifié juste avant de clore"})
    body = html_module.unescape(response.content.decode())
    assert response.status_code == 400 and "Le bilan n'est pas clos :" in body and "au moins un entretien" in body
    assert "Ponctuelle, modifié juste avant de clore" in body
    assert Assessment.objects.get(pathway=pathway).strengths == "Ponctuelle"
    pathway.refresh_from_db()
    assert pathway.status == "assigned"
    interview(pathway, referent)
    response = client.post(reverse("intake:assessment_complete", args=[pathway.pk]),
                           {**typed, "recommendations": "PLIE, puis formation"})
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.status == "assessed"
    # The last edits made before closing are kept (they used to be thrown away).
    assert Assessment.objects.get(pathway=pathway).recommendations == "PLIE, puis formation"


def test_closing_an_invalid_assessment_keeps_what_was_typed_and_closes_nothing(client, referent, pathway):
    client.force_login(referent)
    interview(pathway, referent)
    response = client.post(reverse("intake:assessment_complete", args=[pathway.pk]), {
        "strengths": "", "recommendations": "Une préconisation longue à retaper", "level_mobility": "major"})
    body = html_module.unescape(response.content.decode())
    assert response.status_code == 400 and "Le bilan n'est pas clos : corrigez d'abord le formulaire." in body
    assert "Une préconisation longue à retaper" in body
    pathway.refresh_from_db()
    assert pathway.status == "assigned" and not Assessment.objects.exists()


def test_assessment_form_asks_the_level_of_a_commented_barrier(client, referent, pathway):
    client.force_login(referent)
    response = client.post(reverse("intake:assessment", args=[pathway.pk]), {
        "strengths": "", "recommendations": "PLIE", "comment_housing": "Hébergée chez un tiers"})
    html = response.content.decode()
    assert '<a href="#id_strengths">Points d&#x27;appui</a> : Ce champ est obligatoire.' in html
    assert "Indiquez le niveau du frein « Logement » commenté." in html
    assert not Assessment.objects.exists()


def test_assessment_get_is_refused_to_prescribers(client, prescriber, pathway):
    client.force_login(prescriber)
    assert client.get(reverse("intake:assessment", args=[pathway.pk])).status_code == 403


# --- selectors for the home pages --------------------------------------------------------------------------------
def test_assessments_due_lists_the_users_assigned_pathways(referent, operator, django_assert_num_queries):
    late = assigned(referent, operator, days_ago=50)
    fresh = assigned(referent, operator, days_ago=2)
    colleague = factories.UserFactory(membership=(operator, "referent"))
    assigned(colleague, operator)
    factories.PathwayFactory(status="assessed", referent=referent, operator=operator, assigned_at=today())
    assert referent.roles
    with django_assert_num_queries(1):
        rows = selectors.assessments_due(referent)
    assert [r.pathway for r in rows] == [late, fresh]
    assert (rows[0].overdue, rows[0].due_on) == (True, late.assigned_at + datetime.timedelta(days=42))
    assert rows[0].days_left == -8
    assert rows[1].overdue is False


def test_assessment_deadline_follows_the_territory(referent, operator, territory):
    factories.plie_rules_set(territory, assessment_deadline_days=10)
    pathway = assigned(referent, operator, days_ago=11)
    assert selectors.assessments_due(referent)[0].overdue is True
    assert selectors.assessment_due_on(pathway) == pathway.assigned_at + datetime.timedelta(days=10)


def test_assessments_due_page(client, referent, operator, django_assert_num_queries):
    assigned(referent, operator, days_ago=50)
    client.force_login(referent)
    with django_assert_num_queries(5):   # +1: the people shown, logged in one insert
        html = client.get(reverse("intake:assessments_due")).content.decode()
    assert "En retard" in html


def test_assessments_due_page_is_paginated_and_logs_the_page_only(client, referent, operator):
    from parcours.audit.models import AccessLog

    for days in range(27):
        assigned(referent, operator, days_ago=days + 1)
    client.force_login(referent)
    first = client.get(reverse("intake:assessments_due"))
    assert len(first.context["page"]) == 25 and AccessLog.objects.count() == 25
    second = client.get(reverse("intake:assessments_due"), {"page": 2})
    assert len(second.context["page"]) == 2 and AccessLog.objects.count() == 27
