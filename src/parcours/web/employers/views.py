"""The employers' pages (docs/employers.md): the territory's portfolio, an employer with its contacts and the
history of the exchanges, and the forms of those who keep it (`employers.manage`). No page shows a participant."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.core.concurrency import StaleObjectError
from parcours.employers.access import (
    candidacies_visible_to, employers_managed_by, employers_visible_to, offers_managed_by, offers_visible_to,
)
from parcours.employers.models import Candidacy, Employer, JobOffer
from parcours.employers.selectors import employer_exchanges, employers_search, offers_search
from parcours.employers.services import (
    OFFER_FIELDS, candidacy_decide, candidacy_propose, employer_contact_save, employer_exchange_record, employer_save,
    job_offer_save,
)
from parcours.employers.workflow import CANDIDACY_WORKFLOW
from parcours.audit.services import access_log_record
from parcours.core.workflow import TransitionRefused
from parcours.organisations.capabilities import EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE, EMPLOYERS_READ
from parcours.pathways.access import pathways_visible_to
from parcours.programmes.registry import pathway_states_query
from parcours.organisations.scope import territory_ids_with
from parcours.territory.models import Commune, Territory

from ..access_log import people_shown
from ..form_errors import stale_form, validation_error_apply
from ..permissions import capability_required, territory_for_new
from ..submission import submit_once
from .forms import (
    CandidacyDecisionForm, ContactForm, EmployerFilterForm, EmployerForm, ExchangeForm, OfferFilterForm, OfferForm,
    ProposeForm,
)

PAGE_SIZE = 25
EXCHANGES_PAGE_SIZE = 20
RECENT_OFFERS = 5
EMPLOYER_FORM_FIELDS = ["siret", "name", "naf_division", "size_band", "address", "phone", "email", "website",
                        "partner_status", "partner_since", "notes"]


@capability_required(EMPLOYERS_READ)
@require_safe
def employer_list(request):
    form = EmployerFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"text": data["q"], "section": data["section"], "size_band": data["size_band"],
                   "partner_status": data["partner_status"]}
    employers = employers_search(employers_visible_to(request.user), **filters)
    page = Paginator(employers, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "employers/list.html", {
        "form": form, "page": page, "query": "&" + urlencode(kept) if kept else "",
        "can_manage": bool(territory_ids_with(request.user, EMPLOYERS_MANAGE))})


def _versioned_post(request, form_class, *, row, save, **form_kwargs):
    """A posted form of a row kept with a version: (the form, the saved row or None). A refusal is shown under its
    field; a stale save gives the form back with what was typed and the current version (no `row`: a creation,
    never stale)."""
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        return form, None
    try:
        return form, save(form.values(), form.cleaned_data["version"])
    except StaleObjectError as stale:
        current = type(row)._default_manager.get(pk=row.pk).version
        return stale_form(form_class, request, current, stale, **form_kwargs), None
    except ValidationError as error:
        validation_error_apply(form, error)
        return form, None


def _employer_form_page(request, *, territory: Territory, employer: Employer | None = None):
    communes = Commune.objects.filter(territory=territory).order_by("name", "pk")
    if request.method == "POST":
        form, saved = _versioned_post(request, EmployerForm, row=employer, communes=communes, save=lambda values, version:
                                      employer_save(by=request.user, territory=territory, employer=employer,
                                                    values=values, version=version))
        if saved is not None:
            messages.success(request, _("L'employeur est enregistré."))
            return redirect("employers:employer_detail", pk=saved.pk)
    else:
        initial: dict = {"partner_status": "prospect"}
        if employer is not None:
            initial = {name: getattr(employer, name) for name in EMPLOYER_FORM_FIELDS}
            initial |= {"commune": employer.commune_id, "version": employer.version}
        form = EmployerForm(initial=initial, communes=communes)
    return render(request, "employers/form.html", {"form": form, "employer": employer},
                  status=400 if request.method == "POST" else 200)


@capability_required(EMPLOYERS_MANAGE)
@submit_once
def employer_create(request):
    territory = territory_for_new(request.user, EMPLOYERS_MANAGE)
    if territory is None:
        raise Http404
    return _employer_form_page(request, territory=territory)


@capability_required(EMPLOYERS_MANAGE)
def employer_edit(request, pk: int):
    employer = get_object_or_404(employers_managed_by(request.user).select_related("territory"), pk=pk)
    return _employer_form_page(request, territory=employer.territory, employer=employer)


def _detail_page(request, employer: Employer):
    can_manage = employer.territory_id in territory_ids_with(request.user, EMPLOYERS_MANAGE)
    contacts = list(employer.contacts.order_by("-is_active", "name", "pk"))
    exchanges = Paginator(employer_exchanges(employer), EXCHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    if can_manage:
        active = employer.contacts.filter(is_active=True).order_by("name", "pk")
        contact_form = ContactForm(initial={"is_active": True}, prefix="contact")
        exchange_form = ExchangeForm(contacts=active, initial={"date": timezone.localdate()}, prefix="exchange")
    else:
        contact_form = exchange_form = None
    offers = list(employer.offers.select_related("commune").order_by("-opens_on", "-pk")[:RECENT_OFFERS + 1])
    return render(request, "employers/detail.html", {
        "employer": employer, "contacts": contacts, "exchanges": exchanges, "can_manage": can_manage,
        "offers": offers[:RECENT_OFFERS], "more_offers": len(offers) > RECENT_OFFERS,
        "today": timezone.localdate(),
        "contact_form": contact_form, "exchange_form": exchange_form})


@capability_required(EMPLOYERS_READ)
@require_safe
def employer_detail(request, pk: int):
    employer = get_object_or_404(employers_visible_to(request.user).select_related("commune", "territory"), pk=pk)
    return _detail_page(request, employer)


def _item_page(request, employer: Employer, form, *, title: str, submit: str):
    """A form of the employer's page on a page of its own (opened from a phone, or sent back with its errors)."""
    return render(request, "employers/item_form.html", {"employer": employer, "form": form, "title": title,
                                                        "submit": submit},
                  status=400 if request.method == "POST" else 200)


