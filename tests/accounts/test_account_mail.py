"""E-mails about one's own account, received by a real SMTP server: a forgotten password, an invitation to a new
account, a second factor reset by an administrator (accounts/mail.py)."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts.mail import RESET_REQUESTS_PER_HOUR
from parcours.accounts.sessions import REAUTH_AT
from parcours.audit.models import AuditEvent
from parcours.organisations.models import User
from tests import factories

NEW_PASSWORD = "Un-autre-mot-de-passe-2026"
LINK = re.compile(r"http://testserver(/mot-de-passe/[^/\s]+/[^/\s]+/)")


def link_in(message) -> str:
    return LINK.search(message.get_content())[1]


def choose_password(client, path: str, password: str = NEW_PASSWORD):
    landing = client.get(path)   # Django swaps the token for a session key, out of the URL
    assert landing.status_code == 302
    return client.post(landing["Location"], {"new_password1": password, "new_password2": password})


# --- a forgotten password ---------------------------------------------------------------------------------------

def test_the_sign_in_page_offers_the_forgotten_password(client):
    assert reverse("web:password_reset") in client.get(reverse("web:login")).content.decode()


def test_a_forgotten_password_is_mailed_a_one_use_link_that_sets_a_new_one(client, referent, smtp_server):
    other = client.__class__()
    other.force_login(referent)
    response = client.post(reverse("web:password_reset"), {"email": referent.email.upper()})
    assert response.status_code == 302 and response["Location"] == reverse("web:password_reset_done")
    [message] = smtp_server.messages
    assert smtp_server.envelopes[0][1] == [referent.email]
    assert message["Subject"].strip() == "[Parcours] Réinitialisation de votre mot de passe"
    body = message.get_content()
    assert "valable 48 heures, une seule fois" in body and referent.last_name not in body
    path = link_in(message)
    done = choose_password(client, path)
    assert done.status_code == 302 and done["Location"] == reverse("web:password_reset_complete")
    referent.refresh_from_db()
    assert referent.check_password(NEW_PASSWORD)
    assert other.get(reverse("web:home")).status_code == 302   # the other sessions ended
    assert list(AuditEvent.objects.filter(object_id=str(referent.pk)).values_list("action", flat=True)
                .order_by("pk")) == ["password_reset_request", "password_reset_complete"]
    # Used once: the same link is refused, with a way to ask another.
    again = client.get(path, follow=True)
    assert "Ce lien n'est plus valable" in again.content.decode()


@pytest.mark.parametrize("email", ["personne@example.org", "pas-une-adresse"])
def test_an_unknown_or_invalid_address_gets_no_mail_and_no_hint(client, referent, smtp_server, email):
    response = client.post(reverse("web:password_reset"), {"email": email})
    if "@" in email:   # the same answer as for a real account: nothing tells whether it exists
        assert response.status_code == 302 and response["Location"] == reverse("web:password_reset_done")
    else:
        assert response.status_code == 400
        assert "Cette adresse de courriel n&#x27;est pas valide." in response.content.decode()
    assert smtp_server.messages == []


def test_a_disabled_account_gets_no_link(client, referent, smtp_server):
    User.objects.filter(pk=referent.pk).update(is_active=False)
    client.post(reverse("web:password_reset"), {"email": referent.email})
    assert smtp_server.messages == []


def test_links_are_limited_per_hour(client, referent, smtp_server):
    for _ in range(RESET_REQUESTS_PER_HOUR + 2):
        client.post(reverse("web:password_reset"), {"email": referent.email})
    assert len(smtp_server.messages) == RESET_REQUESTS_PER_HOUR


def test_a_link_lapses_after_the_timeout(client, referent, smtp_server, monkeypatch, settings):
    client.post(reverse("web:password_reset"), {"email": referent.email})
    path = link_in(smtp_server.messages[0])
    now = default_token_generator._now()
    monkeypatch.setattr(default_token_generator, "_now",
                        lambda: now.replace(microsecond=0) + __import__("datetime").timedelta(
                            seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    assert "Ce lien n'est plus valable" in client.get(path, follow=True).content.decode()


def test_a_weak_password_is_refused_on_the_link_page(client, referent, smtp_server):
    client.post(reverse("web:password_reset"), {"email": referent.email})
    response = choose_password(client, link_in(smtp_server.messages[0]), password="court")
    assert response.status_code == 200 and "Le formulaire contient des erreurs" in response.content.decode()
    referent.refresh_from_db()
    assert not referent.check_password("court")


def test_a_mail_server_down_is_logged_without_the_address(client, referent, smtp_down, caplog):
    with caplog.at_level(logging.INFO, logger="parcours.security"):
        response = client.post(reverse("web:password_reset"), {"email": referent.email})
    assert response.status_code == 302
    assert "account mail not sent kind=reset" in caplog.text and referent.email not in caplog.text


# --- invitation to a new account --------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_a_new_account_without_password_is_invited_to_choose_it(admin_client, operator, smtp_server):
    response = admin_client.post(reverse("administration:user_create"), {
        "email": "nouvelle@example.org", "first_name": "Awa", "last_name": "Diallo", "phone": "", "is_active": "on",
        "password": ""}, follow=True)
    account = User.objects.get(email="nouvelle@example.org")
    assert not account.has_usable_password()
    assert "Une invitation à choisir son mot de passe est envoyée à nouvelle@example.org." in response.content.decode()
    [message] = smtp_server.messages
    assert message["Subject"].strip() == "[Parcours] Votre compte est ouvert"
    visitor = admin_client.__class__()
    choose_password(visitor, link_in(message))
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    assert visitor.post(reverse("web:login"), {"username": account.email, "password": NEW_PASSWORD}).status_code == 302


def test_the_invitation_can_be_sent_again_until_the_first_sign_in(admin_client, referent, smtp_server):
    invite = reverse("administration:user_invite", args=[referent.pk])
    User.objects.filter(pk=referent.pk).update(last_login=None)
    page = admin_client.get(reverse("administration:user_edit", args=[referent.pk])).content.decode()
    assert invite in page
    admin_client.post(invite)
    assert len(smtp_server.messages) == 1
    User.objects.filter(pk=referent.pk).update(last_login="2026-01-05T10:00:00+01:00")
    response = admin_client.post(invite, follow=True)
    assert "Cette personne s&#x27;est déjà connectée" in response.content.decode()
    assert len(smtp_server.messages) == 1
    assert admin_client.get(invite).status_code == 405


def test_a_provisional_password_still_works_and_sends_nothing(admin_client, smtp_server):
    admin_client.post(reverse("administration:user_create"), {
        "email": "provisoire@example.org", "first_name": "Jo", "last_name": "Roy", "phone": "", "is_active": "on",
        "password": "Provisoire-2026-solide"})
    assert User.objects.get(email="provisoire@example.org").check_password("Provisoire-2026-solide")
    assert smtp_server.messages == []


# --- second factor reset by an administrator ----------------------------------------------------------------

@pytest.fixture
def enrolled(coordinator):
    TOTPDevice.objects.create(user=coordinator, name="téléphone", confirmed=True)
    return coordinator


def test_an_administrator_resets_a_lost_second_factor(admin_client, enrolled, smtp_server):
    victim_session = admin_client.__class__()
    victim_session.force_login(enrolled)
    url = reverse("administration:user_twofactor_reset", args=[enrolled.pk])
    page = admin_client.get(reverse("administration:user_edit", args=[enrolled.pk])).content.decode()
    assert url in page and "Cela ne se défait pas." in page   # behind its confirmation
    response = admin_client.post(url, follow=True)
    assert "La double authentification est réinitialisée" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert AuditEvent.objects.filter(action="twofactor_reset", object_id=str(enrolled.pk)).count() == 1
    [message] = smtp_server.messages
    assert message["Subject"].strip() == "[Parcours] Double authentification réinitialisée"
    assert victim_session.get(reverse("web:home")).status_code == 302


def test_resetting_a_second_factor_asks_a_fresh_password(admin_client, enrolled, smtp_server):
    session = admin_client.session
    session[REAUTH_AT] -= 3600
    session.save()
    response = admin_client.post(reverse("administration:user_twofactor_reset", args=[enrolled.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert TOTPDevice.objects.filter(user=enrolled).exists() and smtp_server.messages == []


def test_one_s_own_second_factor_and_another_territory_s_are_refused(admin_client, administrator, smtp_server):
    TOTPDevice.objects.create(user=administrator, name="téléphone", confirmed=True)
    response = admin_client.post(reverse("administration:user_twofactor_reset", args=[administrator.pk]), follow=True)
    assert "Vous ne pouvez pas réinitialiser votre propre double authentification" in response.content.decode()
    assert TOTPDevice.objects.filter(user=administrator).exists()
    elsewhere = factories.UserFactory(membership=(factories.OrganisationFactory(
        territory=factories.TerritoryFactory(name="Vichy Communauté"), operator=True), "referent"))
    TOTPDevice.objects.create(user=elsewhere, name="téléphone", confirmed=True)
    assert admin_client.post(reverse("administration:user_twofactor_reset", args=[elsewhere.pk])).status_code == 404
    assert smtp_server.messages == []
