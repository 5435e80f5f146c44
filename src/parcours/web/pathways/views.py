"""The pathway after admission and the participant's file: caseload, file page, contract, steps, follow-up,
appointments, barrier reviews, notes, documents, exit. Views fetch through visible querysets and call services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parcours.agenda.selectors import pathway_coming_attendances
from parcours.audit.services import access_log_record
from parcours.core.concurrency import StaleObjectError
from parcours.employers.models import Candidacy, EventInvitation, Sponsorship
from parcours.core.workflow import TransitionRefused
from parcours.organisations.access import referents_assignable_by
from parcours.pathways.access import pathways_visible_to
from parcours.organisations.enums import Role
from parcours.participants.models import Participant
from parcours.pathways.access import documents_visible_to
from parcours.participants.services import document_download_name, document_upload
from parcours.pathways import selectors, services
from parcours.plie import selectors as plie_selectors
from parcours.plie.enums import PathwayStatus
from parcours.plie.enums import FollowUpStatus
from parcours.pathways.models import Step
from parcours.plie.models import EngagementContract
from parcours.plie import contract as plie_contract
from parcours.plie.contract_pdf import contract_pdf
from parcours.programmes.registry import criteria_catalogue, definition_of

from parcours.organisations.capabilities import (
    EMPLOYERS_READ, ESF_QUESTIONNAIRE, PATHWAY_READ, PATHWAY_WRITE, RIGHTS_MANAGE,
)

from ..form_errors import stale_form, validation_error_apply
from ..held_files import held_files, hold_files, release_files
from .exports import caseload_file
from ..access_log import people_shown
from ..permissions import capability_required
from ..submission import submit_once
from . import forms

PAGE_SIZE = 25
readers = capability_required(PATHWAY_READ)
writers = capability_required(PATHWAY_WRITE)

CNIL_REMINDER = _("Les notes doivent être objectives et factuelles ; la personne peut demander à les lire. "
                  "Les données sensibles (santé, justice…) n'ont pas leur place ici.")


def _pathway(request, pk: int, queryset=None):
    base = queryset if queryset is not None else pathways_visible_to(request.user).select_related(
        "participant__territory", "referent", "operator")
    return get_object_or_404(base, pk=pk)


def _detail_url(pathway) -> str:
    return reverse("pathways:pathway_detail", args=[pathway.pk])


# --- caseload ---------------------------------------------------------------------------------------------------

def _caseload_form(request, form_class, data, referents):
    operators, communes = selectors.caseload_filter_choices(request.user)
    return form_class(data, referents=referents, operators=operators, communes=communes)


@readers
def caseload(request):
    """Filters and order by GET; the name search by POST, so that names stay out of URLs."""
    user = request.user
    referents = list(selectors.referents_for_filter(user))
    is_referent_view = selectors.sees_own_caseload(user)
    searching = request.method == "POST"
    if searching:
        form = _caseload_form(request, forms.CaseloadSearchForm, request.POST, referents)
    else:
        data = request.GET.copy()
        if is_referent_view and "referent" not in data:
            data["referent"] = str(user.pk)
        data.setdefault("state", selectors.STATE_OPEN)
        form = _caseload_form(request, forms.CaseloadSearchForm, data, referents)
    cleaned = form.cleaned_data if form.is_valid() else {}
    selection = form.selection()
    queryset = selectors.pathway_caseload(user, search=cleaned.get("q") or "", **selection)
    number = (cleaned.get("page") if searching else request.GET.get("page")) or 1
    page = Paginator(queryset, PAGE_SIZE).get_page(number)
    people_shown(request, page, screen="pathway_caseload")
    # A search among open files says when closed ones match too, rather than hiding them without a word.
    also_closed = 0
    if searching and cleaned.get("q") and selection["state"] == selectors.STATE_OPEN:
        also_closed = selectors.pathway_caseload(
            user, search=cleaned["q"], **{**selection, "state": selectors.STATE_ALL}).count() - page.paginator.count
    filters = form.query_string()
    context = {
        "form": form, "page": page, "searching": searching, "page_query": f"&{filters}" if filters else "",
        "also_closed": also_closed, "export_query": filters,
        "title": _("Mes participants") if is_referent_view else _("Participants du PLIE"),
        "today": timezone.localdate(),
    }
    template = "pathways/_caseload_results.html" if request.htmx else "pathways/caseload.html"
    return render(request, template, context)


CASELOAD_EXPORT_LIMIT = 5000


@readers
@require_GET
def caseload_export(request):
    """The filtered list (never the name search: names stay out of URLs) as a CSV for French spreadsheets or an
    XLSX; each person exported is logged. At most CASELOAD_EXPORT_LIMIT rows: beyond, the filters must narrow."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    data = request.GET.copy()
    if selectors.sees_own_caseload(user) and "referent" not in data:
        data["referent"] = str(user.pk)
    form = _caseload_form(request, forms.CaseloadFilterForm, data, list(selectors.referents_for_filter(user)))
    rows = list(selectors.pathway_caseload(user, **form.selection())[:CASELOAD_EXPORT_LIMIT + 1])
    if len(rows) > CASELOAD_EXPORT_LIMIT:
        messages.error(request, _("La liste dépasse %(limit)s dossiers : précisez les filtres avant de l'exporter.")
                       % {"limit": CASELOAD_EXPORT_LIMIT})
        return redirect(f"{reverse('pathways:caseload')}?{form.query_string()}")
    people_shown(request, rows, screen="pathway_caseload_export")
    body, content_type = caseload_file(rows, fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="participants-{timezone.localdate().isoformat()}.{fmt}"'
    return response


# --- the participant's file -------------------------------------------------------------------------------------

def _situations(participant: Participant, sensitive: bool) -> list[str]:
    """The criteria the person meets, in the programmes' order; sensitive ones (RQTH…) only to those who may read
    them, as a code no programme declares any more (its sensitivity unknown)."""
    catalogue = criteria_catalogue()
    met = {code for code, value in participant.situation_values().items() if value}
    labels = [str(c.label) for code, c in catalogue.items() if code in met and (sensitive or not c.sensitive)]
    return labels + (sorted(met - set(catalogue)) if sensitive else [])


def _action_forms(request, pathway) -> list[dict]:
    """The manual transitions the user's roles allow from the current state, each with its form."""
    actions = []
    for transition in definition_of(pathway).workflow.available(pathway, request.user):
        if transition.name == "assign":
            form = forms.AssignForm(memberships=list(referents_assignable_by(request.user)), auto_id="id_assign_%s")
        elif transition.name in forms.TRANSITION_FORMS:
            form = forms.TRANSITION_FORMS[transition.name](auto_id=f"id_{transition.name}_%s")
        else:
            form = None
        actions.append({"name": transition.name, "label": transition.label, "form": form,
                        "url": reverse("pathways:pathway_act", args=[pathway.pk, transition.name])})
    return actions


@readers
@require_GET
def pathway_detail(request, pk: int):
    user = request.user
    pathway = _pathway(request, pk, plie_selectors.pathway_file_queryset(user))
    participant = pathway.participant
    sensitive = selectors.can_see_sensitive(user)
    access_log_record(user=user, participant_id=participant.pk, screen="pathway_detail")
    today = timezone.localdate()
    followup = plie_selectors.pathway_open_followup(pathway)
    contract = selectors.related_or_none(pathway, "contract")
    can_write = user.can(PATHWAY_WRITE)
    return render(request, "pathways/detail.html", {
        "pathway": pathway, "participant": participant, "sensitive": sensitive, "can_write": can_write,
        "can_esf": can_write and user.can(ESF_QUESTIONNAIRE),
        "can_rights": user.can(RIGHTS_MANAGE),
        "application": selectors.related_or_none(pathway, "application"),
        "age": selectors.age_on(participant.birth_date, today),
        "situations": _situations(participant, sensitive),
        "actions": _action_forms(request, pathway),
        "timeline": selectors.pathway_timeline(pathway, sensitive=sensitive),
        "barriers": selectors.pathway_barriers(pathway, sensitive=sensitive),
        "time_spent": selectors.pathway_time_spent(pathway),
        "history": selectors.pathway_history(pathway, user),
        "contract": contract,
        "contract_editable": can_write and pathway.status == PathwayStatus.ADMITTED,
        "followup": followup, "followup_due": bool(followup and followup.due_on <= today),
        # A step put there by an action (parcours.actions) names it: the step is the action's, not a typed name.
        "steps": list(pathway.steps.annotate(action_title=F("positioning__action__title"))),
        "appointments": list(pathway.appointments.all()),
        "coming": list(pathway_coming_attendances(pathway_id=pathway.pk)),
        "notes": list(pathway.notes.all()) if sensitive else [],
        "documents": list(pathway.documents.all()),
        "in_pathway": pathway.status in (PathwayStatus.ACTIVE, PathwayStatus.FOLLOWUP),
        # The offers the person was put forward for (parcours.employers), for those who work with employers.
        "candidacies": (list(Candidacy.objects.filter(pathway=pathway).select_related("offer__employer")
                             .order_by("-last_news_on", "-pk")) if user.can(EMPLOYERS_READ) else []),
        # The recruitment events they are invited to and their sponsorships (parcours.employers).
        "invitations": (list(EventInvitation.objects.filter(pathway=pathway).select_related("event")
                             .order_by("-event__date", "-pk")) if user.can(EMPLOYERS_READ) else []),
        "sponsorships": (list(Sponsorship.objects.filter(pathway=pathway).select_related("employer")
                              .order_by("-started_on", "-pk")) if user.can(EMPLOYERS_READ) else []),
        "cnil_reminder": CNIL_REMINDER,
    })


@readers
@require_POST
def pathway_act(request, pk: int, name: str):
    """Apply one manual transition. The engine checks the role (assigning is the team's)
    and re-checks the state, so a double submission acts once."""
    pathway = _pathway(request, pk)
    transition = definition_of(pathway).workflow.transitions.get(name)
    if transition is None or not transition.manual:
        raise Http404
    data: dict = {}
    if name == "assign":
        form = forms.AssignForm(request.POST, memberships=list(referents_assignable_by(request.user)))
        if form.is_valid():
            membership = form.memberships[form.cleaned_data["membership"]]
            data = {"referent": membership.user, "operator": membership.organisation}
    elif name in forms.TRANSITION_FORMS:
        form = forms.TRANSITION_FORMS[name](request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
    else:
        form = None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label} : {error}" if label else error)
        return redirect(_detail_url(pathway))
    try:
        services.pathway_act(pathway=pathway, name=name, by=request.user, data=data)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Action enregistrée : %(action)s.") % {"action": transition.label})
    return redirect(_detail_url(pathway))


# --- shared form page -------------------------------------------------------------------------------------------

def _form_page(request, pathway, form, *, title: str, submit: str, screen: str, status: int = 200, **extra):
    if request.method == "GET":
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen=screen)
    context = {"pathway": pathway, "participant": pathway.participant, "form": form, "title": title,
               "submit": submit, "back_url": _detail_url(pathway), "multipart": False, "intro": "",
               "cnil_reminder": "", "pdf_url": "", "readonly": False}
    context.update(extra)
    return render(request, "pathways/form.html", context, status=status)


