"""Intake from the daily check and one channel vocabulary:

- a service record's channel becomes an entry of the unit's channel catalogue (the codes
  /api/v1/standard/ publishes, which complaints use): the old fixed codes map onto it
  ("online" → "web"; a code the unit lacks is added to its catalogue, inactive);
- the receipt's first printing is kept (the officer's screens then drop the survey link);
- FlagReview: the daily check's decision on a flagged response (referred / not referred);
- ImprovementItem moves here from cases, keeping its rows (its table is renamed).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TO_CODE = {"online": "web"}  # the rest keep their code
CODE_TO_OLD = {"web": "online"}
NAMES = {
    "in_person": "Tatap muka langsung",
    "web": "Laman",
    "phone": "Telepon/pesan teks (sms)/Whatsapp",
    "email": "Email",
    "letter": "Surat",
}


def channels_to_catalogue(apps, schema_editor):
    ServiceRecord = apps.get_model("surveys", "ServiceRecord")
    Channel = apps.get_model("units", "ComplaintChannel")
    pairs = ServiceRecord.objects.values_list("unit_id", "channel_code").distinct()
    for unit_id, old in pairs:
        code = OLD_TO_CODE.get(old, old)
        channel = Channel.objects.filter(unit_id=unit_id, code=code).first()
        if channel is None:
            channel = Channel.objects.create(
                unit_id=unit_id, code=code, name=NAMES.get(code, code), order=99, active=False
            )
        ServiceRecord.objects.filter(unit_id=unit_id, channel_code=old).update(channel=channel)


def channels_back(apps, schema_editor):
    ServiceRecord = apps.get_model("surveys", "ServiceRecord")
    for record in ServiceRecord.objects.select_related("channel").iterator():
        code = record.channel.code
        record.channel_code = CODE_TO_OLD.get(code, code)
        record.save(update_fields=["channel_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_report_indexes"),
        ("cases", "0009_improvement_items_move_to_surveys"),
        ("complaints", "0003_timeline_attachments_deadlines"),
        ("units", "0003_personal_data_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The channel, from a fixed list to the unit's catalogue.
        migrations.RenameField("servicerecord", "channel", "channel_code"),
        migrations.AddField(
            model_name="servicerecord",
            name="channel",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.complaintchannel",
                verbose_name="channel",
            ),
        ),
        migrations.RunPython(channels_to_catalogue, channels_back),
        migrations.RemoveField("servicerecord", "channel_code"),
        migrations.AddField(
            model_name="servicerecord",
            name="receipt_printed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="receipt printed at"),
        ),
        migrations.CreateModel(
            name="FlagReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("referred", "Referred into a case"),
                            ("not_referred", "Not referred"),
                        ],
                        max_length=20,
                        verbose_name="outcome",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "response",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="review",
                        to="surveys.surveyresponse",
                        verbose_name="response",
                    ),
                ),
            ],
            options={
                "verbose_name": "review of a flagged response",
                "verbose_name_plural": "reviews of flagged responses",
            },
        ),
        # The improvement items: the same table, now the surveys app's (renamed below).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImprovementItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "elements",
                            models.CharField(blank=True, max_length=40, verbose_name="elements"),
                        ),
                        ("description", models.TextField(verbose_name="description")),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("done", "Done")],
                                default="open",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("resolution", models.TextField(blank=True, verbose_name="resolution")),
                        ("created_at", models.DateTimeField(verbose_name="created at")),
                        (
                            "resolved_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="resolved at"
                            ),
                        ),
                        (
                            "complaint",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="improvement_items",
                                to="complaints.complaint",
                            ),
                        ),
                        (
                            "resolved_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "survey_response",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="improvement_items",
                                to="surveys.surveyresponse",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="improvement_items",
                                to="units.unit",
                                verbose_name="unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "improvement item",
                        "verbose_name_plural": "improvement items",
                        "ordering": ["status", "-created_at"],
                        "db_table": "cases_improvementitem",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="improvementitem", table=None),
    ]
