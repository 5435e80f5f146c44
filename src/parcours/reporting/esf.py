"""Rendering of `parcours esf-indicators` and `parcours esf-claim` (docs/spec/esf.md); the counts are esf's."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

from parcours.esf.models import Operation
from parcours.esf.selectors import OperationUnknown, operation_get
from parcours.reporting.consolidation import period_parse

ESF_FORMATS = ("json", "text")


def operation_arg(value: str | None) -> Operation:
    if not value:
        raise CommandError("--operation : argument obligatoire (numéro de l'opération)")
    try:
        return operation_get(operation_ref=value)
    except OperationUnknown:
        raise CommandError(f"--operation : opération « {value} » inconnue") from None


def format_arg(value: str) -> str:
    if value not in ESF_FORMATS:
        raise CommandError(f"--format : format « {value} » inconnu (json ou text)")
    return value


def _plain(value):
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def esf_render(data: dict, output_format: str) -> str:
    data = _plain(data)
    if output_format == "json":
        return json.dumps(data, ensure_ascii=False) + "\n"
    lines = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, item in enumerate(value):
                walk(f"{prefix}[{i}]", item)
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else ("—" if value is None else value)
            lines.append(f"{prefix} : {shown}")
    walk("", data)
    return "\n".join(lines) + "\n"


class OperationPeriodCommand(BaseCommand):
    """`--operation REF --from D1 --to D2 --format json|text`, shared by the two ESF+ commands; each says what it
    computes for the operation and the period (`compute`)."""

    def add_arguments(self, parser):
        # Checked in handle(), so that every refusal is a French message naming the argument.
        parser.add_argument("--operation", help="numéro de l'opération (operation_ref)")
        parser.add_argument("--from", dest="date_from", help="premier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="dernier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--format", dest="output_format", default="json", help="json (défaut) ou text")

    def compute(self, *, operation: Operation, date_from: date, date_to: date) -> dict:
        raise NotImplementedError

    def handle(self, *args, operation, date_from, date_to, output_format, **options):
        d_from, d_to = period_parse(date_from, date_to)
        output_format = format_arg(output_format)
        data = self.compute(operation=operation_arg(operation), date_from=d_from, date_to=d_to)
        self.stdout.write(esf_render(data, output_format), ending="")
