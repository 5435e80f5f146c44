"""The intake screens: application, prescriber's follow-up, assignment, first reception, assessment, collective entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.audit.services import access_log_record
from parcours.core.workflow import TransitionRefused
from parcours.plie.intake import selectors, services
from parcours.pathways.access import participants_visible_to
from parcours.organisations.capabilities import (
    APPLICATION_MANAGE, APPLICATION_READ, APPLICATION_SUBMIT, PATHWAY_ASSIGN, PATHWAY_READ,
)
from parcours.organisations.models import Membership
from parcours.organisations.scope import memberships_with
from parcours.participants.enums import Barrier
from parcours.plie.enums import PathwayStatus
from parcours.programmes.registry import definition_of
from parcours.plie.eligibility import SITUATION_LABELS, EligibilityInputError, eligibility_decide
from parcours.territory.models import Territory

from ..form_errors import validation_error_apply
from ..held_files import held_files, hold_files, release_files
from ..access_log import people_shown
from ..permissions import capability_required
from ..submission import submit_once
from .forms import (
    ApplicationForm, AssessmentForm, AssignForm, CollectiveEntryForm, EligibilityPreviewForm, PersonFields,
    PersonSearchForm, ReceptionInterviewForm,
)

team_only = capability_required(APPLICATION_MANAGE)
assigning = capability_required(PATHWAY_ASSIGN)
prescribing = capability_required(APPLICATION_SUBMIT)
field_roles = capability_required(PATHWAY_READ)
any_intake_role = capability_required(APPLICATION_READ)
PAGE_SIZE = 25


def _prescribing_organisations(user):
    """Structures the user may send an application for: their own as prescriber; any of the territory for the team."""
    return selectors.organisations_prescribable_by(user).order_by("name")


def _territory(user) -> Territory:
    """The territory the user works on (that of their current structure, when it takes part in the intake)."""
    for membership in memberships_with(user, APPLICATION_READ):
        return membership.organisation.territory
    raise PermissionDenied


# --- application -------------------------------------------------------------------------------------------------
APPLICATION_FILES = ("signed_scan",)


@prescribing
@submit_once
def application_create(request):
    territory = _territory(request.user)
    organisations = _prescribing_organisations(request.user).filter(territory=territory)
    participant = None
    participant_id = request.GET.get("participant") or request.POST.get("participant")
    if participant_id:
        # A re-entry: only the team, who may see the person's file, starts from an existing person.
        if not request.user.can(APPLICATION_MANAGE) or not str(participant_id).isdigit():
            raise Http404
        participant = get_object_or_404(participants_visible_to(request.user), pk=participant_id)
    if request.method == "POST":
        form = ApplicationForm(request.POST, held_files(request, APPLICATION_FILES), territory=territory,
                               organisations=organisations)
        if form.is_valid():
            try:
                application = services.application_submit(
                    by=request.user, prescriber_organisation=form.cleaned_data["prescriber_organisation"],
                    person=form.person(), situations=form.cleaned_data["situations"],
                    deld=form.cleaned_data["deld"], barriers_seen=form.cleaned_data["barriers_seen"],
                    motivation=form.cleaned_data["motivation"],
                    participant_signed_on=form.cleaned_data["participant_signed_on"],
                    prescriber_signed_on=form.cleaned_data["prescriber_signed_on"],
                    signed_scan=form.cleaned_data["signed_scan"], participant=participant,
                    warn_if_sent_already=not form.cleaned_data.get("confirm_sent_again"))
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                release_files(request, APPLICATION_FILES)
                messages.success(request, _("La candidature est transmise au PLIE."))
                return redirect("intake:application_detail", pk=application.pathway_id)
        hold_files(request, form, APPLICATION_FILES)
    else:
        initial = PersonFields.initial_from(participant) if participant else {}
        form = ApplicationForm(initial=initial, territory=territory, organisations=organisations)
        if participant:
            access_log_record(user=request.user, participant_id=participant.pk, screen="intake_reentry")
    return render(request, "intake/application_form.html", {
        "form": form, "participant": participant, "eligibility": _preview(form, territory),
        "search_form": PersonSearchForm(initial={"purpose": "application"}) if request.user.can(APPLICATION_MANAGE) else None,
    })


def _preview(form, territory: Territory) -> dict:
    """The eligibility panel's context for the application form, bound or not."""
    if form.is_bound:
        return _decide(form.data, territory)
    initial = form.initial
    return _decide({"birth_date": initial.get("birth_date"),
                    "commune": getattr(initial.get("commune"), "pk", None),
                    "qpv": getattr(initial.get("qpv"), "pk", None),
                    "situations": initial.get("situations", [])}, territory)


