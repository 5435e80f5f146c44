"""Pathways belong to a programme (added here, filled by programmes 0002, required by 0005); their state, step
type and exit reason are checked by the programme's definition instead of one global list of choices."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("pathways", "0003_pathway_territory"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pathway",
            name="programme",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="pathways",
                                    to="programmes.programme", verbose_name="dispositif"),
        ),
        migrations.AddField(
            model_name="pathway",
            name="programme_kind",
            field=models.CharField(default="", editable=False, max_length=32, verbose_name="type de dispositif"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="pathway",
            name="status",
            field=models.CharField(blank=True, max_length=16, verbose_name="état"),
        ),
        migrations.AlterField(
            model_name="pathway",
            name="exit_reason",
            field=models.CharField(blank=True, max_length=32, verbose_name="motif de sortie"),
        ),
        migrations.AlterField(
            model_name="step",
            name="step_type",
            field=models.CharField(max_length=32, verbose_name="type d'étape"),
        ),
    ]
