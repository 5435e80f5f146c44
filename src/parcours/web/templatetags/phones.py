"""`{{ number|phone }}`: a stored phone number (E.164) as people read it (core/plausibility.phone_display)."""

from django import template

from parcours.core.plausibility import phone_display

register = template.Library()


@register.filter
def phone(value: str | None) -> str:
    return phone_display(value) if value else ""
