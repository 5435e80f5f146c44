"""The PLIE's rules left the territory for its programme (programmes 0002 copied them first)."""

from django.db import migrations

RULES = ["min_age", "youth_min_age", "youth_max_age", "eligible_situations", "qpv_residence_eligible",
         "commission_interval_days", "assessment_deadline_days", "inactivity_alert_days", "caseload_min",
         "caseload_max", "followup_months"]


class Migration(migrations.Migration):

    dependencies = [
        ("territory", "0001_initial"),
        ("programmes", "0002_plie_per_territory"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="territory", name="territory_caseload_range"),
        migrations.RemoveConstraint(model_name="territory", name="territory_youth_age_range"),
        *[migrations.RemoveField(model_name="territory", name=name) for name in RULES],
    ]
