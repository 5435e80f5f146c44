"""Security records of sign-in: failed attempts (for the temporary lock), the sessions of each user, API tokens."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ApiTokenRevocation, ApiTokenState


class LoginFailure(models.Model):
    """A failed sign-in. No password, no e-mail: a keyed digest of the login and of the IP, the user id if known."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    username_digest = models.CharField(max_length=64)
    ip_digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("échec de connexion")
        indexes = [
            models.Index(fields=["username_digest", "at"], name="loginfailure_username_idx"),
            models.Index(fields=["ip_digest", "at"], name="loginfailure_ip_idx"),
        ]


class UserSession(models.Model):
    """A session opened by a user, so that all of them can be ended (account disabled, password changed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session ouverte")


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 digest of its secret is kept: the secret is shown once, at creation.

    `prefix` (the secret's first characters, not enough to guess the rest) lets the holder tell tokens apart.
    A token ends at `expires_at`, or earlier when revoked (by its holder, a password change, the account disabled,
    a membership ended); the row stays, so the account page and the audit trail say what happened.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("nom du jeton"), max_length=100)
    prefix = models.CharField(_("début du jeton"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_reason = models.CharField(_("motif de la révocation"), max_length=20, blank=True,
                                      choices=ApiTokenRevocation.choices)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(revoked_at__isnull=True, revoked_reason="")
                           | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason=""))),
                name="apitoken_revoked_with_reason"),
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="apitoken_expires_after_creation"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        """SHA-256 of the secret: enough for a random 256-bit secret (no slow hash needed, nothing to guess)."""
        return hashlib.sha256(secret.encode()).hexdigest()

    def state(self, at: datetime | None = None) -> ApiTokenState:
        if self.revoked_at is not None:
            return ApiTokenState.REVOKED
        if self.expires_at <= (at or timezone.now()):
            return ApiTokenState.EXPIRED
        return ApiTokenState.ACTIVE


class FormSubmission(models.Model):
    """A form sent by a user, known by the one-time token it carried (parcours.accounts.submissions).

    The row is inserted in the transaction of the write the form makes: two copies of one post (a double click,
    a resent request) meet on the unique constraint, and only the first one writes.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Where the first post sent the user (a path with ids only), so that a copy answers the same.
    answer = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("formulaire envoyé")
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="formsubmission_once_per_user")]


class HeldUpload(models.Model):
    """A file a form received while the rest of the form was refused: kept for its author, so that correcting the
    form does not mean choosing the file again (accounts/uploads.py). Deleted once the form goes through, or an
    hour later."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField()
    held_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("fichier en attente")
        constraints = [models.CheckConstraint(condition=~models.Q(token=""), name="heldupload_token_set")]
