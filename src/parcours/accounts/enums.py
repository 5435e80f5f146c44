"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenRevocation(models.TextChoices):
    """Why an API token stopped working before its expiry."""

    HOLDER = "holder", _("révoqué par son ou sa titulaire")
    PASSWORD = "password", _("mot de passe changé")
    ACCOUNT_DISABLED = "account_disabled", _("compte désactivé")
    MEMBERSHIP_ENDED = "membership_ended", _("fin d'une appartenance à une structure")


class ApiTokenState(models.TextChoices):
    ACTIVE = "active", _("actif")
    EXPIRED = "expired", _("expiré")
    REVOKED = "revoked", _("révoqué")
