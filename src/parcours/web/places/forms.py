from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import NameField, PhoneField
from parcours.organisations.models import Organisation
from parcours.territory.enums import HelpdeskKind

from ..pathways.forms import BaseForm


class PlaceFilterForm(BaseForm):
    q = forms.CharField(label=_("Nom, adresse ou service proposé"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type de lieu"), required=False,
                             choices=[("", _("Tous les lieux"))] + list(HelpdeskKind.choices))


class PlaceForm(BaseForm):
    name = NameField(label=_("Nom"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de lieu"), choices=HelpdeskKind.choices)
    organisation = forms.ModelChoiceField(label=_("Structure qui accueille"), queryset=Organisation.objects.none(),
                                          required=False, empty_label=_("Aucune structure en particulier"))
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    phone = PhoneField(label=_("Téléphone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    opening_hours = forms.CharField(
        label=_("Horaires d'ouverture"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : « lundi et jeudi, 9 h – 12 h ; mercredi, 14 h – 17 h »."))
    offer = forms.CharField(
        label=_("Ce qui y est proposé"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Accueil, entretiens avec un·e référent·e, ateliers, accès numérique…"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def values(self) -> dict:
        data = self.cleaned_data
        organisation = data.pop("organisation")
        return {**data, "organisation_id": organisation.pk if organisation else None}
