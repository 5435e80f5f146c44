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
# Their free-text details stay with the file's referent and the team (sensitive.read), never on a shared agenda.
SENSITIVE_BARRIERS = frozenset({Barrier.HEALTH, Barrier.JUSTICE})


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
    # The situation (RSA, DELD…) is not here: one ParticipantSituation row per criterion known (below).
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

    def situation_values(self) -> dict[str, bool]:
        """The criteria known of the person, code -> yes/no (a code absent is unknown); read once, then cached.

        Pages prefetch "situations"; without that, the first call loads them (one query)."""
        if self.pk is None:
            return {}
        if "situations" not in getattr(self, "_prefetched_objects_cache", {}):
            models.prefetch_related_objects([self], "situations")
        return {row.code: row.value for row in self.situations.all()}

    def situation(self, code: str) -> bool | None:
        """Yes, no, or None when unknown (no row)."""
        return self.situation_values().get(code)

    @property
    def situation_codes(self) -> list[str]:
        """The codes of the criteria the person meets (value yes)."""
        return [code for code, value in self.situation_values().items() if value]


class ParticipantSituation(models.Model):
    """One situation criterion of a person (RSA, long-term job seeker…): yes or no; no row means unknown.

    The codes are the programmes' criteria (programmes.registry: each definition declares those it reads), so a
    programme adds one without migrating this table or the person's. The situation is the one at the latest
    entry, as the interchange format says "at entry"."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="situations")
    code = models.CharField(_("critère"), max_length=64)
    value = models.BooleanField(_("valeur"))
    # Empty for the values carried over from the former columns (when they were recorded is not known).
    recorded_on = models.DateField(_("renseigné le"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("renseigné par"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("situation de la personne")
        ordering = ["participant", "code"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "code"], name="participant_situation_unique_code"),
            models.CheckConstraint(condition=~models.Q(code=""), name="participant_situation_code_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {'oui' if self.value else 'non'}"


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
