import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.core.serializers import serialize

from parcours.core.backup import backed_up_models
from parcours.participants.models import Document

from tests import factories
from tests.accounts.helpers import enrol

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict:
    """Every backed-up table's rows, ordered by primary key, with natural foreign keys."""
    return {m._meta.label_lower: serialize("json", m._default_manager.order_by("pk"), use_natural_foreign_keys=True)
            for m in backed_up_models()}


def test_round_trip_restores_every_table_and_the_documents(tmp_path, coordinator, referent):
    pathway = factories.PathwayFactory(active=True)
    enrol(coordinator)
    document = Document(participant=pathway.participant, kind="cv", title="CV", content_type="text/plain",
                        size=5, uploaded_by=referent)
    document.file.save("cv.txt", ContentFile(b"bonjour"), save=True)
    before = _snapshot()
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", str(archive))
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "data.json"} <= set(tar.getnames())

    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete(document.file.name)
    call_command("restore", str(archive))
    after = _snapshot()
    assert after == before
    assert default_storage.open(document.file.name).read() == b"bonjour"


def test_force_replaces_a_non_empty_database(tmp_path, coordinator):
    archive = tmp_path / "s.tar.gz"
    call_command("backup", str(archive))
    before = _snapshot()
    factories.ParticipantFactory()
    call_command("restore", str(archive), "--force")
    assert _snapshot() == before


def test_restore_refuses_a_foreign_archive(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        (tmp_path / "a.txt").write_text("x")
        tar.add(tmp_path / "a.txt", arcname="a.txt")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="pas une sauvegarde"):
        call_command("restore", str(bogus))
