"""`{% submission_token %}`: the hidden one-time token of a creating form (parcours.web.submission)."""

import uuid

from django import template
from django.utils.html import format_html

from ..submission import FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())
