"""Pathways carry their participant's territory (see Pathway.territory): added, filled from the participants,
then required and indexed with the state."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """UPDATE pathways_pathway SET territory_id = (
    SELECT participants_participant.territory_id FROM participants_participant
    WHERE participants_participant.id = pathways_pathway.participant_id)"""


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0002_initial"),
        ("pathways", "0002_versions"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pathway",
            name="territory",
            field=models.ForeignKey(db_index=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="pathways",
                                    to="territory.territory", verbose_name="territoire"),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="pathway",
            name="territory",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="pathways", to="territory.territory", verbose_name="territoire"),
        ),
        migrations.AddIndex(
            model_name="pathway",
            index=models.Index(fields=["territory", "status"], name="pathway_territory_status_idx"),
        ),
    ]
