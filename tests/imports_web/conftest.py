"""Data sets as bytes, zips of them, and depositing them through the import pages."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.interchange.models import ImportRun
from tests.interchange.helpers import appointment, pathway, person, step, write_set


def set_files(directory, **files) -> dict[str, bytes]:
    """The CSV files of a data set (see tests.interchange.helpers.write_set), by file name."""
    write_set(directory, **files)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def zip_of(members: dict[str, bytes], *, encrypted: frozenset = frozenset()) -> bytes:
    """A zip of `members`; those named in `encrypted` are marked as password-protected (flag bit 0)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 2, 3, 4, 5)), content,
                             compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    position = data.find(b"PK\x01\x02")  # central directory entries: flags at +8, name length at +28, name at +46
    while position != -1:
        length = int.from_bytes(data[position + 28:position + 30], "little")
        if data[position + 46:position + 46 + length].decode() in encrypted:
            data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 46)
    return bytes(data)


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    """Each test deposits into a storage of its own: files of rolled-back tests never look like orphans to the
    housekeeping of the next (its sweep deletes files no run holds)."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None}}}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def deposit(client, *uploads, territory=None):
    data = {"files": list(uploads)}
    if territory is not None:
        data["territory"] = territory.pk
    return client.post(reverse("imports:import_create"), data)


def last_run() -> ImportRun:
    return ImportRun.objects.order_by("-pk").first()


@pytest.fixture
def small_set(tmp_path, territory) -> dict[str, bytes]:
    """Two people, two pathways, a step, two appointments: 7 rows, all valid in `territory`."""
    return set_files(tmp_path / "small",
                     participants=[person("P-1", qpv_code="croix-de-neyrat"), person("P-2", sex="M")],
                     pathways=[pathway("PW-1", "P-1"), pathway("PW-2", "P-2", decision="", entry_date="")],
                     steps=[step("S-1", "PW-1")],
                     appointments=[appointment("A-1", "PW-1"), appointment("A-2", "PW-1", date="2023-03-02")])


@pytest.fixture
def bad_set(tmp_path, territory) -> dict[str, bytes]:
    """Line 3 of participants.csv has an unknown sex; line 2 of pathways.csv an entry before the application."""
    return set_files(tmp_path / "bad",
                     participants=[person("P-1"), person("P-2", sex="X")],
                     pathways=[pathway("PW-1", "P-1", entry_date="2022-01-01")])


@pytest.fixture
def team_client(client, coordinator):
    client.force_login(coordinator)
    return client
