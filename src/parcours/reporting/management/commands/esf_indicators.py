"""`parcours esf-indicators --operation REF --from D1 --to D2 --format json|text` (docs/spec/esf.md)."""

from parcours.esf.selectors import esf_indicators_compute
from parcours.reporting.esf import OperationPeriodCommand


class Command(OperationPeriodCommand):
    help = "Affiche les indicateurs communs FSE+ d'une opération pour une période (bornes incluses)."

    def compute(self, *, operation, date_from, date_to) -> dict:
        return esf_indicators_compute(operation=operation, date_from=date_from, date_to=date_to)