def _decide(data, territory: Territory) -> dict:
    """A decision from the few fields the panel reads, or nothing while the birth date is missing."""
    preview = EligibilityPreviewForm(data, territory=territory)
    if not preview.is_valid() or preview.cleaned_data["birth_date"] is None:
        return {"decision": None, "error": None}
    cleaned = preview.cleaned_data
    try:
        decision = eligibility_decide(
            territory, reference_date=timezone.localdate(), birth_date=cleaned["birth_date"],
            commune_insee=cleaned["commune"].insee if cleaned["commune"] else None,
            qpv_code=cleaned["qpv"].code if cleaned["qpv"] else None, situations=cleaned["situations"])
    except EligibilityInputError as error:
        return {"decision": None, "error": error.message}
    return {"decision": decision, "error": None}


@prescribing
@require_POST
def eligibility_preview(request):
    """The live eligibility panel (htmx): re-rendered when the birth date, commune, QPV or situations change."""
    return render(request, "intake/_eligibility.html",
                  {"eligibility": _decide(request.POST, _territory(request.user))})


@any_intake_role
def application_list(request):
    user = request.user
    if user.can(PATHWAY_READ):
        rows, full = selectors.application_full(user).order_by("-application_date", "-pk"), True
    else:
        rows, full = selectors.applications_sent(user).select_related("participant").only(
            "pk", "status", "programme_kind", "decision", "commission_date", "application_date", "participant__first_name",
            "participant__last_name", "application__id", "application__prescriber_organisation__name"), False
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, page, screen="intake_application_list")
    return render(request, "intake/application_list.html", {"page": page, "full": full})


@any_intake_role
def application_detail(request, pk: int):
    user = request.user
    pathway = selectors.application_full(user).filter(pk=pk).first()
    if pathway is None:
        pathway = get_object_or_404(selectors.applications_sent(user).select_related("participant").only(
            "pk", "status", "programme_kind", "decision", "commission_date", "application_date", "participant__first_name",
            "participant__last_name", "application__id", "application__prescriber_organisation__name"), pk=pk)
        access_log_record(user=user, participant_id=pathway.participant_id, screen="intake_application_status")
        services.application_decision_read(pathway=pathway, by=user)
        return render(request, "intake/application_status.html", {"pathway": pathway})
    access_log_record(user=user, participant_id=pathway.participant_id, screen="intake_application")
    application = pathway.application
    situation_labels = SITUATION_LABELS
    barrier_labels = dict(Barrier.choices)
    return render(request, "intake/application_detail.html", {
        "pathway": pathway, "application": application, "participant": pathway.participant,
        "stored_eligibility": {"decision": application.eligibility, "error": None},
        "situations": [situation_labels.get(c, c) for c in application.situations],
        "deld": pathway.participant.situation("deld"),
        "barriers": [barrier_labels.get(c, c) for c in application.barriers_seen],
        "duplicates": list(application.possible_duplicate_of.all()) if user.can(APPLICATION_MANAGE) else [],
        "can_assign": user.can(PATHWAY_ASSIGN) and pathway.status in (PathwayStatus.SUBMITTED, PathwayStatus.ASSIGNED),
        "can_receive": pathway.status in (PathwayStatus.ASSIGNED, PathwayStatus.ASSESSED),
        "due": selectors.assessment_due_on(pathway) if pathway.status == PathwayStatus.ASSIGNED else None,
    })


