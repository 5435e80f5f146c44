"""Imports of interchange data sets from the interface (PLIE team): deposit, check report, confirmation, progress.

The work is in `parcours.interchange.services`; the checks and the import run as background tasks, and the
pages poll the run's progress with htmx until it is over.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.core.workflow import TransitionRefused
from parcours.interchange.enums import ImportState
from parcours.interchange.models import ImportRun
from parcours.interchange.reader import FILES
from parcours.interchange.selectors import import_runs_with_dead
from parcours.interchange.services import import_abandon, import_cancel, import_confirm, import_upload
from parcours.organisations.scope import territory_ids_with
from parcours.organisations.capabilities import IMPORT_RUN
from parcours.territory.models import Territory

from ..permissions import capability_required
from ..submission import submit_once
from .forms import ImportForm

team_only = capability_required(IMPORT_RUN)
PAGE_SIZE = 25


def _runs(request):
    """The team's runs, each saying whether its worker died (`dead`, in the same query)."""
    return import_runs_with_dead(ImportRun.objects.filter(territory_id__in=territory_ids_with(request.user, IMPORT_RUN)))


def _run(request, pk: int) -> ImportRun:
    return get_object_or_404(_runs(request).select_related("territory", "created_by", "confirmed_by"), pk=pk)


def _file_rows(counts: dict) -> list[dict]:
    files = counts.get("files", {})
    return [{"name": name, **files[name]} for name in FILES if name in files]


@team_only
def import_list(request):
    runs = _runs(request).select_related("territory", "created_by").order_by("-created_at", "-pk")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/list.html", {"page": page})


@team_only
@submit_once
def import_create(request):
    territories = Territory.objects.filter(pk__in=territory_ids_with(request.user, IMPORT_RUN)).order_by("name")
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ImportForm(*bound, territories=territories)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                run = import_upload(territory=form.target_territory(), by=request.user,
                                    uploads=form.cleaned_data["files"])
            except ValidationError as error:
                for message in error.message_dict.get("files", error.messages):
                    form.add_error("files", message)
            else:
                return redirect("imports:import_detail", pk=run.pk)
    return render(request, "imports/create.html", {"form": form, "files": FILES}, status=status)


@team_only
def import_detail(request, pk: int):
    run = _run(request, pk)
    context = {"run": run, "report_files": _file_rows(run.report), "result_files": _file_rows(run.result),
               "States": ImportState}
    return render(request, "imports/detail.html", context)


@team_only
def import_progress(request, pk: int):
    """The progress fragment polled by the page; once the run is over, the page reloads to show the outcome."""
    run = get_object_or_404(_runs(request), pk=pk)
    if not run.busy or run.dead:
        detail = reverse("imports:import_detail", kwargs={"pk": run.pk})
        if not request.htmx:
            return redirect(detail)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = detail
        return response
    return render(request, "imports/_progress.html", {"run": run})


@team_only
@require_POST
def import_confirm_view(request, pk: int):
    run = _run(request, pk)
    try:
        import_confirm(run=run, by=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Import n° %(number)s lancé.") % {"number": run.pk})
    return redirect("imports:import_detail", pk=run.pk)


@team_only
@require_POST
def import_cancel_view(request, pk: int):
    """« Abandonner »: checked files not imported, or a run whose worker died."""
    run = _run(request, pk)
    try:
        if run.busy:
            import_abandon(run=run, by=request.user)
        else:
            import_cancel(run=run, by=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Import n° %(number)s abandonné : les fichiers déposés sont supprimés.")
                         % {"number": run.pk})
    return redirect("imports:import_detail", pk=run.pk)

