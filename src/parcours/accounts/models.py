"""Security records of sign-in: failed attempts (for the temporary lock) and the sessions of each user."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
