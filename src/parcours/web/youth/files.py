"""The young people's files (docs/youth.md): the list and its name search, the first reception at the desk, the
file with its events, situations and support themes. Reception staff find a file and read its identity, contact and
adviser; advisers open and write it. Every page showing a young person writes their access-log row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parcours.audit.services import access_log_record
from parcours.core.concurrency import StaleObjectError
from parcours.core.workflow import TransitionRefused
from parcours.organisations.capabilities import YOUTH_READ, YOUTH_RECEIVE, YOUTH_WRITE
from parcours.organisations.scope import territory_ids_with
from parcours.participants.selectors import person_query_parse
from parcours.territory.models import Territory
from parcours.youth.access import (
    youth_advisers_of, youth_files_found_by, youth_files_visible_to, youth_files_written_by,
)
from parcours.youth.enums import WORKFLOW_SCHEMES, Scheme
from parcours.youth.models import SchemeEnrolment, SchemePhase, YouthFile
from parcours.youth.selectors import age_on, youth_file_detail, youth_file_events, youth_files_search
from parcours.youth.services import (
    YouthDuplicates, scheme_end, scheme_enter, scheme_phase_add, scheme_phase_evaluate, youth_aid_record,
    youth_diagnostic_record, youth_event_record, youth_file_receive, youth_file_update, youth_situation_end,
    youth_situation_record, youth_support_close, youth_support_open,
)

from ..access_log import people_shown
from ..form_errors import form_write, stale_form, validation_error_apply
from ..permissions import capability_required, territory_for_new
from ..submission import submit_once
from .forms import (
    ALL, MINE, UNASSIGNED, AidForm, DiagnosticForm, EventForm, PhaseEvaluationForm, PhaseForm, SchemeEndForm,
    SchemeEntryForm, ReceptionForm, SituationEndForm, SituationForm, SupportCloseForm, SupportForm,
    YouthFileForm, YouthSearchForm,
)

PAGE_SIZE = 25
EVENTS_PAGE_SIZE = 20


def _list_territory(user) -> Territory | None:
    return Territory.objects.filter(pk__in=territory_ids_with(user, YOUTH_READ)
                                    | territory_ids_with(user, YOUTH_RECEIVE)).order_by("pk").first()


@capability_required(YOUTH_READ, YOUTH_RECEIVE)
def file_list(request):
    """Filter by GET (the adviser); the name search by POST, so that names stay out of URLs."""
    user = request.user
    territory = _list_territory(user)
    advisers = list(youth_advisers_of(territory_id=territory.pk)) if territory else []
    is_adviser = any(adviser.pk == user.pk for adviser in advisers)
    searching = request.method == "POST"
    data = (request.POST if searching else request.GET).copy()
    data.setdefault("adviser", MINE if is_adviser and not searching else ALL)
    form = YouthSearchForm(data, advisers=advisers)
    cleaned = form.cleaned_data if form.is_valid() else {"adviser": ALL}
    choice = cleaned.get("adviser") or ALL
    files = youth_files_search(
        youth_files_found_by(user), query=person_query_parse(cleaned.get("q") or ""),
        adviser_id=user.pk if choice == MINE else (int(choice) if choice not in (ALL, MINE, UNASSIGNED) else None),
        unassigned=choice == UNASSIGNED)
    page = Paginator(files, PAGE_SIZE).get_page(cleaned.get("page") if searching else request.GET.get("page"))
    people_shown(request, page, screen="youth_file_list")
    context = {"form": form, "page": page, "searching": searching, "adviser_choice": choice,
               "page_query": f"&adviser={choice}", "can_receive": user.can(YOUTH_RECEIVE),
               "can_read": user.can(YOUTH_READ)}
    template = "youth/_file_results.html" if request.htmx else "youth/file_list.html"
    return render(request, template, context)


@capability_required(YOUTH_RECEIVE)
@submit_once
def reception(request):
    """The first reception: the desk records the young person, where and why they came; a file of the same names
    and birth date is shown instead of a second one, unless the desk confirms a homonym."""
    territory = territory_for_new(request.user, YOUTH_RECEIVE)
    if territory is None:
        raise Http404
    advisers = youth_advisers_of(territory_id=territory.pk)
    duplicates: list[YouthFile] = []
    if request.method == "POST":
        form = ReceptionForm(request.POST, territory=territory, advisers=advisers)
        if form.is_valid():
            try:
                youth_file = youth_file_receive(
                    by=request.user, territory=territory, person=form.person(),
                    first_reception_date=form.cleaned_data["first_reception_date"], values=form.values(),
                    homonym_confirmed=form.cleaned_data["homonym_confirmed"])
            except YouthDuplicates as found:
                duplicates = found.files
                people_shown(request, [f.participant for f in duplicates], screen="youth_reception_duplicates")
                form.add_error("homonym_confirmed", _(
                    "Un dossier existe déjà pour ce nom et cette date de naissance : ouvrez-le plutôt qu'en créer un "
                    "second, ou cochez cette case s'il s'agit d'une autre personne."))
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Le premier accueil est enregistré."))
                return redirect("youth:file_detail", pk=youth_file.pk)
    else:
        form = ReceptionForm(initial={"first_reception_date": timezone.localdate()}, territory=territory,
                             advisers=advisers)
    return render(request, "youth/reception.html", {"form": form, "duplicates": duplicates},
                  status=400 if request.method == "POST" else 200)


def _file(request, pk: int, queryset) -> YouthFile:
    return get_object_or_404(queryset.select_related("participant__commune", "participant__qpv", "adviser",
                                                     "antenna", "reception_site", "received_by", "territory"), pk=pk)


@capability_required(YOUTH_READ, YOUTH_RECEIVE)
@require_safe
def file_detail(request, pk: int):
    youth_file = _file(request, pk, youth_files_found_by(request.user))
    access_log_record(user=request.user, participant_id=youth_file.participant_id, screen="youth_file")
    can_read = youth_files_visible_to(request.user).filter(pk=youth_file.pk).exists()
    can_write = youth_file.territory_id in territory_ids_with(request.user, YOUTH_WRITE)
    today = timezone.localdate()
    context: dict = {"file": youth_file, "person": youth_file.participant, "can_read": can_read,
                     "can_write": can_write, "age": age_on(youth_file.participant.birth_date, today),
                     "workflow_schemes": WORKFLOW_SCHEMES}
    if can_read:
        context |= youth_file_detail(youth_file)
        context["events"] = Paginator(youth_file_events(youth_file), EVENTS_PAGE_SIZE).get_page(
            request.GET.get("page"))
    if can_write:
        territory = youth_file.territory
        context |= {
            "event_form": EventForm(initial={"date": timezone.localdate()}, territory=territory, prefix="event"),
            "situation_form": SituationForm(prefix="situation"),
            "support_form": SupportForm(initial={"opened_on": timezone.localdate()}, prefix="support"),
        }
    return render(request, "youth/file_detail.html", context)


def _item_page(request, youth_file: YouthFile, form, *, title: str, submit: str):
    """A form of the file on a page of its own (opened from a phone, or sent back with its errors)."""
    access_log_record(user=request.user, participant_id=youth_file.participant_id, screen="youth_file_form")
    return render(request, "youth/item_form.html", {"file": youth_file, "form": form, "title": title,
                                                    "submit": submit},
                  status=400 if request.method == "POST" else 200)


@capability_required(YOUTH_WRITE)
def file_edit(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    person = youth_file.participant
    territory = youth_file.territory
    advisers = youth_advisers_of(territory_id=territory.pk)
    kwargs = {"territory": territory, "advisers": advisers}
    if request.method == "POST":
        form = YouthFileForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                youth_file_update(by=request.user, youth_file=youth_file, person=form.person(),
                                  values=form.values(), version=form.cleaned_data["version"])
            except StaleObjectError as stale:
                form = stale_form(YouthFileForm, request, YouthFile.objects.get(pk=youth_file.pk).version, stale,
                                  **kwargs)
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Le dossier est enregistré."))
                return redirect("youth:file_detail", pk=youth_file.pk)
    else:
        initial = {name: getattr(person, name) for name in YouthFileForm.person_fields}
        initial |= {"commune": person.commune_id, "qpv": person.qpv_id, "adviser": youth_file.adviser_id,
                    "antenna": youth_file.antenna_id, "version": youth_file.version}
        form = YouthFileForm(initial=initial, **kwargs)
    access_log_record(user=request.user, participant_id=youth_file.participant_id, screen="youth_file_edit")
    return render(request, "youth/file_form.html", {"file": youth_file, "form": form},
                  status=400 if request.method == "POST" else 200)


def _write(request, form, save, *, done: str) -> bool:
    """Apply a posted form of the file through its service; True when saved (a refusal is shown under its field)."""
    if request.method != "POST" or not form_write(form, lambda: save(form.cleaned_data), refused=_refused):
        return False
    messages.success(request, done)
    return True


@capability_required(YOUTH_WRITE)
@submit_once
def event_add(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = EventForm(request.POST or None, initial={"date": timezone.localdate()}, territory=youth_file.territory,
                     prefix="event")
    if _write(request, form, lambda data: youth_event_record(
            by=request.user, youth_file=youth_file, day=data["date"], kind=data["kind"], site=data["site"],
            duration_minutes=data["duration_minutes"], summary=data["summary"],
            backdated_confirmed=data["backdated"]), done=_("L'événement est enregistré.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Enregistrer un événement"),
                      submit=_("Enregistrer l'événement"))


@capability_required(YOUTH_WRITE)
@submit_once
def situation_add(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = SituationForm(request.POST or None, prefix="situation")
    if _write(request, form, lambda data: youth_situation_record(
            by=request.user, youth_file=youth_file, category=data["category"], start_date=data["start_date"],
            end_date=data["end_date"], contract_type=data["contract_type"], pmsmp_aim=data["pmsmp_aim"],
            employer_siret=data["employer_siret"]), done=_("La situation est enregistrée.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Enregistrer une situation"),
                      submit=_("Enregistrer la situation"))


@capability_required(YOUTH_WRITE)
def situation_end(request, pk: int, situation_pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    situation = get_object_or_404(youth_file.situations.select_related("youth_file"), pk=situation_pk)
    form = SituationEndForm(request.POST or None, initial={"end_date": situation.end_date or timezone.localdate()})
    if _write(request, form, lambda data: youth_situation_end(
            by=request.user, situation=situation, end_date=data["end_date"]), done=_("La fin est enregistrée.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Fin de la situation : %(what)s")
                      % {"what": situation.get_category_display()}, submit=_("Enregistrer la fin"))


@capability_required(YOUTH_WRITE)
@submit_once
def support_open(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = SupportForm(request.POST or None, initial={"opened_on": timezone.localdate()}, prefix="support")
    if _write(request, form, lambda data: youth_support_open(
            by=request.user, youth_file=youth_file, theme=data["theme"], opened_on=data["opened_on"]),
            done=_("Le thème d'accompagnement est ouvert.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Ouvrir un thème d'accompagnement"),
                      submit=_("Ouvrir le thème"))


@capability_required(YOUTH_WRITE)
def support_close(request, pk: int, support_pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    support = get_object_or_404(youth_file.supports.select_related("youth_file"), pk=support_pk)
    form = SupportCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if _write(request, form, lambda data: youth_support_close(
            by=request.user, support=support, closed_on=data["closed_on"]), done=_("Le thème est clos.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Clore le thème : %(what)s")
                      % {"what": support.get_theme_display()}, submit=_("Clore le thème"))


# --- PACEA and CEJ, their diagnostic and phases, the aids -----------------------------------------------------------

def _refused(form, refusal: TransitionRefused) -> None:
    """A refusal of the workflow shown on its form: under the field its message names, else at the top."""
    named = {_("Date d'entrée"): "on", _("Date de fin"): "on", _("Situation à la sortie"): "exit_situation",
             _("Motif de fin"): "reason"}
    field = next((name for label, name in named.items() if refusal.message.startswith(f"{label} :")), None)
    form.add_error(field if field in form.fields else None, refusal.message)


@capability_required(YOUTH_WRITE)
@submit_once
def diagnostic_add(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = DiagnosticForm(request.POST or None, initial={"date": timezone.localdate()})
    if _write(request, form, lambda data: youth_diagnostic_record(
            by=request.user, youth_file=youth_file, day=data["date"], needs=data["needs"]),
            done=_("Le diagnostic est enregistré.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Enregistrer un diagnostic"),
                      submit=_("Enregistrer le diagnostic"))


@capability_required(YOUTH_WRITE)
@submit_once
def scheme_enter_page(request, pk: int, scheme: str):
    if scheme not in WORKFLOW_SCHEMES:
        raise Http404
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = SchemeEntryForm(request.POST or None, initial={"on": timezone.localdate()}, scheme=scheme)
    if _write(request, form, lambda data: scheme_enter(
            by=request.user, youth_file=youth_file, scheme=scheme, on=data["on"], rqth=data["rqth"],
            collective_start=data.get("collective_start", False)),
            done=_("Le PACEA est signé.") if scheme == Scheme.PACEA else _("L'entrée en CEJ est enregistrée.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    title = _("Signer un PACEA") if scheme == Scheme.PACEA else _("Entrer en CEJ")
    return _item_page(request, youth_file, form, title=title, submit=title)


def _enrolment(request, pk: int, enrolment_pk: int) -> tuple[YouthFile, SchemeEnrolment]:
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    enrolment = get_object_or_404(youth_file.enrolments.select_related("youth_file__participant"), pk=enrolment_pk,
                                  scheme__in=WORKFLOW_SCHEMES)
    return youth_file, enrolment


@capability_required(YOUTH_WRITE)
def scheme_end_page(request, pk: int, enrolment_pk: int):
    youth_file, enrolment = _enrolment(request, pk, enrolment_pk)
    form = SchemeEndForm(request.POST or None, initial={"on": timezone.localdate()})
    if _write(request, form, lambda data: scheme_end(
            by=request.user, enrolment=enrolment, on=data["on"], exit_situation=data["exit_situation"],
            reason=data["reason"]), done=_("Le dispositif est terminé.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Terminer le %(scheme)s")
                      % {"scheme": enrolment.get_scheme_display()}, submit=_("Terminer"))


@capability_required(YOUTH_WRITE)
@submit_once
def phase_add(request, pk: int, enrolment_pk: int):
    youth_file, enrolment = _enrolment(request, pk, enrolment_pk)
    form = PhaseForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if _write(request, form, lambda data: scheme_phase_add(
            by=request.user, enrolment=enrolment, start_date=data["start_date"], planned_end=data["planned_end"],
            objectives=data["objectives"], commitments=data["commitments"]), done=_("La phase est enregistrée.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Ajouter une phase au PACEA"),
                      submit=_("Enregistrer la phase"))


@capability_required(YOUTH_WRITE)
def phase_evaluate(request, pk: int, phase_pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    phase = get_object_or_404(SchemePhase.objects.select_related("enrolment__youth_file"), pk=phase_pk,
                              enrolment__youth_file=youth_file)
    form = PhaseEvaluationForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if _write(request, form, lambda data: scheme_phase_evaluate(
            by=request.user, phase=phase, end_date=data["end_date"], evaluation=data["evaluation"]),
            done=_("La phase est évaluée.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Évaluer la phase %(n)s") % {"n": phase.number},
                      submit=_("Enregistrer l'évaluation"))


@capability_required(YOUTH_WRITE)
@submit_once
def aid_add(request, pk: int):
    youth_file = _file(request, pk, youth_files_written_by(request.user))
    form = AidForm(request.POST or None, initial={"decision_date": timezone.localdate()})
    if _write(request, form, lambda data: youth_aid_record(
            by=request.user, youth_file=youth_file, fund=data["fund"], decision_date=data["decision_date"],
            amount=data["amount"], purpose=data["purpose"]), done=_("L'aide est enregistrée.")):
        return redirect("youth:file_detail", pk=youth_file.pk)
    return _item_page(request, youth_file, form, title=_("Enregistrer une aide ou une allocation"),
                      submit=_("Enregistrer l'aide"))
