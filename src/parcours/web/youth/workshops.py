"""Workshops and information sessions (docs/youth.md): the catalogue, its sessions, the young people registered
and their attendance, the attendance sheet. The catalogue and a session's counts name nobody; a session's page and
its sheet name the young people registered, each logged as shown."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.organisations.capabilities import YOUTH_READ, YOUTH_WRITE
from parcours.organisations.scope import territory_ids_with
from parcours.youth.access import (
    workshop_sessions_visible_to, workshop_sessions_written_by, workshops_visible_to, workshops_written_by,
    youth_files_written_by,
)
from parcours.youth.attendance_sheet import attendance_sheet_pdf
from parcours.youth.enums import RegistrationStatus
from parcours.youth.models import WorkshopSession
from parcours.youth.selectors import (
    workshop_catalogue, workshop_session_registrations, workshop_sessions_of, workshop_sessions_open_to,
)
from parcours.youth.services import (
    workshop_attendance_mark, workshop_create, workshop_places_taken, workshop_registration_create,
    workshop_session_plan, workshop_update,
)

from ..access_log import people_shown
from ..form_errors import validation_error_apply
from ..permissions import capability_required, territory_for_new
from ..submission import submit_once
from .files import _file, _item_page
from .forms import AttendanceForm, SessionChoiceForm, SessionRegisterForm, WorkshopForm, WorkshopSessionForm

PAGE_SIZE = 25


@capability_required(YOUTH_READ)
@require_safe
def workshop_list(request):
    workshops = workshop_catalogue(workshops_visible_to(request.user), today=timezone.localdate())
    page = Paginator(workshops, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "youth/workshop_list.html", {
        "page": page, "can_write": bool(territory_ids_with(request.user, YOUTH_WRITE))})


def _workshop_values(form: WorkshopForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields}


def _form_page(request, template: str, context: dict):
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@capability_required(YOUTH_WRITE)
@submit_once
def workshop_create_page(request):
    territory = territory_for_new(request.user, YOUTH_WRITE)
    if territory is None:
        raise Http404
    form = WorkshopForm(request.POST or None, initial={"kind": "workshop", "run_by": "internal", "is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = workshop_create(by=request.user, territory=territory, values=_workshop_values(form))
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("L'atelier est au catalogue."))
            return redirect("youth:workshop_detail", pk=workshop.pk)
    return _form_page(request, "youth/workshop_form.html", {"form": form, "title": _("Nouvel atelier")})


@capability_required(YOUTH_WRITE)
def workshop_edit(request, pk: int):
    workshop = get_object_or_404(workshops_written_by(request.user), pk=pk)
    initial = {name: getattr(workshop, name) for name in WorkshopForm.base_fields}
    form = WorkshopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workshop_update(by=request.user, workshop=workshop, values=_workshop_values(form))
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("L'atelier est enregistré."))
            return redirect("youth:workshop_detail", pk=workshop.pk)
    return _form_page(request, "youth/workshop_form.html", {"form": form, "workshop": workshop,
                                                            "title": _("Modifier l'atelier")})


@capability_required(YOUTH_READ)
@require_safe
def workshop_detail(request, pk: int):
    """The entry and its sessions with their places and presences: counts, no person."""
    workshop = get_object_or_404(workshops_visible_to(request.user), pk=pk)
    page = Paginator(workshop_sessions_of(workshop), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "youth/workshop_detail.html", {
        "workshop": workshop, "page": page,
        "can_write": workshop.territory_id in territory_ids_with(request.user, YOUTH_WRITE)})


@capability_required(YOUTH_WRITE)
@submit_once
def session_create(request, pk: int):
    workshop = get_object_or_404(workshops_written_by(request.user).select_related("territory"), pk=pk)
    form = WorkshopSessionForm(request.POST or None, initial={"date": timezone.localdate()},
                               territory=workshop.territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = workshop_session_plan(by=request.user, workshop=workshop, day=data["date"],
                                            start_time=data["start_time"], site=data["site"],
                                            capacity=data["capacity"])
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("La séance est planifiée."))
            return redirect("youth:session_detail", pk=session.pk)
    return _form_page(request, "youth/workshop_form.html", {
        "form": form, "workshop": workshop,
        "title": _("Planifier une séance : %(name)s") % {"name": workshop.name}})


def _session(request, pk: int, queryset) -> WorkshopSession:
    return get_object_or_404(queryset.select_related("catalogue", "site"), pk=pk)


def _session_page(request, session: WorkshopSession, *, attendance_form=None, register_form=None, status=200):
    """The session, its registrations (a page of them, each person logged) and, for writers, the forms."""
    registrations = Paginator(workshop_session_registrations(session), PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, [r.youth_file for r in registrations], screen="workshop_session")
    can_write = session.territory_id in territory_ids_with(request.user, YOUTH_WRITE)
    held = session.date <= timezone.localdate()
    if can_write and attendance_form is None and registrations.object_list:
        attendance_form = AttendanceForm(registrations=registrations, session_held=held)
    if can_write and register_form is None and not held:
        register_form = SessionRegisterForm()
    return render(request, "youth/session_detail.html", {
        "session": session, "registrations": registrations, "can_write": can_write, "held": held,
        "taken": workshop_places_taken(session), "attendance_form": attendance_form if can_write else None,
        "register_form": register_form if can_write else None}, status=status)


@capability_required(YOUTH_READ)
@require_safe
def session_detail(request, pk: int):
    return _session_page(request, _session(request, pk, workshop_sessions_visible_to(request.user)))


@capability_required(YOUTH_WRITE)
@require_POST
@submit_once
def session_register(request, pk: int):
    """From the session's page: the young person named by their file's identifier, of the session's territory."""
    session = _session(request, pk, workshop_sessions_written_by(request.user))
    form = SessionRegisterForm(request.POST)
    if form.is_valid():
        youth_file = youth_files_written_by(request.user).filter(
            territory_id=session.territory_id, youth_ref=form.cleaned_data["youth_ref"].strip()).first()
        if youth_file is None:
            form.add_error("youth_ref", _("Identifiant du dossier : aucun dossier de ce territoire ne porte cet "
                                          "identifiant."))
        else:
            try:
                workshop_registration_create(by=request.user, session=session, youth_file=youth_file)
            except ValidationError as error:
                validation_error_apply(form, error, renames={"session": "youth_ref"})
            else:
                messages.success(request, _("Le jeune est inscrit à la séance."))
                return redirect("youth:session_detail", pk=session.pk)
    return _session_page(request, session, register_form=form, status=400)


