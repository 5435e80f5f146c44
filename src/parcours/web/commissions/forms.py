from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import EventDateField, NameField
from parcours.plie.commissions.enums import CommissionOutcome


class PlanForm(forms.Form):
    date = EventDateField(label=_("Date de la commission"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           help_text=_("Laissez vide pour la date suivante du rythme du territoire."))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Décision"), choices=CommissionOutcome.choices, widget=forms.RadioSelect)
    motive = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Obligatoire pour un refus."))
    reoriented_to = NameField(label=_("Dispositif d'orientation"), required=False, max_length=200,
                                    help_text=_("Obligatoire pour une réorientation (Mission Locale, SIAE, Cap emploi…)."))

    def __init__(self, *args, pathway_id: int, **kwargs):
        # Several forms on one page: each gets its own ids.
        super().__init__(*args, prefix=f"p{pathway_id}", **kwargs)

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == CommissionOutcome.REFUSED and not data.get("motive", "").strip():
            self.add_error("motive", _("Un refus doit être motivé."))
        if outcome == CommissionOutcome.REORIENTED and not data.get("reoriented_to", "").strip():
            self.add_error("reoriented_to", _("Une réorientation nomme le dispositif visé."))
        return data
