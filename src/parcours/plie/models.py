"""The PLIE's own records on a pathway: the engagement contract (its last signature is the entry) and the
six-month follow-up in employment a lasting job opens (plie/steps.py)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped
from parcours.pathways.models import Pathway, Step

from .enums import FollowUpStatus


class EngagementContract(TimeStamped):
    """The three-party contract (participant, referent, PLIE direction); its signature is the entry."""

    pathway = models.OneToOneField(Pathway, on_delete=models.CASCADE, related_name="contract")
    objectives = models.TextField(_("objectifs du parcours"))
    participant_commitments = models.TextField(_("engagements du / de la participant·e"))
    referent_commitments = models.TextField(_("engagements du / de la référent·e"))
    plie_commitments = models.TextField(_("engagements de la direction du PLIE"))
    participant_signed_on = models.DateField(_("signé par le / la participant·e le"), null=True, blank=True)
    referent_signed_on = models.DateField(_("signé par le / la référent·e le"), null=True, blank=True)
    director_signed_on = models.DateField(_("signé par la direction du PLIE le"), null=True, blank=True)
    director = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pour la direction"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    # Optimistic locking: a save from a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # Declared in pathways until 2026-12: the table kept its name (migrations plie 0001, pathways 0007).
        db_table = "pathways_engagementcontract"
        verbose_name = _("contrat d'engagement")

    @property
    def fully_signed(self) -> bool:
        return bool(self.participant_signed_on and self.referent_signed_on and self.director_signed_on)

    @property
    def signature_date(self):
        """The entry date: the day the last party signed."""
        participant, referent, director = self.participant_signed_on, self.referent_signed_on, self.director_signed_on
        if participant is None or referent is None or director is None:
            return None
        return max(participant, referent, director)


class EmploymentFollowUp(TimeStamped):
    """The 6-month follow-up opened by a CDI, or a CDD / temporary work of 6 months or more."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="followups")
    step = models.OneToOneField(Step, verbose_name=_("emploi"), on_delete=models.CASCADE, related_name="followup")
    started_on = models.DateField(_("début de l'emploi"))
    due_on = models.DateField(_("échéance du suivi"))
    status = models.CharField(_("état"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        db_table = "pathways_employmentfollowup"
        verbose_name = _("suivi dans l'emploi")
        verbose_name_plural = _("suivis dans l'emploi")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["pathway"], condition=Q(status="open"),
                                    name="followup_one_open_per_pathway",
                                    violation_error_message=_("Un suivi dans l'emploi est déjà en cours.")),
            models.CheckConstraint(condition=Q(due_on__gt=F("started_on")), name="followup_due_after_start"),
        ]
