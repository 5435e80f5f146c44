import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.accounts.sessions import OTP_VERIFIED, REAUTH_AT

from tests.accounts.helpers import PASSWORD, current_code, enrol, password_login


@pytest.mark.parametrize("role_user", ["coordinator", "director"])
def test_required_roles_are_confined_to_enrolment(client, role_user, request):
    user = request.getfixturevalue(role_user)
    password_login(client, user)
    for name in ("web:home", "administration:overview"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("accounts:twofactor_enrol")
    assert client.get(reverse("accounts:twofactor_enrol")).status_code == 200


def test_required_role_is_refused_on_the_api_with_a_session(client, coordinator):
    password_login(client, coordinator)
    assert client.get("/api/v1/pathways/").status_code == 403


def test_htmx_request_gets_an_hx_redirect(client, coordinator):
    password_login(client, coordinator)
    response = client.get(reverse("web:home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("accounts:twofactor_enrol")


def test_referent_is_not_forced(client, referent):
    password_login(client, referent)
    assert client.get(reverse("web:home")).status_code == 200


def test_enrolment_with_a_valid_code_gives_ten_single_use_recovery_codes(client, coordinator):
    password_login(client, coordinator)
    page = client.get(reverse("accounts:twofactor_enrol"))
    html = page.content.decode()
    assert "<svg" in html and not re.search(r"<script(?![^>]*\bsrc=)", html) and "style=" not in html
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(reverse("accounts:twofactor_enrol"), {"token": current_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("web:home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_enrolment_with_a_wrong_code_is_refused(client, coordinator):
    password_login(client, coordinator)
    client.get(reverse("accounts:twofactor_enrol"))
    response = client.post(reverse("accounts:twofactor_enrol"), {"token": "000000"})
    assert "Code incorrect" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_with_a_device_the_password_alone_does_not_sign_in(client, coordinator):
    device, _ = enrol(coordinator)
    response = password_login(client, coordinator)
    assert response.url == reverse("accounts:verify")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("web:home")).status_code == 302
    response = client.post(reverse("accounts:verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert client.session[OTP_VERIFIED]


def test_wrong_code_is_refused_and_counted(client, coordinator):
    from parcours.accounts.models import LoginFailure

    enrol(coordinator)
    password_login(client, coordinator)
    response = client.post(reverse("accounts:verify"), {"token": "123456"})
    assert "Code incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(user=coordinator).count() == 1


def test_wrong_codes_lock_the_account_across_sign_ins(client, coordinator):
    """Typing the password again does not wipe the wrong codes: five of them lock as five wrong passwords do."""
    from parcours.accounts.models import LoginFailure

    device, codes = enrol(coordinator)
    wrong = ["000000", "999999", "abcdefgh", "123456", "654321"]   # TOTP-shaped and recovery-shaped alike
    for token in wrong:
        assert password_login(client, coordinator).url == reverse("accounts:verify")
        assert "Code incorrect" in client.post(reverse("accounts:verify"), {"token": token}).content.decode()
    assert LoginFailure.objects.filter(user=coordinator).count() == 5
    response = password_login(client, coordinator)
    assert response.status_code == 200
    assert "verrouillé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_completed_sign_in_clears_the_wrong_codes(client, coordinator):
    from parcours.accounts.models import LoginFailure

    device, _ = enrol(coordinator)
    password_login(client, coordinator)
    client.post(reverse("accounts:verify"), {"token": "000000"})
    assert LoginFailure.objects.filter(user=coordinator).count() == 1
    password_login(client, coordinator)   # the password alone keeps the count
    assert LoginFailure.objects.filter(user=coordinator).count() == 1
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None   # django-otp's own delay
    device.save()
    assert client.post(reverse("accounts:verify"), {"token": current_code(device)}).status_code == 302
    assert not LoginFailure.objects.filter(user=coordinator).exists()


def test_recovery_code_works_once(client, coordinator):
    _, codes = enrol(coordinator)
    password_login(client, coordinator)
    assert client.post(reverse("accounts:verify"), {"token": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    client.logout()
    password_login(client, coordinator)
    response = client.post(reverse("accounts:verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_verify_without_a_password_step_goes_back_to_login(client, coordinator):
    enrol(coordinator)
    response = client.post(reverse("accounts:verify"), {"token": "123456"})
    assert response.url == reverse("web:login")


def test_pending_login_expires(client, coordinator):
    device, _ = enrol(coordinator)
    password_login(client, coordinator)
    session = client.session
    session["parcours.pending_login"]["at"] -= 301
    session.save()
    response = client.post(reverse("accounts:verify"), {"token": current_code(device)})
    assert response.url == reverse("web:login")


def test_referent_can_opt_in_and_then_needs_the_code(client, referent):
    device, _ = enrol(referent)
    assert password_login(client, referent).url == reverse("accounts:verify")


def test_changing_the_second_factor_requires_the_password_and_the_code_again(client, coordinator):
    device, _ = enrol(coordinator)
    client.force_login(coordinator)
    session = client.session
    session[REAUTH_AT] -= 3600
    session.save()
    response = client.get(reverse("accounts:twofactor_enrol"))
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    wrong = client.post(reverse("accounts:reauthenticate"), {"password": "faux", "next": reverse("accounts:account")})
    assert "Mot de passe incorrect" in wrong.content.decode()
    no_code = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD})
    assert no_code.status_code == 200 and "Code à usage unique" in no_code.content.decode()
    right = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "token": current_code(device),
                                                             "next": reverse("accounts:twofactor_enrol")})
    assert right.url == reverse("accounts:twofactor_enrol")
    assert client.get(reverse("accounts:twofactor_enrol")).status_code == 200


def test_reauthentication_refuses_a_wrong_code(client, coordinator):
    device, _ = enrol(coordinator)
    client.force_login(coordinator)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "token": wrong})
    assert response.status_code == 200 and "Code incorrect ou expiré" in response.content.decode()


def test_reauthenticate_refuses_an_outside_next(client, referent):
    client.force_login(referent)
    response = client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD, "next": "https://evil.example/"})
    assert response.url == reverse("accounts:account")


def test_recovery_codes_regenerated_after_reauth_replace_the_old_ones(client, coordinator):
    _, old = enrol(coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("accounts:recovery_codes"))
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10


def test_required_role_cannot_remove_the_second_factor(client, coordinator):
    enrol(coordinator)
    client.force_login(coordinator)
    client.post(reverse("accounts:twofactor_remove"))
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_referent_can_remove_the_second_factor(client, referent):
    enrol(referent)
    client.force_login(referent)
    client.post(reverse("accounts:twofactor_remove"))
    assert not TOTPDevice.objects.filter(user=referent).exists()


def test_email_change_requires_reauth_and_is_audited(client, referent):
    from parcours.audit.models import AuditEvent

    client.force_login(referent)
    session = client.session
    session[REAUTH_AT] -= 3600
    session.save()
    assert client.get(reverse("accounts:email_change")).url.startswith(reverse("accounts:reauthenticate"))
    client.post(reverse("accounts:reauthenticate"), {"password": PASSWORD})
    client.post(reverse("accounts:email_change"), {"email": "Nouveau@Example.org"})
    referent.refresh_from_db()
    assert referent.email == "nouveau@example.org"
    assert AuditEvent.objects.get(action="user_email_changed").changes["email"][1] == "nouveau@example.org"


def test_email_change_refuses_a_taken_address(client, referent, coordinator):
    client.force_login(referent)
    response = client.post(reverse("accounts:email_change"), {"email": coordinator.email.upper()})
    assert "déjà utilisé" in response.content.decode()


def test_account_page_renders(client, coordinator):
    enrol(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert "10 codes de secours" in page.content.decode()
