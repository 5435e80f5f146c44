"""Phone numbers stored in E.164 (core/plausibility.py): each one that parses is rewritten (`06 12 34 56 78` →
`+33612345678`); one that does not is kept as it was typed, shown as such, and asked again at its next edit
(docs/security.md, "Input plausibility")."""

from django.db import migrations

from parcours.core.plausibility import phones_rewrite_e164


def phones_to_e164(apps, schema_editor):
    for model_name in ['Helpdesk']:
        phones_rewrite_e164(apps.get_model("territory", model_name))


class Migration(migrations.Migration):
    dependencies = [("territory", "0002_rules_move_to_programmes")]

    # Backwards: E.164 is a valid way to write a number, nothing to undo.
    operations = [migrations.RunPython(phones_to_e164, migrations.RunPython.noop)]
