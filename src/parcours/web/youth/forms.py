"""The period of the Mission Locale's activity report (both days included)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.plausibility import validate_event_date

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
