"""Forms of the facilitator's pages (social clauses)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.clauses.enums import Modality, WorkContractType
from parcours.clauses.models import Buyer, month_parse

class BuyerFilterForm(forms.Form):
    buyer = forms.ModelChoiceField(label=_("Acheteur"), queryset=Buyer.objects.none(), required=False,
                                   empty_label=_("Tous les acheteurs"))

    def __init__(self, *args, buyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = buyers


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = month_parse(value)
        if month is None:
            raise forms.ValidationError(_("Indiquez un mois au format AAAA-MM."))
        return month


class StatementForm(forms.Form):
    beneficiary = forms.ModelChoiceField(label=_("Bénéficiaire"), queryset=None)
    month = MonthField(label=_("Mois (AAAA-MM)"))
    employer_siret = forms.RegexField(label=_("SIRET de l'employeur"), regex=r"^\d{14}$", max_length=14,
                                      error_messages={"invalid": _("Le SIRET compte 14 chiffres.")})
    modality = forms.ChoiceField(label=_("Modalité de réalisation"), choices=Modality.choices)
    contract_type = forms.ChoiceField(label=_("Type de contrat de travail"), choices=WorkContractType.choices)
    hours = forms.DecimalField(label=_("Heures"), min_value=0.01, max_digits=7, decimal_places=2)

    def __init__(self, *args, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = beneficiaries
        self.fields["beneficiary"].label_from_instance = lambda b: b.beneficiary_ref


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        initial = {"date_from": date(today.year, 1, 1).isoformat(), "date_to": today.isoformat()}
        super().__init__({**initial, **{k: v for k, v in (data or {}).items() if v}}, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La fin précède le début."))
        return cleaned
