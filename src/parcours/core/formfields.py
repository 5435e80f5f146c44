"""Form fields carrying the plausibility rules (core/plausibility.py): every web form uses these, none repeats them."""

from __future__ import annotations

from django import forms

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
