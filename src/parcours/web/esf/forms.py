"""Forms of the ESF+ pages: an operation, its financing plan (a formset of lines), an amendment, a period, and the
participation questionnaires (entry, exit, six months)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.esf.enums import (
    SENSITIVE_FIELDS, ExitSituation, FunderKind, Isced, LabourStatus, SampleOutcome, SampleRejection, SensitiveAnswer,
)
from parcours.esf.models import MONEY, Participation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("non renseigné")), ("True", _("oui")), ("False", _("non"))]


def _money(label):
    return forms.DecimalField(label=label, min_value=0, max_digits=MONEY["max_digits"],
                              decimal_places=MONEY["decimal_places"], localize=True)


def _yes_no(label):
    return forms.TypedChoiceField(label=label, choices=YES_NO, required=False, empty_value=None,
                                  coerce=lambda value: value == "True")


class OperationForm(forms.Form):
    operation_ref = forms.CharField(label=_("Numéro d'opération"), max_length=64)
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    beneficiary = forms.ModelChoiceField(label=_("Bénéficiaire"), queryset=None)
    start_date = forms.DateField(label=_("Début de réalisation"), widget=DATE)
    end_date = forms.DateField(label=_("Fin de réalisation"), widget=DATE)

    def __init__(self, *args, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = beneficiaries

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("La fin précède le début."))
        return data


class AmountsForm(forms.Form):
    total_eligible_cost = _money(_("Coût total éligible prévu (€)"))
    esf_amount = _money(_("Montant FSE+ prévu (€)"))

    def clean(self):
        data = super().clean()
        total, esf = data.get("total_eligible_cost"), data.get("esf_amount")
        if esf is not None and esf <= 0:
            self.add_error("esf_amount", _("Le montant FSE+ doit être positif."))
        elif esf is not None and total is not None and esf > total:
            self.add_error("esf_amount", _("Le montant FSE+ dépasse le coût total éligible."))
        return data


class AmendmentForm(AmountsForm):
    date = forms.DateField(label=_("Date de l'avenant"), widget=DATE)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PlanLineForm(forms.Form):
    funder_kind = forms.ChoiceField(label=_("Type de financeur"), choices=[("", "—"), *FunderKind.choices],
                                    required=False)
    funder = forms.CharField(label=_("Financeur"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Année"), min_value=1990, max_value=2100, required=False)
    planned = forms.DecimalField(label=_("Prévu (€)"), min_value=0, required=False, localize=True,
                                 max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"])
    actual = forms.DecimalField(label=_("Réalisé (€)"), min_value=0, required=False, localize=True,
                                max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"])

    def clean(self):
        data = super().clean()
        filled = [name for name in ("funder_kind", "funder", "year", "planned", "actual")
                  if data.get(name) not in (None, "")]
        if filled:
            for name in ("funder_kind", "year", "planned"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Obligatoire sur une ligne du plan."))
        data["empty"] = not filled
        return data


PlanFormSet = forms.formset_factory(PlanLineForm, extra=3, max_num=60, absolute_max=60)


def plan_lines(formset) -> list[dict]:
    return [{k: form.cleaned_data.get(k) for k in ("funder_kind", "funder", "year", "planned", "actual")}
            for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("empty")]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("Du"), widget=DATE)
    date_to = forms.DateField(label=_("Au"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("La fin de la période précède son début."))
        return data


class ParticipationForm(forms.ModelForm):
    """The questionnaires; the six sensitive answers only for a user who may read them (`sensitive`), the exit
    and six-month ones only once the person is in the operation (`entered`)."""

    in_education_or_training = _yes_no(_("En études ou en formation à l'entrée"))
    qualification_gained = _yes_no(_("Qualification obtenue à la sortie"))
    improved_situation_6_months = _yes_no(_("Situation améliorée à six mois (personne en emploi à l'entrée)"))

    ENTRY = ["entry_date", "labour_status", "unemployment_months", "in_education_or_training", "isced"]
    NOTICE = ["information_given_on", "consent_given_on"]
    EXIT = ["exit_date", "exit_situation", "qualification_gained", "situation_6_months",
            "improved_situation_6_months"]

    class Meta:
        model = Participation
        fields = ["entry_date", "labour_status", "unemployment_months", "in_education_or_training", "isced",
                  *SENSITIVE_FIELDS, "information_given_on", "consent_given_on", "exit_date", "exit_situation",
                  "qualification_gained", "situation_6_months", "improved_situation_6_months"]
        widgets = {name: DATE for name in ("entry_date", "exit_date", "information_given_on", "consent_given_on")}

    def __init__(self, *args, sensitive: bool, entered: bool, operations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sensitive = sensitive
        self.fields["labour_status"].choices = [("", "—"), *LabourStatus.choices]
        self.fields["isced"].choices = [("", _("non recueilli")), *Isced.choices]
        self.fields["isced"].required = False
        for name in ("exit_situation", "situation_6_months"):
            self.fields[name].choices = [("", _("non renseignée")), *ExitSituation.choices]
            self.fields[name].required = False
        for name in ("information_given_on", "consent_given_on"):
            self.fields[name].required = True
        for name in SENSITIVE_FIELDS:
            if sensitive:
                self.fields[name].choices = [("", _("non recueilli")), *SensitiveAnswer.choices]
                self.fields[name].required = False
            else:
                del self.fields[name]
        if not entered:
            for name in self.EXIT:
                del self.fields[name]
        if operations is not None:
            self.fields["operation"] = forms.ModelChoiceField(label=_("Opération"), queryset=operations)
            self.order_fields(["operation"])

    def fieldsets(self):
        groups = [(_("Entrée dans l'opération"), (["operation"] if "operation" in self.fields else []) + self.ENTRY)]
        if self.sensitive:
            groups.append((_("Questions sensibles (la personne peut refuser de répondre)"), list(SENSITIVE_FIELDS)))
        groups.append((_("Information et consentement"), self.NOTICE))
        if "exit_date" in self.fields:
            groups.append((_("Sortie (dans les quatre semaines) et situation à six mois"), self.EXIT))
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in groups]

    def values(self) -> dict:
        names = self.ENTRY + self.NOTICE + [n for n in self.EXIT if n in self.fields]
        return {name: self.cleaned_data.get(name) for name in names}

    def sensitive_values(self) -> dict | None:
        return {name: self.cleaned_data.get(name) or "" for name in SENSITIVE_FIELDS} if self.sensitive else None

    def _post_clean(self):
        # The services check the rules across rows and the model's constraints: the form checks its fields only.
        pass


# --- payment claims ----------------------------------------------------------------------------------------------

class ClaimCreateForm(PeriodForm):
    date_from = forms.DateField(label=_("Début de la période"), widget=DATE)
    date_to = forms.DateField(label=_("Fin de la période"), widget=DATE)


class CorrectionsForm(forms.Form):
    reason = forms.CharField(label=_("Motif des corrections demandées"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Date du paiement"), widget=DATE)
    amount = forms.DecimalField(label=_("Montant payé (€)"), min_value=0, max_digits=MONEY["max_digits"],
                                decimal_places=MONEY["decimal_places"], localize=True)


CLAIM_TRANSITION_FORMS: dict[str, type[forms.Form]] = {"request_corrections": CorrectionsForm,
                                                       "pay": PaymentForm}


class SampleDrawForm(forms.Form):
    size = forms.IntegerField(label=_("Taille de l'échantillon (participant·es)"), min_value=1)
    seed = forms.IntegerField(label=_("Graine du tirage (facultative : tirée au hasard, puis conservée)"),
                              min_value=0, max_value=2 ** 53, required=False)


class SampleCheckForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Résultat"), choices=[(SampleOutcome.CHECKED, SampleOutcome.CHECKED.label),
                                                              (SampleOutcome.REJECTED, SampleOutcome.REJECTED.label)])
    rejection_reason = forms.ChoiceField(label=_("Motif du rejet"), required=False,
                                         choices=[("", "—")] + list(SampleRejection.choices))
    comment = forms.CharField(label=_("Commentaire"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == SampleOutcome.REJECTED and not data.get("rejection_reason"):
            self.add_error("rejection_reason", _("Obligatoire pour un élément rejeté."))
        return data
