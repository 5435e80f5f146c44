"""The claim's XLSX: its figures (as frozen at the last submission), the per-referent annex of the calculation,
the sampled control and the control log. Text is written through core.spreadsheet (never a formula)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from parcours.core.spreadsheet import xlsx_cell
from parcours.esf.models import Claim
from parcours.esf.workflow import CLAIM_WORKFLOW

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def _rows(sheet, rows: list[list], *, header: bool = True, widths: tuple[int, ...] = ()) -> None:
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = xlsx_cell(sheet, row=r, column=c, value=value)
            if isinstance(value, (Decimal, float)):
                cell.number_format = MONEY_FORMAT
            if header and r == 1:
                cell.font = Font(bold=True)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def claim_xlsx(claim: Claim) -> bytes:
    operation, data = claim.operation, claim.data
    workbook = Workbook()
    figures = workbook.active
    figures.title = _("Demande de paiement")[:31]
    _rows(figures, [
        [_("Rubrique"), _("Valeur")],
        [_("Opération"), operation.operation_ref], [_("Intitulé"), operation.title],
        [_("Bénéficiaire"), operation.beneficiary.name],
        [_("Période du"), claim.date_from], [_("Période au"), claim.date_to],
        [_("État"), claim.get_state_display()],
        [_("Calculée le"), timezone.localtime(claim.computed_at).strftime("%d/%m/%Y %H:%M")],
        [_("Frais de personnel directs (€)"), claim.direct_staff_costs],
        [_("Taux forfaitaire de 40 % (€)"), claim.flat_rate_costs],
        [_("Total éligible (€)"), claim.total_eligible],
        [_("Taux FSE+"), data.get("esf_rate")],
        [_("FSE+ dû (€)"), claim.esf_due],
        [_("Rendez-vous sans durée"), data.get("appointments_without_duration")],
        [_("Référent·es sans coût pour une année"), ", ".join(data.get("referents_without_cost", []))],
        [_("Participant·es écarté·es par le contrôle"), len(claim.excluded_participants)],
        [_("Date du paiement"), claim.paid_on], [_("Montant payé (€)"), claim.paid_amount],
    ], widths=(44, 40))
    for row in (5, 6, 17):
        figures.cell(row=row, column=2).number_format = "DD/MM/YYYY"
    figures.cell(row=12, column=2).number_format = "0.00%"
    annex = workbook.create_sheet(_("Annexe par référent")[:31])
    _rows(annex, [[_("Référent·e"), _("Minutes"), _("Heures"), _("Frais de personnel (€)")]]
          + [[r["referent"], r["minutes"], Decimal(str(r["hours"])), Decimal(str(r["staff_cost"]))]
             for r in data.get("referents", [])], widths=(40, 12, 12, 24))
    sample = workbook.create_sheet(_("Échantillon")[:31])
    _rows(sample, [[_("Participation"), _("Entrée"), _("Sortie"), _("Résultat"), _("Motif du rejet"),
                    _("Commentaire")]]
          + [[item.participation.participation_ref, item.participation.entry_date, item.participation.exit_date,
              item.get_outcome_display(), item.get_rejection_reason_display(), item.comment]
             for item in claim.sample.select_related("participation")], widths=(40, 12, 12, 14, 40, 40))
    log = workbook.create_sheet(_("Journal du contrôle")[:31])
    _rows(log, [[_("Le"), _("Par"), _("Action"), _("Vers l'état"), _("Détails")]]
          + [[timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M"), str(row.actor),
              str(CLAIM_WORKFLOW.transitions[row.transition].label), CLAIM_WORKFLOW.state_label(row.to_state),
              "; ".join(f"{k} : {v}" for k, v in row.data.items())]
             for row in claim.transitions.select_related("by")], widths=(18, 30, 34, 22, 60))
    workbook.properties.title = f"{_('Demande de paiement')} {operation.operation_ref}"
    workbook.properties.creator = "Parcours"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
