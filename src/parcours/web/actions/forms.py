"""Forms of the actions' pages: the catalogue's filters, an action, a session, a proposal, a decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.actions.enums import ActionKind, Attendance, LeavingReason, RefusalReason
from parcours.actions.models import OPERATOR_KINDS
from parcours.organisations.models import Organisation
from parcours.plie.enums import StepType
from parcours.plie.steps import WORK_STEP_TYPES
from parcours.territory.models import Helpdesk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Mots de l'intitulé, du public ou de l'opérateur"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Fiche action"), required=False,
                             choices=[("", _("Toutes les fiches"))] + list(ActionKind.choices))
    helpdesk = forms.ModelChoiceField(label=_("Lieu"), queryset=Helpdesk.objects.none(), required=False,
                                      empty_label=_("Tous les lieux"))
    on = forms.DateField(label=_("En cours ou à venir le"), required=False, widget=DATE)
    open_only = forms.BooleanField(label=_("Seulement les actions qui ont encore des places"), required=False)

    def __init__(self, *args, helpdesks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpdesk"].queryset = helpdesks


class ActionForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Opérateur"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Fiche action"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    public = forms.CharField(label=_("Public visé"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    places = forms.IntegerField(label=_("Places"), min_value=1)
    start_date = forms.DateField(label=_("Début"), widget=DATE)
    end_date = forms.DateField(label=_("Fin"), widget=DATE)
    helpdesk = forms.ModelChoiceField(label=_("Lieu d'accueil ou permanence"), queryset=Helpdesk.objects.none(),
                                      required=False, empty_label=_("Aucun : une autre adresse"))
    address = forms.CharField(label=_("Adresse (si le lieu n'est pas dans la liste)"), max_length=300, required=False)
    in_qpv = forms.BooleanField(label=_("En quartier prioritaire (QPV)"), required=False)
    cost = forms.DecimalField(label=_("Coût total (€)"), min_value=0, max_digits=12, decimal_places=2, required=False)
    funders = forms.CharField(label=_("Financeurs et montants"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    step_type = forms.ChoiceField(label=_("Type d'étape sur le parcours"),
                                  choices=[c for c in StepType.choices if c[0] not in WORK_STEP_TYPES])
    plie_collective = forms.BooleanField(label=_("Action collective du PLIE"), required=False)

    def __init__(self, *args, territory_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Organisation.objects.filter(
            territory_id__in=territory_ids, kind__in=OPERATOR_KINDS, is_active=True).order_by("name")
        self.fields["helpdesk"].queryset = Helpdesk.objects.filter(territory_id__in=territory_ids).order_by("name")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        operator, helpdesk = data.pop("operator"), data.pop("helpdesk")
        return data | {"operator_id": operator.pk, "helpdesk_id": helpdesk.pk if helpdesk else None,
                       "public": data["public"].strip(), "address": data["address"].strip()}


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date de la séance"), widget=DATE)
    start_time = forms.TimeField(label=_("Heure de début"), widget=TIME)
    end_time = forms.TimeField(label=_("Heure de fin"), widget=TIME)
    place = forms.CharField(label=_("Lieu (si autre que celui de l'action)"), max_length=300, required=False)


class ProposeForm(forms.Form):
    comment = forms.CharField(label=_("Pourquoi cette action (pour le ou la référent·e et l'équipe)"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    """The payload of a decision: a reason for a refusal or an abandonment, a date for an entry or an exit."""

    reason = forms.ChoiceField(label=_("Motif"), required=False, choices=[])
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        reasons = {"refuse": RefusalReason.choices, "leave": LeavingReason.choices}.get(name)
        if reasons:
            self.fields["reason"].choices = [("", "—")] + list(reasons)
            self.fields["reason"].required = True
        if name in ("start", "complete", "leave"):
            self.fields["on"].required = True

    def payload(self) -> dict | None:
        data = self.cleaned_data
        if self.name == "refuse":
            return {"reason": data["reason"]}
        if self.name == "leave":
            return {"on": data["on"], "reason": data["reason"]}
        if self.name in ("start", "complete"):
            return {"on": data["on"]}
        return None


ATTENDANCE_CHOICES = Attendance.choices
