"""The prescriber's follow-up of their applications, and the animation team's assignment."""

import datetime

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.core.workflow import TransitionRefused
from parcours.plie.intake import selectors
from parcours.plie.intake.services import application_assign
from parcours.organisations.models import Membership
from parcours.pathways.models import PathwayTransition
from tests import factories

from .helpers import assigned, submit, today


@pytest.fixture
def sent(prescriber, prescriber_org):
    return submit(prescriber, prescriber_org).pathway


# --- prescriber --------------------------------------------------------------------------------------------------
def test_prescriber_sees_only_their_structures_applications(client, prescriber, prescriber_org, territory, sent,
                                                            django_assert_num_queries):
    other_org = factories.OrganisationFactory(territory=territory, prescriber=True)
    other = factories.ApplicationFactory(pathway__participant__territory=territory, prescriber_organisation=other_org)
    sent.commission_date, sent.decision, sent.status = today(), "refused", "refused"
    sent.save()
    client.force_login(prescriber)
    with django_assert_num_queries(6):   # +1: the people shown, logged in one insert
        response = client.get(reverse("intake:application_list"))
    html = response.content.decode()
    assert list(response.context["page"].object_list) == [sent]
    assert "Refusée" in html and today().strftime("%d/%m/%Y") in html
    assert str(other.pathway.participant) not in html
    assert client.get(reverse("intake:application_detail", args=[other.pathway_id])).status_code == 404


def test_prescriber_detail_shows_status_and_outcome_only(client, prescriber, sent, django_assert_num_queries):
    client.force_login(prescriber)
    with django_assert_num_queries(5):
        response = client.get(reverse("intake:application_detail", args=[sent.pk]))
    html = response.content.decode()
    assert response.templates[0].name == "intake/application_status.html"
    assert "Candidature reçue" in html
    for hidden in ("Retrouver un emploi stable", "3 rue des Gras", "Éligibilité", "Mobilité"):
        assert hidden not in html


def test_prescriber_cannot_reach_team_pages(client, prescriber, sent):
    client.force_login(prescriber)
    for name in ("intake:assign", "intake:reception", "intake:assessment"):
        assert client.get(reverse(name, args=[sent.pk])).status_code == 403
    assert client.get(reverse("intake:assignment_queue")).status_code == 403


def test_team_detail_shows_the_file_and_the_duplicate_warning(client, coordinator, prescriber, prescriber_org,
                                                              territory, django_assert_num_queries):
    factories.ParticipantFactory(territory=territory, last_name="LEFEVRE", first_name="Amelie",
                                 birth_date=datetime.date(1985, 3, 12))
    pathway = submit(prescriber, prescriber_org).pathway
    client.force_login(coordinator)
    # 7: the person's situation rows (DELD, once situations became rows) are one query more.
    with django_assert_num_queries(7):
        response = client.get(reverse("intake:application_detail", args=[pathway.pk]))
    html = response.content.decode()
    assert "Doublon possible" in html
    assert "Retrouver un emploi stable" in html
    assert "Éligible au PLIE" in html
    assert "Affecter à un·e référent·e" in html


def test_referent_of_another_structure_gets_404(client, territory, sent):
    other_operator = factories.OrganisationFactory(territory=territory, operator=True)
    stranger = factories.UserFactory(membership=(other_operator, "referent"))
    client.force_login(stranger)
    assert client.get(reverse("intake:application_detail", args=[sent.pk])).status_code == 404


# --- assignment queue --------------------------------------------------------------------------------------------
def test_queue_lists_submitted_oldest_first_with_constant_queries(client, coordinator, territory,
                                                                   django_assert_num_queries):
    rows = [factories.ApplicationFactory(pathway__participant__territory=territory,
                                         pathway__application_date=today() - datetime.timedelta(days=d)).pathway
            for d in (3, 9, 1)]
    factories.ApplicationFactory(pathway__participant__territory=territory, pathway__status="assigned")
    client.force_login(coordinator)
    with django_assert_num_queries(6):   # +1: the people shown, logged in one insert
        response = client.get(reverse("intake:assignment_queue"))
    assert list(response.context["page"].object_list) == [rows[1], rows[0], rows[2]]
    for _ in range(4):
        factories.ApplicationFactory(pathway__participant__territory=territory)
    with django_assert_num_queries(6):   # +1: the people shown, logged in one insert
        client.get(reverse("intake:assignment_queue"))


def test_queue_is_paginated(client, coordinator, territory):
    for _ in range(26):
        factories.ApplicationFactory(pathway__participant__territory=territory)
    client.force_login(coordinator)
    response = client.get(reverse("intake:assignment_queue"))
    assert len(response.context["page"].object_list) == 25
    assert len(client.get(reverse("intake:assignment_queue") + "?page=2").context["page"].object_list) == 1


def test_queue_is_for_the_team(client, referent):
    client.force_login(referent)
    assert client.get(reverse("intake:assignment_queue")).status_code == 403
    assert list(selectors.applications_awaiting_assignment(referent)) == []


