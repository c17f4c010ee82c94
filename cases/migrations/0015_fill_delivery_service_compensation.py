"""The service rated and the compensation of every delivery recorded before 0014: from its
case, as the workflow records them (`Case.origin`, the case's compensation)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_services(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Delivery = apps.get_model("cases", "Delivery")
    service = Case.objects.filter(pk=OuterRef("case_id")).values(
        service=Coalesce("survey_response__service_type", "complaint__service_type")
    )[:1]
    Delivery.objects.update(service_type=Subquery(service))


def fill_compensations(apps, schema_editor):
    Compensation = apps.get_model("cases", "Compensation")
    Delivery = apps.get_model("cases", "Delivery")
    compensation = Compensation.objects.filter(case_id=OuterRef("case_id")).values("pk")[:1]
    Delivery.objects.update(compensation=Subquery(compensation))


def fill(apps, schema_editor):
    fill_services(apps, schema_editor)
    fill_compensations(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_delivery_service_type")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
