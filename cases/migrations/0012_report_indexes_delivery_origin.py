"""The dashboard's and the roll-up's figures read from indexes alone: decrees and deliveries of a
period with their deadline (the share on time) and their proposal or case, and a unit's spending
of a year, each index replacing the narrower one it extends. A delivery keeps its case's origin
(when the customer rated poorly or complained; the case's opening for neither), filled here for
the deliveries already recorded, so the recovery figures' days to delivery need no join."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_origins(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Delivery = apps.get_model("cases", "Delivery")
    origin = Case.objects.filter(pk=OuterRef("case_id")).values(
        at=Coalesce("survey_response__submitted_at", "complaint__received_at", "opened_at")
    )[:1]
    Delivery.objects.update(origin_at=Subquery(origin))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_compensation_cost_bound"),
        ("units", "0007_unit_api_token_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="origin_at",
            field=models.DateTimeField(null=True, verbose_name="rated or complained at"),
        ),
        migrations.RunPython(fill_origins, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="origin_at",
            field=models.DateTimeField(verbose_name="rated or complained at"),
        ),
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
                fields=["unit", "delivered_at", "due_at", "case", "origin_at"],
                name="delivery_unit_delivered_due",
            ),
        ),
    ]
