"""API tokens: hashed at rest, refused once expired or revoked or when the account is disabled, revoked with the
password, the account, a membership; the account page lists them with their last use; revoking is the holder's."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parcours.accounts.enums import ApiTokenRevocation
from parcours.accounts.models import ApiToken
from parcours.accounts.services import api_token_create, api_token_revoke
from parcours.accounts.sessions import REAUTH_AT
from parcours.audit.models import AuditEvent
from parcours.organisations.models import Membership
from parcours.organisations.services import membership_end


URL = "/api/v1/applications/"   # open to every role these tests use


def call(secret: str, keyword: str = "Token"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client.get(URL)


def test_the_secret_is_not_in_the_database_only_its_digest(referent):
    token, secret = api_token_create(user=referent, label="Logiciel")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(row) and row["digest"] == ApiToken.digest_of(secret)
    assert row["expires_at"] - row["created_at"] == timedelta(days=90)
    assert AuditEvent.objects.filter(action="api_token_create", object_id=str(token.pk), actor=referent).exists()
    assert call(secret).status_code == 200
    assert call(secret, "Bearer").status_code == 200


def test_a_label_is_required(client, referent):
    with pytest.raises(ValidationError) as error:
        api_token_create(user=referent, label="  ")
    assert "label" in error.value.message_dict
    client.force_login(referent)
    page = client.post(reverse("api_access:token"), {"label": ""}).content.decode()
    assert "Nom du jeton" in page and "Ce champ est obligatoire." in page
    assert not ApiToken.objects.exists()


def test_a_revoked_token_cannot_be_revoked_again(client, referent):
    token, _secret = api_token_create(user=referent, label="Logiciel")
    client.force_login(referent)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    revoked_at = ApiToken.objects.get().revoked_at
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)
    assert "Ce jeton est déjà révoqué." in response.content.decode()
    assert ApiToken.objects.get().revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == 1


def test_unknown_expired_revoked_and_disabled_are_refused_in_french(referent):
    assert call("prc_nimportequoi").json() == {"detail": "Jeton inconnu."}
    token, secret = api_token_create(user=referent, label="Logiciel")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1),
                                                created_at=timezone.now() - timedelta(days=2))
    response = call(secret)
    assert response.status_code == 401 and "a expiré" in response.json()["detail"]

    token, secret = api_token_create(user=referent, label="Autre")
    api_token_revoke(token=token, by=referent)
    response = call(secret)
    assert response.status_code == 401 and "révoqué" in response.json()["detail"]

    token, secret = api_token_create(user=referent, label="Troisième")
    type(referent).objects.filter(pk=referent.pk).update(is_active=False)   # bypasses the signal on purpose
    assert call(secret).json() == {"detail": "Ce compte est désactivé."}


def test_last_use_is_recorded_at_most_once_a_minute(referent):
    token, secret = api_token_create(user=referent, label="Logiciel")
    assert call(secret).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    call(secret)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    call(secret)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_password_change_revokes_every_token(referent):
    _token, secret = api_token_create(user=referent, label="Logiciel")
    referent.set_password("un-autre-mot-de-passe-solide")
    referent.save()
    assert call(secret).status_code == 401
    token = ApiToken.objects.get()
    assert token.revoked_reason == ApiTokenRevocation.PASSWORD
    assert AuditEvent.objects.filter(action="api_token_revoke", object_id=str(token.pk)).exists()


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(referent):
    _token, secret = api_token_create(user=referent, label="Logiciel")
    referent.password = referent.password + "x"   # the setter of check_password saves without _password
    referent._password = None
    referent.save(update_fields=["password"])
    assert call(secret).status_code == 200


def test_own_password_change_page_revokes_them(client, referent):
    _token, secret = api_token_create(user=referent, label="Logiciel")
    client.force_login(referent)
    client.post(reverse("accounts:password_change"), {
        "old_password": "un-mot-de-passe-solide", "new_password1": "Nouveau-mot-de-passe-42!",
        "new_password2": "Nouveau-mot-de-passe-42!"})
    assert ApiToken.objects.get().revoked_reason == ApiTokenRevocation.PASSWORD


def test_disabling_the_account_revokes_them(referent):
    _token, secret = api_token_create(user=referent, label="Logiciel")
    referent.is_active = False
    referent.save()
    assert ApiToken.objects.get().revoked_reason == ApiTokenRevocation.ACCOUNT_DISABLED


def test_a_membership_ending_or_deleted_revokes_them(referent, administrator):
    api_token_create(user=referent, label="Logiciel")
    membership = Membership.objects.get(user=referent)
    membership_end(membership=membership, by=administrator)
    assert ApiToken.objects.get().revoked_reason == ApiTokenRevocation.MEMBERSHIP_ENDED

    membership.is_active = True
    membership.save()
    api_token_create(user=referent, label="Autre")
    Membership.objects.get(user=referent).delete()
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {ApiTokenRevocation.MEMBERSHIP_ENDED}


def test_the_account_page_lists_them_with_their_last_use(client, referent):
    token, secret = api_token_create(user=referent, label="Logiciel du CCAS")
    client.force_login(referent)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Logiciel du CCAS" in page and token.prefix in page and "jamais" in page and secret not in page
    call(secret)
    token.refresh_from_db()
    page = client.get(reverse("accounts:account")).content.decode()
    assert timezone.localtime(token.last_used_at).strftime("%d/%m/%Y %H:%M") in page and "jamais" not in page


def test_another_users_token_cannot_be_revoked(client, referent, prescriber):
    token, secret = api_token_create(user=prescriber, label="Logiciel")
    client.force_login(referent)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert call(secret).status_code == 200
    client.force_login(prescriber)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 302
    assert call(secret).status_code == 401


def test_creating_a_token_needs_a_fresh_password(client, referent):
    client.force_login(referent)
    session = client.session
    session[REAUTH_AT] = session[REAUTH_AT] - settings.PARCOURS_REAUTH_SECONDS - 1
    session.save()
    response = client.post(reverse("api_access:token"), {"label": "Logiciel"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert not ApiToken.objects.exists()
    client.post(reverse("accounts:reauthenticate"), {"password": "un-mot-de-passe-solide"})
    assert client.post(reverse("api_access:token"), {"label": "Logiciel"}).status_code == 200
    assert ApiToken.objects.filter(user=referent, label="Logiciel").exists()


def test_the_account_page_lists_the_tokens_once_and_its_title_is_plain(client, referent):
    api_token_create(user=referent, label="Logiciel")
    client.force_login(referent)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "<title>Mon compte" in html and html.count('id="api-title"') == 1
