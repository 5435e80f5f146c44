"""Immersions in companies (PMSMP, docs/youth.md): the agreement drawn up from the young person's file, its page with
its transitions and PDF, the tutor's evaluation, the follow-ups 15 days, 1 month and 3 months after, and the
advisers' list of the follow-ups due. Every page showing a young person writes their access-log row."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parcours.audit.services import access_log_record
from parcours.organisations.capabilities import YOUTH_READ, YOUTH_WRITE
from parcours.organisations.scope import territory_ids_with
from parcours.youth.access import youth_files_visible_to, youth_files_written_by
from parcours.youth.enums import FOLLOW_UP_DAYS, FollowUpMilestone
from parcours.youth.immersion_pdf import immersion_pdf
from parcours.youth.immersion_workflow import IMMERSION_WORKFLOW
from parcours.youth.models import ImmersionAgreement, YouthFile
from parcours.youth.selectors import immersion_follow_ups_due, immersion_milestones
from parcours.youth.services import (
    immersion_cancel, immersion_complete, immersion_draw_up, immersion_evaluate, immersion_follow_up_due_on,
    immersion_follow_up_record, immersion_sign,
)

from ..access_log import people_shown
from ..permissions import capability_required
from ..submission import submit_once
from .files import PAGE_SIZE, _file, _item_page, _write
from .forms import FollowUpForm, ImmersionCancelForm, ImmersionConfirmForm, ImmersionEvaluationForm, ImmersionForm


def _agreement(request, pk: int, immersion_pk: int, files) -> tuple[YouthFile, ImmersionAgreement]:
    youth_file = _file(request, pk, files)
    agreement = get_object_or_404(ImmersionAgreement.objects.select_related("prescriber", "evaluation"),
                                  pk=immersion_pk, youth_file=youth_file)
    agreement.youth_file = youth_file
    return youth_file, agreement


@capability_required(YOUTH_WRITE)
@submit_once
def immersion_add(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = ImmersionForm(request.POST or None)
    created: list[ImmersionAgreement] = []
    if _write(request, form, lambda data: created.append(immersion_draw_up(
            by=request.user, youth_file=youth_file, values=data)),
            done=_("La convention d'immersion est préparée.")):
        return redirect("youth:immersion_detail", pk=youth_file.pk, immersion_pk=created[0].pk)
    return _item_page(request, youth_file, form, title=_("Préparer une convention d'immersion (PMSMP)"),
                      submit=_("Préparer la convention"))


@capability_required(YOUTH_READ)
@require_safe
def immersion_detail(request, pk: int, immersion_pk: int):
    youth_file, agreement = _agreement(request, pk, immersion_pk, youth_files_visible_to(request.user))
    access_log_record(user=request.user, participant_id=youth_file.participant_id, screen="youth_immersion")
    today = timezone.localdate()
    can_write = youth_file.territory_id in territory_ids_with(request.user, YOUTH_WRITE)
    evaluation = getattr(agreement, "evaluation", None)
    context = {
        "file": youth_file, "person": youth_file.participant, "agreement": agreement, "can_write": can_write,
        "transitions": IMMERSION_WORKFLOW.available(agreement, request.user) if can_write else [],
        "evaluation": evaluation, "milestones": immersion_milestones(agreement, today=today),
        "can_evaluate": (can_write and evaluation is None and agreement.status in ("signed", "done")
                         and today > agreement.end_date),
        "log": [{"at": row.at, "by": row.by, "label": IMMERSION_WORKFLOW.transition(row.transition).label,
                 "state": IMMERSION_WORKFLOW.state_label(row.to_state)}
                for row in agreement.transitions.select_related("by").order_by("at", "pk")],
    }
    return render(request, "youth/immersion_detail.html", context)


TRANSITIONS = {"sign": immersion_sign, "complete": immersion_complete, "cancel": immersion_cancel}


@capability_required(YOUTH_WRITE)
def immersion_transition(request, pk: int, immersion_pk: int, transition: str):
    if transition not in TRANSITIONS:
        raise Http404
    youth_file, agreement = _agreement(request, pk, immersion_pk, youth_files_written_by(request.user))
    form = (ImmersionCancelForm if transition == "cancel" else ImmersionConfirmForm)(
        request.POST if request.method == "POST" else None)
    service = TRANSITIONS[transition]
    done = {"sign": _("La signature est enregistrée : l'immersion figure parmi les situations du jeune."),
            "complete": _("L'immersion est réalisée."), "cancel": _("La convention est annulée.")}[transition]
    if _write(request, form, lambda data: service(by=request.user, agreement=agreement, **data),
                        done=done):
        return redirect("youth:immersion_detail", pk=youth_file.pk, immersion_pk=agreement.pk)
    label = IMMERSION_WORKFLOW.transition(transition).label
    return _item_page(request, youth_file, form, title=_("%(action)s — immersion chez %(company)s")
                      % {"action": label, "company": agreement.company_name}, submit=str(label))


@capability_required(YOUTH_WRITE)
@submit_once
def immersion_evaluation(request, pk: int, immersion_pk: int):
    youth_file, agreement = _agreement(request, pk, immersion_pk, youth_files_written_by(request.user))
    form = ImmersionEvaluationForm(request.POST or None, initial={"date": timezone.localdate()})
    if _write(request, form, lambda data: immersion_evaluate(
            by=request.user, agreement=agreement, day=data["date"], aptitudes=data["aptitudes"],
            outcome=data["outcome"], hire_proposed=data["hire_proposed"]), done=_("L'évaluation est enregistrée.")):
        return redirect("youth:immersion_detail", pk=youth_file.pk, immersion_pk=agreement.pk)
    return _item_page(request, youth_file, form, title=_("Évaluation de l'immersion chez %(company)s")
                      % {"company": agreement.company_name}, submit=_("Enregistrer l'évaluation"))


@capability_required(YOUTH_WRITE)
@submit_once
def immersion_follow_up(request, pk: int, immersion_pk: int, milestone: str):
    if milestone not in FOLLOW_UP_DAYS:
        raise Http404
    youth_file, agreement = _agreement(request, pk, immersion_pk, youth_files_written_by(request.user))
    due = immersion_follow_up_due_on(agreement, milestone)
    form = FollowUpForm(request.POST or None, initial={"date": max(due, min(timezone.localdate(), due))})
    if _write(request, form, lambda data: immersion_follow_up_record(
            by=request.user, agreement=agreement, milestone=milestone, day=data["date"], outcome=data["outcome"],
            contract_type=data["contract_type"], employment_start=data["employment_start"],
            comment=data["comment"]), done=_("Le suivi est enregistré.")):
        return redirect("youth:immersion_detail", pk=youth_file.pk, immersion_pk=agreement.pk)
    return _item_page(request, youth_file, form, title=_("Suivi %(milestone)s l'immersion chez %(company)s (dû le "
                                                         "%(day)s)")
                      % {"milestone": FollowUpMilestone(milestone).label, "company": agreement.company_name,
                         "day": due.strftime("%d/%m/%Y")}, submit=_("Enregistrer le suivi"))


@capability_required(YOUTH_READ)
@require_safe
def immersion_pdf_view(request, pk: int, immersion_pk: int):
    youth_file, agreement = _agreement(request, pk, immersion_pk, youth_files_visible_to(request.user))
    access_log_record(user=request.user, participant_id=youth_file.participant_id, screen="youth_immersion_pdf")
    response = HttpResponse(immersion_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-immersion-{agreement.pk}.pdf"'
    return response


@capability_required(YOUTH_READ)
@require_safe
def follow_ups_due(request):
    """The follow-ups whose day has come and that are not recorded, in the user's territories."""
    agreements = ImmersionAgreement.objects.filter(territory_id__in=territory_ids_with(request.user, YOUTH_READ))
    page = Paginator(immersion_follow_ups_due(agreements, today=timezone.localdate()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    people_shown(request, [row["agreement"].youth_file.participant for row in page], screen="youth_follow_ups_due")
    return render(request, "youth/follow_ups_due.html", {"page": page})