@capability_required(YOUTH_WRITE)
@require_POST
def session_attendance(request, pk: int):
    """One form, one POST: the status of each registration of the page."""
    session = _session(request, pk, workshop_sessions_written_by(request.user))
    registrations = list(workshop_session_registrations(session).filter(
        pk__in=[int(name[1:]) for name in request.POST if name[:1] == "r" and name[1:].isdigit()]))
    form = AttendanceForm(request.POST, registrations=registrations,
                          session_held=session.date <= timezone.localdate())
    if registrations and form.is_valid():
        try:
            changed = workshop_attendance_mark(by=request.user, session=session, statuses=form.statuses())
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Les présences sont enregistrées (%(n)s changement·s).") % {"n": changed})
            return redirect("youth:session_detail", pk=session.pk)
    elif not registrations:
        form.add_error(None, _("Aucune inscription de cette séance n'a été envoyée."))
    return _session_page(request, session, attendance_form=form, status=400)


@capability_required(YOUTH_READ)
@require_safe
def session_sheet(request, pk: int):
    """The attendance sheet (PDF): the session and its young people (refusals left out), a column to sign."""
    session = _session(request, pk, workshop_sessions_visible_to(request.user))
    registrations = list(workshop_session_registrations(session).exclude(
        status__in=[RegistrationStatus.REFUSED_BY_YOUTH, RegistrationStatus.REFUSED_BY_THIRD_PARTY]))
    people_shown(request, [r.youth_file for r in registrations], screen="workshop_attendance_sheet")
    response = HttpResponse(attendance_sheet_pdf(session, registrations), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="emargement-{session.session_ref}.pdf"'
    return response


@capability_required(YOUTH_WRITE)
@submit_once
def file_workshop_register(request, pk: int):
    """From the young person's file: one of the sessions to come of their territory."""
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    sessions = workshop_sessions_open_to(youth_file, today=timezone.localdate())
    form = SessionChoiceForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
        try:
            workshop_registration_create(by=request.user, session=session, youth_file=youth_file)
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Le jeune est inscrit à la séance."))
            return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Inscrire à un atelier"), submit=_("Inscrire"))

