"""The ESF+ pages: operations and their financing plan (the team's), the completeness dashboard and the claim of an
operation for a period, and on a participant's file the participations with their questionnaires. Views fetch
through the scoped querysets (esf.access, pathways.access) and call the services."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.audit.services import access_log_record
from parcours.esf import access, selectors, services
from parcours.core.workflow import TransitionRefused
from parcours.esf.enums import ClaimState, SampleOutcome
from parcours.esf.models import Claim, ClaimSampleItem, Operation, Participation
from parcours.esf.workflow import CLAIM_WORKFLOW, IRREVERSIBLE
from parcours.organisations.capabilities import (
    ESF_CLAIM, ESF_CONTROL, ESF_MANAGE, ESF_PAY, ESF_QUESTIONNAIRE, ESF_READ, SENSITIVE_READ,
)
from parcours.organisations.scope import territory_ids_with
from parcours.pathways.access import pathways_visible_to

from ..access_log import people_shown
from ..form_errors import validation_error_apply
from ..permissions import capability_required
from ..submission import submit_once
from . import forms
from .exports import XLSX_TYPE, claim_pdf, claim_xlsx

PAGE_SIZE = 25
readers = capability_required(ESF_READ)
managers = capability_required(ESF_MANAGE)
questionnaires = capability_required(ESF_QUESTIONNAIRE)


def _operation(request, pk: int, queryset=None) -> Operation:
    base = queryset if queryset is not None else access.operations_visible_to(request.user)
    return get_object_or_404(base.select_related("beneficiary"), pk=pk)


# --- operations -------------------------------------------------------------------------------------------------

@capability_required(ESF_READ, ESF_CLAIM)
@require_safe
def operation_list(request):
    """The territory's operations (esf.read), or a financial officer's structure's (esf.claim), whose links then
    lead to the claims."""
    page = Paginator(access.claim_operations_visible_to(request.user).select_related("beneficiary"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "esf/operation_list.html", {"page": page, "can_manage": request.user.can(ESF_MANAGE),
                                                       "can_read": request.user.can(ESF_READ)})


def _plan_initial(operation: Operation) -> list[dict]:
    return [{"funder_kind": line.funder_kind, "funder": line.funder, "year": line.year, "planned": line.planned,
             "actual": line.actual} for line in operation.cofinancing.order_by("year", "funder_kind", "funder", "pk")]


@managers
@submit_once
def operation_create(request):
    beneficiaries = access.beneficiaries_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = forms.OperationForm(data, beneficiaries=beneficiaries)
    amounts = forms.AmountsForm(data)
    plan = forms.PlanFormSet(data, prefix="plan")
    if request.method == "POST" and form.is_valid() and amounts.is_valid() and plan.is_valid():
        try:
            operation = services.operation_create(by=request.user, values=form.cleaned_data | amounts.cleaned_data,
                                                  lines=forms.plan_lines(plan))
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("L'opération %(ref)s est créée.") % {"ref": operation.operation_ref})
            return redirect("esf:operation_detail", pk=operation.pk)
    return render(request, "esf/operation_form.html", {
        "title": _("Nouvelle opération FSE+"), "forms": [form, amounts], "plan": plan,
        "submit": _("Créer l'opération"), "back_url": "esf:operation_list", "operation": None,
    }, status=400 if request.method == "POST" else 200)


@readers
@require_safe
def operation_detail(request, pk: int):
    operation = _operation(request, pk)
    return render(request, "esf/operation_detail.html", {
        "operation": operation, "plan": selectors.operation_plan(operation),
        "amendments": list(operation.amendments.select_related("recorded_by")),
        "rate_percent": float(operation.esf_rate * 100),
        "can_manage": request.user.can(ESF_MANAGE),
    })


@managers
def operation_edit(request, pk: int):
    operation = _operation(request, pk, access.operations_managed_by(request.user))
    beneficiaries = access.beneficiaries_for(request.user)
    if request.method == "POST":
        form = forms.OperationForm(request.POST, beneficiaries=beneficiaries)
        if form.is_valid():
            try:
                services.operation_update(operation=operation, by=request.user, values=form.cleaned_data)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("L'opération est modifiée."))
                return redirect("esf:operation_detail", pk=operation.pk)
    else:
        form = forms.OperationForm(initial={name: getattr(operation, name) for name in services.OPERATION_FIELDS},
                                   beneficiaries=beneficiaries)
    return render(request, "esf/operation_form.html", {
        "title": _("Modifier l'opération %(ref)s") % {"ref": operation.operation_ref}, "forms": [form],
        "plan": None, "submit": _("Enregistrer les modifications"), "operation": operation,
        "intro": _("Les montants et le plan de financement changent par un avenant, qui garde l'historique."),
    }, status=400 if request.method == "POST" else 200)


@managers
@submit_once
def operation_amend(request, pk: int):
    operation = _operation(request, pk, access.operations_managed_by(request.user))
    if request.method == "POST":
        form = forms.AmendmentForm(request.POST)
        plan = forms.PlanFormSet(request.POST, prefix="plan")
        if form.is_valid() and plan.is_valid():
            try:
                services.operation_amend(operation=operation, by=request.user, date=form.cleaned_data["date"],
                                         reason=form.cleaned_data["reason"],
                                         total_eligible_cost=form.cleaned_data["total_eligible_cost"],
                                         esf_amount=form.cleaned_data["esf_amount"], lines=forms.plan_lines(plan))
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("L'avenant est enregistré."))
                return redirect("esf:operation_detail", pk=operation.pk)
    else:
        form = forms.AmendmentForm(initial={"date": timezone.localdate(), "esf_amount": operation.esf_amount,
                                            "total_eligible_cost": operation.total_eligible_cost})
        plan = forms.PlanFormSet(initial=_plan_initial(operation), prefix="plan")
    return render(request, "esf/operation_form.html", {
        "title": _("Avenant à l'opération %(ref)s") % {"ref": operation.operation_ref}, "forms": [form],
        "plan": plan, "submit": _("Enregistrer l'avenant"), "operation": operation,
        "intro": _("L'avenant remplace les montants et le plan de financement ; l'opération garde le plan d'avant "
                   "et celui d'après, avec la date et le motif."),
    }, status=400 if request.method == "POST" else 200)


def _period(request, operation: Operation) -> tuple[forms.PeriodForm, tuple | None]:
    data = request.GET if "date_from" in request.GET else {
        "date_from": operation.start_date.isoformat(), "date_to": operation.end_date.isoformat()}
    form = forms.PeriodForm(data)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["date_from"], form.cleaned_data["date_to"])


@readers
@require_safe
def operation_completeness(request, pk: int):
    operation = _operation(request, pk)
    form, period = _period(request, operation)
    context: dict = {"operation": operation, "form": form, "period": period}
    if period is not None:
        date_from, date_to = period
        figures = selectors.esf_indicators_compute(operation=operation, date_from=date_from, date_to=date_to)
        records = selectors.completeness_records(operation=operation, date_from=date_from, date_to=date_to)
        page = Paginator([r for r in records if r["gaps"]], PAGE_SIZE).get_page(request.GET.get("page"))
        people_shown(request, [SimpleNamespace(participant_id=r["participant_id"]) for r in page],
                     screen="esf_completeness")
        share = figures["completeness"]["incomplete_share"]
        context.update({
            "completeness": figures["completeness"], "share_percent": None if share is None else float(share * 100),
            "threshold_percent": float(selectors.CORRECTION_THRESHOLD * 100),
            "by_referent": [r | {"percent": float(r["share"] * 100)}
                            for r in selectors.completeness_by_referent(records)],
            "page": page,
            "page_query": f"&date_from={date_from.isoformat()}&date_to={date_to.isoformat()}",
        })
    return render(request, "esf/completeness.html", context)


@readers
@require_safe
def operation_claim(request, pk: int):
    operation = _operation(request, pk)
    form, period = _period(request, operation)
    claim = None
    if period is not None:
        claim = selectors.esf_claim_data(selectors.esf_claim_compute(operation=operation, date_from=period[0],
                                                                     date_to=period[1]))
    can_claim = request.user.can(ESF_CLAIM) and access.claim_operations_of(request.user).filter(
        pk=operation.pk).exists()
    return render(request, "esf/claim.html", {"operation": operation, "form": form, "claim": claim,
                                              "rate_percent": float(operation.esf_rate * 100),
                                              "can_claim": can_claim})


# --- a participant's file ---------------------------------------------------------------------------------------

def _pathway(request, pk: int):
    return get_object_or_404(pathways_visible_to(request.user).select_related("participant"), pk=pk)


@questionnaires
@submit_once
def pathway_participations(request, pk: int):
    """The person's ESF+ participations, and the entry into an operation with the entry questionnaire pre-filled
    from what Parcours knows, confirmed by the referent."""
    pathway = _pathway(request, pk)
    sensitive = request.user.can(SENSITIVE_READ)
    operations = selectors.operations_open_to(pathway)
    if request.method == "POST":
        form = forms.ParticipationForm(request.POST, sensitive=sensitive, entered=False, operations=operations)
        if form.is_valid():
            try:
                services.participation_enter(pathway=pathway, operation=form.cleaned_data["operation"],
                                             by=request.user, values=form.values(),
                                             sensitive=form.sensitive_values())
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("La personne est entrée dans l'opération."))
                return redirect("esf:pathway_participations", pk=pathway.pk)
    else:
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="esf_participations")
        form = forms.ParticipationForm(
            initial=selectors.participation_entry_prefill(pathway, day=timezone.localdate(), sensitive=sensitive),
            sensitive=sensitive, entered=False, operations=operations)
    return render(request, "esf/participations.html", {
        "pathway": pathway, "participant": pathway.participant, "form": form,
        "participations": selectors.pathway_participations(pathway), "has_operations": operations.exists(),
    }, status=400 if request.method == "POST" else 200)


@questionnaires
def participation_edit(request, pk: int, participation_pk: int):
    pathway = _pathway(request, pk)
    participation = get_object_or_404(
        Participation.objects.filter(participant_id=pathway.participant_id,
                                     operation__beneficiary__territory_id=pathway.territory_id)
        .select_related("operation"), pk=participation_pk)
    sensitive = request.user.can(SENSITIVE_READ)
    if request.method == "POST":
        form = forms.ParticipationForm(request.POST, instance=participation, sensitive=sensitive, entered=True)
        if form.is_valid():
            try:
                services.participation_update(participation=participation, pathway=pathway, by=request.user,
                                              values=form.values(), sensitive=form.sensitive_values())
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Le questionnaire FSE+ est enregistré."))
                return redirect("esf:pathway_participations", pk=pathway.pk)
    else:
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="esf_participation")
        form = forms.ParticipationForm(instance=participation, sensitive=sensitive, entered=True)
    return render(request, "esf/participation_form.html", {
        "pathway": pathway, "participant": pathway.participant, "participation": participation, "form": form,
    }, status=400 if request.method == "POST" else 200)


# --- payment claims (esf.workflow) ------------------------------------------------------------------------------

claim_readers = capability_required(ESF_READ, ESF_CLAIM)
claimers = capability_required(ESF_CLAIM)
claim_actors = capability_required(ESF_CLAIM, ESF_CONTROL, ESF_PAY)
controllers = capability_required(ESF_CONTROL)


def _claim(request, pk: int) -> Claim:
    return get_object_or_404(access.claims_visible_to(request.user).select_related("operation__beneficiary",
                                                                                   "author"), pk=pk)


@claim_readers
@require_safe
def claim_list(request, pk: int):
    operation = _operation(request, pk, access.claim_operations_visible_to(request.user))
    page = Paginator(operation.claims.order_by("-date_from", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "esf/claim_list.html", {
        "operation": operation, "page": page,
        "can_claim": access.claim_operations_of(request.user).filter(pk=operation.pk).exists(),
        "can_read": request.user.can(ESF_READ),
    })


@claimers
@submit_once
def claim_create(request, pk: int):
    operation = _operation(request, pk, access.claim_operations_of(request.user))
    if request.method == "POST":
        form = forms.ClaimCreateForm(request.POST)
        if form.is_valid():
            try:
                claim = services.claim_create(operation=operation, by=request.user,
                                              date_from=form.cleaned_data["date_from"],
                                              date_to=form.cleaned_data["date_to"])
            except (ValidationError, TransitionRefused) as error:
                _refusal_apply(form, error)
            else:
                messages.success(request, _("La demande de paiement est créée (brouillon)."))
                return redirect("esf:claim_detail", pk=claim.pk)
    else:
        form = forms.ClaimCreateForm(initial={
            "date_from": request.GET.get("date_from") or operation.start_date.isoformat(),
            "date_to": request.GET.get("date_to") or operation.end_date.isoformat()})
    return render(request, "esf/claim_form.html", {"operation": operation, "form": form},
                  status=400 if request.method == "POST" else 200)


def _messages_of(error) -> list[str]:
    return [error.message] if isinstance(error, TransitionRefused) else list(error.messages)


def _refusal_apply(form, error) -> None:
    if isinstance(error, TransitionRefused):
        form.add_error(None, error.message)
    else:
        validation_error_apply(form, error)


def _actions(claim: Claim, user) -> list[dict]:
    return [{"name": t.name, "label": t.label, "irreversible": t.name in IRREVERSIBLE,
             "form": forms.CLAIM_TRANSITION_FORMS[t.name](prefix=t.name, initial=_transition_initial(claim, t.name))
             if t.name in forms.CLAIM_TRANSITION_FORMS else None}
            for t in CLAIM_WORKFLOW.available(claim, user)]


def _transition_initial(claim: Claim, name: str) -> dict:
    if name == "pay":
        return {"paid_on": timezone.localdate(), "amount": claim.esf_due}
    return {}


@claim_readers
@require_safe
def claim_detail(request, pk: int):
    claim = _claim(request, pk)
    sample = list(claim.sample.select_related("participation", "checked_by"))
    controlling = claim.state == ClaimState.UNDER_CONTROL and request.user.can(ESF_CONTROL) and \
        claim.operation.beneficiary.territory_id in territory_ids_with(request.user, ESF_CONTROL)
    return render(request, "esf/claim_detail.html", {
        "claim": claim, "operation": claim.operation, "data": claim.data,
        "rate_percent": float(claim.operation.esf_rate * 100),
        "log": [{"at": row.at, "actor": row.actor, "data": row.data, "label": CLAIM_WORKFLOW.transitions[row.transition].label,
                 "state": CLAIM_WORKFLOW.state_label(row.to_state)} for row in claim.transitions.select_related("by")],
        "can_read": request.user.can(ESF_READ),
        "sample": [{"item": item, "form": forms.SampleCheckForm(prefix=f"i{item.pk}", initial={
            "outcome": item.outcome if item.outcome != SampleOutcome.PENDING else SampleOutcome.CHECKED,
            "rejection_reason": item.rejection_reason, "comment": item.comment})} for item in sample],
        "controlling": controlling,
        "draw_form": forms.SampleDrawForm() if controlling and claim.sample_seed is None else None,
        "actions": _actions(claim, request.user),
        "excluded": len(claim.excluded_participants),
    })


@claim_actors
def claim_act(request, pk: int, name: str):
    """Apply one manual transition of the claim; GET shows its confirmation (and its form: a reason, a payment).
    The engine checks the role and re-checks the state under a row lock, so a double post acts once."""
    claim = _claim(request, pk)
    transition = CLAIM_WORKFLOW.transitions.get(name)
    if transition is None or not transition.manual:
        raise Http404
    form_class = forms.CLAIM_TRANSITION_FORMS.get(name)
    form = None
    if request.method == "POST":
        form = form_class(request.POST, prefix=name) if form_class else None
        if form is None or form.is_valid():
            try:
                services.claim_transition(claim=claim, name=name, by=request.user,
                                          data=dict(form.cleaned_data) if form else None)
            except (TransitionRefused, ValidationError) as error:
                if form is None:
                    for message in _messages_of(error):
                        messages.error(request, message)
                    return redirect("esf:claim_detail", pk=claim.pk)
                _refusal_apply(form, error)
            else:
                messages.success(request, _("Action enregistrée : %(action)s.") % {"action": transition.label})
                return redirect("esf:claim_detail", pk=claim.pk)
    elif form_class:
        form = form_class(prefix=name, initial=_transition_initial(claim, name))
    return render(request, "esf/claim_act.html", {
        "claim": claim, "operation": claim.operation, "transition": transition, "form": form,
        "irreversible": name in IRREVERSIBLE,
        "allowed": transition in CLAIM_WORKFLOW.available(claim, request.user),
    }, status=400 if request.method == "POST" else 200)


@controllers
@require_POST
def claim_sample_draw(request, pk: int):
    claim = _claim(request, pk)
    form = forms.SampleDrawForm(request.POST)
    if form.is_valid():
        try:
            services.claim_sample_draw(claim=claim, by=request.user, size=form.cleaned_data["size"],
                                       seed=form.cleaned_data["seed"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("L'échantillon est tiré."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label} : {error}")
    return redirect("esf:claim_detail", pk=claim.pk)


@controllers
@require_POST
def claim_sample_check(request, pk: int, item_pk: int):
    claim = _claim(request, pk)
    item = get_object_or_404(ClaimSampleItem.objects.filter(claim=claim), pk=item_pk)
    form = forms.SampleCheckForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            services.claim_sample_check(item=item, by=request.user, outcome=form.cleaned_data["outcome"],
                                        reason=form.cleaned_data["rejection_reason"],
                                        comment=form.cleaned_data["comment"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Le contrôle de l'élément est enregistré."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label} : {error}" if label else error)
    return redirect("esf:claim_detail", pk=claim.pk)


@claim_readers
@require_safe
def claim_export(request, pk: int):
    claim = _claim(request, pk)
    response = HttpResponse(claim_xlsx(claim), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (f'attachment; filename="demande-paiement-{claim.operation.pk}-'
                                       f'{claim.date_from.isoformat()}-{claim.date_to.isoformat()}.xlsx"')
    return response


@claim_readers
@require_safe
def claim_pdf_view(request, pk: int):
    claim = _claim(request, pk)
    response = HttpResponse(claim_pdf(claim), content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="demande-paiement-{claim.operation.pk}-'
                                       f'{claim.date_from.isoformat()}-{claim.date_to.isoformat()}.pdf"')
    return response
