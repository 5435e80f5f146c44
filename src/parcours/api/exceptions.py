"""API errors: always a 4xx with a body in French naming the field, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from parcours.core.concurrency import StaleObjectError
from parcours.core.workflow import TransitionRefused

from .authentication import CsrfFailed


def _not_found() -> exceptions.NotFound:
    # Django's Http404 carries an English sentence naming the model ("No Participant matches…"): never shown.
    return exceptions.NotFound(_("Non trouvé."))


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleObjectError):
        # Optimistic locking (core/concurrency.py): nothing was written; the client re-reads and sends again.
        return Response({"version": [
            _("Cette fiche a été modifiée par quelqu'un d'autre depuis votre lecture (version %(version)s) : "
              "relisez-la, puis renvoyez vos modifications avec sa version actuelle.")
            % {"version": exc.expected_version}]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, TransitionRefused):
        return Response({"non_field_errors": [exc.message]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, CsrfFailed):
        pass   # the client's own mistake, not an object withheld: it is told (403)
    elif isinstance(exc, exceptions.PermissionDenied | Http404):
        # Same answer as an object that does not exist: don't reveal what another structure holds.
        exc = _not_found()
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotAuthenticated(_("Authentification requise : envoyez un jeton d'API (en-tête "
                                            "« Authorization: Token … ») ou connectez-vous."))
    return exception_handler(exc, context)
