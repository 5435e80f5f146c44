from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import EventDateField


class LogFilterForm(forms.Form):
    """Filters carried in the URL: ids and dates only, never a name."""

    participant = forms.IntegerField(label=_("N° de participant·e"), required=False, min_value=1)
    user = forms.TypedChoiceField(label=_("Utilisateur·rice"), required=False, coerce=int, empty_value=None)
    date_from = EventDateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = EventDateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Tous"))] + [(u.pk, f"{u.get_full_name()} (n° {u.pk})") for u in users]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"participant_id": data["participant"], "user_id": data["user"],
                "date_from": data["date_from"], "date_to": data["date_to"]}


class RefusedAccessFilterForm(LogFilterForm):
    """The same filters without the participant: a refusal is not tied to a file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["participant"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"user_id": data["user"], "date_from": data["date_from"], "date_to": data["date_to"]}
