"""French typography in templates: `{{ participant|of_name }}` is « de Léa Martin » or « d'Élodie Martin »."""

from django import template

from parcours.core.french import of_name as _of_name

register = template.Library()


@register.filter
def of_name(value) -> str:
    return _of_name(value)


@register.filter
def unlabelled(error, label) -> str:
    """The error without the field's name the services put first for the API ("Début : …"), where the page names
    the field itself — never « Début : Début : … »."""
    text, prefix = str(error), f"{label} :"
    return text[len(prefix):].lstrip() if text.casefold().startswith(prefix.casefold()) else text
