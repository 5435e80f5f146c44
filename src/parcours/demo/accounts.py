"""Demo accounts created by `parcours demo-data`, shown on the login page in demo mode only."""

from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "parcours-demo-2026"

DEMO_ACCOUNTS = [
    {"email": "coordination@demo.parcours.fr", "role": _("Coordinatrice de parcours (PLIE)")},
    {"email": "direction@demo.parcours.fr", "role": _("Directeur du PLIE")},
    {"email": "referente.infa@demo.parcours.fr", "role": _("Référente de parcours, INFA Auvergne")},
    {"email": "referent.inserfac@demo.parcours.fr", "role": _("Référent de parcours, INSERFAC")},
    {"email": "prescriptrice.ccas@demo.parcours.fr", "role": _("Prescriptrice, CCAS de Clermont-Ferrand")},
    {"email": "admin@demo.parcours.fr", "role": _("Administratrice")},
    {"email": "relation.entreprises@demo.parcours.fr", "role": _("Chargée de relation entreprise (PLIE)")},
    {"email": "conseillere.ml@demo.parcours.fr", "role": _("Conseillère, Mission Locale")},
    {"email": "accueil.ml@demo.parcours.fr", "role": _("Chargé d'accueil, Mission Locale")},
    {"email": "direction.ml@demo.parcours.fr", "role": _("Direction de la Mission Locale")},
]
