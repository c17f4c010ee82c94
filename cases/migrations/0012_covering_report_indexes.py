"""Covering indexes for the dashboard's and the roll-up's figures: decrees and deliveries of a
period with their deadline (the share on time) and their proposal or case, and a unit's spending
of a year, each read from its index alone. Each replaces the narrower index it extends."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_compensation_cost_bound"),
        ("units", "0007_unit_api_token_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="compensation",
            name="compensation_unit_year",
        ),
        migrations.RemoveIndex(
            model_name="decree",
            name="decree_unit_issued",
        ),
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_unit_delivered",
        ),
        migrations.AddIndex(
            model_name="compensation",
            index=models.Index(
                fields=["unit", "budget_year", "cost"], name="compensation_unit_year_cost"
            ),
        ),
        migrations.AddIndex(
            model_name="decree",
            index=models.Index(
                fields=["unit", "issued_at", "due_at", "proposal"], name="decree_unit_issued_due"
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["unit", "delivered_at", "due_at", "case"],
                name="delivery_unit_delivered_due",
            ),
        ),
    ]
