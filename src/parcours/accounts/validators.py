"""Password rule of CNIL deliberation 2022-100 (about 80 bits of entropy when the password stands alone).

Entropy is length × log2(alphabet size). Our table (each line gives at least 80 bits, or the CNIL's own example):
  12–13 characters: 4 classes (lower, upper, digit, special; about 90 symbols, the CNIL's example);
  14–15 characters: 3 classes (62 symbols or more: 14 × 5.95 = 83 bits);
  16–19 characters: 2 classes (36 symbols or more: 16 × 5.17 = 83 bits);
  20 characters and more: any (a passphrase; 26^20 = 94 bits; an all-digit one is refused elsewhere).
"""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULES = ((20, 1), (16, 2), (14, 3), (12, 4))


def character_classes(password: str) -> int:
    return sum((
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ))


class CharacterClassesValidator:
    def validate(self, password: str, user=None) -> None:
        length, classes = len(password), character_classes(password)
        for min_length, min_classes in RULES:
            if length >= min_length:
                if classes >= min_classes:
                    return
                break
        raise ValidationError(self.get_help_text(), code="password_too_weak")

    def get_help_text(self) -> str:
        return _("Le mot de passe doit compter au moins 12 caractères mêlant minuscules, majuscules, chiffres "
                 "et caractères spéciaux ; ou 14 caractères de 3 de ces types ; ou 16 caractères de 2 types ; "
                 "ou 20 caractères quelconques (une phrase de passe).")
