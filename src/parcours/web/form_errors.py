"""A service's refusal (ValidationError) shown on the form that asked it: each message under its field, the others
at the top of the form. One helper for every page (docs/architecture.md: views thin, rules in the services)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError

from parcours.core.workflow import TransitionRefused


def validation_error_apply(form: forms.BaseForm, error: ValidationError, *,
                           renames: Mapping[str, str] | None = None) -> None:
    """`renames` maps a service's field to the form's (a service's `starts_at` is the form's `day` and `hour`)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (renames or {}).get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def stale_form(form_class, request, current_version: int, error: Exception, **kwargs) -> forms.BaseForm:
    """A save refused as stale (core.concurrency): the form again with what was typed and the current version, and
    why at the top — a second, informed save applies it."""
    data = request.POST.copy()
    data["version"] = str(current_version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, str(error))
    return form


def form_write(form: forms.BaseForm, save: Callable[[], object], *,
               refused: Callable[[forms.BaseForm, TransitionRefused], None] | None = None) -> bool:
    """Run `save` for a valid form; True once it wrote. A service's refusal goes under its field; a workflow's
    refusal through `refused` (which knows the fields its messages name), else at the top of the form."""
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        validation_error_apply(form, error)
        return False
    except TransitionRefused as refusal:
        if refused is None:
            form.add_error(None, refusal.message)
        else:
            refused(form, refusal)
        return False
    return True
