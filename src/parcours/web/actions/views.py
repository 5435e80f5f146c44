"""The actions' pages: the catalogue and an action (for those who put people on actions and the team), the team's
forms (an action, its sessions), proposing a person, and the operator's side — their actions and indicators, the
people proposed and admitted, the decisions, the attendance of each session (docs/actions.md).

An operator's staff see of a person only the name on a positioning of their own structure's actions: every page
that shows one logs it (`people_shown`)."""

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

from parcours.actions.access import (
    actions_managed_by, actions_run_by, actions_visible_to, pathways_proposable_by, positionings_run_by,
)
from parcours.actions.enums import Attendance
from parcours.actions.models import ActionSession
from parcours.actions.selectors import (
    action_people, actions_catalogue, actions_with_figures, operator_indicators, session_attendees,
    sessions_with_attendance,
)
from parcours.actions.services import (
    action_save, action_session_add, attendance_record, positioning_decide, positioning_propose,
)
from parcours.actions.workflow import POSITIONING_WORKFLOW
from parcours.audit.services import access_log_record
from parcours.core.workflow import TransitionRefused
from parcours.organisations.capabilities import ACTIONS_MANAGE, ACTIONS_PROPOSE, ACTIONS_READ, ACTIONS_RUN
from parcours.organisations.scope import territory_ids_with
from parcours.territory.models import Helpdesk

from ..form_errors import validation_error_apply
from ..access_log import people_shown
from ..permissions import capability_required
from ..submission import submit_once
from .forms import ActionForm, CatalogueFilterForm, DecisionForm, ProposeForm, SessionForm

PAGE_SIZE = 20
PEOPLE_PAGE_SIZE = 50


def _proposed_pathway(request, raw: str | int | None = None):
    """The file named by `?pathway=` (the person being positioned), if the user may propose it; else None (no
    file asked) or 404 (a file they may not propose)."""
    raw = str(raw if raw is not None else request.GET.get("pathway", ""))
    if not raw or not raw.isdigit() or not request.user.can(ACTIONS_PROPOSE):
        return None
    pathway = pathways_proposable_by(request.user).select_related("participant").filter(pk=int(raw)).first()
    if pathway is None:
        raise Http404
    return pathway


@capability_required(ACTIONS_READ)
@require_safe
def catalogue(request):
    territory_ids = territory_ids_with(request.user, ACTIONS_READ)
    form = CatalogueFilterForm(request.GET or None,
                               helpdesks=Helpdesk.objects.filter(territory_id__in=territory_ids).order_by("name"))
    pathway = _proposed_pathway(request)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"text": data["q"], "kind": data["kind"], "on": data["on"], "open_only": data["open_only"],
                   "helpdesk_id": data["helpdesk"].pk if data["helpdesk"] else None}
    actions = actions_catalogue(actions_visible_to(request.user), **filters)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    if pathway is not None:
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="actions_catalogue")
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "actions/catalogue.html", {
        "form": form, "page": page, "pathway": pathway, "query": "&" + urlencode(kept) if kept else "",
        "can_manage": request.user.can(ACTIONS_MANAGE)})


@capability_required(ACTIONS_READ, ACTIONS_RUN)
@require_safe
def action_detail(request, pk: int):
    action = get_object_or_404(actions_with_figures(actions_visible_to(request.user)), pk=pk)
    pathway = _proposed_pathway(request)
    if pathway is not None:
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="action_detail")
    can_manage = actions_managed_by(request.user).filter(pk=action.pk).exists()
    can_run = actions_run_by(request.user).filter(pk=action.pk).exists()
    return render(request, "actions/detail.html", {
        "action": action, "sessions": list(sessions_with_attendance(action)), "pathway": pathway,
        "can_manage": can_manage, "can_run": can_run, "can_propose": request.user.can(ACTIONS_PROPOSE),
        "open_places": max(action.places - action.taken, 0), "session_form": SessionForm() if can_manage else None,
        "propose_form": ProposeForm() if pathway is not None else None})


