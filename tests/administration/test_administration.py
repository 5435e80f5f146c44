import html
import re

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.organisations.models import Membership, Organisation, User
from tests import factories


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_only_administrators_enter(client, coordinator, referent, prescriber):
    for user in (coordinator, referent, prescriber):
        client.force_login(user)
        assert client.get(reverse("administration:overview")).status_code == 403


def test_overview_lists_structures_with_constant_queries(admin_client, territory, django_assert_num_queries):
    for _ in range(3):
        factories.OrganisationFactory(territory=territory, operator=True)
    with django_assert_num_queries(7):   # + the pending role requests
        response = admin_client.get(reverse("administration:overview"))
    assert response.status_code == 200
    for _ in range(5):
        factories.OrganisationFactory(territory=territory, operator=True)
    with django_assert_num_queries(7):
        admin_client.get(reverse("administration:overview"))


def test_programme_rules_change_is_audited(admin_client, territory):
    programme = territory.programmes.get(kind="plie")
    response = admin_client.post(reverse("administration:programme_rules", args=[programme.pk]), {
        "min_age": 26, "youth_min_age": 16, "youth_max_age": 25, "eligible_situations": ["rsa", "rqth"],
        "qpv_residence_eligible": "on", "commission_interval_days": 21, "assessment_deadline_days": 42,
        "inactivity_alert_days": 45, "caseload_min": 60, "caseload_max": 100, "followup_months": 6,
    })
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.parameter("commission_interval_days") == 21
    assert programme.parameter("eligible_situations") == ["rsa", "rqth"]
    assert programme.inactivity_alert_days == 45
    event = AuditEvent.objects.get(action="programme_configure")
    assert event.changes["commission_interval_days"] == [15, 21]
    assert event.changes["inactivity_alert_days"] == [60, 45]


def test_incoherent_caseload_range_is_refused_naming_the_rule(admin_client, territory):
    programme = territory.programmes.get(kind="plie")
    response = admin_client.post(reverse("administration:programme_rules", args=[programme.pk]), {
        "min_age": 26, "youth_min_age": 16, "youth_max_age": 25, "eligible_situations": ["rsa"],
        "commission_interval_days": 15, "assessment_deadline_days": 42, "inactivity_alert_days": 60,
        "caseload_min": 120, "caseload_max": 100, "followup_months": 6,
    })
    assert response.status_code == 200
    assert "La file active minimale dépasse la maximale." in response.content.decode()
    programme.refresh_from_db()
    assert programme.caseload_min == 60


def test_other_territory_rules_are_not_found(admin_client):
    other = factories.TerritoryFactory(name="Autre PLIE").programmes.get(kind="plie")
    assert admin_client.get(reverse("administration:programme_rules", args=[other.pk])).status_code == 404


def test_create_account_then_give_a_role(admin_client, operator):
    response = admin_client.post(reverse("administration:user_create"), {
        "email": "Nouvelle.Referente@Example.org", "first_name": "Awa", "last_name": "Diallo",
        "phone": "", "is_active": "on", "password": "Cle-Provisoire-2026!",
    })
    user = User.objects.get(email="nouvelle.referente@example.org")
    assert response.status_code == 302
    assert user.check_password("Cle-Provisoire-2026!")
    admin_client.post(reverse("administration:membership_create", args=[user.pk]),
                      {"organisation": operator.pk, "role": "referent"})
    assert Membership.objects.filter(user=user, organisation=operator, role="referent", is_active=True).exists()