# --- contract ---------------------------------------------------------------------------------------------------

CONTRACT_FORM_FIELDS = ["objectives", "participant_commitments", "referent_commitments", "plie_commitments",
                        "participant_signed_on", "referent_signed_on", "director", "director_signed_on"]


@writers
def contract_edit(request, pk: int):
    pathway = _pathway(request, pk)
    contract = EngagementContract.objects.filter(pathway=pathway).first()
    directors = plie_contract.directors_of(pathway)
    if request.method == "POST":
        form = forms.ContractForm(request.POST, directors=directors)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in CONTRACT_FORM_FIELDS}
            try:
                plie_contract.contract_save(pathway=pathway, by=request.user, values=values,
                                       expected_version=form.cleaned_data["version"] or None)
            except StaleObjectError as stale:
                current = EngagementContract.objects.get(pathway=pathway)
                form = stale_form(forms.ContractForm, request, current.version, stale, directors=directors)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Le contrat d'engagement est enregistré."))
                return redirect(_detail_url(pathway))
    else:
        if contract is not None:
            initial = {name: getattr(contract, name) for name in CONTRACT_FORM_FIELDS}
            initial["version"] = contract.version
        else:
            initial = plie_contract.contract_defaults(pathway)
            if Role.DIRECTOR in request.user.roles:
                initial["director"] = request.user.pk
        form = forms.ContractForm(initial=initial, directors=directors)
    editable = pathway.status == PathwayStatus.ADMITTED
    return _form_page(
        request, pathway, form, title=_("Contrat d'engagement"), submit=_("Enregistrer le contrat"),
        screen="pathway_contract", status=400 if request.method == "POST" else 200,
        intro=_("Le contrat est signé par la personne, son / sa référent·e et la direction du PLIE, après "
                "l'agrément de la commission. Une fois les trois signatures saisies, enregistrez la signature "
                "depuis le dossier : la date d'entrée est celle de la dernière signature."),
        pdf_url=reverse("pathways:contract_pdf", args=[pathway.pk]) if contract else "",
        readonly=not editable,
    )


