"""Form fields carrying the plausibility rules (core/plausibility.py): every web form uses these, none repeats them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import plausibility


class BirthDateField(forms.DateField):
    default_validators = [plausibility.validate_birth_date]


class EventDateField(forms.DateField):
    """Any date of a file other than a birth date (1990 to five years ahead)."""

    default_validators = [plausibility.validate_event_date]


class NameField(forms.CharField):
    """A name or a label: control and invisible characters stripped, refused if nothing visible is left."""

    def to_python(self, value):
        value = super().to_python(value)
        return plausibility.name_clean(value) if value not in self.empty_values else value


class PhoneField(forms.CharField):
    """A phone number, returned in E.164 (as stored); the form shows a stored one in the national format."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return plausibility.phone_display(value) if isinstance(value, str) and value.startswith("+") else value

    def to_python(self, value):
        value = super().to_python(value)
        return plausibility.phone_e164(value) if value not in self.empty_values else value


class SiretField(forms.CharField):
    """A SIRET typed with or without spaces (`732 829 320 00074`), returned as its 14 digits, its key checked."""

    default_validators = [plausibility.siret_validate]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)   # 14 digits and the spaces people type between the groups
        kwargs.setdefault("help_text", _("14 chiffres ; les espaces sont acceptés (732 829 320 00074)."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value):
        value = super().to_python(value)
        return plausibility.siret_compact(value) if value not in self.empty_values else value
