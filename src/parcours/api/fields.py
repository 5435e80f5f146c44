"""Serializer fields carrying the plausibility rules (core/plausibility.py), as the web forms' fields do."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from parcours.core import plausibility


class BirthDateField(serializers.DateField):
    default_validators = [plausibility.validate_birth_date]


class EventDateField(serializers.DateField):
    """Any date of a file other than a birth date (1990 to five years ahead)."""

    default_validators = [plausibility.validate_event_date]


class NameField(serializers.CharField):
    """A name or a label: control and invisible characters stripped, refused if nothing visible is left."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return plausibility.name_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class PhoneField(serializers.CharField):
    """A phone number, stored in E.164 (`+33612345678`); French numbers may be written nationally."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return plausibility.phone_e164(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class SiretField(serializers.CharField):
    """A SIRET with or without the spaces people type, passed on as its 14 digits (the service checks its key)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return plausibility.siret_compact(super().to_internal_value(data))


class PlausibleModelSerializer(serializers.ModelSerializer):
    """A writing model serializer whose generated date and text fields follow the plausibility rules."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        serializers.models.DateField: EventDateField,
        serializers.models.CharField: NameField,
    }
