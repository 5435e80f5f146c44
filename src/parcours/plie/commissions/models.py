"""The commission d'agrément: its sessions, agenda and decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped

from .enums import CommissionStatus, CommissionOutcome


class Commission(TimeStamped):
    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="commissions")
    date = models.DateField(_("date"))
    status = models.CharField(_("état"), max_length=10, choices=CommissionStatus.choices,
                              default=CommissionStatus.PLANNED)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("commission d'agrément")
        verbose_name_plural = _("commissions d'agrément")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["territory", "date"], name="commission_unique_date")]

    def __str__(self) -> str:
        return _("Commission du %(date)s") % {"date": self.date.strftime("%d/%m/%Y")}


class CommissionDecision(TimeStamped):
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="decisions")
    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.PROTECT, related_name="commission_decisions")
    outcome = models.CharField(_("décision"), max_length=12, choices=CommissionOutcome.choices)
    motive = models.TextField(_("motif"), blank=True)
    reoriented_to = models.CharField(_("dispositif d'orientation"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("décision de commission")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "pathway"], name="decision_unique_per_commission",
                                    violation_error_message=_("Ce dossier a déjà une décision dans cette commission.")),
            models.CheckConstraint(condition=~Q(outcome="refused") | ~Q(motive=""), name="decision_refusal_has_motive",
                                   violation_error_message=_("Un refus doit être motivé.")),
            models.CheckConstraint(condition=~Q(outcome="reoriented") | ~Q(reoriented_to=""),
                                   name="decision_reorientation_has_target",
                                   violation_error_message=_("Une réorientation nomme le dispositif visé.")),
        ]
