"""Sign-in (password, then second factor), second-factor management, password and e-mail changes, a forgotten
password."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from parcours.audit.services import audit_record
from parcours.organisations.models import User
from parcours.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

from parcours.accounts import lockout, twofactor
from parcours.accounts.mail import password_reset_request
from parcours.accounts.selectors import api_tokens_of
from parcours.accounts.services import api_token_revoke as token_revoke
from .forms import (
    EmailChangeForm, LoginForm, NewPasswordForm, OwnPasswordChangeForm, PasswordForm, PasswordResetRequestForm, TokenForm,
)
from parcours.accounts.sessions import REAUTH_AT, now, reauth_fresh, session_register, sessions_end

PENDING = "parcours.pending_login"
PENDING_SECONDS = 300


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    """Password first; a user with a second factor is signed in only after the code (verify)."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = DEMO_ACCOUNTS if settings.DEMO_MODE else []
        context["demo_password"] = DEMO_PASSWORD
        return context

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_device(user):
            self.request.session[PENDING] = {"user_id": user.pk, "backend": user.backend, "at": now(),
                                             "next": self.get_success_url()}
            return redirect("accounts:verify")
        auth_login(self.request, user)
        lockout.failures_clear(user.email)
        return redirect(self.get_success_url())


def verify(request):
    """Second step of sign-in, or step-up of a signed-in user whose session is not yet verified."""
    pending = request.session.get(PENDING)
    if request.user.is_authenticated:
        user, next_url = request.user, _safe_next(request, reverse("web:home"))
    elif pending and now() - pending["at"] <= PENDING_SECONDS:
        user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
        next_url = pending["next"]
    else:
        request.session.pop(PENDING, None)
        messages.info(request, _("Identifiez-vous d'abord avec votre mot de passe."))
        return redirect("web:login")
    if user is None or not twofactor.has_device(user):
        return redirect("accounts:twofactor_enrol" if request.user.is_authenticated else "web:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = lockout.lock_message(request, user.email)
        device = None if locked else twofactor.token_check(user, form.cleaned_data["token"])
        if locked:
            form.add_error(None, locked)
        elif device is None:
            lockout.failure_record(request, user.email, user, reason="otp")
            form.add_error("token", _("Code incorrect ou expiré."))
        else:
            if not request.user.is_authenticated:
                del request.session[PENDING]
                auth_login(request, user, backend=pending["backend"])
            twofactor.mark_verified(request, device)
            lockout.failures_clear(user.email)
            if isinstance(device, StaticDevice):
                messages.warning(request, _("Vous avez utilisé un code de secours ; il vous en reste %(n)s.")
                                 % {"n": twofactor.recovery_codes_left(user)})
            return redirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def reauth_required(view):
    """The user typed their password less than PARCOURS_REAUTH_SECONDS ago, or is asked for it now."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not reauth_fresh(request):
            target = request.get_full_path() if request.method == "GET" else reverse("accounts:account")
            return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': target})}")
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def reauthenticate(request):
    form = PasswordForm(request.POST or None, user=request.user, request=request)
    next_url = _safe_next(request, reverse("accounts:account"))
    if request.method == "POST" and form.is_valid():
        request.session[REAUTH_AT] = now()
        if twofactor.is_verified(request) or not twofactor.has_device(request.user):
            # A session still waiting for its code must not clear the wrong codes by retyping the password.
            lockout.failures_clear(request.user.email)
        return redirect(next_url)
    return render(request, "accounts/reauthenticate.html",
                  {"form": form, "next": next_url, "ask_token": "token" in form.fields})


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "has_device": twofactor.has_device(request.user),
        "required": twofactor.second_factor_required(request.user),
        "codes_left": twofactor.recovery_codes_left(request.user),
        "tokens": list(api_tokens_of(user=request.user)),
    })


@require_POST
@login_required
def api_token_revoke(request, pk: int):
    """Revoke one of the user's own API tokens; another user's is a 404."""
    token = get_object_or_404(api_tokens_of(user=request.user), pk=pk)
    try:
        token_revoke(token=token, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le jeton « %(label)s » est révoqué.") % {"label": token.label})
    return redirect(_safe_next(request, reverse("accounts:account")))


@reauth_required
def twofactor_enrol(request):
    user = request.user
    if twofactor.has_device(user) and not twofactor.is_verified(request):
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
    device = twofactor.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["token"].split())):
            with transaction.atomic():
                codes = twofactor.enrolment_confirm(user, device)
            twofactor.mark_verified(request, device)
            lockout.logger.info("second factor enrolled user_id=%s", user.pk)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("token", _("Code incorrect : vérifiez l'heure de votre téléphone et saisissez le code affiché."))
    return render(request, "accounts/twofactor_enrol.html", {
        "form": form, "qr_svg": twofactor.qr_svg(device, user.email), "secret": twofactor.secret_text(device),
    })


@require_POST
@reauth_required
def recovery_codes_regenerate(request):
    if not (twofactor.has_device(request.user) and twofactor.is_verified(request)):
        return redirect("accounts:account")
    codes = twofactor.recovery_codes_issue(request.user)
    lockout.logger.info("recovery codes regenerated user_id=%s", request.user.pk)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
@reauth_required
def twofactor_remove(request):
    if twofactor.second_factor_required(request.user):
        messages.error(request, _("Votre rôle exige la double authentification : vous pouvez la remplacer, "
                                  "pas la retirer."))
        return redirect("accounts:account")
    twofactor.second_factor_remove(request.user)
    request.session.pop(twofactor.OTP_VERIFIED, None)
    lockout.logger.info("second factor removed user_id=%s", request.user.pk)
    messages.success(request, _("La double authentification est désactivée."))
    return redirect("accounts:account")


@reauth_required
def email_change(request):
    user = request.user
    form = EmailChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = {"email": user.email}
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
            audit_record(actor=user, action="user_email_changed", obj=user, participant_id=None,
                         before=before, after={"email": user.email})
        messages.success(request, _("Votre courriel est modifié."))
        return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Asks the current password; the other sessions of the user end, this one carries on."""

    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions_end(self.request.user, keep=self.request.session.session_key)
        session_register(self.request, self.request.user)
        messages.success(self.request, _("Votre mot de passe est modifié ; vos autres sessions sont fermées et vos "
                                         "jetons d'API révoqués."))
        return response


# --- a forgotten password ---------------------------------------------------------------------------------------

def password_reset(request):
    """Ask a link by e-mail; the answer is the same whether an account exists or not."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/"))
        return redirect("web:password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form},
                  status=400 if form.errors else 200)


def password_reset_done(request):
    return render(request, "registration/password_reset_done.html",
                  {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: the token leaves the URL for the session at once (no Referer leaks it), then the new password;
    every session of the account ends and its API tokens are revoked (accounts.signals). Not signed in after:
    the second factor is still asked at sign-in."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(actor=form.user, action="password_reset_complete", obj=form.user, participant_id=None)
        lockout.failures_clear(form.user.email)
        return response


def password_reset_complete(request):
    return render(request, "registration/password_reset_complete.html")
