from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parcours.clauses.access import contracts_managed_by
from parcours.clauses.selectors import contracts_late
from parcours.organisations.capabilities import APPLICATION_SUBMIT, CLAUSES_MANAGE, PATHWAY_ASSIGN, TERRITORY_FILES
from parcours.organisations.scope import SCOPE_SESSION_KEY, membership_of
from parcours.pathways.selectors import sees_own_caseload
from parcours.plie import worklists

from .access_log import people_shown


class ScopeSwitchForm(forms.Form):
    membership = forms.IntegerField(min_value=1)


@login_required
def home(request):
    """Each role's work list: what needs this person today."""
    user, context = request.user, {}
    if sees_own_caseload(user):
        context["referent"] = {
            "new_assignments": worklists.referent_new_assignments(user),
            "assessments_due": worklists.referent_assessments_due(user),
            "contracts_to_sign": worklists.referent_contracts_to_sign(user),
            "followups_due": worklists.referent_followups_due(user),
            "without_contact": worklists.referent_without_contact(user),
        }
    if user.can(PATHWAY_ASSIGN):
        commission, ready = worklists.team_next_commission(user)
        context["team"] = {
            "awaiting_assignment": worklists.team_applications_awaiting_assignment(user),
            "next_commission": commission,
            "ready_for_commission": ready,
            "caseloads": worklists.team_caseloads(user),
        }
    if user.can(APPLICATION_SUBMIT) and not user.can(TERRITORY_FILES):
        context["prescriber"] = worklists.prescriber_home(user)
    if user.can(CLAUSES_MANAGE):
        # The facilitator's: the companies late on their commitment (forecast at the end below the hours required).
        late = contracts_late(contracts_managed_by(user), today=timezone.localdate())
        context["clauses"] = {"late": worklists.WorkList(rows=late[:worklists.LIST_LIMIT], total=len(late))}
    shown = [row for worklist in context.get("referent", {}).values() for row in worklist.rows]
    if "team" in context:
        shown += context["team"]["awaiting_assignment"].rows
    if "prescriber" in context:
        shown += context["prescriber"].decisions_to_read.rows + context["prescriber"].in_progress.rows
    people_shown(request, shown, screen="home")
    return render(request, "web/home.html", context)


@login_required
@require_POST
def scope_switch(request):
    """Work for another of one's structures (the header's switcher). Another person's membership is not found."""
    form = ScopeSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    membership = membership_of(request.user, form.cleaned_data["membership"])
    if membership is None:
        raise Http404
    request.session[SCOPE_SESSION_KEY] = membership.pk
    messages.success(request, _("Vous travaillez maintenant pour %(structure)s (%(role)s).") % {
        "structure": membership.organisation.name, "role": membership.get_role_display()})
    return redirect("web:home")


@never_cache
def health(request):
    """Liveness probe for load balancers; no database access, so it is also the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the French page in the application's layout (Django's own is English, without it).

    The reason (Django's English sentence) is not shown: it helps no user, and the refusal is logged anyway
    (web.middleware.RefusedAccessLogMiddleware).
    """
    return render(request, "403_csrf.html", status=403)
