"""A user's personal API tokens: create one (its secret is shown once, in the answer to the creation), list them.

Creating one needs the password typed less than PARCOURS_REAUTH_SECONDS ago: a token is a credential that skips the
second factor, so a session left open must not be enough to make one.

Revoking is on the account page's list (web.accounts.views.api_token_revoke), which this page shows too.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from parcours.accounts.selectors import api_tokens_of
from parcours.accounts.sessions import reauth_fresh
from parcours.accounts.services import api_token_create

from .forms import ApiTokenForm


@login_required
def token(request):
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and not reauth_fresh(request):
        messages.info(request, _("Confirmez votre mot de passe pour créer un jeton."))
        return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': reverse('api_access:token')})}")
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = api_token_create(user=request.user, label=form.cleaned_data["label"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Votre jeton est créé. Copiez-le maintenant : il ne sera plus affiché."))
            form = ApiTokenForm()
    return render(request, "api_access/token.html", {
        "form": form, "new_secret": new_secret, "tokens": list(api_tokens_of(user=request.user)),
        "lifetime_days": settings.PARCOURS_API_TOKEN_DAYS,
    })
