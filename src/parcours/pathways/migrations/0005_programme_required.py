"""Every pathway now has its programme (programmes 0002): required, indexed with the state; one open pathway per
person *per programme*; a programme without an admission decision enters without one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("pathways", "0004_pathway_programme"),
        ("programmes", "0002_plie_per_territory"),
    ]

    operations = [
        migrations.AlterField(
            model_name="pathway",
            name="programme",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="pathways",
                                    to="programmes.programme", verbose_name="dispositif"),
        ),
        migrations.RemoveConstraint(model_name="pathway", name="pathway_one_open_per_participant"),
        migrations.AddConstraint(
            model_name="pathway",
            constraint=models.UniqueConstraint(
                condition=models.Q(("entry_date__isnull", False), ("exit_date__isnull", True)),
                fields=("participant", "programme"), name="pathway_one_open_per_participant_and_programme",
                violation_error_message="Cette personne a déjà un parcours en cours."),
        ),
        migrations.RemoveConstraint(model_name="pathway", name="pathway_entry_needs_admission"),
        migrations.AddConstraint(
            model_name="pathway",
            constraint=models.CheckConstraint(
                condition=models.Q(("entry_date__isnull", True), ("decision", "admitted"),
                                   models.Q(("commission_date__isnull", True), ("decision", "")), _connector="OR"),
                name="pathway_entry_needs_admission",
                violation_error_message="Seul un parcours agréé a une date d'entrée."),
        ),
        migrations.AddConstraint(
            model_name="pathway",
            constraint=models.CheckConstraint(condition=models.Q(("status", ""), _negated=True),
                                              name="pathway_has_a_state"),
        ),
        migrations.AddIndex(
            model_name="pathway",
            index=models.Index(fields=["programme", "status"], name="pathway_programme_status_idx"),
        ),
    ]
