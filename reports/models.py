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
