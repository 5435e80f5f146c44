import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organisations", "0003_add_dpo_role"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Programme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
                ("kind", models.CharField(max_length=32, verbose_name="type de dispositif")),
                ("name", models.CharField(max_length=200, verbose_name="nom")),
                ("inactivity_alert_days", models.PositiveSmallIntegerField(
                    default=60, validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="alerte sans contact après (jours)")),
                ("caseload_min", models.PositiveSmallIntegerField(default=60, verbose_name="file active minimale d'un référent")),
                ("caseload_max", models.PositiveSmallIntegerField(default=100, verbose_name="file active maximale d'un référent")),
                ("parameters", models.JSONField(blank=True, default=dict, verbose_name="paramètres")),
                ("is_active", models.BooleanField(default=True, verbose_name="actif")),
                ("organisation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="programmes_run", to="organisations.organisation",
                                                   verbose_name="structure porteuse")),
                ("territory", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="programmes",
                                                to="territory.territory", verbose_name="territoire")),
            ],
            options={
                "verbose_name": "dispositif",
                "ordering": ["territory_id", "kind", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("territory", "kind"), name="programme_one_per_kind_and_territory",
                                            violation_error_message="Ce territoire a déjà un dispositif de ce type."),
                    models.CheckConstraint(condition=models.Q(("caseload_min__lte", models.F("caseload_max"))),
                                           name="programme_caseload_range",
                                           violation_error_message="La file active minimale dépasse la maximale."),
                    models.CheckConstraint(condition=models.Q(("kind", ""), _negated=True),
                                           name="programme_kind_not_blank"),
                ],
            },
        ),
    ]
