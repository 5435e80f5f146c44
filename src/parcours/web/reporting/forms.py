"""The selection of the indicators page and its exports: a period, an operator structure, a referent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.core.plausibility import validate_event_date
from parcours.organisations.access import referents_of
from parcours.organisations.capabilities import REPORTING_READ
from parcours.organisations.scope import territory_ids_with
from parcours.organisations.enums import OrganisationKind
from parcours.organisations.models import Organisation, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReferentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


@dataclass(frozen=True)
class Selection:
    """What the figures are computed on (the territories come from the user's rights)."""

    territory_ids: frozenset[int]
    date_from: date
    date_to: date
    operator: Organisation | None = None
    referent: User | None = None

    def query(self, **override) -> str:
        """The query string of this selection, for links (database ids and dates only)."""
        from django.http import QueryDict

        params = QueryDict(mutable=True)
        values = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat(),
                  "operator": self.operator.pk if self.operator else "",
                  "referent": self.referent.pk if self.referent else ""}
        values.update(override)
        for key, value in values.items():
            if value not in ("", None):
                params[key] = str(value)
        return params.urlencode()


# Dates outside this range are typing mistakes (the year-by-year series goes 4 years back).
def default_period(today: date) -> tuple[date, date]:
    """The current calendar year so far."""
    return date(today.year, 1, 1), today


class IndicatorsFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("La date de début n'est pas une date valide (jj/mm/aaaa).")})
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("La date de fin n'est pas une date valide (jj/mm/aaaa).")})
    operator = forms.ModelChoiceField(
        label=_("Structure référente"), required=False, queryset=Organisation.objects.none(),
        empty_label=_("Toutes les structures"),
        error_messages={"invalid_choice": _("Cette structure référente n'existe pas sur votre territoire.")})
    referent = ReferentChoiceField(
        label=_("Référent·e"), required=False, queryset=User.objects.none(),
        empty_label=_("Tous les référent·es"),
        error_messages={"invalid_choice": _("Ce ou cette référent·e n'existe pas sur votre territoire.")})

    def __init__(self, data=None, *, user: User, today: date | None = None):
        self.today = today or timezone.localdate()
        self.territory_ids = frozenset(territory_ids_with(user, REPORTING_READ))
        start, end = default_period(self.today)
        # Always bound: a missing field takes its default, so the page shows figures at once.
        values = {"date_from": start.isoformat(), "date_to": end.isoformat(), "operator": "", "referent": ""}
        if data:
            values.update({key: data.get(key, "") for key in values if key in data})
        super().__init__(values, label_suffix="")
        self.fields["operator"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.OPERATOR, territory_id__in=self.territory_ids).order_by("name")
        self.fields["referent"].queryset = User.objects.filter(
            pk__in=referents_of(self.territory_ids).values("user_id")).order_by("last_name", "first_name", "pk")

    def _in_range(self, value: date | None, default: date) -> date:
        if value is None:
            return default
        validate_event_date(value)   # the window every date of a file keeps (core/plausibility.py)
        return value

    def clean_date_from(self):
        return self._in_range(self.cleaned_data["date_from"], default_period(self.today)[0])

    def clean_date_to(self):
        return self._in_range(self.cleaned_data["date_to"], default_period(self.today)[1])

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("La date de fin précède la date de début."))
        return cleaned

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(territory_ids=self.territory_ids, date_from=data["date_from"], date_to=data["date_to"],
                         operator=data["operator"], referent=data["referent"])
