"""Reads of the actions: the catalogue with its filters, places and indicators, an action's people and
attendance. Each starts from a queryset of access.py; counts are made in the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from .enums import PLACE_HOLDING, Attendance, PositioningStatus
from .models import Action, ActionSession, Positioning, SessionAttendance


def actions_with_figures(actions: QuerySet[Action]) -> Any:
    # Any: the annotations (taken, free…) are fields django-stubs cannot see on Action's queryset.
    """Each action with its places taken and its people by state (one query for a page of actions)."""
    by = "positionings__status"
    return actions.select_related("operator", "helpdesk").annotate(
        taken=Count("positionings", filter=Q(**{f"{by}__in": PLACE_HOLDING}), distinct=True),
        proposed=Count("positionings", filter=Q(**{by: PositioningStatus.PROPOSED}), distinct=True),
        waiting=Count("positionings", filter=Q(**{by: PositioningStatus.WAITING_LIST}), distinct=True),
        started=Count("positionings", filter=Q(**{by: PositioningStatus.STARTED}), distinct=True),
        completed=Count("positionings", filter=Q(**{by: PositioningStatus.COMPLETED}), distinct=True),
        left=Count("positionings", filter=Q(**{by: PositioningStatus.LEFT}), distinct=True),
        session_count=Count("sessions", distinct=True),
    ).annotate(free=F("places") - F("taken"))


def actions_catalogue(actions: QuerySet[Action], *, text: str = "", kind: str = "", helpdesk_id: int | None = None,
                      on: date | None = None, open_only: bool = False) -> Any:
    """The catalogue's filters: words of the title, public or operator; a kind (fiche); a place; running on or
    after a day; with places still open."""
    for word in text.split():
        actions = actions.filter(Q(title__icontains=word) | Q(public__icontains=word)
                                 | Q(operator__name__icontains=word))
    if kind:
        actions = actions.filter(kind=kind)
    if helpdesk_id:
        actions = actions.filter(helpdesk_id=helpdesk_id)
    if on:
        actions = actions.filter(end_date__gte=on)
    figured = actions_with_figures(actions)
    if open_only:
        figured = figured.filter(taken__lt=F("places"))
    return figured.order_by("start_date", "title", "pk")


def action_people(action: Action) -> QuerySet[Positioning]:
    """The people positioned on an action, with what the operator needs: the name and the state."""
    return (Positioning.objects.filter(action=action).select_related("pathway__participant", "action__operator")
            .order_by("pathway__participant__last_name", "pathway__participant__first_name", "pk"))


def session_attendees(session: ActionSession) -> list[tuple[Positioning, str]]:
    """The people who entered the action, each with their mark for this session ("" if none yet)."""
    people = list(Positioning.objects.filter(
        action_id=session.action_id,
        status__in=(PositioningStatus.STARTED, PositioningStatus.COMPLETED, PositioningStatus.LEFT))
        .select_related("pathway__participant")
        .order_by("pathway__participant__last_name", "pathway__participant__first_name", "pk"))
    marks = dict(SessionAttendance.objects.filter(session=session).values_list("positioning_id", "attendance"))
    return [(p, marks.get(p.pk, "")) for p in people]


def sessions_with_attendance(action: Action) -> QuerySet[ActionSession]:
    return action.sessions.annotate(
        present=Count("attendances", filter=Q(attendances__attendance=Attendance.PRESENT)),
        marked=Count("attendances"))


def operator_indicators(actions: QuerySet[Action]) -> dict[str, int | None]:
    """The totals of an operator's actions: places offered and filled, people who completed or left."""
    # Summed over the actions' own rows: an aggregate over the joined positionings would count places once per person.
    rows = list(actions_with_figures(actions).values("places", "taken", "completed", "left", "started"))
    figures: dict[str, int | None] = {"actions": len(rows), "places": sum(r["places"] for r in rows), "taken": sum(r["taken"] for r in rows),
               "started": sum(r["started"] for r in rows), "completed": sum(r["completed"] for r in rows),
               "left": sum(r["left"] for r in rows)}
    completed, left = sum(r["completed"] for r in rows), sum(r["left"] for r in rows)
    places, taken = sum(r["places"] for r in rows), sum(r["taken"] for r in rows)
    figures["completion_rate"] = round(100 * completed / (completed + left)) if completed + left else None
    figures["fill_rate"] = round(100 * taken / places) if places else None
    return figures


def actions_report_compute(*, territory_ids, date_from: date, date_to: date) -> dict[str, Any]:
    """The figures of `parcours actions-report` (docs/actions.md): the actions running in the period (bounds
    included) by kind — the twenty fiches, every one present — and by operator, with their places, the steps they
    put on pathways (entries in the period), completions and abandonments (exits in the period); the positionings
    of those actions by state; the attendance of the sessions held in the period."""
    running = Action.objects.filter(operator__territory_id__in=list(territory_ids), start_date__lte=date_to,
                                     end_date__gte=date_from)
    in_period = {"started_on__gte": date_from, "started_on__lte": date_to}
    ended = {"ended_on__gte": date_from, "ended_on__lte": date_to}
    rows: list[dict[str, Any]] = [dict(row) for row in running.values("pk", "kind", "places", "operator__name").annotate(
        steps=Count("positionings", filter=Q(**{f"positionings__{k}": v for k, v in in_period.items()})),
        completed=Count("positionings", filter=Q(positionings__status=PositioningStatus.COMPLETED,
                                                 **{f"positionings__{k}": v for k, v in ended.items()})),
        left=Count("positionings", filter=Q(positionings__status=PositioningStatus.LEFT,
                                            **{f"positionings__{k}": v for k, v in ended.items()})))]

    def figures(selected: list[dict[str, Any]]) -> dict[str, int]:
        return {"actions": len(selected), "places": sum(r["places"] for r in selected),
                "steps": sum(r["steps"] for r in selected), "completed": sum(r["completed"] for r in selected),
                "left": sum(r["left"] for r in selected)}

    from .enums import ActionKind

    by_kind = {kind.value: {"label": str(kind.label)} | figures([r for r in rows if r["kind"] == kind.value])
               for kind in ActionKind}
    operators = sorted({r["operator__name"] for r in rows})
    by_operator = [{"operator": name} | figures([r for r in rows if r["operator__name"] == name]) for name in operators]
    states = dict(Positioning.objects.filter(action__in=running).values_list("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    attendance = dict(SessionAttendance.objects.filter(
        session__action__in=running, session__date__gte=date_from, session__date__lte=date_to)
        .values_list("attendance").annotate(n=Count("pk")).values_list("attendance", "n"))
    total = figures(rows)
    done = total["completed"] + total["left"]
    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "totals": total,
        "completion_rate": round(total["completed"] / done, 2) if done else None,
        "by_kind": by_kind,
        "by_operator": by_operator,
        "positionings_by_state": {state: states.get(state, 0) for state in PositioningStatus.values},
        "sessions": ActionSession.objects.filter(action__in=running, date__gte=date_from, date__lte=date_to).count(),
        "attendance": {mark: attendance.get(mark, 0) for mark in Attendance.values},
    }
