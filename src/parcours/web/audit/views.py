"""The DPO's read-only screens: access log, change history, refused accesses (no edit, no delete)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parcours.organisations.capabilities import AUDIT_READ
from parcours.web.permissions import capability_required

from parcours.privacy import dpo as selectors
from .forms import LogFilterForm, RefusedAccessFilterForm

PAGE_SIZE = 50


def _page(request, queryset, form_class=LogFilterForm):
    form = form_class(request.GET or None, users=selectors.users_for_dpo(request.user))
    filters = form.filters() if request.GET else {}
    page = Paginator(queryset(request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return form, page, ("&" + urlencode(query)) if query else ""


@require_safe
@capability_required(AUDIT_READ)
def access_log(request):
    form, page, page_query = _page(request, selectors.access_log_for_dpo)
    return render(request, "audit/access_log.html", {"form": form, "page": page, "page_query": page_query})


@require_safe
@capability_required(AUDIT_READ)
def change_history(request):
    form, page, page_query = _page(request, selectors.audit_events_for_dpo)
    return render(request, "audit/change_history.html", {"form": form, "page": page, "page_query": page_query})


@require_safe
@capability_required(AUDIT_READ)
def refused_access(request):
    form, page, page_query = _page(request, selectors.refused_accesses_for_dpo, RefusedAccessFilterForm)
    return render(request, "audit/refused_access.html", {"form": form, "page": page, "page_query": page_query})
