"""Second factor with django-otp: a TOTP device (authenticator app) and 10 single-use recovery codes.

The session records the verified device under OTP_VERIFIED; SecondFactorMiddleware confines the roles
that must use a second factor (coordinators, directors, administrators, DPO) until it is set up and verified.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.organisations.enums import Role

from .sessions import OTP_VERIFIED

REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.ADMINISTRATOR, Role.DPO})
RECOVERY_CODES = 10
ISSUER = "Parcours"


def second_factor_required(user) -> bool:
    """Any of the user's memberships in one of these roles asks the second factor, whatever the current scope."""
    return any(m.role in REQUIRED_ROLES for m in user.active_memberships)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    return bool(request.session.get(OTP_VERIFIED))


def mark_verified(request, device) -> None:
    request.session[OTP_VERIFIED] = device.persistent_id


def token_check(user, token: str):
    """The device that accepts `token` (a used recovery code is consumed), or None. Throttled by django-otp."""
    token = "".join((token or "").split())
    if not token:
        return None
    return match_token(user, token)


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device shown during enrolment (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)


def qr_svg(device: TOTPDevice, label: str) -> str:
    url = _with_label(device, label)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode().split("?>", 1)[-1].strip()
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code" class="qr-code" ', 1)


def _with_label(device: TOTPDevice, label: str) -> str:
    from base64 import b32encode
    from urllib.parse import quote, urlencode

    params = {"secret": b32encode(device.bin_key).decode(), "algorithm": "SHA1", "digits": device.digits,
              "period": device.step, "issuer": ISSUER}
    return f"otpauth://totp/{quote(ISSUER)}:{quote(label)}?{urlencode(params)}"


def secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def enrolment_confirm(user, device: TOTPDevice) -> list[str]:
    """Confirm `device`, drop any older one, issue fresh recovery codes; returns the codes (shown once)."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user)


def recovery_codes_issue(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
