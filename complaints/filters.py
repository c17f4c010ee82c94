"""The register's filters: one FilterSet for the list screen, its XLSX export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pulih.lib.filters import LocalDayFilter, PeriodForm
from units.models import ComplaintChannel, ServiceType, Unit, User

from . import messages as msg
from .forms import OfficerChoiceField
from .models import Complaint, ComplaintKind, ComplaintStatus
from .services import officers_of

OVERDUE = "overdue"


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerChoiceField


class ComplaintFilter(django_filters.FilterSet):
    """The unit's complaints narrowed by channel, kind, status (or overdue), service, officer
    and the days they were received (the unit's calendar); each filter optional."""

    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"),
        queryset=ComplaintChannel.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
        error_messages={"invalid_choice": msg.UNKNOWN_CHANNEL},
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ComplaintKind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*ComplaintStatus.choices, (OVERDUE, _("Overdue"))],
        empty_label=_("All"),
        method="filter_status",
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Service"),
        field_name="service_type",
        queryset=ServiceType.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
        error_messages={"invalid_choice": msg.UNKNOWN_SERVICE},
    )
    officer = OfficerFilter(
        label=_("Officer"),
        queryset=User.objects.none(),
        to_field_name="username",
        empty_label=_("All"),
        error_messages={"invalid_choice": msg.UNKNOWN_USER},
    )
    start = LocalDayFilter(label=_("From"), field_name="received_at", since=True)
    end = LocalDayFilter(label=_("Until"), field_name="received_at", since=False)

    class Meta:
        model = Complaint
        fields = ["channel", "kind", "status", "service", "officer", "start", "end"]
        form = PeriodForm

    def __init__(self, data=None, *, unit: Unit, **kwargs):
        self.unit = unit
        queryset = Complaint.objects.filter(unit=unit).select_related(
            "channel", "service_type", "officer"
        )
        super().__init__(data, queryset=queryset.order_by("-received_at", "-pk"), **kwargs)
        self.filters["channel"].queryset = ComplaintChannel.objects.filter(unit=unit).order_by(
            "order", "code"
        )
        self.filters["service"].queryset = ServiceType.objects.filter(unit=unit).order_by(
            "order", "code"
        )
        self.filters["officer"].queryset = officers_of(unit)

    def filter_status(self, qs: QuerySet[Complaint], name: str, value: str):
        return qs.overdue() if value == OVERDUE else qs.filter(status=value)

    def period(self):
        """The days the list is narrowed to (those given and valid): (start, end), None for
        either side not narrowed."""
        if not self.is_bound:
            return None, None
        self.errors  # noqa: B018 - validates the form, as `qs` does
        return self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end")
