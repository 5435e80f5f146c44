"""A double submit acts once: every creating form carries a one-time token, and `submit_once` claims it.

The form's template renders `{% submission_token %}` (web/templatetags/submission.py): a hidden field holding a
fresh random UUID. The view is decorated with `submit_once`, which runs it in one transaction that first claims
the token (parcours.accounts.submissions): two copies of the same post, even at the same instant, meet on the
claim's unique constraint; the second waits for the first, writes nothing, and is sent where the first was sent
with "Ce formulaire a déjà été envoyé". Creating views answer a success with a redirect: only then is the claim
kept. A post whose form comes back (bad input, a refusal) gives its token back, so the corrected form may be sent
again; a crash rolls back the claim with the write. A post without a token (the API,
scripts) is not guarded here. `tests/security/test_submit_once.py` lists the creating URLs and fails when one
lacks the guard.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from parcours.accounts.submissions import (
    submission_answer_record, submission_claim, submission_release, submission_token_parse,
)

FIELD = "submission_token"


def submit_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = submission_token_parse(request.POST.get(FIELD)) if request.method == "POST" else None
        if token is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        user = request.user
        with transaction.atomic():
            first = submission_claim(user=user, token=token)
            if first is not None:
                messages.info(request, _("Ce formulaire a déjà été envoyé : il n'a été pris en compte qu'une fois."))
                return redirect(first.answer)
            response = view(request, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif 300 <= response.status_code < 400 and response.has_header("Location"):
                submission_answer_record(user=user, token=token, answer=response["Location"])
            else:
                # The form came back (bad input, a refusal): nothing was written, the token may be sent again.
                submission_release(user=user, token=token)
        return response

    guarded.submit_once = True  # type: ignore[attr-defined]  # read by tests/security/test_submit_once.py
    return guarded
