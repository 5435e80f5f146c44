"""French typography in templates: `{{ participant|of_name }}` is « de Léa Martin » or « d'Élodie Martin »."""

from django import template

from parcours.core.french import of_name as _of_name

register = template.Library()


@register.filter
def of_name(value) -> str:
    return _of_name(value)