@prescribing
@require_POST
def person_search(request):
    """Known people matching a name and birth date (htmx, POST so that names stay out of URLs); team only."""
    if not request.user.can(APPLICATION_MANAGE):
        raise PermissionDenied
    form = PersonSearchForm(request.POST)
    results = None
    if form.is_valid():
        results = selectors.participants_search(request.user, last_name=form.cleaned_data["last_name"],
                                                first_name=form.cleaned_data["first_name"],
                                                birth_date=form.cleaned_data["birth_date"])
        people_shown(request, results, screen="intake_person_search")
    return render(request, "intake/_person_results.html", {"search_form": form, "results": results,
                                                            "purpose": form.cleaned_data.get("purpose")
                                                            if form.is_valid() else "application"})


# --- assignment --------------------------------------------------------------------------------------------------
@assigning
def assignment_queue(request):
    page = Paginator(selectors.applications_awaiting_assignment(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    people_shown(request, page, screen="intake_assignment_queue")
    return render(request, "intake/assignment_queue.html", {"page": page})


@assigning
def assign(request, pk: int):
    pathway = get_object_or_404(selectors.application_full(request.user), pk=pk)
    caseloads = selectors.referent_caseloads(request.user)
    if request.method == "POST":
        form = AssignForm(request.POST, caseloads=caseloads)
        if form.is_valid():
            membership = Membership(pk=form.cleaned_data["membership"])
            try:
                services.application_assign(pathway=pathway, by=request.user, membership=membership)
            except TransitionRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("Le dossier est affecté."))
                return redirect("intake:application_detail", pk=pathway.pk)
    else:
        current = next((c.membership.pk for c in caseloads if c.membership.user_id == pathway.referent_id
                        and c.membership.organisation_id == pathway.operator_id), None)
        form = AssignForm(initial={"membership": current}, caseloads=caseloads)
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="intake_assign")
    return render(request, "intake/assign.html", {"pathway": pathway, "form": form, "caseloads": caseloads,
                                                   "programme": pathway.programme})


# --- first reception and assessment ------------------------------------------------------------------------------
def _intake_pathway(request, pk: int):
    return get_object_or_404(selectors.pathways_in_intake(request.user), pk=pk)


@field_roles
@submit_once
def reception(request, pk: int):
    pathway = _intake_pathway(request, pk)
    if request.method == "POST":
        form = ReceptionInterviewForm(request.POST)
        if form.is_valid():
            try:
                services.reception_interview_record(
                    pathway=pathway, by=request.user, on=form.cleaned_data["date"], mode=form.cleaned_data["mode"],
                    duration_minutes=form.cleaned_data["duration_minutes"], place=form.cleaned_data["place"],
                    summary=form.cleaned_data["summary"])
            except TransitionRefused as refused:
                messages.error(request, refused.message)
                return redirect("intake:reception", pk=pathway.pk)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("L'entretien est enregistré."))
                return redirect("intake:reception", pk=pathway.pk)
    else:
        form = ReceptionInterviewForm(initial={"date": timezone.localdate()})
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="intake_reception")
    due = selectors.assessment_due_on(pathway)
    return render(request, "intake/reception.html", {
        "pathway": pathway, "form": form, "interviews": list(pathway.reception_interviews.select_related("referent")),
        "due": due, "overdue": bool(due and pathway.status == PathwayStatus.ASSIGNED and due < timezone.localdate()),
        "editable": pathway.status == PathwayStatus.ASSIGNED,
    })


def _assessment_typed(form: AssessmentForm) -> dict:
    return {"strengths": form.cleaned_data["strengths"], "professional_project": form.cleaned_data["professional_project"],
            "recommendations": form.cleaned_data["recommendations"], "barriers": form.barriers()}


def _assessment_page(request, pathway, form, *, status: int = 200, reviews: list | None = None):
    due = selectors.assessment_due_on(pathway)
    can_complete = any(t.name == "complete_assessment" for t in definition_of(pathway).workflow.available(pathway, request.user))
    return render(request, "intake/assessment.html", {
        "pathway": pathway, "form": form, "assessment": getattr(pathway, "assessment", None),
        "reviews": list(pathway.barrier_reviews.all()) if reviews is None else reviews, "due": due,
        "overdue": bool(due and pathway.status == PathwayStatus.ASSIGNED and due < timezone.localdate()),
        "editable": pathway.status == PathwayStatus.ASSIGNED, "can_complete": can_complete,
    }, status=status)


