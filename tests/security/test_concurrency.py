import pytest

from parcours.core.concurrency import StaleObjectError, save_with_version
from parcours.participants.models import Participant

from tests import factories


def test_save_with_the_expected_version_updates_and_bumps_it():
    person = factories.ParticipantFactory(phone="")
    person.phone = "0601020304"
    save_with_version(person, 1, ["phone"])
    assert person.version == 2
    stored = Participant.objects.get(pk=person.pk)
    assert (stored.phone, stored.version) == ("0601020304", 2)


def test_a_stale_form_is_refused_in_french_and_changes_nothing():
    person = factories.ParticipantFactory(phone="")
    first, second = Participant.objects.get(pk=person.pk), Participant.objects.get(pk=person.pk)
    first.phone = "0601020304"
    save_with_version(first, 1, ["phone"])
    second.phone = "0699999999"
    with pytest.raises(StaleObjectError, match="modifiée par quelqu'un d'autre"):
        save_with_version(second, 1, ["phone"])
    assert Participant.objects.get(pk=person.pk).phone == "0601020304"


def test_only_named_fields_are_written_and_updated_at_moves():
    person = factories.ParticipantFactory(phone="", email="")
    before = person.updated_at
    person.phone, person.email = "0601020304", "ignored@example.org"
    save_with_version(person, 1, ["phone"])
    stored = Participant.objects.get(pk=person.pk)
    assert stored.email == "" and stored.updated_at > before


def test_foreign_keys_by_name_and_deleted_rows():
    pathway = factories.PathwayFactory()
    operator = factories.OrganisationFactory(operator=True)
    pathway.operator = operator
    save_with_version(pathway, 1, ["operator"])
    assert pathway.__class__.objects.get(pk=pathway.pk).operator_id == operator.pk
    pathway.__class__.objects.filter(pk=pathway.pk).delete()
    with pytest.raises(StaleObjectError):
        save_with_version(pathway, 2, ["operator"])
