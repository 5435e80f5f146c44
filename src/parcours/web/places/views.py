"""The territory's places — the programme's agency, the structures' premises, the permanences: where to send a
person, hold a meeting, run an action (docs/places.md). Everyone working on the territory reads them (they name no
person); those who hold `places.manage` keep them up to date."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parcours.organisations.access import places_managed_by, places_visible_to
from parcours.organisations.capabilities import PLACES_MANAGE
from parcours.organisations.models import Organisation
from parcours.organisations.scope import territory_ids_with
from parcours.organisations.services import helpdesk_save
from parcours.territory.models import Territory
from parcours.territory.selectors import places_search

from ..form_errors import validation_error_apply
from ..permissions import capability_required, territory_for_new
from ..submission import submit_once
from .forms import PlaceFilterForm, PlaceForm

PAGE_SIZE = 25


@login_required
@require_safe
def place_list(request):
    form = PlaceFilterForm(request.GET or None)
    filters = ({"text": form.cleaned_data["q"], "kind": form.cleaned_data["kind"]} if form.is_valid() else {})
    page = Paginator(places_search(places_visible_to(request.user), **filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    manageable = territory_ids_with(request.user, PLACES_MANAGE)
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "places/list.html", {
        "form": form, "page": page, "can_manage": bool(manageable), "manageable": manageable,
        "query": "&" + urlencode(kept) if kept else ""})


def _place_form(request, *, territory: Territory, place=None):
    initial = {}
    if place is not None:
        initial = {"name": place.name, "kind": place.kind, "organisation": place.organisation_id,
                   "address": place.address, "phone": place.phone, "email": place.email,
                   "opening_hours": place.opening_hours, "offer": place.offer}
    organisations = Organisation.objects.filter(territory=territory, is_active=True).order_by("name", "pk")
    form = PlaceForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            helpdesk_save(by=request.user, territory=territory, helpdesk=place, values=form.values())
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Le lieu est enregistré."))
            return redirect("places:place_list")
    return render(request, "places/form.html", {"form": form, "place": place},
                  status=400 if request.method == "POST" else 200)


@capability_required(PLACES_MANAGE)
@submit_once
def place_create(request):
    territory = territory_for_new(request.user, PLACES_MANAGE)
    if territory is None:
        raise Http404
    return _place_form(request, territory=territory)


@capability_required(PLACES_MANAGE)
def place_edit(request, pk: int):
    place = get_object_or_404(places_managed_by(request.user).select_related("territory"), pk=pk)
    return _place_form(request, territory=place.territory, place=place)
