"""Shared builders of the intake tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parcours.plie.intake.services import application_submit
from tests import factories

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def scan(content: bytes = PDF, name: str = "scan.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def today() -> datetime.date:
    return timezone.localdate()


def person(territory, **changes) -> dict:
    values = {
        "last_name": "Lefèvre", "first_name": "Amélie", "birth_name": "", "sex": "F",
        "birth_date": datetime.date(1985, 3, 12), "email": "", "phone": "", "address": "3 rue des Gras",
        "postal_code": "63000", "commune": territory.communes.get(insee="63113"), "qpv": None, "education_level": "V",
    }
    values.update(changes)
    return values


def submit(by, organisation, **changes):
    territory = organisation.territory
    kwargs = {
        "by": by, "prescriber_organisation": organisation, "person": person(territory),
        "situations": ["rsa"], "deld": True, "barriers_seen": ["mobility"],
        "motivation": "Retrouver un emploi stable.", "participant_signed_on": today(),
        "prescriber_signed_on": today(), "signed_scan": scan(),
    }
    kwargs.update(changes)
    return application_submit(**kwargs)


def post_data(territory, **changes) -> dict:
    """What the application form posts."""
    data = {
        "last_name": "Lefèvre", "first_name": "Amélie", "birth_name": "", "sex": "F", "birth_date": "1985-03-12",
        "email": "", "phone": "", "address": "3 rue des Gras", "postal_code": "63000",
        "commune": territory.communes.get(insee="63113").pk, "qpv": "", "education_level": "V",
        "situations": ["rsa"], "deld": "on", "barriers_seen": ["mobility", "housing"],
        "motivation": "Retrouver un emploi stable.", "participant_signed_on": today().isoformat(),
        "prescriber_signed_on": today().isoformat(),
    }
    data.update(changes)
    return data


def assigned(referent, operator, *, days_ago: int = 10, **kwargs):
    """A pathway assigned `days_ago` days ago to `referent` of `operator`, with its application."""
    pathway = factories.PathwayFactory(
        status="assigned", referent=referent, operator=operator,
        assigned_at=today() - datetime.timedelta(days=days_ago),
        application_date=today() - datetime.timedelta(days=days_ago + 5), **kwargs)
    factories.ApplicationFactory(pathway=pathway)
    return pathway