@field_roles
def assessment(request, pk: int):
    pathway = _intake_pathway(request, pk)
    current = getattr(pathway, "assessment", None)
    reviews = list(pathway.barrier_reviews.all())
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_save(pathway=pathway, by=request.user, **_assessment_typed(form))
            except TransitionRefused as refused:
                messages.error(request, refused.message)
                return redirect("intake:assessment", pk=pathway.pk)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Le bilan est enregistré."))
                return redirect("intake:assessment", pk=pathway.pk)
    else:
        form = AssessmentForm(initial=AssessmentForm.initial_from(current, reviews))
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="intake_assessment")
    return _assessment_page(request, pathway, form, status=400 if form.errors else 200, reviews=reviews)


@field_roles
@require_POST
def assessment_complete(request, pk: int):
    """"Close" is a button of the assessment's form: what it holds is saved, then the assessment closes; nothing
    typed is lost when either step is refused (the page comes back with it and says why)."""
    pathway = _intake_pathway(request, pk)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le bilan n'est pas clos : corrigez d'abord le formulaire."))
        return _assessment_page(request, pathway, form, status=400)
    try:
        services.assessment_complete(pathway=pathway, by=request.user, typed=_assessment_typed(form))
    except TransitionRefused as refused:
        messages.error(request, _("Le bilan n'est pas clos : %(reason)s") % {"reason": refused.message})
        return _assessment_page(request, pathway, form, status=400)
    except ValidationError as error:
        validation_error_apply(form, error)
        messages.error(request, _("Le bilan n'est pas clos : corrigez d'abord le formulaire."))
        return _assessment_page(request, pathway, form, status=400)
    messages.success(request, _("Le bilan est clos : le dossier sera présenté en commission d'agrément."))
    return redirect("intake:application_detail", pk=pathway.pk)


@field_roles
def assessments_due(request):
    # Deadlines are computed per file in Python (each territory's rules): the page is cut from that list.
    page = Paginator(selectors.assessments_due(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, page, screen="intake_assessments_due")
    return render(request, "intake/assessments_due.html", {"rows": page, "page": page})


# --- entry through a collective action ---------------------------------------------------------------------------
@team_only
@submit_once
def collective_entry(request):
    territory = _territory(request.user)
    participant = None
    participant_id = request.GET.get("participant") or request.POST.get("participant")
    if participant_id:
        if not str(participant_id).isdigit():
            raise Http404
        participant = get_object_or_404(participants_visible_to(request.user), pk=participant_id)
    caseloads = selectors.referent_caseloads(request.user)
    known = participant is not None
    if request.method == "POST":
        form = CollectiveEntryForm(request.POST, territory=territory, caseloads=caseloads, known_person=known)
        if form.is_valid():
            membership = Membership(pk=form.cleaned_data["membership"])
            try:
                pathway = services.pathway_enter_via_collective_action(
                    by=request.user, action_name=form.cleaned_data["action_name"],
                    selected_on=form.cleaned_data["selected_on"], membership=membership, participant=participant,
                    person=None if known else form.person(),
                    situations=None if known else form.cleaned_data["situations"],
                    deld=None if known else form.cleaned_data["deld"])
            except TransitionRefused as refused:
                messages.error(request, refused.message)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("L'entrée dans le PLIE par l'action collective est enregistrée."))
                return redirect("intake:collective_entry_done", pk=pathway.pk)
    else:
        form = CollectiveEntryForm(initial={"selected_on": timezone.localdate()}, territory=territory,
                                   caseloads=caseloads, known_person=known)
        if known:
            access_log_record(user=request.user, participant_id=participant.pk, screen="intake_collective_entry")
    return render(request, "intake/collective_entry.html", {
        "form": form, "participant": participant,
        "search_form": PersonSearchForm(initial={"purpose": "collective"}),
    })


@team_only
def collective_entry_done(request, pk: int):
    pathway = get_object_or_404(
        selectors.pathways_in_intake(request.user).filter(collective_action_entry__isnull=False)
        .select_related("collective_action_entry"), pk=pk)
    access_log_record(user=request.user, participant_id=pathway.participant_id, screen="intake_collective_entry")
    return render(request, "intake/collective_entry_done.html", {"pathway": pathway,
                                                                 "entry": pathway.collective_action_entry})
