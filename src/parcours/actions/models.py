"""Actions of the territory's operators (the catalogue), their sessions, and the people positioned on them.

An action is run by one operator structure; its kind is one of the twenty fiches of the qualitative report
(enums.ActionKind). A positioning puts a person's pathway on an action; it moves through the positioning
workflow (workflow.py) and, once started, carries the pathway's step (`step`): the step on the pathway is the
action's, its provider the action's operator, not a typed name.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped, TransitionLog
from parcours.organisations.enums import OrganisationKind
from parcours.plie.enums import StepType

from .enums import OPEN_POSITIONING, ActionKind, Attendance, LeavingReason, PositioningStatus, RefusalReason

# The structures that run actions: operators and step providers (training bodies, SIAE…).
OPERATOR_KINDS = (OrganisationKind.OPERATOR, OrganisationKind.STEP_PROVIDER, OrganisationKind.PLIE)


class Action(TimeStamped):
    operator = models.ForeignKey("organisations.Organisation", verbose_name=_("opérateur"),
                                 on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("fiche action"), max_length=32, choices=ActionKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    public = models.TextField(_("public visé"), blank=True)
    places = models.PositiveIntegerField(_("places"))
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    # Where it happens: one of the territory's helpdesks or permanences, else an address.
    helpdesk = models.ForeignKey("territory.Helpdesk", verbose_name=_("lieu d'accueil ou permanence"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="actions")
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    in_qpv = models.BooleanField(_("en quartier prioritaire (QPV)"), default=False)
    cost = models.DecimalField(_("coût total (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    funders = models.TextField(_("financeurs"), blank=True)
    # The type of the step it puts on a PLIE pathway (the kernel's steps are typed by the programme).
    step_type = models.CharField(_("type d'étape sur le parcours"), max_length=32, choices=StepType.choices)
    # A collective action of the PLIE: the person retained for it enters the PLIE without the commission (seed 004).
    plie_collective = models.BooleanField(_("action collective du PLIE"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("action")
        ordering = ["start_date", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="action_end_after_start",
                                   violation_error_message=_("La fin de l'action précède son début.")),
            models.CheckConstraint(condition=Q(places__gte=1), name="action_places_positive",
                                   violation_error_message=_("Une action offre au moins une place.")),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="action_cost_positive",
                                   violation_error_message=_("Le coût ne peut pas être négatif.")),
            models.CheckConstraint(condition=Q(helpdesk__isnull=False) | ~Q(address=""), name="action_has_place",
                                   violation_error_message=_("Indiquez un lieu d'accueil ou une adresse.")),
        ]
        indexes = [models.Index(fields=["start_date"], name="action_start_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        # The database's constraints hold these too; here they name the field (a constraint's message does not).
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = str(_("Fin : la fin de l'action précède son début."))
        if self.places is not None and self.places < 1:
            errors["places"] = str(_("Places : une action offre au moins une place."))
        if self.helpdesk_id is None and not self.address.strip():
            errors["address"] = str(_("Lieu : choisissez un lieu d'accueil ou une permanence, ou indiquez une adresse."))
        if self.cost is not None and self.cost < 0:
            errors["cost"] = str(_("Coût : il ne peut pas être négatif."))
        if self.operator_id is not None and self.operator.kind not in OPERATOR_KINDS:
            errors["operator"] = str(_("Opérateur : cette structure ne porte pas d'actions (prescripteur)."))
        if (self.helpdesk is not None and self.operator_id is not None
                and self.helpdesk.territory_id != self.operator.territory_id):
            errors["helpdesk"] = str(_("Lieu : ce lieu d'accueil n'est pas sur le territoire de l'opérateur."))
        from parcours.plie.steps import WORK_STEP_TYPES  # the PLIE's rule on its steps, read when validating

        if self.step_type in WORK_STEP_TYPES:
            errors["step_type"] = str(_("Type d'étape : un contrat de travail n'est pas une action du catalogue "
                                        "(il s'enregistre comme étape d'emploi sur le parcours)."))
        if errors:
            raise ValidationError(errors)

    @property
    def place_label(self) -> str:
        if self.helpdesk is not None:
            return f"{self.helpdesk.name} — {self.helpdesk.address}" if self.helpdesk.address else self.helpdesk.name
        return self.address


class ActionSession(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))
    place = models.CharField(_("lieu (si autre que celui de l'action)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("séance")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_end_after_start",
                                   violation_error_message=_("La séance finit avant de commencer.")),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}"


class Positioning(TimeStamped):
    """A person's pathway put on an action by a referent, a prescriber or the team."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.PROTECT,
                               related_name="positionings")
    pathway = models.ForeignKey("pathways.Pathway", verbose_name=_("parcours"), on_delete=models.CASCADE,
                                related_name="positionings")
    status = models.CharField(_("état"), max_length=16, choices=PositioningStatus.choices)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposé·e par"),
                                    on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("pourquoi cette action"), blank=True)
    refusal_reason = models.CharField(_("motif du refus"), max_length=16, choices=RefusalReason.choices, blank=True)
    leaving_reason = models.CharField(_("motif de l'abandon"), max_length=16, choices=LeavingReason.choices,
                                      blank=True)
    started_on = models.DateField(_("entrée le"), null=True, blank=True)
    ended_on = models.DateField(_("sortie le"), null=True, blank=True)
    # The pathway's step this positioning put there when it started (the step's provider is the action's operator).
    step = models.OneToOneField("pathways.Step", verbose_name=_("étape"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="positioning")

    class Meta:
        verbose_name = _("positionnement")
        ordering = ["created_at", "pk"]
        constraints = [
            # A person is proposed once to an action (again only after a refusal).
            models.UniqueConstraint(fields=["action", "pathway"], condition=Q(status__in=OPEN_POSITIONING),
                                    name="positioning_once_per_action",
                                    violation_error_message=_("Cette personne est déjà positionnée sur cette action.")),
            models.CheckConstraint(condition=~Q(status=PositioningStatus.REFUSED) | ~Q(refusal_reason=""),
                                   name="positioning_refusal_has_reason",
                                   violation_error_message=_("Un refus a son motif.")),
            models.CheckConstraint(condition=~Q(status=PositioningStatus.LEFT) | ~Q(leaving_reason=""),
                                   name="positioning_leaving_has_reason",
                                   violation_error_message=_("Un abandon a son motif.")),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(started_on__isnull=False)
                                   & Q(ended_on__gte=F("started_on")), name="positioning_end_after_start",
                                   violation_error_message=_("La sortie précède l'entrée.")),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.get_status_display()}"


class PositioningTransition(TransitionLog):
    positioning = models.ForeignKey(Positioning, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état du positionnement")


class SessionAttendance(models.Model):
    session = models.ForeignKey(ActionSession, on_delete=models.CASCADE, related_name="attendances")
    positioning = models.ForeignKey(Positioning, on_delete=models.CASCADE, related_name="attendances")
    attendance = models.CharField(_("présence"), max_length=8, choices=Attendance.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("saisie le"), auto_now=True)

    class Meta:
        verbose_name = _("présence à une séance")
        constraints = [
            models.UniqueConstraint(fields=["session", "positioning"], name="attendance_once_per_session"),
        ]
