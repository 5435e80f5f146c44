"""The person followed by the PLIE, their situation, the barriers catalogue and their documents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped

from .enums import Sex, EducationLevel, Barrier, DocumentKind


NO_QUALIFICATION = (EducationLevel.VI, EducationLevel.VBIS)
LOW_QUALIFICATION = (EducationLevel.V,)
QUALIFIED = (EducationLevel.IV, EducationLevel.III, EducationLevel.II, EducationLevel.I)


# Barriers whose detail is sensitive: shown only to roles that need them.
SENSITIVE_BARRIERS = frozenset({Barrier.HEALTH})


class Participant(TimeStamped):
    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="participants")
    # Identifier in a source system (interchange participant_ref); empty for people created here.
    external_ref = models.CharField(_("identifiant d'origine"), max_length=64, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    qpv = models.ForeignKey("territory.Qpv", verbose_name=_("quartier prioritaire (QPV)"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    education_level = models.CharField(_("niveau de formation"), max_length=4, choices=EducationLevel.choices,
                                       blank=True)
    # Situation at the latest entry (interchange: "at entry"); None means unknown.
    rsa = models.BooleanField(_("bénéficiaire du RSA"), null=True, blank=True)
    ass = models.BooleanField(_("bénéficiaire de l'ASS"), null=True, blank=True)
    aah = models.BooleanField(_("bénéficiaire de l'AAH"), null=True, blank=True)
    deld = models.BooleanField(_("demandeur d'emploi de longue durée"), null=True, blank=True)
    inactive_12m = models.BooleanField(_("sans activité depuis plus de 12 mois"), null=True, blank=True)
    single_parent = models.BooleanField(_("parent isolé"), null=True, blank=True)
    rqth = models.BooleanField(_("RQTH"), null=True, blank=True)
    # Optimistic locking: a save from a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant·e")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "external_ref"], condition=~models.Q(external_ref=""),
                                    name="participant_unique_external_ref"),
        ]
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"], name="participant_identity_idx")]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or _("Participant·e n° %(pk)s") % {"pk": self.pk}

    @property
    def situation_codes(self) -> list[str]:
        return [code for code in ("inactive_12m", "rsa", "ass", "aah", "single_parent", "rqth") if getattr(self, code)]


class Document(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="documents")
    pathway = models.ForeignKey("pathways.Pathway", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="documents")
    kind = models.CharField(_("type"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to="participants/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
