"""The survey tallies are updated with every response stored: their rows are kept lean and
updated in place.

- DailyTally loses two indexes that its key's unique index (unit, day, service type, officer)
  already serves: `dailytally_unit_day` (unit, day) and the unit foreign key's own index.
  Each cost every new or updated tally row an index entry.
- On PostgreSQL the three tables keep a fifth of each page free (fillfactor 80), so that
  adding a response to its row writes the new version beside the old one on the same page
  and touches none of the indexes (a heap-only update): a tally row's key never changes,
  only its counts. Pages written from now on keep the space; the existing ones as the table
  is rewritten (VACUUM FULL). SQLite has no such setting and rewrites its rows in place.

Only the index is dropped for the foreign key (the same name on SQLite and PostgreSQL):
Django's AlterField would drop and re-add the foreign key on PostgreSQL and rebuild the table
on SQLite."""

import django.db.models.deletion
from django.db import migrations, models

UNIT_INDEX = "surveys_dailytally_unit_id_d199de5b"
TABLES = ("surveys_dailytally", "surveys_unitdaytally", "surveys_unitmonthtally")
FILLFACTOR = 80


def _fillfactor(value: int | None):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            name = schema_editor.quote_name(table)
            if value is None:
                schema_editor.execute(f"ALTER TABLE {name} RESET (fillfactor)")
            else:
                schema_editor.execute(f"ALTER TABLE {name} SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0011_tally_flagged"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="dailytally", name="dailytally_unit_day"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dailytally",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="units.unit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{UNIT_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{UNIT_INDEX}" ON "surveys_dailytally" ("unit_id")',
                ),
            ],
        ),
        migrations.RunPython(_fillfactor(FILLFACTOR), _fillfactor(None)),
    ]
