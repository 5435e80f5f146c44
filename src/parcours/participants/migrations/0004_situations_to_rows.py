"""The person's situation columns become rows: one ParticipantSituation per column that held a value (yes or no);
an empty column (unknown) gives no row. Reversible: the rows of these codes go back into the columns.

Nothing else changes (tests/migrations/test_migrate_existing_instance.py declares and checks it)."""

from django.db import migrations

# The columns as they were, in the interchange format's order.
COLUMNS = ["rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"]
BATCH = 2000


def forwards(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    Situation = apps.get_model("participants", "ParticipantSituation")
    rows = []
    for person in Participant.objects.order_by("pk").values("pk", *COLUMNS).iterator(chunk_size=BATCH):
        rows.extend(Situation(participant_id=person["pk"], code=code, value=person[code])
                    for code in COLUMNS if person[code] is not None)
        if len(rows) >= BATCH:
            Situation.objects.bulk_create(rows)
            rows = []
    Situation.objects.bulk_create(rows)


def backwards(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    Situation = apps.get_model("participants", "ParticipantSituation")
    values: dict[int, dict] = {}
    for participant_id, code, value in Situation.objects.filter(code__in=COLUMNS).values_list(
            "participant_id", "code", "value").iterator(chunk_size=BATCH):
        values.setdefault(participant_id, {})[code] = value
    people = [Participant(pk=pk, **{code: known.get(code) for code in COLUMNS}) for pk, known in values.items()]
    Participant.objects.bulk_update(people, COLUMNS, batch_size=BATCH)
    Situation.objects.filter(code__in=COLUMNS).delete()


class Migration(migrations.Migration):

    dependencies = [("participants", "0003_participantsituation")]

    operations = [migrations.RunPython(forwards, backwards)]
