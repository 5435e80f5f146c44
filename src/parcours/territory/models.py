"""Geography: the territory, its communes, QPV and helpdesks."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import HelpdeskKind, Situation


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
    """A place where people can apply or meet a referent: the programme's agency, a structure's premises, a
    permanence held in a neighbourhood (seed 000's helpdesks; docs/places.md). Meetings and actions take place
    there; the page `places:place_list` shows them to everyone working on the territory."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="helpdesks")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=20, choices=HelpdeskKind.choices,
                            default=HelpdeskKind.OPERATOR)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    opening_hours = models.TextField(_("horaires d'ouverture"), blank=True,
                                     help_text=_("Par exemple : « lundi et jeudi, 9 h – 12 h ; mercredi, 14 h – 17 h »."))
    offer = models.TextField(_("ce qui y est proposé"), blank=True,
                             help_text=_("Accueil, entretiens avec un·e référent·e, ateliers, accès numérique…"))
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("structure"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="helpdesks")

    class Meta:
        verbose_name = _("lieu d'accueil")
        ordering = ["name", "pk"]
        constraints = [
            # The territory file names places by their name (its loads are idempotent on it), and so do people.
            models.UniqueConstraint(fields=["territory", "name"], name="helpdesk_name_unique_in_territory",
                                    violation_error_message=_("Nom : un lieu de ce nom existe déjà sur le territoire.")),
            models.CheckConstraint(condition=models.Q(kind__in=HelpdeskKind.values), name="helpdesk_kind_known"),
            models.CheckConstraint(condition=~models.Q(name=""), name="helpdesk_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