def test_weak_password_and_duplicate_email_are_refused(admin_client, coordinator):
    response = admin_client.post(reverse("administration:user_create"), {
        "email": coordinator.email.upper(), "first_name": "A", "last_name": "B", "is_active": "on",
        "password": "123456789012",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mot de passe provisoire" in page
    assert User.objects.filter(email__iexact=coordinator.email).count() == 1


def test_role_must_fit_the_kind_of_structure(admin_client, coordinator, operator):
    admin_client.post(reverse("administration:membership_create", args=[coordinator.pk]),
                      {"organisation": operator.pk, "role": "director"})
    assert not Membership.objects.filter(user=coordinator, organisation=operator).exists()


def test_remove_a_role(admin_client, referent):
    membership = referent.memberships.get()
    admin_client.post(reverse("administration:membership_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active


def test_create_structure(admin_client, territory):
    response = admin_client.post(reverse("administration:organisation_create"), {
        "name": "CCAS de Gerzat", "kind": "prescriber", "prescriber_type": "ccas", "is_active": "on",
    })
    assert response.status_code == 302
    assert Organisation.objects.get(name="CCAS de Gerzat").territory == territory


@pytest.mark.parametrize(("typed", "stored", "error"), [
    ("356 000 000 00048", "35600000000048", None),       # La Poste's, typed with spaces
    ("73282932000074", "73282932000074", None),
    ("12345678901234", None, "la clé de contrôle ne correspond pas"),
    ("7328293200007", None, "14 chiffres attendus"),
])
def test_a_structure_s_siret_is_checked_by_its_key_and_may_be_typed_with_spaces(admin_client, typed, stored, error):
    response = admin_client.post(reverse("administration:organisation_create"), {
        "name": "Entreprise d'insertion", "kind": "step_provider", "siret": typed, "is_active": "on"})
    created = Organisation.objects.filter(name="Entreprise d'insertion").first()
    if error is None:
        assert response.status_code == 302 and created.siret == stored
    else:
        assert created is None and error in html.unescape(response.content.decode())


def test_prescriber_structure_needs_a_type(admin_client):
    response = admin_client.post(reverse("administration:organisation_create"), {
        "name": "Sans type", "kind": "prescriber", "prescriber_type": "", "is_active": "on",
    })
    assert response.status_code == 200
    assert "Un prescripteur doit avoir un type de prescripteur." in response.content.decode()
    assert not Organisation.objects.filter(name="Sans type").exists()


def test_the_account_list_pages_and_the_next_page_keeps_the_search(admin_client, operator):
    for n in range(55):
        factories.UserFactory(last_name=f"Dupont{n:02d}", membership=(operator, "referent"))
    response = admin_client.post(reverse("administration:user_list"), {"q": "Dupont"})
    html = response.content.decode()
    assert [user.last_name for user, _ in response.context["rows"]] == [f"Dupont{n:02d}" for n in range(50)]
    assert "Dupont" not in "".join(re.findall(r'(?:href|action)="([^"]*)"', html))   # never in a URL
    assert '<input type="hidden" name="q" value="Dupont"><input type="hidden" name="page" value="2">' in html
    second = admin_client.post(reverse("administration:user_list"), {"q": "Dupont", "page": 2})
    assert [user.last_name for user, _ in second.context["rows"]] == [f"Dupont{n:02d}" for n in range(50, 55)]


def test_the_account_search_is_not_read_from_the_url(admin_client, operator):
    factories.UserFactory(last_name="Dupont", membership=(operator, "referent"))
    factories.UserFactory(last_name="Martin", membership=(operator, "referent"))
    names = [user.last_name for user, _ in admin_client.get(reverse("administration:user_list"),
                                                            {"q": "Dupont"}).context["rows"]]
    assert "Martin" in names and "Dupont" in names
    html = admin_client.get(reverse("administration:user_list")).content.decode()
    assert '<form method="post" role="search"' in html


def test_the_structure_list_pages(admin_client, territory):
    for _ in range(55):
        factories.OrganisationFactory(territory=territory, prescriber=True)
    html = admin_client.get(reverse("administration:overview")).content.decode()
    assert 'href="?page=2"' in html
    assert admin_client.get(reverse("administration:overview"), {"page": 2}).status_code == 200


def test_an_account_lists_its_roles_by_structure_name(admin_client, territory):
    user = factories.UserFactory()
    for name in ("Zèbre Insertion", "Abeille Emploi", "Mouette Formation"):
        Membership.objects.create(user=user, role="referent",
                                  organisation=factories.OrganisationFactory(territory=territory, operator=True,
                                                                             name=name))
    response = admin_client.get(reverse("administration:user_edit", args=[user.pk]))
    assert [m.organisation.name for m in response.context["memberships"]] == [
        "Abeille Emploi", "Mouette Formation", "Zèbre Insertion"]
