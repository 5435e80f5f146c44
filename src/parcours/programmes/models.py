"""A programme of a territory (the PLIE, later the Mission Locale's PACEA and CEJ…): the row the pathways belong to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped

from .registry import programme_definition


class Programme(TimeStamped):
    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="programmes")
    # The code of a registered definition (programmes.registry): "plie"…
    kind = models.CharField(_("type de dispositif"), max_length=32)
    name = models.CharField(_("nom"), max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", verbose_name=_("structure porteuse"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="programmes_run")
    # Rules every programme has: the alert on files without contact, a referent's caseload range.
    inactivity_alert_days = models.PositiveSmallIntegerField(
        _("alerte sans contact après (jours)"), default=60, validators=[MinValueValidator(1)])
    caseload_min = models.PositiveSmallIntegerField(_("file active minimale d'un référent"), default=60)
    caseload_max = models.PositiveSmallIntegerField(_("file active maximale d'un référent"), default=100)
    # The definition's own parameters (programmes.registry.Parameter), checked by the definition in clean().
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("dispositif")
        ordering = ["territory_id", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "kind"], name="programme_one_per_kind_and_territory",
                                    violation_error_message=_("Ce territoire a déjà un dispositif de ce type.")),
            models.CheckConstraint(condition=Q(caseload_min__lte=F("caseload_max")), name="programme_caseload_range",
                                   violation_error_message=_("La file active minimale dépasse la maximale.")),
            models.CheckConstraint(condition=~Q(kind=""), name="programme_kind_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def definition(self):
        return programme_definition(self.kind)

    def parameter(self, name: str) -> Any:
        """A parameter's value, or the definition's default when it was never set."""
        if name in self.parameters:
            return self.parameters[name]
        return self.definition.parameter_defaults()[name]

    def clean(self) -> None:
        super().clean()
        try:
            definition = programme_definition(self.kind)
        except LookupError:
            raise ValidationError({"kind": _("Type de dispositif inconnu : %(kind)s.") % {"kind": self.kind}}) from None
        self.parameters = definition.parameters_clean(self.parameters or {})
