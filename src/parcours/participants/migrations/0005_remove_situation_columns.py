from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("participants", "0004_situations_to_rows")]

    operations = [
        migrations.RemoveField(model_name="participant", name=name)
        for name in ["rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"]
    ]
