"""« de » before a name: elided before a vowel or an h, as French writes it."""

import html

import pytest
from django.template import Context, Template

from parcours.core.french import of_name


@pytest.mark.parametrize(("name", "expected"), [
    ("Élodie Martin", "d'Élodie Martin"), ("Anne Durand", "d'Anne Durand"), ("Hugo Petit", "d'Hugo Petit"),
    ("Yanis Benali", "d'Yanis Benali"), ("Œrjan Lund", "d'Œrjan Lund"), ("Léa Martin", "de Léa Martin"),
    ("Participant·e n° 12", "de Participant·e n° 12"), ("", "de "),
])
def test_of_name(name, expected):
    assert of_name(name) == expected


def test_the_template_filter_elides_inside_a_translated_sentence():
    template = Template("{% load i18n french %}{% blocktranslate with name=person|of_name %}Candidature {{ name }}"
                        "{% endblocktranslate %}")
    # The apostrophe is escaped like any text (&#x27;); the browser shows it.
    assert html.unescape(template.render(Context({"person": "Élodie Martin"}))) == "Candidature d'Élodie Martin"
    assert template.render(Context({"person": "<b>Léa</b>"})) == "Candidature de &lt;b&gt;Léa&lt;/b&gt;"
