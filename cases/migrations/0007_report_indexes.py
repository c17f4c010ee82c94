"""Indexes for the report and the case list; compensations and deliveries carry their case's
unit (filled from the case) so a unit's spending and deliveries are read from one index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_units(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for name in ("Compensation", "Delivery"):
        model = apps.get_model("cases", name)
        unit = Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("unit_id")[:1])
        model.objects.update(unit_id=unit)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_deadline_held_to"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="compensation",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
            ),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="compensation",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="units.unit"
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="units.unit"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["unit", "opened_at", "state"], name="case_unit_opened"),
        ),
        migrations.AddIndex(
            model_name="decree",
            index=models.Index(fields=["unit", "issued_at"], name="decree_unit_issued"),
        ),
        migrations.AddIndex(
            model_name="compensation",
            index=models.Index(fields=["unit", "budget_year"], name="compensation_unit_year"),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["unit", "delivered_at"], name="delivery_unit_delivered"),
        ),
    ]
