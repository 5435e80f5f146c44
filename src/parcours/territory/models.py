"""The territory a PLIE covers, and its eligibility rules, as data."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    """Situations that may make a resident eligible (one at least is required)."""

    INACTIVE_12M = "inactive_12m", _("Sans activité professionnelle depuis plus de 12 mois")
    RSA = "rsa", _("Bénéficiaire du RSA")
    ASS = "ass", _("Bénéficiaire de l'ASS")
    AAH = "aah", _("Bénéficiaire de l'AAH")
    SINGLE_PARENT = "single_parent", _("Parent isolé")
    RQTH = "rqth", _("Reconnaissance de la qualité de travailleur handicapé (RQTH)")


insee_validator = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Code INSEE invalide : 5 caractères attendus."))


def default_situations() -> list[str]:
    return [s.value for s in Situation]


class Territory(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    # Eligibility rules (see territory.eligibility).
    min_age = models.PositiveSmallIntegerField(_("âge minimum à l'entrée"), default=26)
    youth_min_age = models.PositiveSmallIntegerField(_("âge minimum orienté vers la Mission Locale"), default=16)
    youth_max_age = models.PositiveSmallIntegerField(_("âge maximum orienté vers la Mission Locale"), default=25)
    eligible_situations = models.JSONField(_("situations ouvrant droit"), default=default_situations)
    qpv_residence_eligible = models.BooleanField(_("résider en QPV ouvre droit"), default=True)
    # Rhythm of the pathway.
    commission_interval_days = models.PositiveSmallIntegerField(
        _("intervalle entre commissions (jours)"), default=15, validators=[MinValueValidator(1)])
    assessment_deadline_days = models.PositiveSmallIntegerField(
        _("délai du bilan socio-professionnel (jours)"), default=42, validators=[MinValueValidator(1)])
    inactivity_alert_days = models.PositiveSmallIntegerField(
        _("alerte sans contact après (jours)"), default=60, validators=[MinValueValidator(1)])
    caseload_min = models.PositiveSmallIntegerField(_("file active minimale d'un référent"), default=60)
    caseload_max = models.PositiveSmallIntegerField(_("file active maximale d'un référent"), default=100)
    followup_months = models.PositiveSmallIntegerField(_("durée du suivi dans l'emploi (mois)"), default=6)

    class Meta:
        verbose_name = _("territoire")
        constraints = [
            models.CheckConstraint(condition=models.Q(caseload_min__lte=models.F("caseload_max")),
                                   name="territory_caseload_range",
                                   violation_error_message=_("La file active minimale dépasse la maximale.")),
            models.CheckConstraint(condition=models.Q(youth_min_age__lte=models.F("youth_max_age")),
                                   name="territory_youth_age_range",
                                   violation_error_message=_("Tranche d'âge Mission Locale incohérente.")),
        ]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="communes")
    insee = models.CharField(_("code INSEE"), max_length=5, validators=[insee_validator])
    name = models.CharField(_("nom"), max_length=200)
    postal_codes = models.JSONField(_("codes postaux"), default=list)

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "insee"], name="commune_unique_insee")]

    def __str__(self) -> str:
        return self.name


class Qpv(models.Model):
    """A priority neighbourhood of the city policy (quartier prioritaire de la politique de la ville)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="qpvs")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("nom"), max_length=200)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="qpvs")

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "code"], name="qpv_unique_code")]

    def __str__(self) -> str:
        return self.name


class Helpdesk(models.Model):
    """A place where people can apply or meet a referent (agency, operator, permanence)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="helpdesks")
    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("structure"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="helpdesks")

    class Meta:
        verbose_name = _("lieu d'accueil")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
