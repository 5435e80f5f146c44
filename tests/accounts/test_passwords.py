import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import factories


@pytest.mark.parametrize("password", [
    "Abcdefgh1!xy",          # 12 characters, 4 classes
    "Abcdefghijk12z",        # 14 characters, 3 classes
    "abcdefghijk12zqw",      # 16 characters, 2 classes
    "la mer est calme ce soir",  # passphrase, 20+ characters
])
def test_strong_passwords_are_accepted(password):
    validate_password(password)


@pytest.mark.parametrize("password", [
    "Abcdefgh1!x",           # 11 characters
    "Abcdefghij12",          # 12 characters, 3 classes only
    "abcdefghijk12z",        # 14 characters, 2 classes
    "abcdefghijklmnop",      # 16 characters, 1 class
    "123456789012345678901",  # all digits
])
def test_weak_passwords_are_refused_in_french(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    text = " ".join(error.value.messages)
    assert "mot de passe" in text.lower() or "caractères" in text


def test_common_password_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_password("Password1234")
    assert any("courant" in m for m in error.value.messages)


def test_password_like_the_email_is_refused():
    user = factories.UserFactory.build(email="camille.durand-martin@example.org", first_name="Camille",
                                       last_name="Durand-Martin")
    with pytest.raises(ValidationError):
        validate_password("Camille.Durand-Martin1", user)


def test_no_periodic_password_change(settings):
    """CNIL 2022-100: no forced renewal; nothing in the settings or the user model expires passwords."""
    assert not any(hasattr(settings, name) for name in ("PASSWORD_EXPIRY_DAYS", "PARCOURS_PASSWORD_MAX_AGE"))
    assert not any(f.name.startswith("password_") for f in factories.UserFactory._meta.model._meta.fields)
