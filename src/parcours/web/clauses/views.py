"""The social clauses facilitator's pages: the contracts and their progress, one contract with its monthly
statements and the form to enter one, the figures of a period (docs/clauses.md)."""

from __future__ import annotations

from django.contrib import messages
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
from parcours.clauses.selectors import (
    clauses_report_compute, contract_forecast, contract_statements, contracts_with_hours,
)
from parcours.clauses.services import hours_statement_record
from parcours.organisations.capabilities import CLAUSES_MANAGE, CLAUSES_READ
from parcours.organisations.scope import territory_ids_with

from ..access_log import people_shown
from ..permissions import capability_required
from ..submission import submit_once
from .forms import BuyerFilterForm, PeriodForm, StatementForm

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
    return render(request, "clauses/contract_list.html", {"form": form, "page": page, "rows": rows, "query": query})


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
