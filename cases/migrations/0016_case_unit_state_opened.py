"""Indexes of an organisation's roll-up (organisations.rollup.case_figures): the (unit, state)
index of cases extended with the opening time, so that a state's cases opened in a period are
counted from the index alone; the decrees issued by their deadline, as a partial index."""

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_fill_delivery_service_compensation"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_unit_state"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["unit", "state", "opened_at"], name="case_unit_state_opened"
            ),
        ),
        migrations.AddIndex(
            model_name="decree",
            index=models.Index(
                condition=models.Q(
                    ("issued_at__lte", django.db.models.expressions.F("due_at"))
                ),
                fields=["unit", "issued_at"],
                name="decree_unit_issued_on_time",
            ),
        ),
    ]
