from django.urls import reverse
from django_otp.oath import totp

PASSWORD = "un-mot-de-passe-solide"


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def password_login(client, user, password=PASSWORD):
    return client.post(reverse("web:login"), {"username": user.email, "password": password})


def enrol(user):
    """A confirmed TOTP device and recovery codes for `user`; returns (device, codes)."""
    from parcours.accounts import twofactor

    device = twofactor.pending_totp_device(user)
    codes = twofactor.enrolment_confirm(user, device)
    return device, codes
