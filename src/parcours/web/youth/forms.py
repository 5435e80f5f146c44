"""Forms of the Mission Locale's pages: the report's period (both days included), the young person's file. They
parse and label; the rules live in youth.services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from parcours.core.formfields import BirthDateField, EventDateField, NameField, PhoneField, SiretField
from parcours.core.plausibility import validate_event_date
from parcours.participants.enums import EducationLevel, Sex
from parcours.territory.models import Commune, Qpv
from parcours.youth.enums import (
    BEFORE_SESSION_STATUSES, AidPurpose, EnrolmentEndReason, EventKind, FollowUpOutcome, Fund, PmsmpAim,
    ReceptionReason, ReferralSource, RegistrationStatus, SchemeExit, SiteKind, SituationCategory, SupportTheme,
    WorkshopKind, WorkshopRunner, WorkshopTheme, YouthContractType,
)
from parcours.youth.models import Site

from ..agenda.forms import TimeInput
from ..pathways.forms import BaseForm
from ..reporting.forms import DateInput


class YouthReportForm(forms.Form):
    date_from = forms.DateField(label=_("Du"), widget=DateInput(), validators=[validate_event_date])
    date_to = forms.DateField(label=_("Au (inclus)"), widget=DateInput(), validators=[validate_event_date])

    def __init__(self, data, *, today: date):
        # No period asked: the current year so far.
        if not data.get("date_from") and not data.get("date_to"):
            data = {"date_from": date(today.year, 1, 1).isoformat(), "date_to": today.isoformat()}
        super().__init__(data)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La fin de la période précède son début."))
        return cleaned


# --- the young people's files ---------------------------------------------------------------------------------------

ALL, MINE, UNASSIGNED = "all", "mine", "none"


class YouthSearchForm(BaseForm):
    """The list's filter (GET) and the name search (POST: names stay out of URLs)."""

    q = forms.CharField(label=_("Nom, prénom, date de naissance ou téléphone"), max_length=100, required=False)
    adviser = forms.ChoiceField(label=_("Conseiller·ère"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].choices = ([(ALL, _("Tous les jeunes")), (MINE, _("Mes jeunes")),
                                           (UNASSIGNED, _("Sans conseiller·ère"))]
                                          + [(str(user.pk), user.get_full_name()) for user in advisers])


class PersonForm(BaseForm):
    last_name = NameField(label=_("Nom"), max_length=150)
    first_name = NameField(label=_("Prénom"), max_length=150)
    birth_name = NameField(label=_("Nom de naissance"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = BirthDateField(label=_("Date de naissance"), widget=DateInput())
    phone = PhoneField(label=_("Téléphone"), required=False,
                       widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("Courriel"), required=False)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("Code postal"), max_length=5, required=False,
                                  validators=[RegexValidator(r"^\d{5}$", _("Le code postal compte 5 chiffres."))],
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    commune = forms.ModelChoiceField(label=_("Commune de résidence"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_("Commune hors du territoire ou inconnue"))
    qpv = forms.ModelChoiceField(label=_("Quartier prioritaire (QPV)"), queryset=Qpv.objects.none(), required=False,
                                 empty_label=_("Ne réside pas en QPV"))
    education_level = forms.ChoiceField(label=_("Niveau de formation"), required=False,
                                        choices=[("", _("Non renseigné"))] + EducationLevel.choices)
    person_fields = ("last_name", "first_name", "birth_name", "sex", "birth_date", "phone", "email", "address",
                     "postal_code", "commune", "qpv", "education_level")

    def __init__(self, *args, territory, advisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory).order_by("name")
        self.fields["qpv"].queryset = Qpv.objects.filter(territory=territory).order_by("name")
        for name in ("last_name", "first_name", "birth_name", "email", "address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        sites = Site.objects.filter(territory=territory).order_by("name")
        if "antenna" in self.fields:
            self.fields["antenna"].queryset = sites.filter(kind=SiteKind.ANTENNA)
        if "reception_site" in self.fields:
            self.fields["reception_site"].queryset = sites.exclude(kind=SiteKind.REMOTE)
        if "adviser" in self.fields:
            self.fields["adviser"].queryset = advisers

    def person(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.person_fields if name in self.cleaned_data}


class ReceptionForm(PersonForm):
    """The first reception: who the young person is, where and why they came, who sent them."""

    first_reception_date = EventDateField(label=_("Date du premier accueil"), widget=DateInput())
    reception_site = forms.ModelChoiceField(label=_("Lieu de l'accueil"), queryset=Site.objects.none(),
                                            required=False, empty_label=_("Siège"))
    reception_reason = forms.ChoiceField(label=_("Motif de la venue"), choices=ReceptionReason.choices)
    referral_source = forms.ChoiceField(label=_("Orienté·e par"), choices=ReferralSource.choices)
    adviser = forms.ModelChoiceField(label=_("Conseiller·ère"), queryset=None, required=False,
                                     empty_label=_("À désigner"))
    antenna = forms.ModelChoiceField(label=_("Suivi·e par l'antenne"), queryset=Site.objects.none(),
                                     required=False, empty_label=_("Non : par le siège"))
    homonym_confirmed = forms.BooleanField(
        label=_("Homonyme"), required=False,
        help_text=_("Cochez pour confirmer qu'il s'agit d'une autre personne que le dossier existant."))

    file_fields = ("reception_site", "reception_reason", "referral_source", "adviser", "antenna")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.file_fields}


class YouthFileForm(PersonForm):
    """Correcting the identity and the contact, giving the file to an adviser, setting its antenna."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    adviser = forms.ModelChoiceField(label=_("Conseiller·ère"), queryset=None, required=False,
                                     empty_label=_("À désigner"))
    antenna = forms.ModelChoiceField(label=_("Suivi·e par l'antenne"), queryset=Site.objects.none(),
                                     required=False, empty_label=_("Non : par le siège"))

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("adviser", "antenna")}


class EventForm(BaseForm):
    date = EventDateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Nature"), choices=EventKind.choices)
    site = forms.ModelChoiceField(label=_("Lieu"), queryset=Site.objects.none(), required=False,
                                  empty_label=_("Siège"))
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), required=False, min_value=1, max_value=600)
    summary = forms.CharField(label=_("Compte rendu"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Ce qui a été dit et convenu ; pas de donnée de santé ni de justice."))
    backdated = forms.BooleanField(label=_("Saisie a posteriori"), required=False,
                                   help_text=_("Cochez pour confirmer un événement qui a eu lieu avant aujourd'hui."))

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(territory=territory).order_by("name")


class SituationForm(BaseForm):
    category = forms.ChoiceField(label=_("Situation"), choices=SituationCategory.choices)
    start_date = EventDateField(label=_("Début"), widget=DateInput())
    end_date = EventDateField(label=_("Fin (prévue ou constatée)"), required=False, widget=DateInput())
    contract_type = forms.ChoiceField(label=_("Type de contrat (emploi)"), required=False,
                                      choices=[("", "—")] + YouthContractType.choices)
    pmsmp_aim = forms.ChoiceField(label=_("Objet de l'immersion (PMSMP)"), required=False,
                                  choices=[("", "—")] + PmsmpAim.choices)
    employer_siret = SiretField(label=_("SIRET de l'employeur"), required=False)


class SituationEndForm(BaseForm):
    end_date = EventDateField(label=_("Fin"), widget=DateInput())


class SupportForm(BaseForm):
    theme = forms.ChoiceField(label=_("Thème"), choices=SupportTheme.choices)
    opened_on = EventDateField(label=_("Ouvert le"), widget=DateInput())


class SupportCloseForm(BaseForm):
    closed_on = EventDateField(label=_("Clos le"), widget=DateInput())


class DiagnosticForm(BaseForm):
    date = EventDateField(label=_("Date du diagnostic"), widget=DateInput())
    needs = forms.CharField(label=_("Situation, besoins et projet"), max_length=8000,
                            widget=forms.Textarea(attrs={"rows": 6}))


class SchemeEntryForm(BaseForm):
    on = EventDateField(label=_("Date d'entrée (signature)"), widget=DateInput())
    rqth = forms.BooleanField(label=_("Reconnaissance de la qualité de travailleur handicapé (RQTH)"), required=False,
                              help_text=_("Ouvre le dispositif jusqu'à 29 ans ; enregistrée parmi les critères du "
                                          "jeune."))
    collective_start = forms.BooleanField(label=_("Entrée par le SAS collectif (cinq semaines)"), required=False)

    def __init__(self, *args, scheme: str, **kwargs):
        super().__init__(*args, **kwargs)
        if scheme != "cej":
            del self.fields["collective_start"]


class SchemeEndForm(BaseForm):
    on = EventDateField(label=_("Date de fin"), widget=DateInput())
    exit_situation = forms.ChoiceField(label=_("Situation à la sortie"), choices=SchemeExit.choices)
    reason = forms.ChoiceField(label=_("Motif de fin"), choices=EnrolmentEndReason.choices)


class PhaseForm(BaseForm):
    start_date = EventDateField(label=_("Début"), widget=DateInput())
    planned_end = EventDateField(label=_("Fin prévue"), widget=DateInput())
    objectives = forms.CharField(label=_("Objectifs"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(label=_("Engagements du jeune"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class PhaseEvaluationForm(BaseForm):
    end_date = EventDateField(label=_("Fin"), widget=DateInput())
    evaluation = forms.CharField(label=_("Évaluation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class AidForm(BaseForm):
    fund = forms.ChoiceField(label=_("Fonds"), choices=Fund.choices)
    decision_date = EventDateField(label=_("Date de la décision"), widget=DateInput())
    amount = forms.DecimalField(label=_("Montant (€)"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    purpose = forms.ChoiceField(label=_("Objet"), required=False, choices=[("", "—")] + AidPurpose.choices)


# --- workshops and information sessions ---------------------------------------------------------------------------


class WorkshopForm(BaseForm):
    name = NameField(label=_("Nom"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=WorkshopKind.choices, widget=forms.RadioSelect)
    theme = forms.ChoiceField(label=_("Thème"), choices=WorkshopTheme.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    run_by = forms.ChoiceField(label=_("Animé par"), choices=WorkshopRunner.choices, widget=forms.RadioSelect)
    partner_name = forms.CharField(label=_("Nom du partenaire"), required=False, max_length=200,
                                   help_text=_("Pour un atelier animé par un partenaire."))
    default_capacity = forms.IntegerField(label=_("Places par séance"), required=False, min_value=1,
                                          max_value=500)
    is_active = forms.BooleanField(label=_("Au catalogue"), required=False,
                                   help_text=_("Décochez pour ne plus en planifier de séance."))


class WorkshopSessionForm(BaseForm):
    date = EventDateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Heure de début"), required=False, widget=TimeInput())
    site = forms.ModelChoiceField(label=_("Lieu"), queryset=Site.objects.none(), required=False,
                                  empty_label=_("Siège"))
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1, max_value=500,
                                  help_text=_("Vide : les places par séance de l'atelier."))

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(territory=territory).order_by("name")


class SessionChoiceForm(BaseForm):
    """From the young person's file: one of the sessions to come of their territory."""

    session = forms.TypedChoiceField(label=_("Séance"), coerce=int)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(s.pk, _session_label(s)) for s in sessions]


def _session_label(session) -> str:
    when = session.date.strftime("%d/%m/%Y") + (f" {session.start_time:%H:%M}" if session.start_time else "")
    places = "" if session.capacity is None else " — " + str(
        _("complet") if session.taken >= session.capacity else _("%(n)s places libres") % {
            "n": session.capacity - session.taken})
    return f"{when} — {session.workshop}{places}"


class SessionRegisterForm(BaseForm):
    """From the session's page: the young person by their file's identifier (shown on the file)."""

    youth_ref = forms.CharField(label=_("Identifiant du dossier du jeune"), max_length=64,
                                help_text=_("Indiqué sur le dossier (J-…)."))


class AttendanceForm(BaseForm):
    """One status per registration of the page, in one POST: present or absent from the session's day on;
    before it, prescribed or refused."""

    def __init__(self, *args, registrations, session_held: bool, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = RegistrationStatus.values if session_held else list(BEFORE_SESSION_STATUSES)
        for registration in registrations:
            person = registration.youth_file.participant
            choices = [(code, label) for code, label in RegistrationStatus.choices
                       if code in allowed or code == registration.status]
            self.fields[f"r{registration.pk}"] = forms.ChoiceField(
                label=f"{person.last_name.upper()} {person.first_name}", choices=choices,
                initial=registration.status)

    def statuses(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
# --- immersions in companies (PMSMP) --------------------------------------------------------------------------------


class ImmersionForm(BaseForm):
    company_name = NameField(label=_("Entreprise d'accueil"), max_length=200)
    company_siret = SiretField(label=_("SIRET de l'entreprise"))
    company_address = forms.CharField(label=_("Adresse du lieu de l'immersion"), max_length=300)
    tutor_name = NameField(label=_("Tuteur·rice (nom et prénom)"), max_length=200)
    tutor_job = forms.CharField(label=_("Fonction du tuteur·rice"), max_length=200, required=False)
    tutor_phone = PhoneField(label=_("Téléphone du tuteur·rice"), required=False)
    tutor_email = forms.EmailField(label=_("Courriel du tuteur·rice"), required=False)
    trade = forms.CharField(label=_("Métier observé"), max_length=200)
    rome_code = forms.CharField(label=_("Code ROME (facultatif)"), max_length=6, required=False,
                                help_text=_("Une lettre et quatre chiffres : M1607."))
    start_date = EventDateField(label=_("Début"), widget=DateInput())
    end_date = EventDateField(label=_("Fin"), widget=DateInput(), help_text=_("Un mois au plus."))
    weekly_hours = forms.DecimalField(label=_("Heures par semaine"), min_value=Decimal("0.5"), max_digits=4,
                                      decimal_places=1)
    aim = forms.ChoiceField(label=_("Objet de l'immersion"), choices=PmsmpAim.choices)


class ImmersionCancelForm(BaseForm):
    reason = forms.CharField(label=_("Motif de l'annulation"), max_length=500, required=False)


class ImmersionConfirmForm(BaseForm):
    """A transition that carries nothing: the page only confirms it."""


class ImmersionEvaluationForm(BaseForm):
    date = EventDateField(label=_("Date de l'évaluation"), widget=DateInput())
    aptitudes = forms.CharField(label=_("Aptitudes observées (par le tuteur·rice)"), max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(label=_("Bilan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    hire_proposed = forms.BooleanField(label=_("L'entreprise propose une embauche"), required=False)


class FollowUpForm(BaseForm):
    date = EventDateField(label=_("Date du suivi"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Situation du jeune"), choices=FollowUpOutcome.choices)
    contract_type = forms.ChoiceField(label=_("Type de contrat (emploi)"), required=False,
                                      choices=[("", "—")] + YouthContractType.choices)
    employment_start = EventDateField(label=_("Début de l'emploi ou de l'alternance"), required=False,
                                      widget=DateInput(), help_text=_("Le jour du suivi si vide."))
    comment = forms.CharField(label=_("Commentaire"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
