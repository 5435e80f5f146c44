"""Forms of the facilitator's pages (social clauses)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.clauses import calculator
from parcours.clauses.enums import BuyerKind, LegalBasis, Modality, Public, WorkContractType
from parcours.clauses.models import Buyer, month_parse
from parcours.core.formfields import BirthDateField, EventDateField, NameField, SiretField
from parcours.participants.enums import Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REF_MAX = 64

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


class BuyerForm(forms.Form):
    buyer_ref = forms.CharField(label=_("Identifiant de l'acheteur"), max_length=REF_MAX)
    name = NameField(label=_("Nom"), max_length=200)
    kind = forms.ChoiceField(label=_("Type d'acheteur"), choices=BuyerKind.choices)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:   # the ref is the files' key: it stays
            del self.fields["buyer_ref"]


class ContractForm(forms.Form):
    """A contract with its clause, and the hours calculator: « Calculer » proposes the hours required from the
    amount, the labour share, the insertion share and the hourly cost, without saving (docs/clauses.md)."""

    contract_ref = forms.CharField(label=_("Numéro du marché"), max_length=REF_MAX)
    buyer = forms.ModelChoiceField(label=_("Acheteur"), queryset=Buyer.objects.none())
    title = NameField(label=_("Objet du marché (et lot)"), max_length=300)
    legal_basis = forms.ChoiceField(label=_("Fondement juridique"), choices=LegalBasis.choices)
    awardee_siret = SiretField(label=_("SIRET de l'attributaire"))
    awardee_name = NameField(label=_("Attributaire (raison sociale)"), max_length=200)
    amount_excl_tax = forms.DecimalField(label=_("Montant HT (€)"), required=False, min_value=0, max_digits=14,
                                         decimal_places=2)
    start_date = EventDateField(label=_("Début d'exécution"), widget=DATE)
    end_date = EventDateField(label=_("Fin d'exécution"), required=False, widget=DATE)
    labour_share = forms.DecimalField(label=_("Part de la main-d'œuvre dans le montant (%)"), required=False,
                                      min_value=Decimal("0.01"), max_value=100, decimal_places=2,
                                      initial=calculator.LABOUR_SHARE * 100)
    insertion_share = forms.DecimalField(label=_("Part des heures de main-d'œuvre réservée à l'insertion (%)"),
                                         required=False, min_value=Decimal("0.01"), max_value=100, decimal_places=2,
                                         initial=calculator.INSERTION_SHARE * 100)
    hourly_cost = forms.DecimalField(label=_("Coût horaire de la main-d'œuvre (€)"), required=False,
                                     min_value=Decimal("0.01"), max_digits=7, decimal_places=2,
                                     initial=calculator.HOURLY_COST)
    hours_required = forms.DecimalField(label=_("Heures d'insertion prévues"), required=False, min_value=0,
                                        max_digits=10, decimal_places=2)

    CALCULATOR = ("labour_share", "insertion_share", "hourly_cost")

    def __init__(self, *args, buyers, editing: bool = False, calculate: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = buyers
        self.calculate = calculate
        self.proposed: Decimal | None = None
        if editing:
            del self.fields["contract_ref"]

    def clean(self):
        cleaned = super().clean()
        if self.calculate:
            amount = cleaned.get("amount_excl_tax")
            if amount is None and "amount_excl_tax" not in self.errors:
                self.add_error("amount_excl_tax", _("Indiquez le montant HT pour calculer les heures."))
            for name in self.CALCULATOR:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Indiquez cette valeur pour calculer les heures."))
            if not self.errors:
                self.proposed = calculator.hours_proposed(
                    amount_excl_tax=amount, labour_share=cleaned["labour_share"] / 100,
                    insertion_share=cleaned["insertion_share"] / 100, hourly_cost=cleaned["hourly_cost"])
        elif cleaned.get("hours_required") is None and "hours_required" not in self.errors:
            self.add_error("hours_required", _("Indiquez les heures d'insertion prévues (ou calculez-les)."))
        return cleaned

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in self.CALCULATOR}


class BeneficiaryForm(forms.Form):
    beneficiary_ref = forms.CharField(label=_("Identifiant du ou de la bénéficiaire"), max_length=REF_MAX)
    person_ref = forms.CharField(
        label=_("Numéro de dossier PLIE (si la personne est suivie par le PLIE)"), max_length=REF_MAX,
        required=False,
        help_text=_("L'identifiant du dossier que le territoire tient (celui des fichiers d'échange : l'identifiant "
                    "d'origine, ou P suivi du numéro). Laissez vide pour une personne que le PLIE ne suit pas."))
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices)
    birth_date = BirthDateField(label=_("Date de naissance"), widget=DATE)
    publics = forms.MultipleChoiceField(label=_("Motifs d'éligibilité"), choices=Public.choices,
                                        widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _("au moins un motif d'éligibilité")})
    eligibility_date = EventDateField(label=_("Date de vérification de l'éligibilité"), widget=DATE)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:   # the ref and the link to a PLIE file stay
            del self.fields["beneficiary_ref"]
            del self.fields["person_ref"]
