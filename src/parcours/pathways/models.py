"""A pathway (parcours): from the application to the exit, with its steps, appointments and follow-up.

A pathway belongs to a programme (programmes.Programme); its states, step types and exit reasons are its
programme's definition's (programmes.registry), checked in clean(). The PLIE's are in plie/workflow.py and
plie/definition.py. Its dates are those of the interchange format (pathways.csv).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped, TransitionLog
from parcours.organisations.enums import PrescriberType
from parcours.participants.enums import Barrier
from parcours.programmes.registry import definition_of

from .enums import Decision, EntryRoute, ContractType, AppointmentKind, ContactMode, BarrierLevel




class Pathway(TimeStamped):
    participant = models.ForeignKey("participants.Participant", verbose_name=_("participant·e"),
                                    on_delete=models.PROTECT, related_name="pathways")
    programme = models.ForeignKey("programmes.Programme", verbose_name=_("dispositif"), on_delete=models.PROTECT,
                                  related_name="pathways")
    # The programme's kind, kept on the pathway as its territory is: the labels of its states, steps and exits come
    # from its definition (programmes.registry), read for every pathway of a list without fetching its programme.
    # Set from the programme when the pathway is written; a pathway never changes programme.
    programme_kind = models.CharField(_("type de dispositif"), max_length=32, editable=False)
    # The participant's territory, kept on the pathway: every list and count of a PLIE is scoped by territory, and a
    # condition on the pathway's own indexed column reads that territory's rows only, where a join through the
    # participant reads every pathway of the instance (30 PLIE: 30 times more). Set from the participant when the
    # pathway is created (save(), and the bulk writers: import, demo); a person never changes territory.
    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="pathways", editable=False, db_index=False)
    # A state of the programme's workflow (checked in clean()); a new pathway starts in the workflow's initial state.
    status = models.CharField(_("état"), max_length=16, blank=True)
    entry_route = models.CharField(_("voie d'entrée"), max_length=20, choices=EntryRoute.choices,
                                   default=EntryRoute.APPLICATION)
    external_ref = models.CharField(_("identifiant d'origine"), max_length=64, blank=True)
    # The structure that employs the referent, and the referent.
    operator = models.ForeignKey("organisations.Organisation", verbose_name=_("structure référente"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="pathways")
    referent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("référent·e"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="pathways")
    # Referent identifier from a source system when no account matches it.
    referent_ref = models.CharField(_("référent·e (identifiant d'origine)"), max_length=254, blank=True)
    assigned_at = models.DateField(_("affectée le"), null=True, blank=True)
    prescriber_type = models.CharField(_("type de prescripteur"), max_length=20, choices=PrescriberType.choices,
                                       blank=True)
    application_date = models.DateField(_("date de candidature"), null=True, blank=True)
    commission_date = models.DateField(_("date de commission"), null=True, blank=True)
    decision = models.CharField(_("décision"), max_length=12, choices=Decision.choices, blank=True)
    entry_date = models.DateField(_("date d'entrée"), null=True, blank=True)
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
    # One of the programme's exit reasons (checked in clean()).
    exit_reason = models.CharField(_("motif de sortie"), max_length=32, blank=True)
    last_contact_date = models.DateField(_("dernier contact"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        ordering = ["-application_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "programme"],
                                    condition=Q(entry_date__isnull=False, exit_date__isnull=True),
                                    name="pathway_one_open_per_participant_and_programme",
                                    violation_error_message=_("Cette personne a déjà un parcours en cours.")),
            models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""),
                                    name="pathway_unique_external_ref"),
            models.CheckConstraint(condition=Q(exit_date__isnull=True, exit_reason="")
                                   | Q(exit_date__isnull=False) & ~Q(exit_reason=""),
                                   name="pathway_exit_reason_iff_exit_date",
                                   violation_error_message=_("Une sortie a une date et un motif, ou ni l'une ni l'autre.")),
            # Where a programme decides on admission (the PLIE's commission), only an admitted pathway enters; a
            # programme without such a decision enters without one.
            models.CheckConstraint(condition=Q(entry_date__isnull=True) | Q(decision=Decision.ADMITTED)
                                   | Q(decision="", commission_date__isnull=True),
                                   name="pathway_entry_needs_admission",
                                   violation_error_message=_("Seul un parcours agréé a une date d'entrée.")),
            models.CheckConstraint(condition=~Q(status=""), name="pathway_has_a_state"),
            models.CheckConstraint(condition=Q(exit_date__isnull=True) | Q(entry_date__isnull=False),
                                   name="pathway_exit_needs_entry",
                                   violation_error_message=_("Une sortie suppose une entrée.")),
            models.CheckConstraint(condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                                   name="pathway_exit_after_entry",
                                   violation_error_message=_("La sortie précède l'entrée.")),
            models.CheckConstraint(condition=Q(entry_date__isnull=True) | Q(commission_date__isnull=True)
                                   | Q(entry_date__gte=F("commission_date")),
                                   name="pathway_entry_after_commission",
                                   violation_error_message=_("L'entrée précède la commission.")),
            models.CheckConstraint(condition=Q(commission_date__isnull=True) | Q(application_date__isnull=True)
                                   | Q(commission_date__gte=F("application_date")),
                                   name="pathway_commission_after_application",
                                   violation_error_message=_("La commission précède la candidature.")),
        ]
        indexes = [
            models.Index(fields=["entry_date"], name="pathway_entry_idx"),
            models.Index(fields=["exit_date"], name="pathway_exit_idx"),
            models.Index(fields=["status", "referent"], name="pathway_status_referent_idx"),
            models.Index(fields=["status", "operator"], name="pathway_status_operator_idx"),
            models.Index(fields=["territory", "status"], name="pathway_territory_status_idx"),
            models.Index(fields=["programme", "status"], name="pathway_programme_status_idx"),
        ]

    def __str__(self) -> str:
        return _("Parcours n° %(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        if self.territory_id is None and self.participant_id is not None:
            self.territory_id = self.participant.territory_id
        if not self.programme_kind and self.programme_id is not None:
            self.programme_kind = self.programme.kind
        if not self.status and self.programme_id is not None:
            self.status = definition_of(self).workflow.initial
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.programme_id is None:
            return
        self.programme_kind = self.programme_kind or self.programme.kind
        definition = definition_of(self)
        self.status = self.status or definition.workflow.initial
        errors: dict[str, str | Promise] = {}
        if self.status and self.status not in definition.workflow.states:
            errors["status"] = _("État inconnu du dispositif : %(state)s.") % {"state": self.status}
        if self.exit_reason and self.exit_reason not in dict(definition.exit_reasons):
            errors["exit_reason"] = _("Motif de sortie inconnu du dispositif : %(reason)s.") % {"reason": self.exit_reason}
        if self.participant_id is not None and self.programme.territory_id != self.participant.territory_id:
            errors["programme"] = _("Le dispositif n'est pas celui du territoire de la personne.")
        if errors:
            raise ValidationError(errors)

    def get_status_display(self) -> str:
        return definition_of(self).state_label(self.status)

    def get_exit_reason_display(self) -> str:
        return definition_of(self).exit_reason_label(self.exit_reason) if self.exit_reason else ""


class PathwayTransition(TransitionLog):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état du parcours")


class Step(TimeStamped):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    external_ref = models.CharField(_("identifiant d'origine"), max_length=64, blank=True)
    # One of the step types of the pathway's programme (checked in clean()).
    step_type = models.CharField(_("type d'étape"), max_length=32)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    operator_name = models.CharField(_("opérateur"), max_length=200, blank=True)
    employer_siret = models.CharField(_("SIRET de l'employeur"), max_length=14, blank=True)
    contract_type = models.CharField(_("type de contrat"), max_length=20, choices=ContractType.choices, blank=True)
    social_clause = models.BooleanField(_("issu d'une clause sociale"), null=True, blank=True)
    hours = models.DecimalField(_("heures prévues"), max_digits=7, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    # Optimistic locking: a save from a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("étape de parcours")
        ordering = ["start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""),
                                    name="step_unique_external_ref"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="step_end_after_start",
                                   violation_error_message=_("La fin de l'étape précède son début.")),
            models.CheckConstraint(condition=Q(employer_siret="") | Q(employer_siret__regex=r"^[0-9]{14}$"),
                                   name="step_siret_14_digits",
                                   violation_error_message=_("Le SIRET compte 14 chiffres.")),
        ]
        indexes = [models.Index(fields=["start_date"], name="step_start_idx")]

    def __str__(self) -> str:
        return f"{self.get_step_type_display()} ({self.start_date:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.pathway_id is not None and self.step_type not in dict(definition_of(self.pathway).step_types):
            raise ValidationError({"step_type": _("Type d'étape inconnu du dispositif : %(type)s.")
                                   % {"type": self.step_type}})

    def get_step_type_display(self) -> str:
        return definition_of(self.pathway).step_type_label(self.step_type)


class Appointment(TimeStamped):
    """A contact between referent and participant; its duration is ESF-eligible referent time."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="appointments")
    external_ref = models.CharField(_("identifiant d'origine"), max_length=64, blank=True)
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=12, choices=AppointmentKind.choices,
                            default=AppointmentKind.INDIVIDUAL)
    mode = models.CharField(_("modalité"), max_length=12, choices=ContactMode.choices, blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    referent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("référent·e"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""),
                                    name="appointment_unique_external_ref"),
        ]
        indexes = [models.Index(fields=["pathway", "date"], name="appointment_pathway_date_idx")]


class BarrierReview(models.Model):
    """One barrier assessed on one date: the assessment records the first, the pathway the next ones."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="barrier_reviews")
    barrier = models.CharField(_("frein"), max_length=20, choices=Barrier.choices)
    level = models.CharField(_("niveau"), max_length=10, choices=BarrierLevel.choices)
    reviewed_on = models.DateField(_("évalué le"))
    comment = models.TextField(_("observation"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("évaluation d'un frein")
        ordering = ["reviewed_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["pathway", "barrier", "reviewed_on"],
                                               name="barrier_review_unique_per_day")]


class Note(TimeStamped):
    """A note on the pathway. Notes are factual and may be read by the person (CNIL)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note")
        ordering = ["-created_at"]
