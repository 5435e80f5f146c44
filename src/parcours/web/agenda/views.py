"""The agenda's pages: a referent's or a team's calendar (day, week, list), planning an appointment from a file,
one appointment with its people (attendance, convocation, move, cancel), the calendar files (docs/agenda.md).
Views fetch through the visible querysets of agenda.access and call agenda.services."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.agenda import ics, services
from parcours.agenda.access import attendances_writable_by
from parcours.agenda.enums import AgendaView, AttendanceStatus, ConvocationChannel
from parcours.agenda.letters import convocation_letter_story, when_fr
from parcours.agenda.models import Attendance, Meeting
from parcours.agenda.selectors import agenda_meetings, agenda_window, attendance_figures, meeting_with_people
from parcours.agenda.workflow import ATTENDANCE_WORKFLOW
from parcours.audit.services import access_log_record
from parcours.core.pdf import render as pdf_render
from parcours.organisations.access import referents_assignable_by
from parcours.organisations.capabilities import PATHWAY_ASSIGN, PATHWAY_READ, PATHWAY_WRITE
from parcours.organisations.models import User
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.enums import AppointmentKind
from parcours.programmes.registry import pathway_states_query
from parcours.territory.models import Helpdesk

from ..form_errors import validation_error_apply
from ..access_log import people_shown
from ..permissions import capability_required
from ..submission import submit_once
from . import forms

LIST_PAGE_SIZE = 25
LIST_DAYS = 60
ICS_DAYS = 90


def _referents(user: User):
    """Whose agenda the user may choose: their own, and a team's referents for those who assign files."""
    ids = {user.pk}
    if user.can(PATHWAY_ASSIGN):
        # The referents' memberships: their accounts are what an agenda is filtered by.
        ids |= set(referents_assignable_by(user).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@capability_required(PATHWAY_READ)
@require_safe
def agenda(request):
    today = timezone.localdate()
    referents = _referents(request.user)
    data = request.GET.copy() if request.GET else {"referent": str(request.user.pk)}
    form = forms.AgendaFilterForm(data, referents=referents)
    view, day, organiser = AgendaView.WEEK, today, request.user
    if form.is_valid():
        view = form.cleaned_data["vue"] or AgendaView.WEEK
        day = form.cleaned_data["date"] or today
        organiser = form.cleaned_data["referent"]
    if view == AgendaView.DAY:
        first, last = day, day
    elif view == AgendaView.WEEK:
        first = _week_start(day)
        last = first + timedelta(days=6)
    else:
        first, last = day, day + timedelta(days=LIST_DAYS - 1)
    meetings = agenda_meetings(user=request.user, first=first, last=last, organiser=organiser)
    page = None
    if view == AgendaView.LIST:
        page = Paginator(meetings, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page)
    else:
        shown = list(meetings)
    people_shown(request, [a.pathway for m in shown for a in m.attendances.all()], screen="agenda")
    days = []
    if view != AgendaView.LIST:
        for offset in range((last - first).days + 1):
            current = first + timedelta(days=offset)
            days.append({"day": current, "meetings": [m for m in shown
                                                       if timezone.localdate(m.starts_at) == current]})
    step = {AgendaView.DAY: 1, AgendaView.WEEK: 7}.get(view, LIST_DAYS)
    base = {"vue": view, "referent": organiser.pk if organiser else ""}
    # The figures of the period shown: who came, who was excused, who did not come (counted by the database).
    figures = attendance_figures(meetings=agenda_window(user=request.user, first=first, last=last,
                                                        organiser=organiser))
    return render(request, "agenda/agenda.html", {
        "form": form, "view": view, "first": first, "last": last, "days": days, "page": page,
        "meetings": shown, "figures": figures, "today": today, "organiser": organiser,
        "previous": {**base, "date": (first - timedelta(days=step)).isoformat()},
        "next": {**base, "date": (first + timedelta(days=step)).isoformat()},
        "query": "&".join(f"{k}={v}" for k, v in {**base, "date": day.isoformat()}.items()),
        "views": [(code, label) for code, label in AgendaView.choices],
    })


@capability_required(PATHWAY_READ)
@require_safe
def agenda_ics(request):
    """The user's own appointments of the coming three months, for their calendar software."""
    today = timezone.localdate()
    meetings = list(agenda_meetings(user=request.user, first=today, last=today + timedelta(days=ICS_DAYS),
                                    organiser=request.user))
    people_shown(request, [a.pathway for m in meetings for a in m.attendances.all()], screen="agenda_ics")
    response = HttpResponse(ics.agenda_calendar(meetings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agenda.ics"'
    return response


def _plan_pathway(request, pk: int):
    in_pathway = pathway_states_query("in_pathway_states")
    return get_object_or_404(pathways_visible_to(request.user).filter(in_pathway)
                             .select_related("participant", "territory"), pk=pk)


@capability_required(PATHWAY_WRITE)
@submit_once
def meeting_plan(request, pk: int):
    pathway = _plan_pathway(request, pk)
    participant = pathway.participant
    helpdesks = Helpdesk.objects.filter(territory_id=pathway.territory_id).order_by("name")
    form = forms.MeetingForm(request.POST or None, helpdesks=helpdesks, can_email=bool(participant.email),
                             initial={"duration_minutes": 60, "day": timezone.localdate() + timedelta(days=7),
                                      "hour": "09:30", "send_email": bool(participant.email)})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            values = services.MeetingValues(starts_at=form.starts_at(), duration_minutes=data["duration_minutes"],
                                            kind=data["kind"], mode=data["mode"], subject=data["subject"],
                                            helpdesk=data["helpdesk"], place=data["place"])
            try:
                meeting = services.meeting_plan(by=request.user, pathway=pathway, values=values)
            except ValidationError as error:
                validation_error_apply(form, error, renames={"starts_at": "day"})
            else:
                messages.success(request, _("Le rendez-vous du %(when)s est planifié.")
                                 % {"when": when_fr(meeting.starts_at)})
                if data.get("send_email"):
                    _convene(request, meeting.attendances.get())
                return redirect("agenda:meeting_detail", pk=meeting.pk)
    else:
        access_log_record(user=request.user, participant_id=participant.pk, screen="meeting_plan")
    # The file's form page, as for the other entries of a file.
    return render(request, "pathways/form.html", {
        "pathway": pathway, "participant": participant, "form": form, "title": _("Planifier un rendez-vous"),
        "submit": _("Planifier le rendez-vous"), "back_url": reverse("pathways:pathway_detail", args=[pathway.pk]),
        "intro": _("Un rendez-vous déjà tenu s'enregistre dans le dossier ; celui-ci est à venir : la personne reçoit "
                   "une convocation et un rappel avant (par courriel quand elle en a un)."),
        "multipart": False, "cnil_reminder": "", "pdf_url": "", "readonly": False}, status=status)


def _convene(request, attendance: Attendance) -> None:
    try:
        services.convocation_send(attendance=attendance, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La convocation est envoyée par courriel."))


def _meeting(request, pk: int) -> Meeting:
    try:
        return meeting_with_people(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _detail_context(request, meeting: Meeting, **extra) -> dict:
    writable = set(attendances_writable_by(request.user).filter(meeting=meeting).values_list("pk", flat=True))
    rows = []
    for attendance in meeting.attendances.all():
        can = attendance.pk in writable
        rows.append({"attendance": attendance, "can": can,
                     "transitions": [t.name for t in ATTENDANCE_WORKFLOW.available(attendance, request.user)]
                     if can else []})
    planned = any(a.status == AttendanceStatus.PLANNED for a in meeting.attendances.all())
    can_write = bool(writable)
    candidates = None
    if can_write and meeting.kind == AppointmentKind.COLLECTIVE and meeting.starts_at > timezone.now():
        candidates = (pathways_visible_to(request.user).filter(pathway_states_query("in_pathway_states"))
                      .filter(Q(referent=meeting.organiser) | Q(referent=request.user))
                      .exclude(pk__in=[a.pathway_id for a in meeting.attendances.all()])
                      .select_related("participant").order_by("participant__last_name", "participant__first_name"))
    context = {
        "meeting": meeting, "rows": rows, "can_write": can_write, "planned": planned,
        "started": meeting.starts_at <= timezone.now(),
        "changes": list(meeting.changes.select_related("by")),
        "move_form": forms.MoveForm(prefix="move"), "cancel_form": forms.ReasonForm(prefix="cancel"),
        "seen_form": forms.SeenForm(), "reason_form": forms.ReasonForm(),
        "attendee_form": forms.AttendeeForm(pathways=candidates) if candidates is not None else None,
        "candidates": list(candidates) if candidates is not None else [],
        "when": when_fr(meeting.starts_at),
    }
    context.update(extra)
    return context


@capability_required(PATHWAY_READ)
@require_safe
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    context = _detail_context(request, meeting)
    # The people expected, and those the referent may add (named in the list to choose from).
    people_shown(request, [a.pathway for a in meeting.attendances.all()] + context["candidates"], screen="meeting")
    return render(request, "agenda/meeting_detail.html", context)


def _back(meeting_pk: int):
    return redirect(reverse("agenda:meeting_detail", args=[meeting_pk]))


def _refused(request, meeting: Meeting, message: str, **extra):
    """The meeting's page again, the refusal at its top (400), what was typed kept in its form."""
    context = _detail_context(request, meeting, refusal=message, **extra)
    people_shown(request, [a.pathway for a in meeting.attendances.all()] + context["candidates"], screen="meeting")
    return render(request, "agenda/meeting_detail.html", context, status=400)


@capability_required(PATHWAY_WRITE)
@require_POST
def attendance_mark(request, pk: int):
    attendance = get_object_or_404(attendances_writable_by(request.user).select_related("meeting", "pathway"), pk=pk)
    name = request.POST.get("transition", "")
    if name not in ATTENDANCE_WORKFLOW.transitions or not ATTENDANCE_WORKFLOW.transitions[name].manual:
        return _refused(request, _meeting(request, attendance.meeting_id), _("Action inconnue."))
    form_class = {"seen": forms.SeenForm, "excused": forms.ReasonForm, "cancel": forms.ReasonForm,
                  "correct": forms.ReasonForm}.get(name)
    data = None
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            message = " ".join(f"{form.fields[f].label} : {' '.join(e)}" for f, e in form.errors.items())
            return _refused(request, _meeting(request, attendance.meeting_id), message)
        data = dict(form.cleaned_data)
    try:
        services.attendance_mark(attendance=attendance, by=request.user, transition=name, data=data)
    except ValidationError as error:
        return _refused(request, _meeting(request, attendance.meeting_id), " ".join(error.messages))
    messages.success(request, _("« %(status)s » est enregistré pour %(person)s.") % {
        "status": ATTENDANCE_WORKFLOW.transitions[name].label, "person": attendance.pathway.participant})
    return _back(attendance.meeting_id)


def _writable_meeting(request, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if not attendances_writable_by(request.user).filter(meeting=meeting).exists():
        raise Http404
    return meeting


@capability_required(PATHWAY_WRITE)
@require_POST
def meeting_move(request, pk: int):
    meeting = _writable_meeting(request, pk)
    form = forms.MoveForm(request.POST, prefix="move")
    if not form.is_valid():
        return _refused(request, meeting, _("Le rendez-vous n'est pas déplacé : vérifiez le formulaire."),
                        move_form=form)
    try:
        services.meeting_move(meeting=meeting, by=request.user, starts_at=form.starts_at(),
                              reason=form.cleaned_data["reason"])
    except ValidationError as error:
        validation_error_apply(form, error, renames={"starts_at": "day"})
        return _refused(request, meeting, _("Le rendez-vous n'est pas déplacé."), move_form=form)
    messages.success(request, _("Le rendez-vous est déplacé au %(when)s : convoquez de nouveau les personnes.")
                     % {"when": when_fr(form.starts_at())})
    return _back(meeting.pk)


@capability_required(PATHWAY_WRITE)
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _writable_meeting(request, pk)
    form = forms.ReasonForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return _refused(request, meeting, _("Motif : ce champ est obligatoire."), cancel_form=form)
    try:
        count = services.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _refused(request, meeting, " ".join(error.messages), cancel_form=form)
    messages.success(request, _("Le rendez-vous est annulé pour %(count)s personne(s) : prévenez-les.")
                     % {"count": count})
    return _back(meeting.pk)


@capability_required(PATHWAY_WRITE)
@require_POST
@submit_once
def attendance_add(request, pk: int):
    meeting = _writable_meeting(request, pk)
    candidates = pathways_visible_to(request.user).filter(pathway_states_query("in_pathway_states"))
    form = forms.AttendeeForm(request.POST, pathways=candidates.select_related("participant"))
    if not form.is_valid():
        return _refused(request, meeting, _("Personne à ajouter : choisissez une personne de la liste."),
                        attendee_form=form)
    try:
        services.attendance_add(meeting=meeting, pathway=form.cleaned_data["pathway"], by=request.user)
    except ValidationError as error:
        return _refused(request, meeting, " ".join(error.messages))
    messages.success(request, _("La personne est ajoutée au rendez-vous."))
    return _back(meeting.pk)


def _planned_attendance(request, pk: int) -> Attendance:
    return get_object_or_404(attendances_writable_by(request.user).select_related(
        "meeting__organiser", "meeting__organisation", "meeting__helpdesk", "pathway__participant__commune"), pk=pk)


@capability_required(PATHWAY_WRITE)
@require_POST
def convocation_send(request, pk: int):
    attendance = _planned_attendance(request, pk)
    _convene(request, attendance)
    return _back(attendance.meeting_id)


@capability_required(PATHWAY_WRITE)
@require_safe
def convocation_pdf(request, pk: int):
    """The letter to post; printing it counts as convening the person by post (once, not on every download)."""
    attendance = _planned_attendance(request, pk)
    if attendance.status != AttendanceStatus.PLANNED:
        raise Http404
    access_log_record(user=request.user, participant_id=attendance.pathway.participant_id, screen="convocation_pdf")
    if attendance.convened_at is None:
        services.convocation_record(attendance=attendance, by=request.user, channel=ConvocationChannel.LETTER)
    response = HttpResponse(pdf_render(convocation_letter_story(attendance)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convocation-{attendance.meeting_id}.pdf"'
    return response


@capability_required(PATHWAY_READ)
@require_safe
def meeting_ics(request, pk: int):
    meeting = _meeting(request, pk)
    people_shown(request, [a.pathway for a in meeting.attendances.all()], screen="meeting_ics")
    response = HttpResponse(ics.agenda_calendar([meeting]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{meeting.pk}.ics"'
    return response

