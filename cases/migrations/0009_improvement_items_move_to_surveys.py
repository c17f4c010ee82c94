"""Improvement items are about the institution, not an officer: the model moves to the surveys
app (surveys.0005 takes over the table). Only Django's state changes here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_issued_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImprovementItem")],
            database_operations=[],
        ),
    ]
