"""Forms of the pathway area. They parse and label; the business rules live in pathways.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.web.held_files import HeldFileInput
from parcours.core.formfields import EventDateField, NameField, SiretField
from parcours.participants.enums import Barrier, DocumentKind
from parcours.pathways.enums import AppointmentKind, BarrierLevel, ContactMode, ContractType
from parcours.plie.enums import EarlyClosure, PathwayStatus, StepType
from parcours.organisations.enums import PrescriberType
from parcours.pathways.selectors import STATE_ALL, STATE_OPEN
from parcours.plie.enums import EXIT_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BaseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionedForm(BaseForm):
    """A form that edits an existing row: the version it was loaded with travels with it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


# --- caseload ---------------------------------------------------------------------------------------------------

def state_choices() -> list[tuple[str, str]]:
    return [(STATE_OPEN, _("Dossiers en cours (non clos)")), (STATE_ALL, _("Tous les dossiers")),
            *PathwayStatus.choices]


class CaseloadFilterForm(BaseForm):
    state = forms.ChoiceField(label=_("État"), required=False)
    referent = forms.TypedChoiceField(label=_("Référent·e"), required=False, coerce=int, empty_value=None)
    operator = forms.TypedChoiceField(label=_("Structure référente"), required=False, coerce=int, empty_value=None)
    commune = forms.TypedChoiceField(label=_("Commune de résidence"), required=False, coerce=int, empty_value=None)
    qpv = forms.ChoiceField(label=_("Quartier prioritaire (QPV)"), required=False, choices=[
        ("", _("Tous")), ("yes", _("Réside en QPV")), ("no", _("Hors QPV"))])
    prescriber_type = forms.ChoiceField(label=_("Prescripteur"), required=False,
                                        choices=[("", _("Tous")), *PrescriberType.choices])
    entered_from = EventDateField(label=_("Entrée à partir du"), required=False, widget=DateInput())
    entered_to = EventDateField(label=_("Entrée jusqu'au"), required=False, widget=DateInput())
    order = forms.ChoiceField(label=_("Trier par"), required=False, choices=[
        ("name", _("Nom")), ("entry", _("Entrée (la plus récente d'abord)")),
        ("contact", _("Dernier contact (le plus ancien d'abord)")), ("state", _("État"))])

    FILTERS = ("state", "referent", "operator", "commune", "qpv", "prescriber_type", "entered_from", "entered_to",
               "order")

    def __init__(self, *args, referents, operators=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = state_choices()
        self.fields["referent"].choices = [("", _("Tous les référent·es")),
                                           *[(u.pk, u.get_full_name() or u.email) for u in referents]]
        self.fields["operator"].choices = [("", _("Toutes")), *operators]
        self.fields["commune"].choices = [("", _("Toutes")), *communes]

    def selection(self) -> dict:
        """The selector's keywords from the cleaned filters (pathways.selectors.pathway_caseload)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"state": data.get("state") or STATE_OPEN, "referent_id": data.get("referent"),
                "operator_id": data.get("operator"), "commune_id": data.get("commune"), "qpv": data.get("qpv") or "",
                "prescriber_type": data.get("prescriber_type") or "", "entered_from": data.get("entered_from"),
                "entered_to": data.get("entered_to"), "order": data.get("order") or "name"}

    def query_string(self) -> str:
        """The filters as they came, for the pagination's and the export's links (no name: only ids and codes)."""
        from urllib.parse import urlencode

        return urlencode([(name, self.data[name]) for name in self.FILTERS if self.data.get(name)])


class CaseloadSearchForm(CaseloadFilterForm):
    """The name search travels by POST so that names never land in URLs or server logs."""

    q = forms.CharField(label=_("Nom, prénom, date de naissance ou téléphone"), max_length=100, required=False,
                        help_text=_("Majuscules et accents indifférents : « melanie » trouve « Mélanie ». "
                                    "Date au format 12/03/1990."),
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


# --- transitions ------------------------------------------------------------------------------------------------

class ExitForm(BaseForm):
    reason = forms.ChoiceField(label=_("Motif de sortie"), choices=[("", "—"), *EXIT_CHOICES])
    exit_date = EventDateField(label=_("Date de sortie"), widget=DateInput())


class JobEndedForm(BaseForm):
    ended_on = EventDateField(label=_("Date de fin de l'emploi"), widget=DateInput())


class AssignForm(BaseForm):
    membership = forms.TypedChoiceField(label=_("Référent·e de parcours"), coerce=int)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in memberships}
        self.fields["membership"].choices = [("", "—"), *[
            (m.pk, f"{m.user.get_full_name()} — {m.organisation}") for m in memberships]]


class CloseEarlyForm(BaseForm):
    reason = forms.ChoiceField(label=_("Motif de la clôture"), choices=[("", "—"), *EarlyClosure.choices])
    on = EventDateField(label=_("Date de la clôture"), widget=DateInput())


TRANSITION_FORMS = {"exit": ExitForm, "job_ended": JobEndedForm, "close_early": CloseEarlyForm}


# --- contract ---------------------------------------------------------------------------------------------------

class ContractForm(VersionedForm):
    objectives = forms.CharField(label=_("Objectifs du parcours"), widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("Pré-remplis à partir des préconisations du bilan."))
    participant_commitments = forms.CharField(label=_("Engagements de la personne accompagnée"),
                                              widget=forms.Textarea(attrs={"rows": 5}))
    referent_commitments = forms.CharField(label=_("Engagements du / de la référent·e"),
                                           widget=forms.Textarea(attrs={"rows": 5}))
    plie_commitments = forms.CharField(label=_("Engagements de la direction du PLIE"),
                                       widget=forms.Textarea(attrs={"rows": 4}))
    participant_signed_on = EventDateField(label=_("Signé par la personne le"), required=False, widget=DateInput())
    referent_signed_on = EventDateField(label=_("Signé par le / la référent·e le"), required=False, widget=DateInput())
    director = forms.ModelChoiceField(label=_("Pour la direction du PLIE"), queryset=None, required=False,
                                      empty_label="—")
    director_signed_on = EventDateField(label=_("Signé par la direction le"), required=False, widget=DateInput())

    def __init__(self, *args, directors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = directors
        self.fields["director"].label_from_instance = lambda u: u.get_full_name() or u.email

    def fieldsets(self):
        return [
            (_("Objectifs"), [self["objectives"]]),
            (_("Engagements réciproques"), [self["participant_commitments"], self["referent_commitments"],
                                            self["plie_commitments"]]),
            (_("Signatures des trois parties"), [self["participant_signed_on"], self["referent_signed_on"],
                                                 self["director"], self["director_signed_on"]]),
        ]


# --- steps ------------------------------------------------------------------------------------------------------

class StepForm(VersionedForm):
    step_type = forms.ChoiceField(label=_("Type d'étape"), choices=[("", "—"), *StepType.choices])
    operator_name = NameField(label=_("Opérateur ou employeur"), max_length=200, required=False)
    start_date = EventDateField(label=_("Début"), widget=DateInput())
    end_date = EventDateField(label=_("Fin"), required=False, widget=DateInput(),
                               help_text=_("Fin prévue pour un CDD ou une mission ; vide pour un CDI."))
    employer_siret = SiretField(label=_("SIRET de l'employeur"), required=False)
    contract_type = forms.ChoiceField(label=_("Type de contrat"), required=False,
                                      choices=[("", "—"), *ContractType.choices])
    social_clause = forms.NullBooleanField(label=_("Issu d'une clause sociale"), required=False,
                                           widget=forms.NullBooleanSelect())
    hours = forms.DecimalField(label=_("Heures prévues"), required=False, min_value=0, max_digits=7,
                               decimal_places=2)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def fieldsets(self):
        return [
            (_("L'étape"), [self["step_type"], self["operator_name"], self["start_date"], self["end_date"]]),
            (_("Emploi"), [self["employer_siret"], self["contract_type"], self["social_clause"], self["hours"]]),
            (_("Observations"), [self["comment"]]),
        ]


class StepEndForm(VersionedForm):
    end_date = EventDateField(label=_("Date de fin de l'étape"), widget=DateInput())

    def fieldsets(self):
        return [(_("Fin de l'étape"), [self["end_date"]])]


# --- appointments, barriers, notes, documents -------------------------------------------------------------------

class AppointmentForm(BaseForm):
    date = EventDateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Type"), choices=AppointmentKind.choices)
    mode = forms.ChoiceField(label=_("Modalité"), choices=[("", "—"), *ContactMode.choices])
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1, max_value=600,
                                          help_text=_("Temps du / de la référent·e, éligible au FSE."))
    place = NameField(label=_("Lieu"), max_length=200, required=False)
    summary = forms.CharField(label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def fieldsets(self):
        return [(_("Le rendez-vous"), [self["date"], self["kind"], self["mode"], self["duration_minutes"],
                                       self["place"]]),
                (_("Compte rendu"), [self["summary"]])]


class BarrierReviewForm(BaseForm):
    barrier = forms.ChoiceField(label=_("Frein"), choices=[("", "—"), *Barrier.choices])
    level = forms.ChoiceField(label=_("Niveau"), choices=[("", "—"), *BarrierLevel.choices])
    reviewed_on = EventDateField(label=_("Évalué le"), widget=DateInput())
    comment = forms.CharField(label=_("Observation"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def fieldsets(self):
        return [(_("Réévaluation d'un frein"), [self["barrier"], self["level"], self["reviewed_on"],
                                                self["comment"]])]


class NoteForm(BaseForm):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}))

    def fieldsets(self):
        return [(_("Nouvelle note"), [self["body"]])]


class DocumentForm(BaseForm):
    kind = forms.ChoiceField(label=_("Type de document"), choices=[("", "—"), *DocumentKind.choices])
    title = NameField(label=_("Titre"), max_length=200)
    file = forms.FileField(label=_("Fichier"), allow_empty_file=True, widget=HeldFileInput,
                           help_text=_("PDF, JPEG, PNG, ODT ou DOCX ; le format est vérifié sur le contenu du fichier."))

    def fieldsets(self):
        return [(_("Document"), [self["kind"], self["title"], self["file"]])]
