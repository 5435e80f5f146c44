"""Forms of the agenda. They parse and label; the rules live in agenda.services."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.agenda.enums import AgendaView
from parcours.agenda.models import MAX_MEETING_MINUTES
from parcours.pathways.enums import AppointmentKind, ContactMode
from parcours.web.pathways.forms import BaseForm, DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _moment(day, hour) -> datetime | None:
    if day is None or hour is None:
        return None
    return timezone.make_aware(datetime.combine(day, hour), timezone.get_current_timezone())


class WhenMixin:
    """A day and an hour, typed apart (what phones offer), made one aware moment."""

    def starts_at(self) -> datetime | None:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return _moment(data.get("day"), data.get("hour"))


class MeetingForm(WhenMixin, BaseForm):
    subject = forms.CharField(label=_("Objet"), max_length=200,
                              help_text=_("Ce que la personne lira sur sa convocation (ex. : point sur la recherche "
                                          "d'emploi)."))
    day = forms.DateField(label=_("Date"), widget=DateInput())
    hour = forms.TimeField(label=_("Heure"), widget=TimeInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1, max_value=MAX_MEETING_MINUTES)
    kind = forms.ChoiceField(label=_("Type"), choices=AppointmentKind.choices,
                             help_text=_("Un rendez-vous collectif reçoit d'autres personnes ensuite."))
    mode = forms.ChoiceField(label=_("Modalité"), choices=[("", "—"), *ContactMode.choices])
    helpdesk = forms.ModelChoiceField(label=_("Lieu d'accueil"), queryset=None, required=False,
                                      empty_label=_("— aucun (autre lieu) —"))
    place = forms.CharField(label=_("Précision ou autre adresse"), max_length=200, required=False,
                            help_text=_("Salle, étage, ou l'adresse quand ce n'est pas un lieu d'accueil."))
    send_email = forms.BooleanField(label=_("Envoyer la convocation par courriel"), required=False)

    def __init__(self, *args, helpdesks, can_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpdesk"].queryset = helpdesks
        if not can_email:
            del self.fields["send_email"]

    def fieldsets(self):
        when = [self["subject"], self["day"], self["hour"], self["duration_minutes"], self["kind"], self["mode"]]
        where = [self["helpdesk"], self["place"]]
        convocation = [self["send_email"]] if "send_email" in self.fields else []
        sets = [(_("Le rendez-vous"), when), (_("Le lieu"), where)]
        if convocation:
            sets.append((_("La convocation"), convocation))
        return sets


class MoveForm(WhenMixin, BaseForm):
    day = forms.DateField(label=_("Nouvelle date"), widget=DateInput())
    hour = forms.TimeField(label=_("Nouvelle heure"), widget=TimeInput())
    reason = forms.CharField(label=_("Motif du déplacement"), max_length=300)


class ReasonForm(BaseForm):
    reason = forms.CharField(label=_("Motif"), max_length=300)


class SeenForm(BaseForm):
    duration_minutes = forms.IntegerField(label=_("Durée réelle (minutes)"), min_value=1,
                                          max_value=MAX_MEETING_MINUTES, required=False,
                                          help_text=_("Vide : la durée prévue."))
    summary = forms.CharField(label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttendeeForm(BaseForm):
    pathway = forms.ModelChoiceField(label=_("Personne à ajouter"), queryset=None)

    def __init__(self, *args, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].queryset = pathways
        self.fields["pathway"].label_from_instance = lambda p: f"{p.participant.last_name.upper()} " \
                                                              f"{p.participant.first_name} (n° {p.pk})"


class AgendaFilterForm(BaseForm):
    vue = forms.ChoiceField(label=_("Affichage"), choices=AgendaView.choices, required=False)
    date = forms.DateField(label=_("À partir du"), widget=DateInput(), required=False)
    referent = forms.ModelChoiceField(label=_("Référent·e"), queryset=None, required=False,
                                      empty_label=_("— tous ceux que je vois —"))

    def __init__(self, *args, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents
        self.fields["referent"].label_from_instance = lambda u: u.get_full_name() or u.email
