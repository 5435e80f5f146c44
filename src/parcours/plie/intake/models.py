"""The application (dossier de candidature), first reception and socio-professional assessment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped
from parcours.pathways.enums import ContactMode


class Application(TimeStamped):
    """What the prescriber filled in; one per pathway that started with an application."""

    pathway = models.OneToOneField("pathways.Pathway", on_delete=models.CASCADE, related_name="application")
    prescriber_organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("structure prescriptrice"),
                                                on_delete=models.PROTECT, related_name="applications")
    prescribed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prescripteur·rice"),
                                      on_delete=models.PROTECT, related_name="applications_sent")
    situations = models.JSONField(_("situations déclarées"), default=list, blank=True)
    barriers_seen = models.JSONField(_("freins repérés par le prescripteur"), default=list, blank=True)
    motivation = models.TextField(_("pourquoi le PLIE"))
    participant_signed_on = models.DateField(_("signé par la personne le"))
    prescriber_signed_on = models.DateField(_("signé par le prescripteur le"))
    signed_scan = models.ForeignKey("participants.Document", verbose_name=_("dossier signé (scan)"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    # Eligibility as decided at submission (territory.eligibility), kept for the record.
    eligibility = models.JSONField(_("éligibilité"), default=dict)
    possible_duplicate_of = models.ManyToManyField("participants.Participant", blank=True, related_name="+",
                                                   verbose_name=_("doublons possibles"))
    # When a prescriber of the prescribing structure first opened the commission's decision: until then it waits
    # on their home page ("décisions à lire").
    decision_read_at = models.DateTimeField(_("décision lue par le prescripteur le"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidature")


class ReceptionInterview(TimeStamped):
    """An interview of the first reception, before the commission (about two per person)."""

    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.CASCADE, related_name="reception_interviews")
    date = models.DateField(_("date"))
    mode = models.CharField(_("modalité"), max_length=12, choices=ContactMode.choices)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    place = models.CharField(_("lieu"), max_length=200)
    referent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("entretien de premier accueil")
        verbose_name_plural = _("entretiens de premier accueil")
        ordering = ["date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="interview_positive_duration")]


class Assessment(TimeStamped):
    """The socio-professional assessment (bilan), presented to the commission."""

    pathway = models.OneToOneField("pathways.Pathway", on_delete=models.CASCADE, related_name="assessment")
    strengths = models.TextField(_("points d'appui"))
    professional_project = models.TextField(_("projet professionnel"), blank=True)
    recommendations = models.TextField(_("préconisations"))
    completed_on = models.DateField(_("réalisé le"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("bilan socio-professionnel")


class CollectiveActionEntry(TimeStamped):
    """A person selected for a PLIE collective action: they enter the PLIE directly, without commission."""

    pathway = models.OneToOneField("pathways.Pathway", on_delete=models.CASCADE, related_name="collective_action_entry")
    action_name = models.CharField(_("action collective"), max_length=200)
    selected_on = models.DateField(_("retenu·e le"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("entrée par une action collective")
        verbose_name_plural = _("entrées par une action collective")
