"""Each refusal of a deposit: a French message naming the file, answered 400, nothing kept."""

import html

import pytest
from django.core.exceptions import ValidationError

from parcours.interchange.models import ImportRun
from parcours.interchange.uploads import deposit_pack

from .conftest import deposit, upload, zip_of


def refused(client, *uploads) -> str:
    response = deposit(client, *uploads)
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0
    return html.unescape(response.content.decode())


def test_no_file(team_client):
    assert "Choisissez une archive zip ou les fichiers CSV" in refused(team_client)


def test_a_file_that_is_not_a_zip(team_client):
    page = refused(team_client, upload("reprise.zip", b"PK\x03\x04 ceci n'est pas une archive"))
    assert "reprise.zip : archive zip illisible ou endommagée." in page


def test_an_unknown_file_name(team_client, small_set):
    page = refused(team_client, upload("participants.csv", small_set["participants.csv"]),
                   upload("notes.txt", b"bonjour"))
    assert "notes.txt : nom de fichier inconnu." in page


def test_an_unknown_name_inside_the_zip(team_client, small_set):
    page = refused(team_client, upload("reprise.zip", zip_of(small_set | {"personnes.csv": b"x"})))
    assert "reprise.zip : « personnes.csv » : nom de fichier inconnu." in page


def test_a_file_too_big(team_client, small_set, settings):
    settings.PARCOURS_IMPORT_MAX_BYTES = 100
    page = refused(team_client, upload("participants.csv", small_set["participants.csv"]),
                   upload("pathways.csv", small_set["pathways.csv"]))
    assert "participants.csv : fichier trop volumineux" in page and "pathways.csv : fichier trop volumineux" in page


def test_files_too_big_together(team_client, small_set, settings):
    settings.PARCOURS_IMPORT_MAX_BYTES = 400
    page = refused(team_client, upload("participants.csv", small_set["participants.csv"]),
                   upload("pathways.csv", small_set["pathways.csv"]))
    assert "Les fichiers déposés pèsent" in page


def test_a_zip_that_unpacks_too_big(team_client, small_set, settings):
    settings.PARCOURS_IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    page = refused(team_client, upload("reprise.zip", zip_of(small_set | {"steps.csv": b"a" * 5000})))
    assert "reprise.zip : une fois décompressés, les fichiers dépassent" in page


def test_a_zip_lying_about_its_sizes_is_refused_not_unpacked(small_set, monkeypatch):
    """A forged zip may declare small sizes to pass the limit: reading stops at the declared size, the file is
    then damaged (CRC), and the deposit refused."""
    import zipfile

    original = zipfile.ZipFile.infolist

    def lying(self):
        infos = original(self)
        for info in infos:
            info.file_size = 1
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    with pytest.raises(ValidationError) as error:
        deposit_pack([upload("reprise.zip", zip_of(small_set | {"steps.csv": b"a" * 5000}))])
    assert error.value.message_dict["files"] == ["reprise.zip : « participants.csv » : fichier endommagé dans "
                                                 "l'archive."]


@pytest.mark.parametrize("member", ["../participants.csv", "/tmp/participants.csv", "a/../../participants.csv",
                                    "C:/participants.csv", "..\\participants.csv"])
def test_paths_escaping_the_archive_are_refused(team_client, small_set, member):
    members = {name: content for name, content in small_set.items() if name != "participants.csv"}
    page = refused(team_client, upload("reprise.zip", zip_of(members | {member: small_set["participants.csv"]})))
    assert "chemin interdit dans l'archive" in page


def test_files_too_deep_in_the_zip(team_client, small_set):
    page = refused(team_client, upload("reprise.zip", zip_of({f"a/b/{n}": c for n, c in small_set.items()})))
    assert "les fichiers doivent être à la racine de l'archive ou dans un seul dossier" in page


def test_files_in_two_folders(team_client, small_set):
    page = refused(team_client, upload("reprise.zip", zip_of({"a/participants.csv": small_set["participants.csv"],
                                                              "b/pathways.csv": small_set["pathways.csv"]})))
    assert "reprise.zip : les fichiers doivent être à la racine de l'archive ou dans un seul dossier." in page


def test_a_file_twice_in_the_zip(team_client, small_set):
    page = refused(team_client, upload("reprise.zip", zip_of(small_set | {"copie/participants.csv": b"x"})))
    assert "participants.csv figure deux fois dans l'archive" in page


def test_a_file_deposited_twice(team_client, small_set):
    page = refused(team_client, upload("participants.csv", small_set["participants.csv"]),
                   upload("participants.csv", small_set["participants.csv"]),
                   upload("pathways.csv", small_set["pathways.csv"]))
    assert "participants.csv : fichier déposé deux fois." in page


def test_a_password_protected_member(team_client, small_set):
    page = refused(team_client, upload("reprise.zip", zip_of(small_set, encrypted=frozenset({"pathways.csv"}))))
    assert "reprise.zip : « pathways.csv » : fichier protégé par un mot de passe" in page


def test_a_zip_with_other_files(team_client, small_set):
    page = refused(team_client, upload("reprise.zip", zip_of(small_set)),
                   upload("steps.csv", small_set["steps.csv"]))
    assert "reprise.zip : une archive zip se dépose seule, sans autre fichier." in page


def test_a_required_file_missing(team_client, small_set):
    page = refused(team_client, upload("participants.csv", small_set["participants.csv"]))
    assert "pathways.csv : fichier obligatoire absent du dépôt." in page


def test_the_error_is_linked_to_the_field(team_client):
    page = refused(team_client, upload("notes.txt", b"x"))
    assert '<a href="#id_files">Fichiers</a>' in page


def test_stored_names_are_the_specs_whatever_the_archive_says(team_client, small_set):
    import zipfile

    deposit(team_client, upload("reprise.zip", zip_of({f"Export 2024/{n}": c for n, c in small_set.items()})))
    run = ImportRun.objects.get()
    assert run.upload.name.startswith("imports/") and "Export" not in run.upload.name
    with run.upload.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert sorted(archive.namelist()) == sorted(small_set)
