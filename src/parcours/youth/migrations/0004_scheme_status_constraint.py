# The state and the end date agree: a constraint of its own migration, after the data migration of 0003 has set
# the state of the enrolments already recorded (PostgreSQL refuses to alter a table with pending row updates).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('youth', '0003_schemes_workflow'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='schemeenrolment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'active'), ('end_date__isnull', True)), models.Q(('status', 'ended'), ('end_date__isnull', False)), _connector='OR'), name='youth_scheme_status_iff_end'),
        ),
    ]
