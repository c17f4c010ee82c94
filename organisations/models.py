"""Organisations above the units: a ministry → its directorates general → their units, or a
province → its agencies. Readers at an organisation see roll-ups of every unit below it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    # "/3/7/12/": the ids from the root down, so a subtree is one `startswith` (an index range).
    path = models.CharField(max_length=500, editable=False, db_index=True)
    show_officer_names = models.BooleanField(
        _("show officers' names in roll-ups"),
        default=False,
        help_text=_("Off: officers stay anonymous above their unit."),
    )
    units = models.ManyToManyField(
        Unit, through="OrganisationUnit", related_name="organisations", verbose_name=_("units")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            Organisation.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if old:  # moved: its whole subtree follows
                for child in Organisation.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.save()

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be below itself.")})
            ancestor = ancestor.parent

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)

    def units_below(self) -> models.QuerySet[Unit]:
        # No DISTINCT: a unit has one place in the tree (OrganisationUnit.unit is one-to-one).
        return Unit.objects.filter(organisation_links__organisation__path__startswith=self.path)


class OrganisationUnit(models.Model):
    """A unit's place in the tree: directly under one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="unit_links"
    )
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="organisation_links")

    class Meta:
        verbose_name = _("unit of an organisation")
        verbose_name_plural = _("units of an organisation")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.unit}"


class OrganisationRole(models.TextChoices):
    LEADER = "leader", _("Leader (pimpinan)")
    SUPERVISOR = "supervisor", _("Supervisor (pengawas)")


class OrganisationMembership(models.Model):
    """A read-only role at an organisation: sees the roll-ups of every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_roles"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=OrganisationRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_organisation_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation.code})"
