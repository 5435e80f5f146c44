from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import NameField, PhoneField, SiretField
from parcours.organisations.enums import Role
from parcours.organisations.models import Organisation, User
from parcours.programmes.models import Programme
from parcours.programmes.services import COMMON_RULES, programme_rules


class ProgrammeRulesForm(forms.Form):
    """The rules of a programme: the common ones, then those its definition declares (programmes.registry)."""

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, initial=programme_rules(programme), **kwargs)
        for name in COMMON_RULES:
            self.fields[name] = Programme._meta.get_field(name).formfield()
        for parameter in programme.definition.parameters:
            self.fields[parameter.name] = parameter.field()


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "prescriber_type", "address", "phone", "email", "siret", "is_active"]
        field_classes = {"name": NameField, "phone": PhoneField, "siret": SiretField}


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "phone", "is_active"]
        field_classes = {"first_name": NameField, "last_name": NameField, "phone": PhoneField}


class NewUserForm(UserForm):
    password = forms.CharField(
        label=_("Mot de passe provisoire (facultatif)"), widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Laissé vide, la personne reçoit par courriel un lien pour choisir elle-même son mot de passe. "
                    "Sinon, 12 caractères au moins, à lui transmettre ; elle le changera."))

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        if password:
            validate_password(password)
        return password


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Structure"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, help_text=_(
        "Coordination, direction, administration et DPO ouvrent des données personnelles : le rôle est attribué "
        "quand un·e autre administrateur·rice confirme la demande."))

    def __init__(self, *args, territory_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(territory_id__in=territory_ids, is_active=True)


class SearchForm(forms.Form):
    """Sent by POST (web/administration/views.user_list): a staff member's name never lands in a URL."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