@readers
@require_GET
def contract_pdf_view(request, pk: int):
    pathway = _pathway(request, pk)
    contract = get_object_or_404(EngagementContract.objects.select_related("director"), pathway=pathway)
    access_log_record(user=request.user, participant_id=pathway.participant_id, screen="pathway_contract_pdf")
    response = HttpResponse(contract_pdf(pathway, contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contrat-engagement-{pathway.pk}.pdf"'
    return response


# --- steps ------------------------------------------------------------------------------------------------------

STEP_FORM_FIELDS = ["step_type", "start_date", "end_date", "operator_name", "employer_siret", "contract_type",
                    "social_clause", "hours", "comment"]


def _step_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in STEP_FORM_FIELDS}


@writers
@submit_once
def step_add(request, pk: int):
    pathway = _pathway(request, pk)
    if request.method == "POST":
        form = forms.StepForm(request.POST)
        if form.is_valid():
            try:
                step = services.step_create(pathway=pathway, by=request.user, values=_step_values(form))
            except (ValidationError, TransitionRefused) as error:
                validation_error_apply(form, error if isinstance(error, ValidationError) else ValidationError(error.message))
            else:
                message = _("L'étape est enregistrée.")
                if hasattr(step, "followup") and step.followup.status == FollowUpStatus.OPEN:
                    message += " " + _("Le suivi dans l'emploi est ouvert jusqu'au %(date)s.") % {
                        "date": step.followup.due_on.strftime("%d/%m/%Y")}
                messages.success(request, message)
                return redirect(_detail_url(pathway))
    else:
        form = forms.StepForm(initial={"start_date": timezone.localdate()})
    return _form_page(request, pathway, form, title=_("Nouvelle étape"), submit=_("Enregistrer l'étape"),
                      screen="pathway_step", status=400 if request.method == "POST" else 200,
                      intro=_("Un CDI, ou un CDD ou une mission d'intérim de six mois ou plus, chez un employeur "
                              "ordinaire, en contrat aidé ou en GEIQ, ouvre le suivi dans l'emploi."))


def _step(pathway, step_pk: int) -> Step:
    step = get_object_or_404(Step, pk=step_pk, pathway=pathway)
    step.pathway = pathway  # the file's pathway, already read: its programme names the step's type
    return step


@writers
def step_edit(request, pk: int, step_pk: int):
    pathway = _pathway(request, pk)
    step = _step(pathway, step_pk)
    if request.method == "POST":
        form = forms.StepForm(request.POST)
        if form.is_valid():
            try:
                services.step_update(step=step, by=request.user, values=_step_values(form),
                                     expected_version=form.cleaned_data["version"] or 0)
            except StaleObjectError as stale:
                form = stale_form(forms.StepForm, request, Step.objects.get(pk=step.pk).version, stale)
            except (ValidationError, TransitionRefused) as error:
                validation_error_apply(form, error if isinstance(error, ValidationError) else ValidationError(error.message))
            else:
                messages.success(request, _("L'étape est modifiée."))
                return redirect(_detail_url(pathway))
    else:
        initial = {name: getattr(step, name) for name in STEP_FORM_FIELDS}
        initial["version"] = step.version
        form = forms.StepForm(initial=initial)
    return _form_page(request, pathway, form, title=_("Modifier l'étape"), submit=_("Enregistrer les modifications"),
                      screen="pathway_step", status=400 if request.method == "POST" else 200)


@writers
def step_end(request, pk: int, step_pk: int):
    pathway = _pathway(request, pk)
    step = _step(pathway, step_pk)
    if request.method == "POST":
        form = forms.StepEndForm(request.POST)
        if form.is_valid():
            try:
                services.step_end(step=step, by=request.user, end_date=form.cleaned_data["end_date"],
                                  expected_version=form.cleaned_data["version"] or 0)
            except StaleObjectError as stale:
                form = stale_form(forms.StepEndForm, request, Step.objects.get(pk=step.pk).version, stale)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("La fin de l'étape est enregistrée."))
                return redirect(_detail_url(pathway))
    else:
        form = forms.StepEndForm(initial={"end_date": timezone.localdate(), "version": step.version})
    return _form_page(request, pathway, form, title=_("Terminer l'étape : %(step)s") % {"step": step},
                      submit=_("Enregistrer la fin"), screen="pathway_step",
                      status=400 if request.method == "POST" else 200)


