"""The survey response's own index on `unit` goes: `response_unit_submitted` (unit,
submitted_at) serves every lookup by unit, and the second index only cost each insert (about a
tenth of an import's COPY on PostgreSQL).

Only the index is dropped (the same name on SQLite and PostgreSQL): Django's AlterField would
drop and re-add the foreign key on PostgreSQL (checking every row again) and rebuild the whole
table on SQLite."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "surveys_surveyresponse_unit_id_0c5691db"


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_unit_month_tallies"),
        ("units", "0007_unit_api_token_days"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="surveyresponse",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="survey_responses",
                        to="units.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "surveys_surveyresponse" ("unit_id")',
                ),
            ],
        ),
    ]
