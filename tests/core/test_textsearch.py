"""Folding names for search: the same in Python, on SQLite and on PostgreSQL."""

import pytest
from parcours.core.textsearch import _LETTERS, Folded, fold
from parcours.participants.models import Participant
from tests import factories


@pytest.mark.parametrize(("typed", "folded"), [
    ("Mélanie", "melanie"), ("LEFÈVRE-Dupré", "lefevredupre"), ("N'Diaye", "ndiaye"), ("Œuvray", "oeuvray"),
    ("Lætitia", "laetitia"), ("Strauß", "strauss"), ("  jean pierre ", "jeanpierre"), ("Çelik", "celik"),
    ("Łukasz", "lukasz"), ("", ""), (None, ""),
])
def test_fold(typed, folded):
    assert fold(typed) == folded


@pytest.mark.django_db
def test_the_database_folds_as_python_does_for_every_listed_letter():
    text = _LETTERS + " ABCdef-'’.0123"
    factories.ParticipantFactory(last_name=text)
    folded = Participant.objects.annotate(f=Folded("last_name")).values_list("f", flat=True).get()
    assert folded == fold(text)