# --- appointments, barriers, notes, documents -------------------------------------------------------------------

@writers
@submit_once
def appointment_add(request, pk: int):
    pathway = _pathway(request, pk)
    if request.method == "POST":
        form = forms.AppointmentForm(request.POST)
        if form.is_valid():
            try:
                services.appointment_create(pathway=pathway, by=request.user, values=form.cleaned_data)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Le rendez-vous est enregistré."))
                return redirect(_detail_url(pathway))
    else:
        form = forms.AppointmentForm(initial={"date": timezone.localdate(), "duration_minutes": 60})
    return _form_page(request, pathway, form, title=_("Nouveau rendez-vous"), submit=_("Enregistrer le rendez-vous"),
                      screen="pathway_appointment", status=400 if request.method == "POST" else 200)


@writers
@submit_once
def barrier_review_add(request, pk: int):
    pathway = _pathway(request, pk)
    if request.method == "POST":
        form = forms.BarrierReviewForm(request.POST)
        if form.is_valid():
            try:
                services.barrier_review_create(pathway=pathway, by=request.user, values=form.cleaned_data)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("L'évaluation du frein est enregistrée."))
                return redirect(_detail_url(pathway))
    else:
        form = forms.BarrierReviewForm(initial={"reviewed_on": timezone.localdate()})
    return _form_page(request, pathway, form, title=_("Réévaluer un frein"), submit=_("Enregistrer l'évaluation"),
                      screen="pathway_barrier", status=400 if request.method == "POST" else 200)


