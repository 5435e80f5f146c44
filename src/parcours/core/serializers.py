"""Django's JSON serialisation, with exact times: the format of the backup's data (`exactjson`).

Django's JSON encoder follows ECMA-262 and cuts datetimes and times to the millisecond, so a backup written with
the stock `json` format restored every timestamp (audit trail included) without its microseconds. This format
writes ISO 8601 with all six digits; reading is Django's own (its date parsers accept them).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import is_aware


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # a private hook the stubs do not declare
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = django_json.Deserializer
