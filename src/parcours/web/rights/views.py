"""Rights of the person: the rights page of a participant, export, rectification, erasure, and the team's guide."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import BooleanField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.audit.services import access_log_record
from parcours.participants.models import Participant
from parcours.privacy.rights import (
    ERASURE_COUNTED, RECTIFIABLE_FIELDS, StaleVersion, participant_can_erase,
    participant_erase, participant_erasure_counts, participant_erasure_refusal, participant_export,
    participant_rectify, participant_rights_scope, stale_message,
)

from parcours.organisations.capabilities import RIGHTS_ERASE, RIGHTS_MANAGE

from ..form_errors import validation_error_apply
from ..permissions import capability_required
from .forms import RectificationForm

rights_roles = capability_required(RIGHTS_MANAGE)
erasure_roles = capability_required(RIGHTS_ERASE)


def _participant(request, pk: int) -> Participant:
    return get_object_or_404(participant_rights_scope(request.user), pk=pk)


@login_required
def guide(request):
    return render(request, "rights/guide.html", {})


@rights_roles
def participant_rights(request, pk: int):
    participant = _participant(request, pk)
    access_log_record(user=request.user, participant_id=participant.pk, screen="rights")
    return render(request, "rights/participant_rights.html", {
        "participant": participant, "can_erase": participant_can_erase(request.user),
    })


@rights_roles
@require_POST
def export(request, pk: int):
    participant = _participant(request, pk)
    filename, content = participant_export(participant=participant, by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _differences(form: RectificationForm, current: Participant) -> list[dict]:
    """The fields where the file as it is now differs from what the user submitted."""
    rows = []
    for name in [*RECTIFIABLE_FIELDS, *form.criteria]:
        field = form.fields[name]
        submitted = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        now = current.situation(name) if name in form.criteria else getattr(current, name)
        if submitted != now:
            rows.append({"label": field.label, "current": _shown(current, name, now, criterion=name in form.criteria)})
    return rows


def _shown(participant: Participant, name: str, value, *, criterion: bool = False) -> str:
    if criterion:
        return {True: _("Oui"), False: _("Non"), None: _("Inconnu")}[value]
    if Participant._meta.get_field(name).choices:
        return getattr(participant, f"get_{name}_display")()
    if value is None:
        return _("Inconnu") if isinstance(Participant._meta.get_field(name), BooleanField) else ""
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@rights_roles
def rectify(request, pk: int):
    participant = _participant(request, pk)
    differences = None
    if request.method == "POST":
        form = RectificationForm(request.POST, participant=participant)
        if form.is_valid():
            try:
                participant_rectify(participant=participant, by=request.user,
                                    expected_version=form.cleaned_data["version"], values=form.values())
            except StaleVersion as stale:
                current = Participant.objects.select_related("commune", "qpv").get(pk=stale.current.pk)
                differences = _differences(form, current)
                # Keep what was typed; a second, informed save applies it over the current version.
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = RectificationForm(data, participant=current)
                form.is_valid()
                form.add_error(None, stale_message())
            except ValidationError as error:
                validation_error_apply(form, error)
            else:
                messages.success(request, _("Les corrections sont enregistrées."))
                return redirect("rights:participant_rights", pk=participant.pk)
    else:
        form = RectificationForm(participant=participant)
        access_log_record(user=request.user, participant_id=participant.pk, screen="rights_rectify")
    return render(request, "rights/rectify.html", {
        "participant": participant, "form": form, "differences": differences,
    })


@erasure_roles
def erase(request, pk: int):
    participant = _participant(request, pk)
    counts = participant_erasure_counts(participant)
    refusal = participant_erasure_refusal(entered=counts.pop("entered"))
    if request.method == "POST" and not refusal:
        try:
            participant_erase(participant=participant, by=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("Les données de la personne ont été effacées. Seule une trace anonyme de "
                                        "l'effacement est conservée."))
            return redirect("rights:guide")
    elif request.method == "GET":
        access_log_record(user=request.user, participant_id=participant.pk, screen="rights_erase")
    labels = erasure_labels()
    rows = [{"label": labels[key], "count": counts[key]} for key, _model, _path in ERASURE_COUNTED]
    return render(request, "rights/erase.html", {"participant": participant, "rows": rows, "refusal": refusal},
                  status=409 if refusal and request.method == "POST" else 200)


def erasure_labels() -> dict[str, str]:
    return {
        "pathways": _("Parcours (candidatures comprises)"),
        "applications": _("Dossiers de candidature"),
        "reception_interviews": _("Entretiens de premier accueil"),
        "assessments": _("Bilans socio-professionnels"),
        "barrier_reviews": _("Évaluations de freins"),
        "commission_decisions": _("Décisions de commission"),
        "contracts": _("Contrats d'engagement"),
        "steps": _("Étapes de parcours"),
        "appointments": _("Rendez-vous"),
        "notes": _("Notes"),
        "documents": _("Documents (fichiers compris)"),
        "access_logs": _("Lignes du journal des consultations"),
        "audit_events": _("Lignes de l'historique des modifications"),
    }
