"""A delivery keeps the service its case's customer rated or complained about (the answer's
service type, else the complaint's), filled here for the deliveries already recorded, so the
recovery figures per service read the delivery alone; the period's deliveries index carries
it (replacing the index it extends)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_services(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Delivery = apps.get_model("cases", "Delivery")
    service = Case.objects.filter(pk=OuterRef("case_id")).values(
        service=Coalesce("survey_response__service_type", "complaint__service_type")
    )[:1]
    Delivery.objects.update(service_type=Subquery(service))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_report_indexes_delivery_origin"),
        ("units", "0007_unit_api_token_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="service_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.servicetype",
                verbose_name="service rated or complained about",
            ),
        ),
        migrations.RunPython(fill_services, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_unit_delivered_due",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["unit", "delivered_at", "due_at", "case", "origin_at", "service_type"],
                name="delivery_unit_delivered_svc",
            ),
        ),
    ]
