"""Change history and access log of participants' data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """A change to a participant's data: who, when, what, old and new values (same transaction)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    participant_id = models.BigIntegerField(null=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d'audit")
        ordering = ["-at", "-pk"]


class AccessLog(models.Model):
    """An opening of a participant's file: who, when, which file, which screen."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    screen = models.CharField(_("écran"), max_length=64)

    class Meta:
        verbose_name = _("consultation d'un dossier")
        ordering = ["-at", "-pk"]


class RefusedAccess(models.Model):
    """A signed-in user refused by a view: 404 (an object outside their scope) or 403 (an area not theirs).

    Holds the URL's name, never the path or its query string (no personal data in the log).
    """

    class Kind(models.IntegerChoices):
        FORBIDDEN = 403, _("403 : espace réservé à d'autres rôles")
        NOT_FOUND = 404, _("404 : objet hors du périmètre ou inexistant")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    url_name = models.CharField(_("page"), max_length=128)
    kind = models.PositiveSmallIntegerField(_("réponse"), choices=Kind.choices)
    method = models.CharField(_("méthode"), max_length=8)

    class Meta:
        verbose_name = _("refus d'accès")
        verbose_name_plural = _("refus d'accès")
        ordering = ["-at", "-pk"]
