import logging
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from parcours.accounts.models import LoginFailure

from tests import factories
from tests.accounts.helpers import PASSWORD, password_login


def _fail(client, email, times, ip="10.0.0.1"):
    for _ in range(times):
        response = client.post(reverse("web:login"), {"username": email, "password": "mauvais-mot-de-passe"},
                               REMOTE_ADDR=ip)
        assert response.status_code == 200


def test_five_failures_lock_the_account_even_with_the_right_password(client, referent):
    _fail(client, referent.email, 5)
    response = password_login(client, referent)
    assert response.status_code == 200
    assert "verrouillé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, referent):
    _fail(client, referent.email, 4)
    assert password_login(client, referent).status_code == 302


def test_lock_is_per_account_not_per_ip(client, referent):
    """Colleagues behind the same proxy can still sign in while one account is locked."""
    colleague = factories.UserFactory(membership=(referent.memberships.get().organisation, "referent"))
    _fail(client, referent.email, 5)
    assert password_login(client, colleague).status_code == 302


def test_lock_ends_after_the_lock_period(client, referent):
    _fail(client, referent.email, 5)
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert password_login(client, referent).status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(client, referent):
    _fail(client, referent.email, 4)
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=20))
    _fail(client, referent.email, 1)
    assert password_login(client, referent).status_code == 302


def test_unknown_email_locks_like_a_known_one(client):
    """Same answer for unknown accounts: the lock does not reveal which e-mails exist."""
    _fail(client, "personne@example.org", 5)
    response = client.post(reverse("web:login"), {"username": "personne@example.org", "password": "x"})
    assert "verrouillé" in response.content.decode()


def test_lock_is_case_insensitive_on_the_email(client, referent):
    _fail(client, referent.email.upper(), 5)
    assert "verrouillé" in password_login(client, referent).content.decode()


def test_ip_limit_is_much_higher_and_blocks_spraying(client, settings, referent):
    settings.PARCOURS_LOGIN_IP_FAILURE_LIMIT = 8
    for n in range(8):
        _fail(client, f"inconnu{n}@example.org", 1, ip="10.9.9.9")
    response = client.post(reverse("web:login"), {"username": referent.email, "password": PASSWORD},
                           REMOTE_ADDR="10.9.9.9")
    assert "depuis ce réseau" in response.content.decode()
    assert password_login(client, referent).status_code == 302  # another IP


def test_success_clears_the_failures(client, referent):
    _fail(client, referent.email, 4)
    assert password_login(client, referent).status_code == 302
    assert not LoginFailure.objects.exists()


def test_failures_store_no_password_no_email(client, referent, caplog):
    with caplog.at_level(logging.INFO, logger="parcours.security"):
        _fail(client, referent.email, 1)
    failure = LoginFailure.objects.get()
    assert failure.user_id == referent.pk
    stored = " ".join(str(v) for v in LoginFailure.objects.values().get().values())
    assert referent.email not in stored and "10.0.0.1" not in stored and "mauvais" not in stored
    assert f"user_id={referent.pk}" in caplog.text
    assert referent.email not in caplog.text and "mauvais" not in caplog.text