def _action_form(request, action=None):
    territory_ids = territory_ids_with(request.user, ACTIONS_MANAGE)
    initial = {}
    if action is not None:
        initial = {"operator": action.operator_id, "kind": action.kind, "title": action.title,
                   "public": action.public, "places": action.places, "start_date": action.start_date,
                   "end_date": action.end_date, "helpdesk": action.helpdesk_id, "address": action.address,
                   "in_qpv": action.in_qpv, "cost": action.cost, "funders": action.funders,
                   "step_type": action.step_type, "plie_collective": action.plie_collective}
    form = ActionForm(request.POST or None, territory_ids=territory_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = action_save(by=request.user, action=action, values=form.values())
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect("actions:action_detail", pk=saved.pk)
    return render(request, "actions/action_form.html", {"form": form, "action": action},
                  status=400 if request.method == "POST" else 200)


@capability_required(ACTIONS_MANAGE)
@submit_once
def action_create(request):
    return _action_form(request)


@capability_required(ACTIONS_MANAGE)
def action_edit(request, pk: int):
    return _action_form(request, get_object_or_404(actions_managed_by(request.user), pk=pk))


@capability_required(ACTIONS_MANAGE)
@submit_once
def session_add(request, pk: int):
    action = get_object_or_404(actions_managed_by(request.user).select_related("operator"), pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action_session_add(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("La séance est ajoutée."))
            return redirect("actions:action_detail", pk=action.pk)
    return render(request, "actions/session_form.html", {"form": form, "action": action},
                  status=400 if request.method == "POST" else 200)


@capability_required(ACTIONS_PROPOSE)
@submit_once
def propose(request, pk: int, pathway: int):
    action = get_object_or_404(actions_visible_to(request.user).select_related("operator"), pk=pk)
    person = _proposed_pathway(request, pathway)
    if person is None:
        raise Http404
    access_log_record(user=request.user, participant_id=person.participant_id, screen="action_propose")
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            positioning_propose(action=action, pathway=person, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            validation_error_apply(form, error)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("La personne est proposée sur l'action ; l'opérateur décide."))
            return redirect("actions:action_detail", pk=action.pk)
    return render(request, "actions/propose.html", {"form": form, "action": action, "pathway": person},
                  status=400 if request.method == "POST" else 200)


@capability_required(ACTIONS_RUN)
@require_safe
def operator_home(request):
    actions = actions_run_by(request.user)
    page = Paginator(actions_with_figures(actions).order_by("-start_date", "title", "pk"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actions/operator_home.html", {"page": page, "figures": operator_indicators(actions)})


@capability_required(ACTIONS_RUN, ACTIONS_MANAGE)
@require_safe
def action_people_page(request, pk: int):
    action = get_object_or_404(actions_with_figures(actions_run_by(request.user)), pk=pk)
    page = Paginator(action_people(action), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    people_shown(request, [p.pathway for p in page], screen="action_people")
    rows = [{"positioning": p, "decisions": [(t, DecisionForm(name=t.name, prefix=f"p{p.pk}-{t.name}"))
                                             for t in POSITIONING_WORKFLOW.available(p, request.user) if t.manual]}
            for p in page]
    return render(request, "actions/people.html", {
        "action": action, "page": page, "rows": rows, "sessions": list(sessions_with_attendance(action)),
        "today": timezone.localdate()})


@capability_required(ACTIONS_RUN, ACTIONS_MANAGE)
@require_POST
def decide(request, pk: int, name: str):
    positioning = get_object_or_404(positionings_run_by(request.user).select_related("action"), pk=pk)
    if name not in POSITIONING_WORKFLOW.transitions or not POSITIONING_WORKFLOW.transitions[name].manual:
        raise Http404
    form = DecisionForm(request.POST, name=name, prefix=f"p{positioning.pk}-{name}")
    if not form.is_valid():
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} : {' '.join(problems)}" if label else " ".join(problems))
    else:
        try:
            positioning_decide(positioning=positioning, name=name, by=request.user, data=form.payload())
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("La décision est enregistrée."))
    return redirect("actions:action_people", pk=positioning.action_id)


@capability_required(ACTIONS_RUN, ACTIONS_MANAGE)
def attendance(request, pk: int):
    session = get_object_or_404(ActionSession.objects.filter(action__in=actions_run_by(request.user))
                                .select_related("action"), pk=pk)
    rows = session_attendees(session)
    people_shown(request, [p.pathway for p, _mark in rows], screen="action_attendance")
    errors: list[str] = []
    if request.method == "POST":
        marks = {p.pk: request.POST.get(f"mark-{p.pk}", "") for p, _mark in rows}
        marks = {pk: value for pk, value in marks.items() if value}
        try:
            changed = attendance_record(session=session, marks=marks, by=request.user)
        except (ValidationError, TransitionRefused) as error:
            errors = [error.message] if isinstance(error, TransitionRefused) else error.messages
        else:
            messages.success(request, _("Présences enregistrées (%(count)s modifiée(s)).") % {"count": changed})
            return redirect("actions:action_people", pk=session.action_id)
    return render(request, "actions/attendance.html", {
        "session": session, "action": session.action, "rows": rows, "choices": Attendance.choices, "errors": errors,
        "future": session.date > timezone.localdate()}, status=400 if errors else 200)


