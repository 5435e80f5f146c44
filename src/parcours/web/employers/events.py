"""The recruitment events and the sponsorships (docs/employers.md): the officer runs the events, their employers
and who came; whoever follows a person invites them and starts their sponsorship. A person's name is shown to
those who run the events of the territory and to those who follow that person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.audit.services import access_log_record
from parcours.employers.access import (
    employers_visible_to, events_managed_by, events_visible_to, invitations_visible_to, puts_people_forward,
    sponsorships_visible_to,
)
from parcours.employers.models import Employer, RecruitmentEvent, Sponsorship
from parcours.employers.services import (
    EVENT_FIELDS, event_attendance_open, event_attendance_record, event_attendance_wait_message, event_invitation_create, event_invitation_withdraw,
    recruitment_event_employer_add, recruitment_event_employer_remove, recruitment_event_save,
    sponsorship_end, sponsorship_meeting_record, sponsorship_start,
)
from parcours.organisations.capabilities import EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE, EMPLOYERS_READ
from parcours.organisations.scope import territory_ids_with
from parcours.pathways.access import pathways_visible_to
from parcours.programmes.registry import pathway_states_query
from parcours.territory.models import Territory

from ..access_log import people_shown
from ..form_errors import form_write
from ..permissions import capability_required, territory_for_new
from ..submission import submit_once
from .forms import (
    AttendanceForm, EventEmployerForm, EventForm, InvitationForm, SponsorshipEndForm, SponsorshipForm,
    SponsorshipMeetingForm,
)

PAGE_SIZE = 25
ATTENDANCE_PAGE_SIZE = 50


# --- events -------------------------------------------------------------------------------------------------------

@capability_required(EMPLOYERS_READ)
@require_safe
def event_list(request):
    today = timezone.localdate()
    past = request.GET.get("passes") == "1"
    events = (events_visible_to(request.user).annotate(n_employers=Count("employers", distinct=True),
                                                        n_invited=Count("invitations", distinct=True)))
    events = events.filter(date__lt=today).order_by("-date", "-pk") if past else \
        events.filter(date__gte=today).order_by("date", "pk")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "employers/event_list.html", {
        "page": page, "past": past, "query": "&passes=1" if past else "",
        "can_manage": bool(territory_ids_with(request.user, EMPLOYERS_MANAGE))})


def _event_form_page(request, *, territory: Territory, event: RecruitmentEvent | None = None):
    initial = {name: getattr(event, name) for name in EVENT_FIELDS} if event else {"date": timezone.localdate()}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved: list[RecruitmentEvent] = []
        if form_write(form, lambda: saved.append(recruitment_event_save(by=request.user, territory=territory,
                                                                     event=event, values=form.cleaned_data))):
            messages.success(request, _("L'événement est enregistré."))
            return redirect("employers:event_detail", pk=saved[0].pk)
    return render(request, "employers/event_form.html", {"form": form, "event": event},
                  status=400 if request.method == "POST" else 200)


@capability_required(EMPLOYERS_MANAGE)
@submit_once
def event_create(request):
    territory = territory_for_new(request.user, EMPLOYERS_MANAGE)
    if territory is None:
        raise Http404
    return _event_form_page(request, territory=territory)


@capability_required(EMPLOYERS_MANAGE)
def event_edit(request, pk: int):
    event = get_object_or_404(events_managed_by(request.user).select_related("territory"), pk=pk)
    return _event_form_page(request, territory=event.territory, event=event)


def _event_page(request, event: RecruitmentEvent, *, employer_form=None, status: int = 200):
    can_manage = event.territory_id in territory_ids_with(request.user, EMPLOYERS_MANAGE)
    employers = list(event.employers.order_by("name", "pk"))
    invitations = Paginator(invitations_visible_to(request.user).filter(event=event)
                            .select_related("pathway__participant", "outcome_employer").order_by("pk"),
                            PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, [i.pathway for i in invitations], screen="recruitment_event")
    if can_manage and employer_form is None:
        employer_form = EventEmployerForm(employers=employers_visible_to(request.user).filter(
            territory_id=event.territory_id).exclude(pk__in=[e.pk for e in employers]).order_by("name", "pk"))
    today = timezone.localdate()
    return render(request, "employers/event_detail.html", {
        "event": event, "employers": employers, "invitations": invitations, "can_manage": can_manage,
        "employer_form": employer_form if can_manage else None, "attendance_open": event_attendance_open(event),
        "can_withdraw": request.user.can(EMPLOYERS_PROPOSE) and event.date >= today}, status=status)


@capability_required(EMPLOYERS_READ)
@require_safe
def event_detail(request, pk: int):
    return _event_page(request, get_object_or_404(events_visible_to(request.user), pk=pk))


@capability_required(EMPLOYERS_MANAGE)
@require_POST
def event_employer_add(request, pk: int):
    event = get_object_or_404(events_managed_by(request.user), pk=pk)
    candidates = Employer.objects.filter(territory_id=event.territory_id).order_by("name", "pk")
    form = EventEmployerForm(request.POST, employers=candidates)
    if form_write(form, lambda: recruitment_event_employer_add(by=request.user, event=event,
                                                           employer=form.cleaned_data["employer"])):
        messages.success(request, _("L'employeur participe à l'événement."))
        return redirect("employers:event_detail", pk=event.pk)
    return _event_page(request, event, employer_form=form, status=400)


@capability_required(EMPLOYERS_MANAGE)
@require_POST
def event_employer_remove(request, pk: int, employer_pk: int):
    event = get_object_or_404(events_managed_by(request.user), pk=pk)
    employer = get_object_or_404(event.employers, pk=employer_pk)
    try:
        recruitment_event_employer_remove(by=request.user, event=event, employer=employer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'employeur ne figure plus parmi ceux de l'événement."))
    return redirect("employers:event_detail", pk=event.pk)


@capability_required(EMPLOYERS_MANAGE)
def event_attendance(request, pk: int):
    """Who came and what came of it, a page of invitations at a time (a forum may gather many)."""
    event = get_object_or_404(events_managed_by(request.user), pk=pk)
    if not event_attendance_open(event):
        messages.error(request, event_attendance_wait_message(event))
        return redirect("employers:event_detail", pk=event.pk)
    page = Paginator(event.invitations.select_related("pathway__participant").order_by("pk"),
                     ATTENDANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    employers = list(event.employers.order_by("name", "pk"))
    form = AttendanceForm(request.POST or None, invitations=page.object_list, employers=employers)
    if request.method == "POST" and form_write(form, lambda: event_attendance_record(by=request.user, event=event,
                                                                                  rows=form.rows())):
        messages.success(request, _("Les présences et les suites sont enregistrées."))
        return redirect("employers:event_detail", pk=event.pk)
    people_shown(request, [i.pathway for i in page], screen="recruitment_event_attendance")
    return render(request, "employers/event_attendance.html", {"event": event, "form": form, "page": page},
                  status=400 if request.method == "POST" else 200)


def _followed_pathway(request, pk: int):
    """A file in its pathway that the user follows (may propose and write), else 404."""
    pathway = (pathways_visible_to(request.user).filter(pathway_states_query("in_pathway_states"))
               .select_related("participant").filter(pk=pk).first())
    if pathway is None or not puts_people_forward(request.user):
        raise Http404
    return pathway


@capability_required(EMPLOYERS_PROPOSE)
@submit_once
def event_invite(request, pathway: int):
    person = _followed_pathway(request, pathway)
    events = (events_visible_to(request.user).filter(territory_id=person.territory_id, date__gte=timezone.localdate())
              .exclude(invitations__pathway=person).order_by("date", "pk"))
    form = InvitationForm(request.POST or None, events=events)
    if request.method == "POST" and form_write(form, lambda: event_invitation_create(
            by=request.user, event=form.cleaned_data["event"], pathway=person)):
        messages.success(request, _("La personne est invitée à l'événement."))
        return redirect("pathways:pathway_detail", pk=person.pk)
    access_log_record(user=request.user, participant_id=person.participant_id, screen="event_invite")
    return render(request, "employers/event_invite.html", {"form": form, "pathway": person},
                  status=400 if request.method == "POST" else 200)


@capability_required(EMPLOYERS_PROPOSE)
@require_POST
def invitation_withdraw(request, pk: int):
    invitation = get_object_or_404(invitations_visible_to(request.user).select_related("pathway", "event"), pk=pk)
    try:
        event_invitation_withdraw(by=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'invitation est retirée."))
    return redirect("employers:event_detail", pk=invitation.event_id)


# --- sponsorships -------------------------------------------------------------------------------------------------

@capability_required(EMPLOYERS_READ)
@require_safe
def sponsorship_list(request):
    running = request.GET.get("termines") != "1"
    rows = (sponsorships_visible_to(request.user).filter(ended_on__isnull=running)
            .select_related("pathway__participant", "employer")
            .annotate(n_meetings=Count("meetings"), last_meeting=Max("meetings__date"))
            .order_by("-started_on", "-pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, [s.pathway for s in page], screen="sponsorship_list")
    return render(request, "employers/sponsorship_list.html", {
        "page": page, "running": running, "query": "" if running else "&termines=1"})


@capability_required(EMPLOYERS_PROPOSE)
@submit_once
def sponsorship_create(request, pathway: int):
    person = _followed_pathway(request, pathway)
    employers = employers_visible_to(request.user).filter(territory_id=person.territory_id).order_by("name", "pk")
    form = SponsorshipForm(request.POST or None, employers=employers, initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        saved: list[Sponsorship] = []
        if form_write(form, lambda: saved.append(sponsorship_start(by=request.user, pathway=person,
                                                                values=form.values()))):
            messages.success(request, _("Le parrainage commence."))
            return redirect("employers:sponsorship_detail", pk=saved[0].pk)
    access_log_record(user=request.user, participant_id=person.participant_id, screen="sponsorship_create")
    return render(request, "employers/sponsorship_form.html", {"form": form, "pathway": person},
                  status=400 if request.method == "POST" else 200)


def _sponsorship(request, pk: int) -> Sponsorship:
    return get_object_or_404(sponsorships_visible_to(request.user).select_related(
        "pathway__participant", "employer", "started_by"), pk=pk)


def _sponsorship_page(request, sponsorship: Sponsorship, *, meeting_form=None, end_form=None, status: int = 200):
    file_visible = pathways_visible_to(request.user).filter(pk=sponsorship.pathway_id).exists()
    writer = ((file_visible and puts_people_forward(request.user))
              or sponsorship.employer.territory_id in territory_ids_with(request.user, EMPLOYERS_MANAGE))
    running = sponsorship.ended_on is None
    meetings = Paginator(sponsorship.meetings.select_related("by").order_by("-date", "-pk"),
                         PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record(user=request.user, participant_id=sponsorship.pathway.participant_id, screen="sponsorship")
    today = timezone.localdate()
    return render(request, "employers/sponsorship_detail.html", {
        "sponsorship": sponsorship, "meetings": meetings, "writer": writer,
        "file_visible": file_visible,
        "meeting_form": (meeting_form or SponsorshipMeetingForm(initial={"date": today}, prefix="meeting"))
        if writer else None,
        "end_form": (end_form or SponsorshipEndForm(initial={"ended_on": today}, prefix="end"))
        if writer and running else None}, status=status)


@capability_required(EMPLOYERS_READ)
@require_safe
def sponsorship_detail(request, pk: int):
    return _sponsorship_page(request, _sponsorship(request, pk))


@capability_required(EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE)
@submit_once
def sponsorship_meeting_add(request, pk: int):
    """The meeting form of the sponsorship's page (a GET shows that page; a refused form comes back on it)."""
    sponsorship = _sponsorship(request, pk)
    if request.method != "POST":
        return _sponsorship_page(request, sponsorship)
    form = SponsorshipMeetingForm(request.POST, prefix="meeting")
    if form_write(form, lambda: sponsorship_meeting_record(by=request.user, sponsorship=sponsorship,
                                                       values=form.cleaned_data)):
        messages.success(request, _("La rencontre est enregistrée."))
        return redirect("employers:sponsorship_detail", pk=sponsorship.pk)
    return _sponsorship_page(request, sponsorship, meeting_form=form, status=400)


@capability_required(EMPLOYERS_MANAGE, EMPLOYERS_PROPOSE)
@require_POST
def sponsorship_end_view(request, pk: int):
    sponsorship = _sponsorship(request, pk)
    form = SponsorshipEndForm(request.POST, prefix="end")
    if form_write(form, lambda: sponsorship_end(by=request.user, sponsorship=sponsorship,
                                            ended_on=form.cleaned_data["ended_on"],
                                            outcome=form.cleaned_data["outcome"])):
        messages.success(request, _("Le parrainage est terminé."))
        return redirect("employers:sponsorship_detail", pk=sponsorship.pk)
    return _sponsorship_page(request, sponsorship, end_form=form, status=400)
