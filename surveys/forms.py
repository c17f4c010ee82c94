"""Forms of the satisfaction domain: they parse; services.py decides."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulih.lib.bounds import PERIOD_REVERSED, BoundedDateField, BoundedDateTimeField
from pulih.lib.errors import InvalidInput
from units.models import ELEMENT_CODES, FIRST_DAY, LAST_DAY, ServiceType, Unit, User

from .models import COMMENT_MAX_LENGTH, DEFAULT_CHANNEL, PROFILE_FIELDS, CustomerKind
from .profile import PROFILE_LABELS, clean_options
from .services import unit_channels, unit_officers

# The nine questions and their labelled answers 1..4, in English source text; the Indonesian
# catalogue gives the questionnaire's own wording (PermenPANRB 14/2017).
QUESTIONS = {
    "U1": (
        _("How well do the service requirements match the kind of service?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    "U2": (
        _("How easy is the service procedure at this unit?"),
        (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    ),
    "U3": (
        _("How fast was the service delivered?"),
        (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    ),
    "U4": (
        _("How fair is the cost/tariff of the service?"),
        (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free")),
    ),
    "U5": (
        _("How well does the service product match what the service standard states?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    "U6": (
        _("How competent was the officer who served you?"),
        (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    ),
    "U7": (
        _("How polite and friendly was the officer who served you?"),
        (
            _("Not polite and friendly"),
            _("Less polite and friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
    ),
    "U8": (
        _("What is the quality of the facilities and infrastructure?"),
        (_("Poor"), _("Adequate"), _("Good"), _("Very good")),
    ),
    "U9": (
        _("How are complaints, suggestions and input handled?"),
        (
            _("Not available"),
            _("Available but not working"),
            _("Working, not at its best"),
            _("Well managed"),
        ),
    ),
}


class SurveyForm(forms.Form):
    """The nine elements (each optional, 1–4) and a comment; `officers` (counter code →
    officer) adds the walk-in's choice of the officer who served, by the code on the plate at
    their counter: the public page never lists names or NIPs."""

    comment = forms.CharField(
        label=_("Comments or suggestions (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, officers=None, profile_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, values in (profile_options or {}).items():
            self.fields[f"profile_{name}"] = forms.ChoiceField(
                label=PROFILE_LABELS[name],
                choices=[("", _("— prefer not to say —")), *((v, v) for v in values)],
                required=False,
            )
        for code in ELEMENT_CODES:
            question, labels = QUESTIONS[code]
            self.fields[code.lower()] = forms.TypedChoiceField(
                label=question,
                choices=[(str(i), label) for i, label in enumerate(labels, start=1)],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
        self.officers = officers
        if officers is not None:
            self.fields["officer"] = forms.ChoiceField(
                label=_("The officer code shown at the counter that served you (optional)"),
                choices=[("", _("— I don't know / not sure —"))]
                + [(code, code) for code in officers],
                required=False,
            )
            self.order_fields(["officer"])

    def clean_officer(self):
        """The officer named by the code chosen, or None."""
        code = self.cleaned_data.get("officer")
        return self.officers.get(code) if code else None

    def profile_fields(self):
        return [self[name] for name in self.fields if name.startswith("profile_")]

    def profile(self) -> dict[str, str]:
        """The respondent's optional profile answers (sex, age group, education, occupation)."""
        return {
            name.removeprefix("profile_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("profile_") and value
        }

    def elements(self):
        """(code, bound field) in questionnaire order, for the template."""
        return [(code, self[code.lower()]) for code in ELEMENT_CODES]

    def answers(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[code.lower()]
            for code in ELEMENT_CODES
            if self.cleaned_data.get(code.lower()) not in (None, "")
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not self.answers():
            raise forms.ValidationError(_("Please answer at least one question."))
        return data

    def needs_confirmation(self) -> bool:
        """Some questions unanswered, and the customer not yet asked whether to send anyway
        (asked once: the page that asks carries `partial_ok`, so the next send goes through)."""
        return len(self.answers()) < len(ELEMENT_CODES) and self.data.get("partial_ok") != "1"


class ServiceRecordForm(forms.Form):
    service_type = forms.ModelChoiceField(label=_("Service type"), queryset=ServiceType.objects)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    customer_name = forms.CharField(label=_("Customer name"), max_length=200, required=False)
    customer_contact = forms.CharField(
        label=_("Customer contact (phone/email)"), max_length=200, required=False
    )
    customer_kind = forms.ChoiceField(
        label=_("Customer"),
        choices=CustomerKind.choices,
        initial=CustomerKind.EXTERNAL,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(label=_("Channel"), initial=DEFAULT_CHANNEL)
    served_at = BoundedDateTimeField(
        label=_("Served at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def __init__(self, *args, unit: Unit, own_only: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(unit=unit, active=True)
        officers = unit_officers(unit)
        if own_only is not None:
            officers = officers.filter(pk=own_only.pk)
            self.fields["officer"].initial = own_only.pk
            self.fields["officer"].empty_label = None
        self.fields["officer"].queryset = officers
        self.fields["channel"].choices = [(c.code, c.name) for c in unit_channels(unit)]
        if not self.is_bound:
            now = timezone.now().astimezone(unit.zone).replace(second=0, microsecond=0)
            self.fields["served_at"].initial = now.replace(tzinfo=None)


class DayForm(forms.Form):
    day = BoundedDateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SignForm(forms.Form):
    day = BoundedDateField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PeriodForm(forms.Form):
    start = BoundedDateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = BoundedDateField(
        label=pgettext_lazy("end of a date range", "To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    service = forms.ModelChoiceField(
        label=_("Service type"),
        queryset=ServiceType.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All services"),
    )
    officer = forms.ModelChoiceField(
        label=_("Officer"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="username",
        empty_label=_("All officers"),
    )

    def __init__(self, *args, unit: Unit, with_officers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ServiceType.objects.filter(unit=unit)
        if with_officers:
            self.fields["officer"].queryset = unit_officers(unit)
        else:
            del self.fields["officer"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(PERIOD_REVERSED)
        if (start and start < FIRST_DAY) or (end and end > LAST_DAY):
            raise forms.ValidationError(_("The period is too long."))
        if start and end and (end - start) > datetime.timedelta(days=3660):
            raise forms.ValidationError(_("The period is too long."))
        return data


class ResolveImprovementForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ProfileOptionsForm(forms.Form):
    """The unit's respondent profile lists, one answer per line."""

    def __init__(self, *args, options: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            self.fields[name] = forms.CharField(
                label=PROFILE_LABELS[name],
                widget=forms.Textarea(attrs={"rows": 7}),
                initial="\n".join(options[name]),
                help_text=_("One answer per line, in the order the survey shows them."),
                max_length=5000,
                required=False,  # an empty list is refused by clean_options, with its reason
            )

    def clean(self):
        data = super().clean()
        lists = {name: (data.get(name) or "").splitlines() for name in PROFILE_FIELDS}
        try:
            data["options"] = clean_options(lists)
        except InvalidInput as exc:
            for name, errors in exc.fields.items():
                if name not in self.errors:
                    self.add_error(name, errors)
        return data
