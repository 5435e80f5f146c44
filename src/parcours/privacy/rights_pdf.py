"""The readable PDF of a rights export, drawn from the same data as donnees.json.

Every piece of user text goes through `_text`, which escapes reportlab's paragraph markup, so a name such as
`<b>Jean & Co</b>` is printed as typed.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.db import models
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from parcours.core.workflow import SYSTEM_ACTORS
from parcours.plie.commissions.models import CommissionDecision
from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, Step
from parcours.plie.models import EmploymentFollowUp, EngagementContract
from parcours.participants.enums import Barrier
from parcours.participants.models import Document, Participant
from parcours.plie.definition import SITUATION_CHOICES
from parcours.programmes.registry import criterion_label

# A Unicode font when the system has one (names in any Latin script, Cyrillic, Greek); Helvetica otherwise.
_FONT_FILES = {
    "ParcoursSans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "ParcoursSans-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}


@cache
def _fonts() -> tuple[str, str]:
    if all(Path(path).is_file() for path in _FONT_FILES.values()):
        for name, path in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, path))
        return "ParcoursSans", "ParcoursSans-Bold"
    return "Helvetica", "Helvetica-Bold"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=16, leading=20),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName=bold, fontSize=14, leading=18, spaceBefore=12),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=12, leading=15, spaceBefore=8),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName=bold, fontSize=10, leading=13, spaceBefore=6),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9, leading=12),
        "label": ParagraphStyle("label", parent=base["BodyText"], fontName=bold, fontSize=9, leading=12),
    }


def _text(value: Any) -> str:
    """User text made safe for a Paragraph: markup escaped, line breaks kept."""
    return escape(str(value)).replace("\r\n", "\n").replace("\n", "<br/>")


def paragraph(value: Any, style: str = "body") -> Paragraph:
    return Paragraph(_text(value), _styles()[style])


def _date(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else "—"


def _datetime(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M") if value else "—"


def _actor(value: dict | None) -> str:
    if not value:
        return "—"
    structures = ", ".join(value["structures"])
    return f"{value['name']} ({structures})" if structures else value["name"]


def _display(model: type[models.Model], name: str, value: Any) -> str:
    """A stored value as a person reads it: choice labels, French dates, Oui / Non / Inconnu."""
    try:
        field = model._meta.get_field(name)
    except Exception:
        field = None
    if isinstance(value, dict) and "structures" in value:
        return _actor(value)
    if value is None or value == "":
        if isinstance(field, models.BooleanField):
            return _("Inconnu")
        return "—"
    if isinstance(field, models.DateTimeField):
        return _datetime(value)
    if isinstance(field, models.DateField):
        return _date(value)
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _overridden_labels() -> dict[str, str]:
    # Fields declared without a French verbose name.
    return {"referent": _("Référent·e"), "author": _("Rédigé par"), "reviewed_by": _("Évalué par"),
            "decided_by": _("Décision prise par"), "closed_by": _("Clos par"), "uploaded_at": _("Déposé le")}


def _label(model: type[models.Model], name: str) -> str:
    overridden = _overridden_labels()
    if name in overridden:
        return overridden[name]
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _pairs(rows: list[tuple[str, str]]) -> Table:
    styles = _styles()
    table = Table([[Paragraph(_text(label), styles["label"]), Paragraph(_text(value), styles["body"])]
                   for label, value in rows], colWidths=[5.5 * cm, 11.5 * cm], hAlign="LEFT",
                  splitInRow=1)  # a long note or summary continues on the next page
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _record(model: type[models.Model], record: dict, names: list[str],
            extra: list[tuple[str, str]] | None = None) -> Table:
    rows = [(_label(model, name), _display(model, name, record.get(name))) for name in names]
    return _pairs(rows + (extra or []))


def _codes(values: list[str], choices) -> str:
    labels = dict(getattr(choices, "choices", choices))
    return ", ".join(str(labels.get(code, code)) for code in values) or "—"


def _none(story: list) -> None:
    story.append(paragraph(_("Aucune donnée.")))


def build_story(data: dict[str, Any]) -> list:
    """The flowables of the export PDF, in the order of the person's journey."""
    person = data["participant"]
    story: list = [
        paragraph(_("Données personnelles détenues par le PLIE — participant·e n° %(id)s") % {"id": person["id"]},
                  "title"),
        paragraph(_("Document établi le %(date)s à la demande de la personne (droit d'accès, article 15 du RGPD), "
                    "par %(actor)s.") % {"date": _datetime(data["generated_at"]), "actor": _actor(data["generated_by"])}),
        Spacer(1, 8),
        paragraph(_("Identité et coordonnées"), "h1"),
        _record(Participant, person, ["last_name", "first_name", "birth_name", "sex", "birth_date", "email", "phone",
                                      "address", "postal_code"], [
            (_("Commune"), person["commune"]["name"] if person["commune"] else "—"),
            (_("Quartier prioritaire (QPV)"), person["qpv"]["name"] if person["qpv"] else "—"),
            (_label(Participant, "education_level"),
             _display(Participant, "education_level", person["education_level"])),
            (_("Territoire"), person["territory"]),
            (_label(Participant, "external_ref"), person["external_ref"] or "—"),
            (_("Dossier créé le"), _datetime(person["created_at"])),
        ]),
        paragraph(_("Situations à l'entrée"), "h1"),
        _pairs([(criterion_label(code), {True: _("Oui"), False: _("Non"), None: _("Inconnu")}[value])
                for code, value in data["situation_at_entry"].items()]),
    ]
    for pathway in data["pathways"]:
        _pathway(story, pathway)
    if not data["pathways"]:
        story.append(paragraph(_("Parcours"), "h1"))
        _none(story)

    story.append(paragraph(_("Documents"), "h1"))
    for doc in data["documents"]:
        story.append(_record(Document, doc, ["title", "kind", "uploaded_at"], [
            (_("Déposé par"), _actor(doc["uploaded_by"])),
            (_("Fichier dans l'export"), doc["file"] or _("Fichier introuvable dans le stockage")),
        ]))
        story.append(Spacer(1, 4))
    if not data["documents"]:
        _none(story)

    story.append(paragraph(_("Historique"), "h1"))
    story.append(paragraph(_("Changements d'état des parcours"), "h2"))
    transitions = [(p["id"], t) for p in data["pathways"] for t in p["transitions"]]
    for pathway_id, transition in transitions:
        story.append(paragraph(_("%(at)s — parcours n° %(id)s : %(from)s → %(to)s (%(action)s), par %(by)s") % {
            "at": _datetime(transition["at"]), "id": pathway_id,
            "from": _display(Pathway, "status", transition["from_state"]),
            "to": _display(Pathway, "status", transition["to_state"]),
            "action": transition["transition"],
            "by": _actor(transition["by"]) if transition["by"] else str(SYSTEM_ACTORS.get(transition.get("system_actor", ""), "—")),
        }))
    if not transitions:
        _none(story)
    story.append(paragraph(_("Journal des modifications"), "h2"))
    for event in data["audit_events"]:
        changes = "; ".join(f"{key} : {old!s} → {new!s}" for key, (old, new) in sorted(event["changes"].items())
                            if isinstance(event["changes"].get(key), list) and len(event["changes"][key]) == 2)
        story.append(paragraph(_("%(at)s — %(action)s (%(object)s), par %(by)s%(changes)s") % {
            "at": _datetime(event["at"]), "action": event["action"], "object": event["object_type"],
            "by": _actor(event["actor"]), "changes": f" — {changes}" if changes else "",
        }))
    if not data["audit_events"]:
        _none(story)
    return story