def test_queue_does_not_show_another_territory(client, coordinator):
    other = factories.TerritoryFactory(name="Autre PLIE")
    factories.ApplicationFactory(pathway__participant__territory=other)
    client.force_login(coordinator)
    assert client.get(reverse("intake:assignment_queue")).context["page"].paginator.count == 0


# --- caseloads and assignment ------------------------------------------------------------------------------------
def test_caseloads_count_open_pathways_in_one_query(coordinator, referent, operator, territory,
                                                    django_assert_num_queries):
    busy = factories.UserFactory(membership=(operator, "referent"))
    for status in ("assigned", "assessed", "admitted", "active", "followup", "submitted", "refused", "exited"):
        factories.PathwayFactory(participant__territory=territory, status=status, referent=busy, operator=operator)
    factories.plie_rules_set(territory, caseload_min=2, caseload_max=4)
    over = factories.UserFactory(membership=(operator, "referent"))
    for _ in range(5):
        factories.PathwayFactory(participant__territory=territory, status="active", referent=over, operator=operator)
    assert coordinator.roles  # memberships loaded once per request, before the page's own queries
    with django_assert_num_queries(1):
        loads = {c.membership.user: c for c in selectors.referent_caseloads(coordinator)}
    assert (loads[busy].count, loads[busy].level) == (5, "over")
    assert (loads[over].count, loads[over].level) == (5, "over")
    assert (loads[referent].count, loads[referent].level) == (0, "under")
    factories.PathwayFactory(participant__territory=territory, status="active", referent=referent, operator=operator)
    factories.PathwayFactory(participant__territory=territory, status="active", referent=referent, operator=operator)
    assert {c.membership.user: c for c in selectors.referent_caseloads(coordinator)}[referent].level == "ok"


def test_assign_page_shows_caseloads_against_the_range(client, coordinator, referent, operator, territory, sent,
                                                       django_assert_num_queries):
    for _ in range(3):
        factories.UserFactory(membership=(operator, "referent"))
    client.force_login(coordinator)
    with django_assert_num_queries(7):
        response = client.get(reverse("intake:assign", args=[sent.pk]))
    html = response.content.decode()
    assert "de 60 à 100 personnes" in html
    assert html.count("sous le minimum") == 4
    assert "<legend>Référent·e de parcours</legend>" in html


def test_assign_applies_the_transition(client, coordinator, referent, operator, sent):
    membership = Membership.objects.get(user=referent, role="referent")
    client.force_login(coordinator)
    response = client.post(reverse("intake:assign", args=[sent.pk]), {"membership": membership.pk})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.referent, sent.operator, sent.assigned_at) == ("assigned", referent, operator, today())
    row = PathwayTransition.objects.get(pathway=sent, transition="assign")
    assert (row.from_state, row.to_state, row.data["referent"]) == ("submitted", "assigned", referent.pk)
    assert AuditEvent.objects.filter(action="pathway_assign", participant_id=sent.participant_id).exists()


def test_reassignment_while_assigned(coordinator, referent, operator, territory, sent):
    application_assign(pathway=sent, by=coordinator, membership=Membership.objects.get(user=referent))
    other = factories.UserFactory(membership=(operator, "referent"))
    pathway = application_assign(pathway=sent, by=coordinator, membership=Membership.objects.get(user=other))
    assert pathway.referent == other
    assert PathwayTransition.objects.filter(pathway=sent, transition="assign").count() == 2


def test_assignment_refused_once_assessed_shows_the_message(client, coordinator, referent, sent):
    sent.status = "assessed"
    sent.save()
    client.force_login(coordinator)
    response = client.post(reverse("intake:assign", args=[sent.pk]),
                           {"membership": Membership.objects.get(user=referent).pk}, follow=True)
    assert ("impossible : le dossier est à l&#x27;état « Bilan réalisé, en attente de commission »"
            in response.content.decode())
    sent.refresh_from_db()
    assert sent.referent is None
    assert not AuditEvent.objects.filter(action="pathway_assign").exists()


def test_assignment_to_a_referent_of_another_territory_is_refused(coordinator, sent):
    other = factories.TerritoryFactory(name="Autre PLIE")
    far = factories.UserFactory(membership=(factories.OrganisationFactory(territory=other, operator=True), "referent"))
    with pytest.raises(TransitionRefused):
        application_assign(pathway=sent, by=coordinator, membership=Membership.objects.get(user=far))


def test_assign_form_requires_a_choice(client, coordinator, referent, sent):
    client.force_login(coordinator)
    response = client.post(reverse("intake:assign", args=[sent.pk]), {})
    html = response.content.decode()
    assert "Choisissez un·e référent·e." in html
    assert 'aria-describedby="id_membership_error"' in html


def test_referent_cannot_assign(referent, operator, sent):
    membership = Membership.objects.get(user=referent)
    with pytest.raises(TransitionRefused):
        application_assign(pathway=sent, by=referent, membership=membership)


def test_assigned_pathway_helper(referent, operator):
    assert assigned(referent, operator).status == "assigned"
