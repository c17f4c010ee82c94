"""The unit's audit trail: one append-only table of security events.

Logins, failed logins, lockouts, role grants and revocations, admin actions and exports of
personal data are written here as they happen (see `reports.auditlog`); changes to the
standard and settings stay in django-simple-history and are read beside it. A row is never
changed or deleted by the application: save() refuses an update and delete() refuses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Lockout")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    ADMIN_ACTION = "admin_action", _("Admin action")
    EXPORT = "export", _("Export of personal data")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AuditKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The name as given (a failed login names an account that may not exist).
    username = models.CharField(_("user name"), max_length=150, blank=True)
    summary = models.CharField(_("what"), max_length=300)
    address = models.CharField(_("address"), max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["unit", "-at"], name="audit_unit_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


def report_file_path(instance: ReportFile, filename: str) -> str:
    """An unguessable name under the unit's folder of the storage (local or S3)."""
    import secrets

    return f"reports/{instance.unit.code}/{secrets.token_hex(16)}.{instance.format}"


class ReportFile(models.Model):
    """A report PDF or XLSX asked for on the dashboard and built by a task (reports.files).

    The requester waits on its page; the file is kept in Django's storage and downloaded by
    the unit's report readers who may read everything it shows."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    start = models.DateField()
    end = models.DateField()
    show_officers = models.BooleanField(default=False)
    show_recovery = models.BooleanField(default=False)
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(upload_to=report_file_path, blank=True, max_length=200)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_name(self) -> str:
        return f"laporan-{self.unit.code}-{self.start}-{self.end}.{self.format}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.READY, self.State.FAILED)
