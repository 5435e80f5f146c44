"""Refused authorisations are logged in one place (web.middleware.RefusedAccessLogMiddleware), read by the DPO,
and purged after a year with the access log."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parcours.accounts.models import ApiToken
from parcours.audit.models import RefusedAccess
from parcours.audit.services import refused_access_record

from tests import factories


@pytest.fixture
def dpo(plie):
    return factories.UserFactory(membership=(plie, "dpo"))


@pytest.fixture
def their_pathway(other_operator):
    """A pathway of another operator of the same territory: out of `referent`'s scope."""
    return factories.PathwayFactory(active=True, operator=other_operator,
                                    participant__last_name="Quenouillard", participant__first_name="Berthilde")


def test_another_structures_file_answers_404_and_is_logged_without_personal_data(client, referent, their_pathway,
                                                                                  caplog):
    client.force_login(referent)
    with caplog.at_level(logging.INFO, logger="parcours.security"):
        response = client.get(reverse("pathways:pathway_detail", args=[their_pathway.pk]) + "?nom=Quenouillard")
    assert response.status_code == 404
    row = RefusedAccess.objects.get()
    assert (row.user, row.url_name, row.kind, row.method) == (referent, "pathways:pathway_detail", 404, "GET")
    assert f"user_id={referent.pk}" in caplog.text and "url_name=pathways:pathway_detail" in caplog.text
    assert "status=404" in caplog.text
    # Neither the path (with the file's id), nor the query string, nor a name reaches the row or the log.
    stored = " ".join(str(value) for value in RefusedAccess.objects.values().get().values())
    ours = " ".join(r.getMessage() for r in caplog.records if r.name == "parcours.security")
    for text in (stored, ours):
        assert "Quenouillard" not in text and "/parcours/" not in text and f"/{their_pathway.pk}/" not in text


def test_an_area_of_other_roles_answers_403_and_is_logged(client, referent):
    client.force_login(referent)
    assert client.get(reverse("administration:overview")).status_code == 403
    assert client.post(reverse("reporting:indicators")).status_code == 403
    rows = list(RefusedAccess.objects.order_by("pk").values_list("url_name", "kind", "method"))
    assert rows == [("administration:overview", 403, "GET"), ("reporting:indicators", 403, "POST")]


def test_api_refusal_is_logged_with_the_tokens_user(referent, their_pathway):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_token(referent)}")
    assert api.get(f"/api/v1/pathways/{their_pathway.pk}/").status_code == 404
    assert api.get(f"/api/v1/pathways/{their_pathway.pk}/steps/").status_code == 404
    assert list(RefusedAccess.objects.order_by("pk").values_list("user", "url_name", "kind")) == [
        (referent.pk, "api:pathway-detail", 404), (referent.pk, "api:pathway-step-list", 404)]


def test_missing_csrf_token_of_a_signed_in_user_is_logged_as_403(referent):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(referent)
    assert browser.post(reverse("api_access:token"), {"label": "Logiciel"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert RefusedAccess.objects.get().url_name == "api_access:token"


def test_what_is_not_a_refused_authorisation_is_not_logged(client, referent, operator, their_pathway):
    # Anonymous: sent to the sign-in page; an unknown address; a page the user may open; an anonymous API call.
    assert client.get(reverse("pathways:pathway_detail", args=[their_pathway.pk])).status_code == 302
    assert APIClient().get(f"/api/v1/pathways/{their_pathway.pk}/").status_code == 401
    client.force_login(referent)
    assert client.get("/ceci-n-existe-pas/").status_code == 404
    mine = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    assert client.get(reverse("pathways:pathway_detail", args=[mine.pk])).status_code == 200
    assert not RefusedAccess.objects.exists()


def test_dpo_reads_the_refusals_of_their_territory_only(client, dpo, referent, coordinator, foreign_coordinator):
    refused_access_record(user=referent, url_name="pathways:pathway_detail", kind=404, method="GET")
    refused_access_record(user=coordinator, url_name="audit:access_log", kind=403, method="GET")
    refused_access_record(user=foreign_coordinator, url_name="intake:assign", kind=404, method="POST")
    client.force_login(dpo)
    page = client.get(reverse("audit:refused_access"))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 2
    html = page.content.decode()
    assert "pathways:pathway_detail" in html and "404 : objet hors du périmètre ou inexistant" in html
    assert "intake:assign" not in html
    assert 'aria-current="page">Accès refusés' in html
    filtered = client.get(reverse("audit:refused_access"), {"user": referent.pk})
    assert [row.user_id for row in filtered.context["page"]] == [referent.pk]
    RefusedAccess.objects.update(at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    assert client.get(reverse("audit:refused_access"), {"date_from": today}).context["page"].paginator.count == 0
    # A filter the form refuses (here a date) shows the error and every row, never a 500.
    bad = client.get(reverse("audit:refused_access"), {"date_from": "31/02/2026"})
    assert bad.status_code == 200 and bad.context["form"].errors["date_from"]


def test_refusals_page_is_read_only_and_for_the_dpo_only(client, dpo, coordinator):
    client.force_login(dpo)
    assert client.post(reverse("audit:refused_access")).status_code == 405
    client.force_login(coordinator)
    assert client.get(reverse("audit:refused_access")).status_code == 403
    # …and that refusal is itself logged.
    assert RefusedAccess.objects.filter(user=coordinator, url_name="audit:refused_access").exists()


def test_dpo_journal_pages_link_to_the_refusals(client, dpo):
    client.force_login(dpo)
    html = client.get(reverse("audit:access_log")).content.decode()
    assert reverse("audit:refused_access") in html


def test_retention_purges_refusals_older_than_a_year(referent):
    refused_access_record(user=referent, url_name="old", kind=404, method="GET")
    refused_access_record(user=referent, url_name="recent", kind=404, method="GET")
    RefusedAccess.objects.filter(url_name="old").update(at=timezone.now() - timedelta(days=366))
    out = StringIO()
    call_command("retention", stdout=out)
    assert "Refus d'accès purgés du journal : 1" in out.getvalue()
    assert list(RefusedAccess.objects.values_list("url_name", flat=True)) == ["recent"]
