"""The commission d'agrément in the interface: sessions, agenda with a decision per file, documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.core.pdf import render as pdf_render
from parcours.plie.commissions import pdf
from parcours.plie.commissions.models import CommissionDecision
from parcours.audit.services import access_log_record
from parcours.plie.commissions.selectors import (
    agenda_barriers, agenda_files_with_sensitive_details, commission_agenda, commission_agenda_file, commission_decisions, commissions_for,
)
from parcours.plie.commissions.services import (
    commission_close, commission_decide, commission_next_date, commission_plan,
)
from parcours.core.workflow import TransitionRefused
from parcours.organisations.capabilities import COMMISSION_DECIDE, COMMISSION_PLAN, COMMISSION_READ

from ..access_log import people_shown
from ..permissions import capability_required, territory_for_new
from .forms import DecisionForm, PlanForm
from ..submission import submit_once

AGENDA_PAGE_SIZE = 10      # files per page of the agenda, each with its decision form (the costly part of the page)
DECISIONS_PAGE_SIZE = 50


@login_required
@submit_once
def commission_list(request):
    page = Paginator(commissions_for(request.user), 25).get_page(request.GET.get("page"))
    territory = territory_for_new(request.user, COMMISSION_PLAN)
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        if territory is None or not (request.user.can(COMMISSION_PLAN)):
            raise PermissionDenied
        if form.is_valid():
            try:
                commission = commission_plan(territory=territory, by=request.user, on=form.cleaned_data["date"])
            except ValidationError as error:
                form.add_error("date", error.message_dict.get("date", error.messages))
            except TransitionRefused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("Commission programmée le %(date)s.")
                                 % {"date": commission.date.strftime("%d/%m/%Y")})
                return redirect("commissions:commission_detail", pk=commission.pk)
    return render(request, "commissions/list.html", {
        "page": page, "form": form, "can_plan": bool(territory and request.user.can(COMMISSION_PLAN)),
        "next_date": commission_next_date(territory) if territory else None,
    })


@capability_required(COMMISSION_READ)
@require_safe
def commission_detail(request, pk: int):
    commission = get_object_or_404(commissions_for(request.user).select_related("territory"), pk=pk)
    agenda_page = Paginator(commission_agenda(commission), AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    decisions_page = Paginator(commission_decisions(commission), DECISIONS_PAGE_SIZE).get_page(
        request.GET.get("decisions"))
    can_decide = request.user.can(COMMISSION_DECIDE)
    files = list(agenda_page)
    detailed = agenda_files_with_sensitive_details(request.user, [p.pk for p in files])
    agenda = [(p, agenda_barriers(p, may_read_sensitive_details=p.pk in detailed),
               DecisionForm(pathway_id=p.pk) if can_decide else None) for p in files]
    # Every file shown on the agenda, and every person in its decisions, is an opening of that file.
    people_shown(request, [*files, *decisions_page], screen="commission_agenda")
    return render(request, "commissions/detail.html", {
        "commission": commission, "agenda": agenda, "page": agenda_page, "decisions_page": decisions_page,
        "page_query": f"&decisions={decisions_page.number}" if decisions_page.number > 1 else "",
        "decisions_query": f"&page={agenda_page.number}" if agenda_page.number > 1 else "",
        "can_decide": can_decide, "is_team": request.user.can(COMMISSION_PLAN),
    })


def _back_to_agenda(commission, page: str | None):
    """The agenda again, on the page the decision was taken from (the next files are there)."""
    url = reverse("commissions:commission_detail", args=[commission.pk])
    return redirect(f"{url}?page={int(page)}" if page and page.isdigit() and int(page) > 1 else url)


@capability_required(COMMISSION_DECIDE)
@require_POST
def decide(request, pk: int, pathway_pk: int):
    commission = get_object_or_404(commissions_for(request.user), pk=pk)
    page = request.GET.get("page")
    pathway = commission_agenda_file(commission, pathway_pk)
    if pathway is None:
        messages.error(request, _("Ce dossier n'est pas (ou plus) à l'ordre du jour de cette commission."))
        return _back_to_agenda(commission, page)
    form = DecisionForm(request.POST, pathway_id=pathway.pk)
    if form.is_valid():
        try:
            commission_decide(commission=commission, pathway=pathway, by=request.user, **form.cleaned_data)
        except (TransitionRefused, ValidationError) as refusal:
            messages.error(request, getattr(refusal, "message", None) or " ".join(refusal.messages))
        else:
            messages.success(request, _("Décision enregistrée pour %(person)s.") % {"person": pathway.participant})
            return _back_to_agenda(commission, page)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, _("%(person)s — %(field)s : %(errors)s")
                           % {"person": pathway.participant, "field": label, "errors": " ".join(errors)})
    return _back_to_agenda(commission, page)


@capability_required(COMMISSION_DECIDE)
@require_POST
def close(request, pk: int):
    commission = get_object_or_404(commissions_for(request.user), pk=pk)
    try:
        commission_close(commission=commission, by=request.user)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Commission close."))
    return redirect("commissions:commission_detail", pk=commission.pk)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@capability_required(COMMISSION_PLAN)
@require_safe
def decision_record(request, pk: int):
    commission = get_object_or_404(commissions_for(request.user), pk=pk)
    decisions = list(commission_decisions(commission))
    people_shown(request, decisions, screen="commission_decision_record")
    story = pdf.decision_record_story(commission, decisions)
    return _pdf_response(pdf_render(story), f"releve-decisions-{commission.date.isoformat()}.pdf")


@capability_required(COMMISSION_PLAN)
@require_safe
def prescriber_letter(request, pk: int):
    decision = get_object_or_404(
        CommissionDecision.objects.filter(commission__in=commissions_for(request.user)).select_related(
            "commission", "pathway__participant", "pathway__operator",
            "pathway__application__prescriber_organisation", "pathway__application__prescribed_by"),
        pk=pk)
    access_log_record(user=request.user, participant_id=decision.pathway.participant_id,
                      screen="commission_prescriber_letter")
    return _pdf_response(pdf_render(pdf.prescriber_letter_story(decision)),
                         f"courrier-prescripteur-{decision.pathway_id}.pdf")