@capability_required(EMPLOYERS_MANAGE)
@submit_once
def contact_add(request, pk: int):
    employer = get_object_or_404(employers_managed_by(request.user), pk=pk)
    form = ContactForm(request.POST or None, prefix="contact", initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            employer_contact_save(by=request.user, employer=employer, values=form.cleaned_data)
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Le contact est ajouté."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return _item_page(request, employer, form, title=_("Ajouter un contact"), submit=_("Ajouter le contact"))


@capability_required(EMPLOYERS_MANAGE)
def contact_edit(request, pk: int, contact_pk: int):
    employer = get_object_or_404(employers_managed_by(request.user), pk=pk)
    contact = get_object_or_404(employer.contacts, pk=contact_pk)
    form = ContactForm(request.POST or None, initial={
        "name": contact.name, "job_title": contact.job_title, "phone": contact.phone, "email": contact.email,
        "is_active": contact.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            employer_contact_save(by=request.user, employer=employer, contact=contact, values=form.cleaned_data)
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Le contact est enregistré."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return render(request, "employers/contact_form.html", {"form": form, "employer": employer, "contact": contact},
                  status=400 if request.method == "POST" else 200)


@capability_required(EMPLOYERS_MANAGE)
@submit_once
def exchange_add(request, pk: int):
    employer = get_object_or_404(employers_managed_by(request.user), pk=pk)
    form = ExchangeForm(request.POST or None, contacts=employer.contacts.filter(is_active=True).order_by("name", "pk"),
                        prefix="exchange", initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            employer_exchange_record(by=request.user, employer=employer, values=form.values())
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("L'échange est enregistré."))
            return redirect("employers:employer_detail", pk=employer.pk)
    return _item_page(request, employer, form, title=_("Enregistrer un échange"), submit=_("Enregistrer l'échange"))


# --- offers -----------------------------------------------------------------------------------------------------

@capability_required(EMPLOYERS_READ)
@require_safe
def offer_list(request):
    # The list opens on today's open offers; a filtered list says itself whether it wants the closed ones too.
    form = OfferFilterForm(request.GET or None, initial={"open_only": True})
    today = timezone.localdate()
    offers = offers_visible_to(request.user)
    employer = None
    filters: dict = {"open_only": True}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"text": data["q"], "contract_type": data["contract_type"], "section": data["section"],
                   "open_only": data["open_only"]}
        if data["employer"]:
            employer = get_object_or_404(employers_visible_to(request.user), pk=data["employer"])
            offers = offers.filter(employer=employer)
    page = Paginator(offers_search(offers, today=today, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    pathway = _proposed_pathway(request)
    if pathway is not None:
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="job_offer_list")
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "employers/offer_list.html", {
        "form": form, "page": page, "employer": employer, "today": today, "pathway": pathway,
        "query": "&" + urlencode(kept) if kept else ""})


def _offer_form_page(request, *, employer: Employer, offer: JobOffer | None = None):
    communes = Commune.objects.filter(territory_id=employer.territory_id).order_by("name", "pk")
    if request.method == "POST":
        form, saved = _versioned_post(request, OfferForm, row=offer, communes=communes, save=lambda values, version:
                                      job_offer_save(by=request.user, employer=employer, offer=offer, values=values,
                                                     version=version))
        if saved is not None:
            messages.success(request, _("L'offre est enregistrée."))
            return redirect("employers:offer_detail", pk=saved.pk)
    else:
        initial: dict = {"opens_on": timezone.localdate(), "places": 1, "status": "open",
                         "workplace": employer.address, "commune": employer.commune_id}
        if offer is not None:
            initial = {name.removesuffix("_id"): getattr(offer, name) for name in OFFER_FIELDS}
            initial["version"] = offer.version
        form = OfferForm(initial=initial, communes=communes)
    return render(request, "employers/offer_form.html", {"form": form, "employer": employer, "offer": offer},
                  status=400 if request.method == "POST" else 200)


@capability_required(EMPLOYERS_MANAGE)
@submit_once
def offer_create(request, pk: int):
    employer = get_object_or_404(employers_managed_by(request.user).select_related("commune"), pk=pk)
    return _offer_form_page(request, employer=employer)


@capability_required(EMPLOYERS_MANAGE)
def offer_edit(request, pk: int):
    offer = get_object_or_404(offers_managed_by(request.user).select_related("employer"), pk=pk)
    return _offer_form_page(request, employer=offer.employer, offer=offer)


def _proposed_pathway(request, raw: str | int | None = None):
    """The file named by `?pathway=` (the person being put forward), if the user may propose them; else None (no
    file asked) or 404 (a file they may not propose)."""
    raw = str(raw if raw is not None else request.GET.get("pathway", ""))
    if not raw or not raw.isdigit() or not request.user.can(EMPLOYERS_PROPOSE):
        return None
    pathway = (pathways_visible_to(request.user).filter(pathway_states_query("in_pathway_states"))
               .select_related("participant").filter(pk=int(raw)).first())
    if pathway is None:
        raise Http404
    return pathway


CANDIDACIES_PAGE_SIZE = 25


@capability_required(EMPLOYERS_READ)
@require_safe
def offer_detail(request, pk: int):
    offer = get_object_or_404(offers_visible_to(request.user).select_related("employer", "commune"), pk=pk)
    pathway = _proposed_pathway(request)
    candidacies = Paginator(candidacies_visible_to(request.user).filter(offer=offer)
                            .select_related("pathway__participant").order_by("-last_news_on", "-pk"),
                            CANDIDACIES_PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, [c.pathway for c in candidacies], screen="job_offer_candidacies")
    if pathway is not None:
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="job_offer_propose")
    today = timezone.localdate()
    return render(request, "employers/offer_detail.html", {
        "offer": offer, "open_today": offer.is_open_on(today), "candidacies": candidacies, "pathway": pathway,
        "propose_form": ProposeForm() if pathway is not None and offer.is_open_on(today) else None,
        "can_manage": offer.employer.territory_id in territory_ids_with(request.user, EMPLOYERS_MANAGE)})


