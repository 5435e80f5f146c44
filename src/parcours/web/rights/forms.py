"""Form of the right of rectification (identity and contact data), with the version it was loaded with."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import BirthDateField, NameField, PhoneField
from parcours.participants.models import Participant
from parcours.privacy.rights import RECTIFIABLE_FIELDS
from parcours.programmes.registry import criteria_catalogue
from parcours.territory.models import Commune, Qpv


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RectificationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Participant
        fields = RECTIFIABLE_FIELDS
        field_classes = {"last_name": NameField, "first_name": NameField, "birth_name": NameField,
                         "birth_date": BirthDateField, "phone": PhoneField}
        widgets = {
            "birth_date": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, participant: Participant, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, instance=participant, **kwargs)
        if not self.is_bound:
            self.initial["version"] = participant.version
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True
        self.fields["postal_code"].validators.append(
            RegexValidator(r"^\d{5}$", _("Le code postal compte 5 chiffres.")))
        self.fields["commune"].queryset = Commune.objects.filter(territory_id=participant.territory_id)
        self.fields["qpv"].queryset = Qpv.objects.filter(territory_id=participant.territory_id).select_related("commune")
        self.fields["qpv"].help_text = _("Le quartier doit être situé dans la commune indiquée.")
        for name in ("last_name", "first_name", "birth_name", "email", "address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        # One yes / no / unknown field per criterion of the registered programmes, named by its code.
        self.criteria = [code for code in criteria_catalogue() if code not in self.fields]
        held = participant.situation_values()
        for code, criterion in criteria_catalogue().items():
            if code in self.criteria:
                self.fields[code] = forms.NullBooleanField(label=criterion.label, required=False)
                self.initial.setdefault(code, held.get(code))

    def clean(self):
        cleaned = super().clean()
        commune, qpv, postal_code = cleaned.get("commune"), cleaned.get("qpv"), cleaned.get("postal_code")
        if qpv and commune and qpv.commune_id != commune.pk:
            self.add_error("qpv", _("Ce quartier prioritaire n'est pas situé dans la commune indiquée."))
        if commune and postal_code and commune.postal_codes and postal_code not in commune.postal_codes:
            self.add_error("postal_code", _("Ce code postal ne correspond pas à la commune indiquée."))
        return cleaned

    def _post_clean(self):
        # The service validates the model (full_clean) on the row it updates; nothing to do on the instance here.
        pass

    def fieldsets(self) -> list[tuple[str, list]]:
        groups = [
            (_("Identité"), ["last_name", "first_name", "birth_name", "sex", "birth_date"]),
            (_("Coordonnées"), ["email", "phone", "address", "postal_code", "commune", "qpv"]),
            (_("Formation et situation"), ["education_level", *self.criteria]),
        ]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*RECTIFIABLE_FIELDS, *self.criteria]}
