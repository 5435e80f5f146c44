"""A service's refusal (ValidationError) shown on the form that asked it: each message under its field, the others
at the top of the form. One helper for every page (docs/architecture.md: views thin, rules in the services)."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def validation_error_apply(form: forms.BaseForm, error: ValidationError, *,
                           renames: Mapping[str, str] | None = None) -> None:
    """`renames` maps a service's field to the form's (a service's `starts_at` is the form's `day` and `hour`)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (renames or {}).get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
