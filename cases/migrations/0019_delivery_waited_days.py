"""Delivery.waited_days: the days from the case's origin to the delivery, stored as the
database computes them (cases.models.DaysBetween, the expression the recovery median used),
filled here for every existing delivery from its own columns. The period index trades the
recovery joins' columns (now read from recovery.RecoveryTally) for it."""

from django.db import migrations, models

import cases.models


def fill(apps, schema_editor):
    delivery = apps.get_model("cases", "Delivery")
    delivery.objects.update(waited_days=cases.models.DaysBetween("delivered_at", "origin_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_decree_unit_issued"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_unit_delivered_rec",
        ),
        migrations.AddField(
            model_name="delivery",
            name="waited_days",
            # 0 only until `fill` runs, in this migration's transaction.
            field=models.FloatField(default=0.0, editable=False, verbose_name="days waited"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["unit", "delivered_at", "due_at", "waited_days"],
                name="delivery_unit_delivered_wait",
            ),
        ),
    ]
