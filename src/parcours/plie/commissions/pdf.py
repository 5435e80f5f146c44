"""The commission's documents: the decision record (relevé de décisions) and the prescriber letters.

Stories (lists of flowables) are built apart from rendering so tests can read their text.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Spacer, Table, TableStyle

from parcours.core.french import of_name
from parcours.core.pdf import text
from parcours.organisations.enums import OrganisationKind
from parcours.organisations.models import Organisation

from .enums import CommissionOutcome
from .models import Commission, CommissionDecision


def person_label(participant) -> str:
    """Last name and first-name initial: enough for partners to recognise a file, no more."""
    initial = f"{participant.first_name[:1]}." if participant.first_name else ""
    return f"{participant.last_name.upper()} {initial}".strip()


def decision_label(decision: CommissionDecision) -> str:
    label = str(decision.get_outcome_display())
    if decision.outcome == CommissionOutcome.REORIENTED:
        label += " — " + _("vers : %(scheme)s") % {"scheme": decision.reoriented_to}
    return label


def _plie(commission: Commission) -> Organisation | None:
    return Organisation.objects.filter(territory_id=commission.territory_id, kind=OrganisationKind.PLIE).first()


def _letterhead(plie: Organisation | None, commission: Commission) -> list:
    lines = [text(plie.name if plie else commission.territory.name, "h2")]
    if plie and plie.address:
        lines.append(text(plie.address, "small"))
    return lines


def decision_record_story(commission: Commission, decisions: list[CommissionDecision]) -> list:
    plie = _plie(commission)
    story = _letterhead(plie, commission) + [
        Spacer(1, 0.4 * cm),
        text(_("Relevé de décisions de la commission d'agrément du %(date)s")
             % {"date": commission.date.strftime("%d/%m/%Y")}, "title"),
        text(_("Document destiné aux partenaires institutionnels. Les membres de la commission ont délibéré sous "
               "le sceau du secret professionnel partagé ; ce relevé ne mentionne que les décisions."), "small"),
        Spacer(1, 0.4 * cm),
    ]
    rows = [[text(_("Personne"), "cell"), text(_("Prescripteur"), "cell"), text(_("Structure référente"), "cell"),
             text(_("Décision"), "cell"), text(_("Motif"), "cell")]]
    for decision in decisions:
        pathway = decision.pathway
        application = getattr(pathway, "application", None)
        rows.append([
            text(person_label(pathway.participant), "cell"),
            text(application.prescriber_organisation.name if application else "—", "cell"),
            text(pathway.operator.name if pathway.operator else "—", "cell"),
            text(decision_label(decision), "cell"),
            text(decision.motive or "—", "cell"),
        ])
    if len(rows) == 1:
        story.append(text(_("Aucune décision enregistrée.")))
    else:
        table = Table(rows, colWidths=[3.4 * cm, 3.6 * cm, 3.4 * cm, 3.4 * cm, 4 * cm], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
    story += [Spacer(1, 0.6 * cm), text(_("Édité le %(date)s.") % {"date": timezone.localdate().strftime("%d/%m/%Y")},
                                        "small")]
    return story


def prescriber_letter_story(decision: CommissionDecision) -> list:
    commission, pathway = decision.commission, decision.pathway
    application = getattr(pathway, "application", None)
    prescriber = application.prescriber_organisation if application else None
    plie = _plie(commission)
    story = _letterhead(plie, commission) + [Spacer(1, 0.8 * cm)]
    if prescriber:
        story += [text(prescriber.name), text(prescriber.address or "", "small")]
        if application.prescribed_by_id:
            story.append(text(_("À l'attention %(of_name)s") % {"of_name": of_name(application.prescribed_by.get_full_name())}))
    story += [
        Spacer(1, 0.6 * cm),
        text(_("Le %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}),
        Spacer(1, 0.4 * cm),
        text(_("Objet : décision de la commission d'agrément du %(date)s")
             % {"date": commission.date.strftime("%d/%m/%Y")}, "h2"),
        text(_("Madame, Monsieur,")),
        text(_("La commission d'agrément du PLIE a examiné la candidature que vous nous avez transmise pour "
               "%(person)s, reçue le %(received)s.")
             % {"person": f"{pathway.participant.first_name} {pathway.participant.last_name}".strip(),
                "received": pathway.application_date.strftime("%d/%m/%Y") if pathway.application_date else "—"}),
        text(_("Décision : %(decision)s.") % {"decision": decision_label(decision)}, "h2"),
    ]
    if decision.motive:
        story.append(text(_("Motif : %(motive)s") % {"motive": decision.motive}))
    if decision.outcome == CommissionOutcome.ADMITTED:
        story.append(text(_("La personne sera reçue par son ou sa référent·e de parcours (%(operator)s) pour signer "
                             "son contrat d'engagement.")
                          % {"operator": pathway.operator.name if pathway.operator else "—"}))
    elif decision.outcome == CommissionOutcome.POSTPONED:
        story.append(text(_("Le dossier sera de nouveau présenté à une prochaine commission.")))
    story += [Spacer(1, 0.6 * cm), text(_("Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.")),
              Spacer(1, 0.4 * cm), text(_("L'équipe d'animation du PLIE"))]
    return story
