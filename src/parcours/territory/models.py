"""Geography: the territory, its communes, QPV and helpdesks."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Situation


insee_validator = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Code INSEE invalide : 5 caractères attendus."))


def default_situations() -> list[str]:
    """Kept for migration 0001 (the rules now live on the programme: plie.definition)."""
    return [s.value for s in Situation]


class Territory(models.Model):
    """An area: its communes, QPV and helpdesks. The rules of each programme on it are the programme's
    (programmes.Programme): a Mission Locale and a PLIE on the same area each have their own."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)

    class Meta:
        verbose_name = _("territoire")

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
