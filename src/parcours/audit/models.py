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
