"""participants 0004 both ways, on the case the demo snapshot lacks: an unknown (empty) column gives no row, and
going back gives the column its value again, unknown included."""

import pytest
from django.db import connection

from tests.migrations import harness

BEFORE = ("participants", "0003_participantsituation")   # the rows' table exists, the columns still hold values
AFTER = ("participants", "0004_situations_to_rows")


def _nodes(node):
    return [node if app == "participants" else (app, name) for app, name in harness.latest_nodes(connection)]


@pytest.mark.django_db(transaction=True)
def test_known_columns_become_rows_unknown_ones_none_and_back():
    try:
        apps = harness.to_state(connection, _nodes(BEFORE)).apps
        territory = apps.get_model("territory", "Territory").objects.create(name="Territoire de la migration")
        Participant = apps.get_model("participants", "Participant")
        person = Participant.objects.create(territory=territory, sex="F", birth_date="1980-01-02", rsa=True,
                                            ass=False, aah=None, deld=None, inactive_12m=True, single_parent=None,
                                            rqth=False)
        nobody = Participant.objects.create(territory=territory, sex="M", birth_date="1979-03-04")

        apps = harness.to_state(connection, _nodes(AFTER)).apps
        rows = apps.get_model("participants", "ParticipantSituation").objects.order_by("code")
        assert [(r.participant_id, r.code, r.value) for r in rows] == [
            (person.pk, "ass", False), (person.pk, "inactive_12m", True), (person.pk, "rqth", False),
            (person.pk, "rsa", True)]

        apps = harness.to_state(connection, _nodes(BEFORE)).apps
        Participant = apps.get_model("participants", "Participant")
        columns = ["rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"]
        assert list(Participant.objects.filter(pk=person.pk).values_list(*columns)) == [
            (True, False, None, None, True, None, False)]
        assert list(Participant.objects.filter(pk=nobody.pk).values_list(*columns)) == [(None,) * 7]
        assert not apps.get_model("participants", "ParticipantSituation").objects.exists()
    finally:
        harness.empty_all_tables(connection)
        harness.to_latest(connection)
