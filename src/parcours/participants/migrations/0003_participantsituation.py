import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ParticipantSituation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=64, verbose_name="critère")),
                ("value", models.BooleanField(verbose_name="valeur")),
                ("recorded_on", models.DateField(blank=True, null=True, verbose_name="renseigné le")),
                ("participant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                  related_name="situations", to="participants.participant")),
                ("recorded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                  related_name="+", to=settings.AUTH_USER_MODEL,
                                                  verbose_name="renseigné par")),
            ],
            options={
                "verbose_name": "situation de la personne",
                "ordering": ["participant", "code"],
                "constraints": [
                    models.UniqueConstraint(fields=("participant", "code"), name="participant_situation_unique_code"),
                    models.CheckConstraint(condition=models.Q(("code", ""), _negated=True),
                                           name="participant_situation_code_not_empty"),
                ],
            },
        ),
    ]
