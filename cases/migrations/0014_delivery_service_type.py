"""A delivery keeps the service its case's customer rated or complained about (the answer's
service type, else the complaint's) and the compensation it delivered (its case's), so the
recovery figures per service and per kind read from the delivery without a join through the
case; the period's deliveries index carries both (replacing the index it extends). Filled for
the deliveries already recorded by 0015 (on PostgreSQL, the foreign keys' indexes cannot be
built in the transaction that has just written them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_unit_officer_index"),
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
        migrations.AddField(
            model_name="delivery",
            name="compensation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.compensation",
                verbose_name="compensation",
            ),
        ),
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_unit_delivered_due",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=[
                    "unit",
                    "delivered_at",
                    "due_at",
                    "case",
                    "origin_at",
                    "service_type",
                    "compensation",
                ],
                name="delivery_unit_delivered_rec",
            ),
        ),
    ]
