"""A user's personal API token: create, replace, revoke. The key is shown once, at creation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from parcours.audit.services import audit_record


@login_required
def token(request):
    current = Token.objects.filter(user=request.user).first()
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        with transaction.atomic():
            if current is not None:
                audit_record(actor=request.user, action="api_token_revoke", obj=request.user, participant_id=None)
                current.delete()
                current = None
            if action == "create":
                current = Token.objects.create(user=request.user)
                new_key = current.key
                audit_record(actor=request.user, action="api_token_create", obj=request.user, participant_id=None)
        if action == "create":
            messages.success(request, _("Votre jeton est créé. Copiez-le maintenant : il ne sera plus affiché."))
        else:
            messages.success(request, _("Votre jeton est révoqué."))
            return redirect("api_access:token")
    return render(request, "api_access/token.html", {"current": current, "new_key": new_key})