def _pathway(story: list, pathway: dict[str, Any]) -> None:
    story.append(paragraph(_("Parcours n° %(id)s") % {"id": pathway["id"]}, "h1"))
    story.append(_record(Pathway, pathway, [
        "status", "entry_route", "application_date", "prescriber_type", "assigned_at", "commission_date", "decision",
        "entry_date", "exit_date", "exit_reason", "last_contact_date",
    ], [(_("Structure référente"), pathway["operator"] or "—"), (_("Référent·e"), _actor(pathway["referent"]))]))

    story.append(paragraph(_("Candidature"), "h2"))
    application = pathway["application"]
    if application:
        story.append(_record(Application, application, ["motivation", "participant_signed_on",
                                                        "prescriber_signed_on"], [
            (_label(Application, "prescriber_organisation"), application["prescriber_organisation"]),
            (_label(Application, "prescribed_by"), _actor(application["prescribed_by"])),
            (_label(Application, "situations"), _codes(application["situations"], SITUATION_CHOICES)),
            (_label(Application, "barriers_seen"), _codes(application["barriers_seen"], Barrier)),
        ]))
    else:
        _none(story)

    story.append(paragraph(_("Entretiens de premier accueil"), "h2"))
    for interview in pathway["reception_interviews"]:
        story.append(_record(ReceptionInterview, interview, ["date", "mode", "duration_minutes", "place", "summary",
                                                             "referent"]))
        story.append(Spacer(1, 4))
    if not pathway["reception_interviews"]:
        _none(story)

    story.append(paragraph(_("Bilan socio-professionnel"), "h2"))
    assessment = pathway["assessment"]
    if assessment:
        story.append(_record(Assessment, assessment, ["completed_on", "strengths", "professional_project",
                                                      "recommendations", "author"]))
        story.append(paragraph(_("Freins évalués au bilan"), "h3"))
        _reviews(story, assessment["initial_barrier_reviews"])
    else:
        _none(story)

    story.append(paragraph(_("Décisions de la commission d'agrément"), "h2"))
    for decision in pathway["commission_decisions"]:
        story.append(_record(CommissionDecision, decision, ["outcome", "motive", "reoriented_to", "decided_by"],
                             [(_("Commission du"), _date(decision["commission_date"]))]))
        story.append(Spacer(1, 4))
    if not pathway["commission_decisions"]:
        _none(story)

    story.append(paragraph(_("Contrat d'engagement"), "h2"))
    contract = pathway["contract"]
    if contract:
        story.append(_record(EngagementContract, contract, [
            "objectives", "participant_commitments", "referent_commitments", "plie_commitments",
            "participant_signed_on", "referent_signed_on", "director_signed_on", "director"]))
    else:
        _none(story)

    story.append(paragraph(_("Étapes de parcours"), "h2"))
    for step in pathway["steps"]:
        story.append(_record(Step, step, ["step_type", "start_date", "end_date", "operator_name", "employer_siret",
                                          "contract_type", "social_clause", "hours", "comment"]))
        story.append(Spacer(1, 4))
    if not pathway["steps"]:
        _none(story)
    for followup in pathway["employment_followups"]:
        story.append(paragraph(_("Suivi dans l'emploi"), "h3"))
        story.append(_record(EmploymentFollowUp, followup, ["started_on", "due_on", "status", "closed_on",
                                                            "closed_by"]))

    story.append(paragraph(_("Rendez-vous"), "h2"))
    for appointment in pathway["appointments"]:
        story.append(_record(Appointment, appointment, ["date", "kind", "mode", "duration_minutes", "place",
                                                        "referent", "summary"]))
        story.append(Spacer(1, 4))
    if not pathway["appointments"]:
        _none(story)

    story.append(paragraph(_("Freins : évaluations successives"), "h2"))
    _reviews(story, pathway["barrier_reviews"])

    story.append(paragraph(_("Notes"), "h2"))
    for note in pathway["notes"]:
        story.append(_record(Note, note, ["created_at", "author", "body"]))
        story.append(Spacer(1, 4))
    if not pathway["notes"]:
        _none(story)


def _reviews(story: list, reviews: list[dict]) -> None:
    for review in reviews:
        story.append(_record(BarrierReview, review, ["reviewed_on", "barrier", "level", "comment", "reviewed_by"]))
        story.append(Spacer(1, 4))
    if not reviews:
        _none(story)


def render_export_pdf(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=_("Export des données — participant·e n° %(id)s") % {"id": data["participant"]["id"]},
        author="Parcours", lang="fr-FR",
    )
    document.build(build_story(data), onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas, document) -> None:
    regular, _bold = _fonts()
    canvas.saveState()
    canvas.setFont(regular, 8)
    canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("Page %(page)s") % {"page": document.page})
    canvas.restoreState()

