"""E-mails about a person's own account: a forgotten password, an invitation to a new account, a second factor
reset by an administrator. Plain French text; the link carries the account's id and a one-use token (Django's
password-reset tokens: they lapse when the password is set or after PASSWORD_RESET_TIMEOUT), nothing else.

Each writes its audit row; a mail server that fails is logged (no address in the log) and told to the caller.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.models import AuditEvent
from parcours.audit.services import audit_record
from parcours.organisations.models import User
from parcours.organisations.services import ReauthenticationRequired

from . import twofactor
from .sessions import sessions_end

logger = logging.getLogger("parcours.security")

# At most this many reset e-mails per address and hour: a form anyone may post must not flood a mailbox.
RESET_REQUESTS_PER_HOUR = 3


def password_link(*, user: User, base_url: str) -> str:
    """The absolute link where `user` chooses a password; `base_url` is the site's ("https://parcours.example")."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("web:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    return base_url.rstrip("/") + path


def _hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


def _send(*, user: User, subject: str, body: str, what: str) -> bool:
    try:
        send_mail(subject, body, None, [user.email], fail_silently=False)
    except (smtplib.SMTPException, OSError):
        logger.exception("account mail not sent kind=%s user_id=%s", what, user.pk)
        return False
    logger.info("account mail sent kind=%s user_id=%s", what, user.pk)
    return True


def _throttled(user: User) -> bool:
    """True once the account was sent RESET_REQUESTS_PER_HOUR links in the last hour (counted from the audit rows,
    shared by every worker)."""
    since = timezone.now() - timedelta(hours=1)
    return AuditEvent.objects.filter(action="password_reset_request", object_type=user._meta.label_lower,
                                     object_id=str(user.pk), at__gte=since).count() >= RESET_REQUESTS_PER_HOUR


def password_reset_request(*, email: str, base_url: str) -> None:
    """Send a link to choose a new password to the active account of `email`, if there is one.

    The caller says the same thing whether an account exists or not (no enumeration of accounts)."""
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        logger.info("password reset asked for no active account")
        return
    if _throttled(user):
        logger.warning("password reset refused reason=throttled user_id=%s", user.pk)
        return
    with transaction.atomic():
        audit_record(actor=None, action="password_reset_request", obj=user, participant_id=None)
    body = _(
        "Bonjour,\n\n"
        "Une réinitialisation du mot de passe de votre compte Parcours a été demandée. Pour choisir un nouveau mot "
        "de passe, ouvrez ce lien (valable %(hours)s heures, une seule fois) :\n\n%(link)s\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n"
    ) % {"hours": _hours(), "link": password_link(user=user, base_url=base_url)}
    _send(user=user, subject=_("[Parcours] Réinitialisation de votre mot de passe"), body=body, what="reset")


def account_invitation_send(*, user: User, by: User, base_url: str) -> bool:
    """Invite `user` to choose their password (a new account, or one whose invitation lapsed); True if sent."""
    if not user.is_active:
        raise ValidationError(_("Ce compte est désactivé : réactivez-le avant d'envoyer une invitation."))
    if user.last_login is not None:
        raise ValidationError(_("Cette personne s'est déjà connectée : elle peut utiliser « Mot de passe oublié ? »."))
    with transaction.atomic():
        audit_record(actor=by, action="account_invitation_send", obj=user, participant_id=None)
    body = _(
        "Bonjour,\n\n"
        "Un compte Parcours a été ouvert pour vous par %(by)s. Pour l'activer, choisissez votre mot de passe en "
        "ouvrant ce lien (valable %(hours)s heures, une seule fois) :\n\n%(link)s\n\n"
        "Votre identifiant est votre adresse de courriel. Si vous ne vous attendiez pas à ce message, ignorez-le.\n"
    ) % {"by": by.get_full_name(), "hours": _hours(), "link": password_link(user=user, base_url=base_url)}
    return _send(user=user, subject=_("[Parcours] Votre compte est ouvert"), body=body, what="invitation")


def twofactor_reset(*, account: User, by: User, reauthenticated_at: datetime | None) -> bool:
    """Remove every second-factor device of `account` (a lost phone), end its sessions, tell the person by e-mail.

    The administrator typed their password (and code) less than PARCOURS_REAUTH_SECONDS ago: a second factor
    removed is half of an account opened. The person enrols a new device at their next sign-in, as their role
    requires. True if the e-mail was sent."""
    limit = timedelta(seconds=settings.PARCOURS_REAUTH_SECONDS)
    if reauthenticated_at is None or timezone.now() - reauthenticated_at > limit:
        raise ReauthenticationRequired({"password": _(
            "Réinitialiser une double authentification demande de confirmer d'abord votre mot de passe (et votre "
            "code de double authentification), puis de recommencer.")})
    if account.pk == by.pk:
        raise ValidationError(_("Vous ne pouvez pas réinitialiser votre propre double authentification : "
                                "demandez-le à un·e autre administrateur·rice."))
    if not twofactor.has_device(account):
        raise ValidationError(_("Ce compte n'a pas de double authentification à réinitialiser."))
    with transaction.atomic():
        twofactor.second_factor_remove(account)
        audit_record(actor=by, action="twofactor_reset", obj=account, participant_id=None,
                     before={"second_factor": True}, after={"second_factor": False})
    sessions_end(account)
    body = _(
        "Bonjour,\n\n"
        "La double authentification de votre compte Parcours a été réinitialisée par %(by)s, et vos sessions ont "
        "été fermées. À votre prochaine connexion, vous enregistrerez à nouveau votre application "
        "d'authentification.\n\n"
        "Si vous n'avez rien demandé, prévenez sans attendre l'administrateur·rice de votre structure.\n"
    ) % {"by": by.get_full_name()}
    return _send(user=account, subject=_("[Parcours] Double authentification réinitialisée"), body=body,
                 what="twofactor_reset")
