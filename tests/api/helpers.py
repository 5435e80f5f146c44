"""Shared builders of the API tests: a client holding a user's real token, an application's multipart body."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import api_token

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def api_for(user) -> APIClient:
    """A client sending `user`'s API token, as a structure's own system would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def today() -> datetime.date:
    return timezone.localdate()


def scan(content: bytes = PDF, name: str = "dossier.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def application_body(**changes) -> dict:
    """What a prescriber's system posts (multipart/form-data): the web form's fields, the commune by INSEE code."""
    body = {
        "last_name": "Lefèvre", "first_name": "Amélie", "sex": "F", "birth_date": "1985-03-12",
        "address": "3 rue des Gras", "postal_code": "63000", "commune": "63113", "education_level": "V",
        "situations": ["rsa"], "deld": "true", "barriers_seen": ["mobility", "housing"],
        "motivation": "Retrouver un emploi stable.", "participant_signed_on": today().isoformat(),
        "prescriber_signed_on": today().isoformat(), "signed_scan": scan(),
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}
