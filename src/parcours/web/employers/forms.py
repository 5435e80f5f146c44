"""Forms of the employers' pages. They parse and label; the rules live in employers.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import EventDateField, NameField, PhoneField, SiretField
from parcours.employers.enums import (
    CandidacyRefusal, EventKind, EventOutcome, ExchangeKind, OfferContractType, OfferStatus, PartnerStatus,
    PriorActionKind, SizeBand, SponsorshipOutcome,
)
from parcours.employers.naf import naf_division_choices, naf_sections

from ..pathways.forms import BaseForm, DateInput


class EmployerFilterForm(BaseForm):
    q = forms.CharField(label=_("Raison sociale ou SIRET"), required=False, max_length=100)
    section = forms.ChoiceField(label=_("Secteur d'activité (section NAF)"), required=False)
    size_band = forms.ChoiceField(label=_("Taille"), required=False,
                                  choices=[("", _("Toutes les tailles"))] + list(SizeBand.choices))
    partner_status = forms.ChoiceField(label=_("Relation"), required=False,
                                       choices=[("", _("Toutes les relations"))] + list(PartnerStatus.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("Tous les secteurs"))] + [
            (code, f"{code} — {label}") for code, label in naf_sections().items()]


class EmployerForm(BaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    siret = SiretField(label=_("SIRET"), help_text=_("Les 14 chiffres de l'établissement ; les espaces sont acceptés."))
    name = NameField(label=_("Raison sociale"), max_length=200)
    naf_division = forms.ChoiceField(label=_("Secteur d'activité (division NAF)"), required=False)
    size_band = forms.ChoiceField(label=_("Taille"), required=False,
                                  choices=[("", _("Non renseignée"))] + list(SizeBand.choices))
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, required=False,
                                     empty_label=_("Hors du territoire ou non renseignée"))
    phone = PhoneField(label=_("Téléphone"), required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    website = forms.URLField(label=_("Site internet"), required=False, assume_scheme="https")
    partner_status = forms.ChoiceField(label=_("Relation"), choices=PartnerStatus.choices)
    partner_since = EventDateField(label=_("Partenaire depuis le"), required=False, widget=DateInput())
    notes = forms.CharField(label=_("Observations"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naf_division"].choices = [("", _("Non renseigné"))] + naf_division_choices()
        self.fields["commune"].queryset = communes

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        commune = data.pop("commune")
        return {**data, "commune_id": commune.pk if commune else None}


class ContactForm(BaseForm):
    name = NameField(label=_("Nom et prénom"), max_length=200)
    job_title = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    phone = PhoneField(label=_("Téléphone"), required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    is_active = forms.BooleanField(label=_("Toujours en poste"), required=False, initial=True)


class ExchangeForm(BaseForm):
    kind = forms.ChoiceField(label=_("Type d'échange"), choices=ExchangeKind.choices)
    date = EventDateField(label=_("Date"), widget=DateInput())
    contact = forms.ModelChoiceField(label=_("Avec"), queryset=None, required=False,
                                     empty_label=_("Aucun contact en particulier"))
    summary = forms.CharField(label=_("Compte rendu"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        contact = data.pop("contact")
        return {**data, "contact_id": contact.pk if contact else None}


class OfferFilterForm(BaseForm):
    q = forms.CharField(label=_("Intitulé, employeur ou code ROME"), required=False, max_length=100)
    contract_type = forms.ChoiceField(label=_("Type de contrat"), required=False,
                                      choices=[("", _("Tous les contrats"))] + list(OfferContractType.choices))
    section = forms.ChoiceField(label=_("Secteur d'activité (section NAF)"), required=False)
    open_only = forms.BooleanField(label=_("Seulement les offres ouvertes aujourd'hui"), required=False)
    employer = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("Tous les secteurs"))] + [
            (code, f"{code} — {label}") for code, label in naf_sections().items()]


class OfferForm(BaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    title = NameField(label=_("Intitulé du poste"), max_length=200)
    rome_code = forms.CharField(label=_("Code ROME"), max_length=6, required=False,
                                help_text=_("Une lettre et quatre chiffres, par exemple K2204 (nettoyage de locaux)."))
    contract_type = forms.ChoiceField(label=_("Type de contrat"), choices=OfferContractType.choices)
    hours_per_week = forms.DecimalField(label=_("Heures par semaine"), max_digits=4, decimal_places=1,
                                        localize=True)
    places = forms.IntegerField(label=_("Nombre de postes"), min_value=1, max_value=999, initial=1)
    workplace = forms.CharField(label=_("Lieu de travail"), max_length=300, required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, required=False,
                                     empty_label=_("Hors du territoire ou non renseignée"))
    description = forms.CharField(label=_("Missions"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    prerequisites = forms.CharField(label=_("Prérequis"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("Permis, habilitations, horaires décalés, port de charges…"))
    opens_on = EventDateField(label=_("Ouverte le"), widget=DateInput())
    closes_on = EventDateField(label=_("Close le"), required=False, widget=DateInput(),
                               help_text=_("Laissez vide si l'offre reste ouverte jusqu'à ce qu'elle soit pourvue."))
    status = forms.ChoiceField(label=_("État"), choices=OfferStatus.choices, initial=OfferStatus.OPEN)
    social_clause = forms.BooleanField(label=_("Poste au titre d'une clause sociale d'un marché public"),
                                       required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        commune = data.pop("commune")
        return {**data, "commune_id": commune.pk if commune else None}


class ProposeForm(BaseForm):
    comment = forms.CharField(label=_("Pourquoi cette personne (pour le ou la chargé·e de relation entreprise)"),
                              required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CandidacyDecisionForm(BaseForm):
    """The payload of one transition of a candidacy; its fields are those the transition asks."""

    FIELDS = {"present": [], "interview": ["on"], "prior_action": ["kind", "start", "end"],
              "hire": ["on", "contract_end", "contact"], "refuse": ["reason"], "withdraw": ["withdrawal"]}
    LABELS = {"interview": _("Date de l'entretien"), "hire": _("Embauché·e le (premier jour du contrat)")}

    on = EventDateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Action préalable"), choices=PriorActionKind.choices)
    start = EventDateField(label=_("Début"), widget=DateInput())
    end = EventDateField(label=_("Fin"), widget=DateInput(), required=False)
    contract_end = EventDateField(label=_("Fin du contrat (contrat à durée déterminée)"), widget=DateInput(),
                                  required=False)
    contact = forms.ModelChoiceField(label=_("Contact chez l'employeur pendant le suivi dans l'emploi"),
                                     queryset=None, required=False, empty_label=_("Aucun en particulier"))
    reason = forms.ChoiceField(label=_("Motif"), choices=[("", "—")] + list(CandidacyRefusal.choices))
    withdrawal = forms.CharField(label=_("Motif du retrait"), max_length=300)

    def __init__(self, *args, name: str, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        for field in list(self.fields):
            if field not in self.FIELDS[name]:
                del self.fields[field]
        if "on" in self.fields and name in self.LABELS:
            self.fields["on"].label = self.LABELS[name]
        if "contact" in self.fields:
            self.fields["contact"].queryset = contacts

    def payload(self) -> dict | None:
        data = self.cleaned_data
        if self.name == "present":
            return None
        if self.name == "interview":
            return {"on": data["on"]}
        if self.name == "prior_action":
            return {"kind": data["kind"], "start": data["start"], "end": data["end"]}
        if self.name == "hire":
            contact = data["contact"]
            return {"on": data["on"], "contract_end": data["contract_end"],
                    "contact_id": contact.pk if contact else None}
        if self.name == "refuse":
            return {"reason": data["reason"]}
        return {"reason": data["withdrawal"]}


# --- recruitment events and sponsorship ---------------------------------------------------------------------------

class EventForm(BaseForm):
    kind = forms.ChoiceField(label=_("Type d'événement"), choices=EventKind.choices)
    title = NameField(label=_("Intitulé"), max_length=200)
    date = EventDateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Lieu"), max_length=300, required=False)
    description = forms.CharField(label=_("Présentation"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class EventEmployerForm(BaseForm):
    employer = forms.ModelChoiceField(label=_("Employeur"), queryset=None, empty_label=_("Choisir un employeur"))

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


class InvitationForm(BaseForm):
    event = forms.ModelChoiceField(label=_("Événement"), queryset=None, empty_label=_("Choisir un événement"))

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["event"].label_from_instance = lambda e: f"{e.date:%d/%m/%Y} — {e.title} ({e.get_kind_display()})"


ATTENDANCE_CHOICES = [("", _("Non renseignée")), ("yes", _("Présent·e")), ("no", _("Absent·e"))]


class AttendanceForm(BaseForm):
    """One line a person invited: came or not, what came of it and with which of the event's employers."""

    def __init__(self, *args, invitations, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        employer_choices = [("", _("Aucun"))] + [(str(e.pk), e.name) for e in employers]
        self.lines = []
        for invitation in self.invitations:
            name = str(invitation.pathway.participant)
            pk = invitation.pk
            self.fields[f"attended_{pk}"] = forms.ChoiceField(
                label=_("Présence de %(name)s") % {"name": name}, choices=ATTENDANCE_CHOICES, required=False,
                initial={True: "yes", False: "no"}.get(invitation.attended, ""))
            self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                label=_("Suite donnée pour %(name)s") % {"name": name}, required=False,
                choices=[("", _("Aucune"))] + list(EventOutcome.choices), initial=invitation.outcome)
            self.fields[f"employer_{pk}"] = forms.ChoiceField(
                label=_("Employeur concerné pour %(name)s") % {"name": name}, choices=employer_choices,
                required=False, initial=str(invitation.outcome_employer_id or ""))
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=_("Commentaire pour %(name)s") % {"name": name}, max_length=300, required=False,
                initial=invitation.comment)
        for invitation in self.invitations:
            pk = invitation.pk
            self.lines.append((invitation, [self[f"{field}_{pk}"] for field in
                                            ("attended", "outcome", "employer", "comment")]))

    def rows(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {i.pk: {"attended": {"yes": True, "no": False}.get(data[f"attended_{i.pk}"]),
                       "outcome": data[f"outcome_{i.pk}"],
                       "outcome_employer_id": int(data[f"employer_{i.pk}"]) if data[f"employer_{i.pk}"] else None,
                       "comment": data[f"comment_{i.pk}"]}
                for i in self.invitations}


class SponsorshipForm(BaseForm):
    employer = forms.ModelChoiceField(label=_("Entreprise du parrain ou de la marraine"), queryset=None,
                                      empty_label=_("Choisir un employeur"))
    sponsor_name = NameField(label=_("Parrain ou marraine (prénom et nom)"), max_length=200)
    sponsor_job_title = forms.CharField(label=_("Fonction dans l'entreprise"), max_length=200, required=False)
    sponsor_phone = PhoneField(label=_("Téléphone du parrain ou de la marraine"), required=False)
    sponsor_email = forms.EmailField(label=_("Adresse électronique du parrain ou de la marraine"), required=False)
    goal = forms.CharField(label=_("Objectif du parrainage"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    started_on = EventDateField(label=_("Début"), widget=DateInput())

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        employer = data.pop("employer")
        return {**data, "employer_id": employer.pk if employer else None}


class SponsorshipMeetingForm(BaseForm):
    date = EventDateField(label=_("Date de la rencontre"), widget=DateInput())
    summary = forms.CharField(label=_("Compte rendu de la rencontre"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class SponsorshipEndForm(BaseForm):
    ended_on = EventDateField(label=_("Fin du parrainage"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Issue du parrainage"), choices=SponsorshipOutcome.choices)
