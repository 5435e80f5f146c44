"""Forms of the intake. They shape the input; the rules live in parcours.plie.intake.services."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from parcours.web.held_files import HeldFileInput
from parcours.core.formfields import BirthDateField, EventDateField, NameField, PhoneField
from parcours.participants.enums import Barrier, EducationLevel, Sex
from parcours.participants.models import Participant
from parcours.pathways.enums import BarrierLevel, ContactMode
from parcours.plie.definition import CRITERIA, SITUATION_CHOICES, SITUATION_CRITERIA
from parcours.territory.models import Commune, Qpv, Territory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IntakeForm(forms.Form):
    """Labels without suffix, French errors; `fieldsets()` groups the fields for the template."""

    groups: list[tuple[object, list[str]]] = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def fieldsets(self) -> list[tuple[object, list]]:
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.groups]


def _live(field: forms.Field) -> None:
    """Re-render the eligibility panel when this field changes (htmx, POST: no personal data in URLs)."""
    field.widget.attrs.update({
        "hx-post": reverse_lazy("intake:eligibility_preview"), "hx-trigger": "change",
        "hx-target": "#eligibilite", "hx-swap": "innerHTML",
        # One eligibility request at a time for the whole form: a newer change aborts the one in
        # flight, so a late answer about older values never overwrites the current verdict.
        "hx-sync": "closest form:replace",
        "hx-include": "#id_birth_date, #id_commune, #id_qpv, [name='situations'], #id_prescriber_organisation",
    })


class PersonFields(IntakeForm):
    """Identity, contact and situation of the person, scoped to one territory."""

    last_name = NameField(label=_("Nom"), max_length=150)
    first_name = NameField(label=_("Prénom"), max_length=150)
    birth_name = NameField(label=_("Nom de naissance"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = BirthDateField(label=_("Date de naissance"), widget=DateInput())
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = PhoneField(label=_("Téléphone"), required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("Code postal"), max_length=5, required=False,
                                  validators=[RegexValidator(r"^\d{5}$", _("Le code postal compte 5 chiffres."))],
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    commune = forms.ModelChoiceField(label=_("Commune de résidence"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_("Commune hors du territoire ou inconnue"))
    qpv = forms.ModelChoiceField(label=_("Quartier prioritaire (QPV)"), queryset=Qpv.objects.none(), required=False,
                                 empty_label=_("Ne réside pas en QPV"),
                                 help_text=_("Le quartier doit être situé dans la commune indiquée."))
    education_level = forms.ChoiceField(label=_("Niveau de formation"), required=False,
                                        choices=[("", _("Non renseigné"))] + EducationLevel.choices)
    # The PLIE's criteria (plie.definition.CRITERIA): another programme's are not asked here.
    situations = forms.MultipleChoiceField(label=_("Situations"), choices=SITUATION_CHOICES, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    deld = forms.BooleanField(label=next(c.label for c in CRITERIA if c.code == "deld"), required=False)

    person_fields = ("last_name", "first_name", "birth_name", "sex", "birth_date", "email", "phone", "address",
                     "postal_code", "commune", "qpv", "education_level")

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory)
        self.fields["qpv"].queryset = Qpv.objects.filter(territory=territory)
        for name in ("last_name", "first_name", "birth_name", "email", "address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        commune, qpv = cleaned.get("commune"), cleaned.get("qpv")
        if qpv and commune and qpv.commune_id != commune.pk:
            self.add_error("qpv", _("Ce quartier prioritaire n'est pas situé dans la commune indiquée."))
        return cleaned

    def person(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.person_fields}

    @staticmethod
    def initial_from(participant: Participant) -> dict:
        initial = {name: getattr(participant, name) for name in PersonFields.person_fields}
        initial["situations"] = [code for code in participant.situation_codes if code in SITUATION_CRITERIA]
        initial["deld"] = bool(participant.situation("deld"))
        return initial


class ApplicationForm(PersonFields):
    prescriber_organisation = forms.ModelChoiceField(label=_("Structure prescriptrice"), queryset=None,
                                                     empty_label=None)
    barriers_seen = forms.MultipleChoiceField(label=_("Freins repérés"), choices=Barrier.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    motivation = forms.CharField(label=_("Pourquoi le PLIE ?"), widget=forms.Textarea(attrs={"rows": 5}),
                                 help_text=_("Ce que la personne attend d'un accompagnement renforcé et pourquoi "
                                             "vous le lui proposez."))
    participant_signed_on = EventDateField(label=_("Date de signature par la personne"), widget=DateInput())
    prescriber_signed_on = EventDateField(label=_("Date de signature par le prescripteur"), widget=DateInput())
    signed_scan = forms.FileField(label=_("Dossier signé (scan)"),
                                  help_text=_("PDF, JPEG ou PNG, signé par la personne et le prescripteur."),
                                  widget=HeldFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    confirm_sent_again = forms.BooleanField(
        label=_("Je confirme l'envoi d'une seconde candidature pour cette personne"), required=False)

    groups = [
        (_("Structure prescriptrice"), ["prescriber_organisation"]),
        (_("Identité"), ["last_name", "first_name", "birth_name", "sex", "birth_date"]),
        (_("Coordonnées et résidence"), ["email", "phone", "address", "postal_code", "commune", "qpv"]),
        (_("Formation et situation"), ["education_level", "situations", "deld"]),
        (_("Freins et motivation"), ["barriers_seen", "motivation"]),
        (_("Signatures"), ["participant_signed_on", "prescriber_signed_on", "signed_scan"]),
        (_("Candidature déjà envoyée"), ["confirm_sent_again"]),
    ]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prescriber_organisation"].queryset = organisations
        for name in ("birth_date", "commune", "qpv", "situations", "prescriber_organisation"):
            _live(self.fields[name])

    def fieldsets(self) -> list[tuple[object, list]]:
        # The confirmation is asked only once the warning was given (or the box already ticked).
        asked = self.is_bound and ("confirm_sent_again" in self.errors or self.data.get("confirm_sent_again"))
        return [(legend, fields) for legend, fields in super().fieldsets()
                if asked or [f.name for f in fields] != ["confirm_sent_again"]]


class EligibilityPreviewForm(forms.Form):
    """The few fields the live eligibility panel reads; missing ones leave the panel waiting."""

    birth_date = BirthDateField(required=False)
    commune = forms.ModelChoiceField(queryset=Commune.objects.none(), required=False)
    qpv = forms.ModelChoiceField(queryset=Qpv.objects.none(), required=False)
    situations = forms.MultipleChoiceField(choices=SITUATION_CHOICES, required=False)

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory)
        self.fields["qpv"].queryset = Qpv.objects.filter(territory=territory).select_related("commune")


class AssignForm(IntakeForm):
    membership = forms.TypedChoiceField(label=_("Référent·e"), coerce=int, widget=forms.RadioSelect,
                                        error_messages={"required": _("Choisissez un·e référent·e.")})

    def __init__(self, *args, caseloads, **kwargs):
        super().__init__(*args, **kwargs)
        self.caseloads = caseloads
        self.fields["membership"].choices = [(c.membership.pk, str(c.membership.user)) for c in caseloads]


class ReceptionInterviewForm(IntakeForm):
    date = EventDateField(label=_("Date de l'entretien"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Modalité"), choices=ContactMode.choices)
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1,
                                          error_messages={"min_value": _("La durée doit être d'au moins une minute.")})
    place = NameField(label=_("Lieu"), max_length=200)
    summary = forms.CharField(label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    groups = [(_("Nouvel entretien de premier accueil"), ["date", "mode", "duration_minutes", "place", "summary"])]


BARRIER_LEVEL_CHOICES = [("", _("Pas de frein"))] + BarrierLevel.choices


class AssessmentForm(IntakeForm):
    strengths = forms.CharField(label=_("Points d'appui"), widget=forms.Textarea(attrs={"rows": 4}))
    professional_project = forms.CharField(label=_("Projet professionnel"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(label=_("Préconisations"), widget=forms.Textarea(attrs={"rows": 4}),
                                      help_text=_("Présentées à la commission d'agrément : PLIE ou autre dispositif."))

    groups = [(_("Bilan"), ["strengths", "professional_project", "recommendations"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in Barrier.values:
            self.fields[f"level_{code}"] = forms.ChoiceField(label=_("Niveau"), choices=BARRIER_LEVEL_CHOICES,
                                                            required=False)
            self.fields[f"comment_{code}"] = forms.CharField(label=_("Observation"), required=False,
                                                             widget=forms.Textarea(attrs={"rows": 2}))

    def barrier_rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [(code, label, self[f"level_{code}"], self[f"comment_{code}"]) for code, label in Barrier.choices]

    def clean(self):
        cleaned = super().clean()
        for code, label in Barrier.choices:
            if cleaned.get(f"comment_{code}", "").strip() and not cleaned.get(f"level_{code}"):
                self.add_error(f"level_{code}", _("Indiquez le niveau du frein « %(barrier)s » commenté.")
                               % {"barrier": label})
        return cleaned

    def barriers(self) -> dict:
        from parcours.plie.intake.services import BarrierAssessed

        return {code: BarrierAssessed(self.cleaned_data[f"level_{code}"], self.cleaned_data[f"comment_{code}"])
                for code, _label in Barrier.choices if self.cleaned_data.get(f"level_{code}")}

    @staticmethod
    def initial_from(assessment, reviews) -> dict:
        initial = {}
        if assessment is not None:
            initial.update(strengths=assessment.strengths, professional_project=assessment.professional_project,
                           recommendations=assessment.recommendations)
        for review in reviews:
            initial[f"level_{review.barrier}"] = review.level
            initial[f"comment_{review.barrier}"] = review.comment
        return initial


class PersonSearchForm(IntakeForm):
    last_name = NameField(label=_("Nom"), max_length=150)
    first_name = NameField(label=_("Prénom"), max_length=150, required=False)
    birth_date = BirthDateField(label=_("Date de naissance"), widget=DateInput())
    purpose = forms.ChoiceField(choices=[("application", "application"), ("collective", "collective")],
                                widget=forms.HiddenInput)

    groups = [(_("Rechercher une personne déjà connue"), ["last_name", "first_name", "birth_date"])]


class CollectiveEntryForm(PersonFields):
    action_name = NameField(label=_("Action collective du PLIE"), max_length=200)
    selected_on = EventDateField(label=_("Retenu·e pour l'action le"), widget=DateInput(),
                                  help_text=_("Cette date est la date d'entrée dans le PLIE."))
    membership = forms.TypedChoiceField(label=_("Référent·e"), coerce=int,
                                        error_messages={"required": _("Choisissez un·e référent·e.")})

    groups = [
        (_("Action collective"), ["action_name", "selected_on", "membership"]),
        (_("Identité"), ["last_name", "first_name", "birth_name", "sex", "birth_date"]),
        (_("Coordonnées et résidence"), ["email", "phone", "address", "postal_code", "commune", "qpv"]),
        (_("Formation et situation"), ["education_level", "situations", "deld"]),
    ]

    def __init__(self, *args, caseloads, known_person: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [("", _("Choisir…"))] + [
            (c.membership.pk, f"{c.membership.user} — {c.membership.organisation}") for c in caseloads]
        if known_person:
            # The person's file exists: only the entry itself is asked for.
            for name in list(self.fields):
                if name not in ("action_name", "selected_on", "membership"):
                    del self.fields[name]
