from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from parcours.accounts.models import UserSession
from parcours.accounts.sessions import LAST_SEEN, LOGIN_AT

from tests.accounts.helpers import PASSWORD, password_login


def test_login_gives_a_new_session_key(client, referent):
    client.get(reverse("web:login"))
    client.session.save()
    before = client.session.session_key
    password_login(client, referent)
    after = client.session.session_key
    assert before and after and before != after
    assert not Session.objects.filter(session_key=before).exists()
    assert UserSession.objects.filter(user=referent, session_key=after).exists()


def test_idle_session_ends(client, referent, settings):
    client.force_login(referent)
    session = client.session
    session[LAST_SEEN] -= settings.PARCOURS_SESSION_IDLE_SECONDS + 1
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client, referent, settings):
    client.force_login(referent)
    session = client.session
    session[LAST_SEEN] -= settings.PARCOURS_SESSION_IDLE_SECONDS - 120
    session.save()
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("web:home")).status_code == 200


def test_absolute_timeout_ends_even_an_active_session(client, referent, settings):
    client.force_login(referent)
    session = client.session
    session[LOGIN_AT] -= settings.PARCOURS_SESSION_ABSOLUTE_SECONDS + 1
    session.save()
    assert client.get(reverse("web:home")).status_code == 302


def test_a_page_does_not_write_the_session_each_time(client, referent, django_assert_max_num_queries):
    client.force_login(referent)
    client.get(reverse("web:home"))
    first = client.session[LAST_SEEN]
    client.get(reverse("web:home"))
    assert client.session[LAST_SEEN] == first


def test_disabling_the_account_ends_all_its_sessions(referent):
    browsers = [Client(), Client()]
    for browser in browsers:
        assert password_login(browser, referent).status_code == 302
    assert UserSession.objects.filter(user=referent).count() == 2
    referent.is_active = False
    referent.save()
    assert not Session.objects.filter(session_key__in=[b.session.session_key for b in browsers]).exists()
    for browser in browsers:
        assert browser.get(reverse("web:home")).status_code == 302


def test_password_change_ends_the_other_sessions_only(referent):
    mine, other = Client(), Client()
    password_login(mine, referent)
    password_login(other, referent)
    new = "Un-nouveau-mot-de-passe-7"
    response = mine.post(reverse("accounts:password_change"),
                         {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert mine.get(reverse("web:home")).status_code == 200
    assert other.get(reverse("web:home")).status_code == 302
    assert UserSession.objects.filter(user=referent).count() == 1


def test_password_change_applies_the_rule(client, referent):
    client.force_login(referent)
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"})
    assert response.status_code == 200
    assert "caractères" in response.content.decode()


def test_password_change_needs_the_old_password(client, referent):
    client.force_login(referent)
    new = "Un-nouveau-mot-de-passe-7"
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": "faux", "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    referent.refresh_from_db()
    assert referent.check_password(PASSWORD)


def test_logout_forgets_the_session(client, referent):
    password_login(client, referent)
    client.post(reverse("web:logout"))
    assert not UserSession.objects.exists()
