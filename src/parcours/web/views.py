from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from parcours.organisations.enums import Role
from parcours.plie import worklists


@login_required
def home(request):
    """Each role's work list: what needs this person today."""
    user, context = request.user, {}
    if Role.REFERENT in user.roles:
        context["referent"] = {
            "new_assignments": worklists.referent_new_assignments(user),
            "assessments_due": worklists.referent_assessments_due(user),
            "contracts_to_sign": worklists.referent_contracts_to_sign(user),
            "followups_due": worklists.referent_followups_due(user),
            "without_contact": worklists.referent_without_contact(user),
        }
    if user.is_plie_team:
        commission, ready = worklists.team_next_commission(user)
        context["team"] = {
            "awaiting_assignment": worklists.team_applications_awaiting_assignment(user),
            "next_commission": commission,
            "ready_for_commission": ready,
            "caseloads": worklists.team_caseloads(user),
        }
    return render(request, "web/home.html", context)


@never_cache
def health(request):
    """Liveness probe for load balancers; no database access, so it is also the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")
