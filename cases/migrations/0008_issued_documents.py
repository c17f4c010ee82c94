"""Issued documents (stored bytes, SHA-256, snapshot, verification code), and the catalogue
entries that proposals, decrees and compensations name made PROTECTed.

The two many-to-many relations get explicit through models on the tables Django created for
them (same table, same columns): only the state changes, the database is left as it is.
"""

import cases.models
import django.db.models.deletion
import pulih.lib.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_report_indexes"),
        ("units", "0005_letters_logo_signing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CompensationItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("compensation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="cases.compensation")),
                        ("compensationkind", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="units.compensationkind")),
                    ],
                    options={
                        "verbose_name": "compensation decided",
                        "verbose_name_plural": "compensations decided",
                        "db_table": "cases_compensation_kinds",
                        "unique_together": {("compensation", "compensationkind")},
                    },
                ),
                migrations.AlterField(
                    model_name="compensation",
                    name="kinds",
                    field=models.ManyToManyField(related_name="+", through="cases.CompensationItem", to="units.compensationkind", verbose_name="kinds"),
                ),
                migrations.CreateModel(
                    name="ProposalViolation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("proposal", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="cases.proposal")),
                        ("violation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="units.violation")),
                    ],
                    options={
                        "verbose_name": "violation found",
                        "verbose_name_plural": "violations found",
                        "db_table": "cases_proposal_violations",
                        "unique_together": {("proposal", "violation")},
                    },
                ),
                migrations.AlterField(
                    model_name="proposal",
                    name="violations",
                    field=models.ManyToManyField(related_name="+", through="cases.ProposalViolation", to="units.violation", verbose_name="violations"),
                ),
            ],
        ),
        migrations.CreateModel(
            name="DecreeLegalBasis",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("decree", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="cases.decree")),
                ("legal_basis", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="units.legalbasis")),
            ],
            options={
                "verbose_name": "legal basis quoted",
                "verbose_name_plural": "legal basis quoted",
                "constraints": [models.UniqueConstraint(fields=("decree", "legal_basis"), name="unique_decree_basis")],
            },
        ),
        migrations.AddField(
            model_name="decree",
            name="legal_basis",
            field=models.ManyToManyField(related_name="+", through="cases.DecreeLegalBasis", to="units.legalbasis", verbose_name="legal basis"),
        ),
        migrations.CreateModel(
            name="IssuedDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("decree", "Sanction decree"), ("summons", "Summons letter"), ("hearing_record", "Hearing record"), ("apology", "Apology letter")], max_length=20, verbose_name="kind")),
                ("number", models.CharField(max_length=100, verbose_name="number")),
                ("date", models.DateField(verbose_name="date")),
                ("file", models.FileField(max_length=200, upload_to=cases.models.issued_document_path, verbose_name="file")),
                ("size", models.PositiveIntegerField(verbose_name="size")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("snapshot", models.JSONField(verbose_name="snapshot")),
                ("signed", models.BooleanField(default=False, verbose_name="sealed with the unit's certificate")),
                ("verification_code", models.CharField(default=cases.models.new_verification_code, editable=False, max_length=40, unique=True)),
                ("issued_at", models.DateTimeField(verbose_name="issued at")),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="documents", to="cases.case")),
                ("hearing", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="documents", to="cases.hearing")),
                ("issued_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="units.unit")),
            ],
            options={
                "verbose_name": "issued document",
                "verbose_name_plural": "issued documents",
                "ordering": ["issued_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("kind__in", ["decree", "apology"])), fields=("case", "kind"), name="unique_case_document"),
                    models.UniqueConstraint(condition=models.Q(("hearing__isnull", False)), fields=("hearing", "kind"), name="unique_hearing_document"),
                ],
            },
            bases=(pulih.lib.models.AppendOnly, models.Model),
        ),
    ]
