from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class TransitionLog(models.Model):
    """Who applied which transition, when, from which state to which (one row per transition)."""

    transition = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("état de départ"), max_length=32)
    to_state = models.CharField(_("état d'arrivée"), max_length=32)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("le"), auto_now_add=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
