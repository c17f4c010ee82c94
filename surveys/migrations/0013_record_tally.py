"""Each unit's daily service counts (RecordTally), counted from the records already stored.

On PostgreSQL the table keeps a fifth of each page free (fillfactor 80), as the survey
tallies do (0012): every service recorded updates its day's row in place."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Every unit's service records counted per local day (surveys.record_tally.rebuild, with
    the historical models)."""
    from surveys.record_tally import rebuild

    rebuild(apps=apps)


def fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "surveys_recordtally" SET (fillfactor = 80)')


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0012_tallies_updated_in_place'),
        ('units', '0007_unit_api_token_days'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('records', models.PositiveIntegerField(default=0)),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit')),
            ],
            options={
                'verbose_name': "unit's daily service count",
                'verbose_name_plural': "units' daily service counts",
                'constraints': [models.UniqueConstraint(fields=('unit', 'day'), name='recordtally_one_per_day')],
            },
        ),
        migrations.RunPython(fillfactor, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
