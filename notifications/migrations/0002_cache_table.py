"""The shared cache's table (the database cache, when no Redis is configured) comes with
`migrate`, so every process that migrates a database finds it: `make run`, systemd, tests that
start servers, benchmarks. Same as `manage.py createcachetable`; nothing when the cache is Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_outbox")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
