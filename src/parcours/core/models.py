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
    # Empty for a creation (the object did not exist before).
    from_state = models.CharField(_("état de départ"), max_length=32, blank=True)
    to_state = models.CharField(_("état d'arrivée"), max_length=32)
    # A person, or a system actor named by code (an import): exactly one of the two.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.PROTECT,
                           related_name="+", null=True, blank=True)
    system_actor = models.CharField(_("par le système"), max_length=32, blank=True, default="")
    at = models.DateTimeField(_("le"), auto_now_add=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(by__isnull=False, system_actor="") | models.Q(by__isnull=True) & ~models.Q(system_actor="")),
                name="%(app_label)s_%(class)s_one_actor"),
        ]

    @property
    def actor(self):
        """The user, or the system actor, who applied the transition (for display)."""
        from parcours.core.workflow import SYSTEM_ACTORS

        return self.by if self.by_id else SYSTEM_ACTORS.get(self.system_actor, self.system_actor)
