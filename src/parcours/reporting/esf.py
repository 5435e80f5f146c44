"""Rendering of `parcours esf-indicators` and `parcours esf-claim` (docs/spec/esf.md); the counts are esf's."""

from __future__ import annotations

import json
from fractions import Fraction

from django.core.management.base import CommandError

from parcours.esf.models import Operation
from parcours.esf.selectors import OperationUnknown, operation_get

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
