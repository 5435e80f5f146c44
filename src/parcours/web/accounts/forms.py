from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parcours.organisations.models import User

from parcours.accounts import lockout, twofactor


class LoginForm(AuthenticationForm):
    """Django's sign-in form, refused while the account or the IP is locked; failures are counted."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            locked = lockout.lock_message(self.request, username)
            if locked:
                lockout.logger.warning("login refused reason=locked")
                raise ValidationError(locked, code="locked")
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                known = User.objects.filter(email__iexact=username.strip()).first()
                lockout.failure_record(self.request, username, known)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            # Failures are cleared when the sign-in completes (LoginView, verify), not here: the right password
            # alone must not wipe the wrong second-factor codes counted against the account.
        return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Code à usage unique"), max_length=16,
                            help_text=_("Le code à 6 chiffres de votre application, ou un code de secours."))


class PasswordForm(forms.Form):
    """Re-authentication before a sensitive change (e-mail, second factor, a role opening personal data): the
    password, and the second factor's code when the user has a device."""

    password = forms.CharField(label=_("Mot de passe actuel"), widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        if twofactor.has_device(user):
            self.fields["token"] = forms.CharField(
                label=_("Code à usage unique"), max_length=16,
                help_text=_("Le code à 6 chiffres de votre application, ou un code de secours."))

    def clean(self):
        cleaned = super().clean()
        if "token" in self.fields and "password" in cleaned and cleaned.get("token"):
            # After the password only: a wrong password must not consume a recovery code.
            if twofactor.token_check(self.user, cleaned["token"]) is None:
                lockout.failure_record(self.request, self.user.email, self.user, reason="otp")
                self.add_error("token", _("Code incorrect ou expiré."))
        return cleaned

    def clean_password(self):
        password = self.cleaned_data["password"]
        locked = lockout.lock_message(self.request, self.user.email)
        if locked:
            raise ValidationError(locked, code="locked")
        if not self.user.check_password(password):
            lockout.failure_record(self.request, self.user.email, self.user, reason="reauth")
            raise ValidationError(_("Mot de passe incorrect."), code="invalid")
        return password


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("Nouveau courriel"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError(_("Ce courriel est déjà utilisé par un autre compte."), code="unique")
        return email


class OwnPasswordChangeForm(PasswordChangeForm):
    pass


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("Courriel"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "username"}),
                             error_messages={"required": _("Indiquez l'adresse de courriel de votre compte."),
                                             "invalid": _("Cette adresse de courriel n'est pas valide.")})


class NewPasswordForm(SetPasswordForm):
    """Choosing one's password from the e-mailed link (a forgotten password, an invitation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nouveau mot de passe")
        self.fields["new_password2"].label = _("Confirmation du nouveau mot de passe")
