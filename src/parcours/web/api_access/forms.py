from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    label = forms.CharField(label=_("Nom du jeton"), max_length=100, help_text=_(
        "Le logiciel ou le système qui l'utilisera, pour le reconnaître dans la liste de vos jetons."))
