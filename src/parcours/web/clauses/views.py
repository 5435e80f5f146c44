"""The social clauses facilitator's pages: the contracts and their progress, one contract with its monthly
statements and the form to enter one, the figures of a period (docs/clauses.md)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parcours.clauses.access import (
    beneficiaries_visible_to, buyers_visible_to, contracts_managed_by, contracts_visible_to,
)
from parcours.clauses.enums import BuyerKind, LegalBasis, Modality, Public
from parcours.clauses import calculator
from parcours.clauses.selectors import (
    beneficiaries_listed, buyer_report_compute, clauses_report_compute, contract_forecast, contract_statements, contracts_with_hours,
    participant_by_ref,
)
from parcours.clauses.services import (
    beneficiary_create, beneficiary_update, buyer_create, buyer_update, clause_contract_create, clause_contract_update,
    hours_statement_record,
)
from parcours.organisations.capabilities import CLAUSES_MANAGE, CLAUSES_READ
from parcours.organisations.scope import territory_ids_with

from ..access_log import people_shown
from ..permissions import capability_required, territory_for_new
from ..submission import submit_once
from .exports import XLSX_TYPE, buyer_report_pdf, buyer_report_xlsx
from .forms import BeneficiaryForm, BuyerFilterForm, BuyerForm, ContractForm, PeriodForm, StatementForm

PAGE_SIZE = 25
STATEMENTS_PAGE_SIZE = 50


@capability_required(CLAUSES_READ)
@require_safe
def contract_list(request):
    today = timezone.localdate()
    form = BuyerFilterForm(request.GET or None, buyers=buyers_visible_to(request.user).order_by("name"))
    contracts = contracts_visible_to(request.user)
    query = ""
    if form.is_valid() and form.cleaned_data["buyer"]:
        contracts = contracts.filter(buyer=form.cleaned_data["buyer"])
        query = f"&buyer={form.cleaned_data['buyer'].pk}"
    page = Paginator(contracts_with_hours(contracts, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"contract": contract, "forecast": contract_forecast(start=contract.start_date, end=contract.end_date,
                                                                  worked=contract.worked, today=today)}
            for contract in page]
    return render(request, "clauses/contract_list.html", {
        "form": form, "page": page, "rows": rows, "query": query,
        "can_manage": bool(territory_ids_with(request.user, CLAUSES_MANAGE))})


@capability_required(CLAUSES_READ)
@require_safe
def contract_detail(request, pk: int):
    contract = get_object_or_404(contracts_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    contract = contracts_with_hours(contracts_visible_to(request.user).filter(pk=contract.pk), today=today).get()
    page = Paginator(contract_statements(contract), STATEMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    # The statements name beneficiaries by ref; those who are PLIE participants are logged as shown.
    people_shown(request, list({s.beneficiary.participant_id: s.beneficiary for s in page
                                if s.beneficiary.participant_id}.values()), screen="clause_contract")
    return render(request, "clauses/contract_detail.html", {
        "contract": contract, "page": page,
        "can_manage": contract.buyer.territory_id in territory_ids_with(request.user, CLAUSES_MANAGE),
        "forecast": contract_forecast(start=contract.start_date, end=contract.end_date, worked=contract.worked,
                                      today=today),
    })


@capability_required(CLAUSES_MANAGE)
@submit_once
def statement_add(request, pk: int):
    contract = get_object_or_404(contracts_managed_by(request.user).select_related("buyer"), pk=pk)
    beneficiaries = beneficiaries_visible_to(request.user).filter(territory_id=contract.buyer.territory_id)
    form = StatementForm(request.POST or None, beneficiaries=beneficiaries.order_by("beneficiary_ref"),
                         initial={"employer_siret": contract.awardee_siret})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                hours_statement_record(contract=contract, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Relevé d'heures enregistré."))
                return redirect("clauses:contract_detail", pk=contract.pk)
        status = 400
    return render(request, "clauses/statement_form.html", {"contract": contract, "form": form}, status=status)


@capability_required(CLAUSES_READ)
@require_safe
def report(request):
    form = PeriodForm(request.GET)
    data = None
    if form.is_valid():
        data = clauses_report_compute(territory_ids=territory_ids_with(request.user, CLAUSES_READ),
                                      date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"])
        tables = [(_("Heures par modalité de réalisation"), Modality, "hours_by_modality"),
                  (_("Heures par type d'acheteur"), BuyerKind, "hours_by_buyer_kind"),
                  (_("Heures par fondement juridique"), LegalBasis, "hours_by_legal_basis")]
        data["tables"] = [(caption, [(enum(code).label, value) for code, value in data[key].items()])
                          for caption, enum, key in tables]
        data["publics"] = [(Public(code).label, value) for code, value in data["beneficiaries_profile"]["by_public"].items()]
    return render(request, "clauses/report.html", {"form": form, "data": data}, status=200 if data else 400)


def _errors_to_form(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _buyers_managed(user):
    return buyers_visible_to(user).filter(territory_id__in=territory_ids_with(user, CLAUSES_MANAGE))


def _buyer_form(request, *, territory, buyer=None):
    initial = {"name": buyer.name, "kind": buyer.kind} if buyer else None
    form = BuyerForm(request.POST or None, initial=initial, editing=buyer is not None)
    if request.method == "POST" and form.is_valid():
        try:
            if buyer is None:
                buyer_create(territory=territory, by=request.user, **form.cleaned_data)
            else:
                buyer_update(buyer=buyer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("L'acheteur est enregistré."))
            return redirect("clauses:contract_list")
    return render(request, "clauses/buyer_form.html", {"form": form, "buyer": buyer},
                  status=400 if request.method == "POST" else 200)


@capability_required(CLAUSES_MANAGE)
@submit_once
def buyer_create_view(request):
    territory = territory_for_new(request.user, CLAUSES_MANAGE)
    if territory is None:
        raise Http404
    return _buyer_form(request, territory=territory)


@capability_required(CLAUSES_MANAGE)
def buyer_edit(request, pk: int):
    buyer = get_object_or_404(_buyers_managed(request.user), pk=pk)
    return _buyer_form(request, territory=buyer.territory, buyer=buyer)


def _contract_form(request, *, contract=None):
    buyers = _buyers_managed(request.user)
    if contract is not None:
        buyers = buyers.filter(territory_id=contract.buyer.territory_id)
        initial = {name: getattr(contract, name) for name in (
            "buyer", "title", "legal_basis", "awardee_siret", "awardee_name", "amount_excl_tax", "start_date",
            "end_date", "hours_required")}
    else:
        initial = {"buyer": request.GET.get("buyer")}
    calculate = "calculate" in request.POST
    form = ContractForm(request.POST or None, buyers=buyers.order_by("name", "pk"), initial=initial,
                        editing=contract is not None, calculate=calculate)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and calculate:
            # The proposal fills the hours field; the facilitator keeps or changes it, then saves.
            data = request.POST.copy()
            data["hours_required"] = str(form.proposed)
            form = ContractForm(data, buyers=buyers.order_by("name", "pk"), editing=contract is not None)
            form.proposed = form.cleaned_data["hours_required"] if form.is_valid() else None
            status = 200
        elif form.is_valid():
            try:
                if contract is None:
                    saved = clause_contract_create(by=request.user, **form.values())
                else:
                    saved = clause_contract_update(contract=contract, by=request.user, **form.values())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Le marché est enregistré."))
                return redirect("clauses:contract_detail", pk=saved.pk)
    return render(request, "clauses/contract_form.html", {
        "form": form, "contract": contract, "proposed": form.proposed if calculate else None,
        "defaults": {"labour": calculator.LABOUR_SHARE * 100, "insertion": calculator.INSERTION_SHARE * 100,
                     "cost": calculator.HOURLY_COST}}, status=status)


@capability_required(CLAUSES_MANAGE)
@submit_once
def contract_create(request):
    return _contract_form(request)


@capability_required(CLAUSES_MANAGE)
def contract_edit(request, pk: int):
    contract = get_object_or_404(contracts_managed_by(request.user).select_related("buyer"), pk=pk)
    return _contract_form(request, contract=contract)


@capability_required(CLAUSES_READ)
@require_safe
def beneficiary_list(request):
    page = Paginator(beneficiaries_listed(beneficiaries_visible_to(request.user)),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    # A PLIE participant's name is shown: logged.
    people_shown(request, [b for b in page if b.participant_id], screen="clause_beneficiaries")
    rows = [{"beneficiary": b, "publics": [Public(code).label for code in b.publics]} for b in page]
    return render(request, "clauses/beneficiary_list.html", {
        "page": page, "rows": rows, "can_manage": bool(territory_ids_with(request.user, CLAUSES_MANAGE))})


@capability_required(CLAUSES_MANAGE)
@submit_once
def beneficiary_create_view(request):
    territory = territory_for_new(request.user, CLAUSES_MANAGE)
    if territory is None:
        raise Http404
    form = BeneficiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        participant = None
        if values["person_ref"]:
            participant = participant_by_ref(territory_id=territory.pk, ref=values["person_ref"])
            if participant is None:
                form.add_error("person_ref", _("personne « %(ref)s » absente des dossiers du territoire")
                               % {"ref": values["person_ref"]})
        if form.is_valid():
            try:
                beneficiary_create(territory=territory, participant=participant, by=request.user, **values)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Le ou la bénéficiaire est enregistré·e."))
                return redirect("clauses:beneficiary_list")
    return render(request, "clauses/beneficiary_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@capability_required(CLAUSES_READ)
@require_safe
def buyer_report(request, pk: int, fmt: str):
    """The report to the buyer on one contract, to date (XLSX or PDF); it names no one."""
    contract = get_object_or_404(contracts_visible_to(request.user).select_related("buyer"), pk=pk)
    today = timezone.localdate()
    report = buyer_report_compute(contract, today=today)
    name = f"bilan-clause-{contract.pk}-{today.isoformat()}"
    if fmt == "xlsx":
        response = HttpResponse(buyer_report_xlsx(report), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(buyer_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@capability_required(CLAUSES_MANAGE)
def beneficiary_edit(request, pk: int):
    beneficiary = get_object_or_404(beneficiaries_visible_to(request.user).filter(
        territory_id__in=territory_ids_with(request.user, CLAUSES_MANAGE)), pk=pk)
    initial = {"sex": beneficiary.sex, "birth_date": beneficiary.birth_date, "publics": beneficiary.publics,
               "eligibility_date": beneficiary.eligibility_date}
    form = BeneficiaryForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            beneficiary_update(beneficiary=beneficiary, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Le ou la bénéficiaire est enregistré·e."))
            return redirect("clauses:beneficiary_list")
    return render(request, "clauses/beneficiary_form.html", {"form": form, "beneficiary": beneficiary},
                  status=400 if request.method == "POST" else 200)
