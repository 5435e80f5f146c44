"""`parcours esf-claim --operation REF --from D1 --to D2 --format json|text` (docs/spec/esf.md)."""

from parcours.esf.selectors import esf_claim_compute, esf_claim_data
from parcours.reporting.esf import OperationPeriodCommand


class Command(OperationPeriodCommand):
    help = "Calcule la demande de paiement FSE+ d'une opération pour une période (bornes incluses)."

    def compute(self, *, operation, date_from, date_to) -> dict:
        return esf_claim_data(esf_claim_compute(operation=operation, date_from=date_from, date_to=date_to))
