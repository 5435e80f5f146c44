"""One form renderer for the whole interface (FORM_RENDERER): a form written `{{ form }}` lays its fields out as
the hand-written pages do — each in a `.field` block, its label, help and errors linked by Django's field group —
instead of Django's bare default."""

from django.forms.renderers import DjangoTemplates


class ParcoursFormRenderer(DjangoTemplates):
    form_template_name = "web/forms/form.html"
