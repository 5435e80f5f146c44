from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("interchange", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="progress_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dernière progression"),
        ),
    ]
