"""Model behaviour shared across domains."""

from __future__ import annotations


class AppendOnly:
    """Rows written once, never changed: saving an existing row or deleting one raises.

    Mix in before `models.Model` (timelines, audit logs)."""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are append-only.")