@writers
@submit_once
def note_add(request, pk: int):
    pathway = _pathway(request, pk)
    if request.method == "POST":
        form = forms.NoteForm(request.POST)
        if form.is_valid():
            try:
                services.note_create(pathway=pathway, by=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("La note est enregistrée."))
                return redirect(_detail_url(pathway))
    else:
        form = forms.NoteForm()
    return _form_page(request, pathway, form, title=_("Nouvelle note"), submit=_("Enregistrer la note"),
                      screen="pathway_note", status=400 if request.method == "POST" else 200,
                      cnil_reminder=CNIL_REMINDER)


DOCUMENT_FILES = ("file",)


@writers
@submit_once
def document_add(request, pk: int):
    pathway = _pathway(request, pk)
    if request.method == "POST":
        form = forms.DocumentForm(request.POST, held_files(request, DOCUMENT_FILES))
        if form.is_valid():
            try:
                document_upload(participant=pathway.participant, pathway=pathway, by=request.user,
                                kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
                                upload=form.cleaned_data["file"])
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                release_files(request, DOCUMENT_FILES)
                messages.success(request, _("Le document est enregistré."))
                return redirect(_detail_url(pathway))
        hold_files(request, form, DOCUMENT_FILES)
    else:
        form = forms.DocumentForm()
    return _form_page(request, pathway, form, title=_("Ajouter un document"), submit=_("Enregistrer le document"),
                      screen="pathway_document", status=400 if request.method == "POST" else 200, multipart=True)


@readers
@require_GET
def document_download(request, pk: int):
    """The only way to a stored file: visibility checked, attachment, a generated name without personal data."""
    document = get_object_or_404(documents_visible_to(request.user), pk=pk)
    access_log_record(user=request.user, participant_id=document.participant_id, screen="document_download")
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError, SuspiciousFileOperation):
        # A stored name outside storage is a missing file to the user (404), not a bad request (Django's 400).
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=document_download_name(document),
                            content_type=document.content_type)
    return response
