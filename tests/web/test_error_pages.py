"""The 400, 403, 404, 500 and CSRF-failure pages, and the API's error bodies: French, in the application's layout.

Django's test runner runs with DEBUG=False (asserted), so these are the pages production answers.
"""

from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from parcours.pathways.models import Note
from tests import factories

LAYOUT = 'class="site-header"'


@pytest.fixture(autouse=True)
def production_like(settings):
    assert not settings.DEBUG


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert LAYOUT in html and 'lang="fr"' in html and "Parcours" in html
    return html


def test_404_is_french_in_the_layout_for_anyone(client, referent):
    html = _page(response := client.get("/cette-page-n-existe-pas/"))
    assert response.status_code == 404 and "Page introuvable" in html
    client.force_login(referent)
    html = _page(response := client.get("/cette-page-n-existe-pas/"))
    assert response.status_code == 404 and "Page introuvable" in html and "Se déconnecter" in html


def test_403_is_french_in_the_layout(client, referent):
    client.force_login(referent)
    response = client.get(reverse("administration:overview"))   # an area of another role
    assert response.status_code == 403
    html = _page(response)
    assert "Accès refusé" in html and "Se déconnecter" in html


def test_400_is_french_in_the_static_safe_layout():
    response = Client(HTTP_HOST="attaquant.example").get("/")   # DisallowedHost: Django answers 400
    assert response.status_code == 400
    assert "Requête incorrecte" in _page(response)


def test_500_is_french_and_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):   # no user, no context processor: it comes out with the database down
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = _page(response)
    assert "Une erreur est survenue" in html and "Server Error" not in html


def test_an_unexpected_error_answers_the_french_500_page(referent):
    browser = Client(raise_request_exception=False)
    browser.force_login(referent)
    session = browser.session
    session["parcours.otp_device"] = "tests.force_login"
    session.save()
    with mock.patch("parcours.plie.worklists.referent_new_assignments", side_effect=RuntimeError("panne")):
        response = browser.get(reverse("web:home"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in _page(response)


def test_a_failed_csrf_check_answers_the_french_page(referent, operator):
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(referent)
    session = browser.session
    session["parcours.otp_device"] = "tests.force_login"
    session.save()
    response = browser.post(reverse("pathways:note_add", args=[pathway.pk]), {"body": "Écrite ailleurs."})
    assert response.status_code == 403
    html = _page(response)
    assert "La vérification de sécurité du formulaire a échoué" in html and "CSRF verification failed" not in html
    assert not Note.objects.exists()


# --- the API ------------------------------------------------------------------------------------------------------

def test_api_without_credentials_says_so_in_french(client):
    response = client.get("/api/v1/participants/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")


def test_api_unknown_object_answers_in_french_without_naming_the_model(referent):
    from tests.api.helpers import api_for

    response = api_for(referent).get("/api/v1/participants/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


def test_api_session_post_without_csrf_token_says_the_check_failed(referent, operator):
    pathway = factories.PathwayFactory(active=True, operator=operator, referent=referent)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(referent)
    session = browser.session
    session["parcours.otp_device"] = "tests.force_login"
    session.save()
    response = browser.post(f"/api/v1/pathways/{pathway.pk}/appointments/", {"kind": "individual"})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("La vérification CSRF a échoué")
    # Nothing another structure holds is revealed by it: an unknown pathway fails the same check first.
    response = browser.post("/api/v1/pathways/999999/appointments/", {"kind": "individual"})
    assert response.status_code == 403