@capability_required(EMPLOYERS_PROPOSE)
@require_POST
@submit_once
def candidacy_propose_view(request, pk: int, pathway: int):
    offer = get_object_or_404(offers_visible_to(request.user).select_related("employer"), pk=pk)
    person = _proposed_pathway(request, pathway)
    if person is None:
        raise Http404
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            candidacy = candidacy_propose(offer=offer, pathway=person, by=request.user,
                                          comment=form.cleaned_data["comment"])
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("La personne est positionnée sur l'offre ; le ou la chargé·e de relation "
                                        "entreprise la présente à l'employeur."))
            return redirect("employers:candidacy_detail", pk=candidacy.pk)
    access_log_record(user=request.user, participant_id=person.participant_id, screen="job_offer_propose")
    return render(request, "employers/offer_detail.html", {
        "offer": offer, "open_today": offer.is_open_on(timezone.localdate()), "pathway": person,
        "propose_form": form, "candidacies": None, "can_manage": False}, status=400)


def _candidacy_page(request, candidacy: Candidacy, *, forms: dict | None = None, status: int = 200):
    contacts = candidacy.offer.employer.contacts.filter(is_active=True).order_by("name", "pk")
    forms = forms or {}
    available = [(t, forms.get(t.name) or CandidacyDecisionForm(name=t.name, contacts=contacts, prefix=t.name))
                 for t in CANDIDACY_WORKFLOW.available(candidacy, request.user)]
    access_log_record(user=request.user, participant_id=candidacy.pathway.participant_id, screen="candidacy")
    return render(request, "employers/candidacy.html", {
        "candidacy": candidacy, "available": available,
        "log": [(row, CANDIDACY_WORKFLOW.transitions[row.transition].label,
                 CANDIDACY_WORKFLOW.state_label(row.to_state))
                for row in candidacy.transitions.select_related("by").order_by("at", "pk")],
        "file_visible": pathways_visible_to(request.user).filter(pk=candidacy.pathway_id).exists()}, status=status)


def _candidacy(request, pk: int) -> Candidacy:
    return get_object_or_404(candidacies_visible_to(request.user).select_related(
        "offer__employer", "pathway__participant", "proposed_by", "followup_contact", "step", "immersion_step"),
        pk=pk)


@capability_required(EMPLOYERS_READ)
@require_safe
def candidacy_detail(request, pk: int):
    return _candidacy_page(request, _candidacy(request, pk))


@capability_required(EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE)
@require_POST
def candidacy_decide_view(request, pk: int, name: str):
    candidacy = _candidacy(request, pk)
    transition = CANDIDACY_WORKFLOW.transitions.get(name)
    if transition is None or not transition.manual:
        raise Http404
    contacts = candidacy.offer.employer.contacts.filter(is_active=True).order_by("name", "pk")
    form = CandidacyDecisionForm(request.POST, name=name, contacts=contacts, prefix=name)
    if form.is_valid():
        try:
            candidacy_decide(candidacy=candidacy, name=name, by=request.user, data=form.payload())
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("C'est enregistré : %(action)s.") % {"action": transition.label})
            return redirect("employers:candidacy_detail", pk=candidacy.pk)
    return _candidacy_page(request, candidacy, forms={name: form}, status=400)
