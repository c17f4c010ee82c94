"""Model behaviour shared across domains."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly:
    """Rows written once, never changed: saving an existing row or deleting one raises.

    Mix in before `models.Model` (timelines, audit logs)."""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are append-only.")


class TimelineEvent(AppendOnly, models.Model):
    """One entry of a record's timeline (a case's, a complaint's): who did it, when, and what
    it recorded. Subclasses add the record, the action and the from/to state."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
