"""French typography the interface needs around names it does not know in advance."""

from __future__ import annotations

import unicodedata

# Before a vowel or a mute h, « de » elides: « d'Élodie », « d'Hugo ». (An aspirated h is rare in first names;
# a name beginning with an aspirated h reads « d'Hervé » in current usage too.)
_ELIDING = set("aeiouyhœæ")


def elides(word: str) -> bool:
    """Whether « de », « le », « que » elide before `word`: its first letter, accents removed, is a vowel or h."""
    first = unicodedata.normalize("NFKD", word.lstrip()[:1]).casefold()[:1]
    return bool(first) and first in _ELIDING


def of_name(name: object) -> str:
    """« de Léa Martin », « d'Élodie Martin »: the name after « de », elided where French elides it."""
    text = str(name)
    return f"d'{text}" if elides(text) else f"de {text}"
