"""An existing instance becomes one PLIE programme per territory: the PLIE's rules move from the territory to its
programme (the common ones as columns, the PLIE's own as parameters), and every pathway joins its territory's PLIE.

Nothing else changes: every pathway, step, appointment, transition, audit row and document keeps its row
(tests/migrations/test_migrate_existing_instance.py migrates a database filled by the demo and compares)."""

from django.db import migrations

PLIE_PARAMETERS = ["min_age", "youth_min_age", "youth_max_age", "eligible_situations", "qpv_residence_eligible",
                   "commission_interval_days", "assessment_deadline_days", "followup_months"]


def forwards(apps, schema_editor):
    Territory = apps.get_model("territory", "Territory")
    Organisation = apps.get_model("organisations", "Organisation")
    Programme = apps.get_model("programmes", "Programme")
    Pathway = apps.get_model("pathways", "Pathway")
    for territory in Territory.objects.order_by("pk"):
        plie = Organisation.objects.filter(territory=territory, kind="plie").order_by("pk").first()
        programme = Programme.objects.create(
            territory=territory, kind="plie", name=plie.name if plie else f"PLIE — {territory.name}",
            organisation=plie, inactivity_alert_days=territory.inactivity_alert_days,
            caseload_min=territory.caseload_min, caseload_max=territory.caseload_max,
            parameters={name: getattr(territory, name) for name in PLIE_PARAMETERS})
        Pathway.objects.filter(territory=territory).update(programme=programme, programme_kind="plie")


def backwards(apps, schema_editor):
    Territory = apps.get_model("territory", "Territory")
    Programme = apps.get_model("programmes", "Programme")
    for programme in Programme.objects.filter(kind="plie"):
        values = {name: programme.parameters[name] for name in PLIE_PARAMETERS if name in programme.parameters}
        Territory.objects.filter(pk=programme.territory_id).update(
            inactivity_alert_days=programme.inactivity_alert_days, caseload_min=programme.caseload_min,
            caseload_max=programme.caseload_max, **values)
    apps.get_model("pathways", "Pathway").objects.update(programme=None, programme_kind="")
    Programme.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0001_initial"),
        ("pathways", "0004_pathway_programme"),
        ("organisations", "0003_add_dpo_role"),
        ("territory", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
