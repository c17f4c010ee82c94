"""Forms of the complaint register: they parse; the rules are in services.py."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from pulih.lib.bounds import BoundedDateTimeField
from units.models import ComplaintChannel, ServiceType, Unit

from . import antispam
from .models import ComplaintKind, TriageOutcome
from .services import officers_of
from .uploads import MAX_FILES

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _files_help(message: str):
    """`message` with the number of files, formatted when the form is shown, in the reader's
    language (`_(…) % …` in a class body would format it once, in the language at import)."""
    return lazy(lambda: gettext(message) % {"n": MAX_FILES}, str)()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their type and size are checked by services (uploads.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [f for f in data if f]


def service_choices(unit: Unit):
    return ServiceType.objects.filter(unit=unit, active=True).order_by("order", "code")


class PublicComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to send?"),
        choices=ComplaintKind.choices,
        initial=ComplaintKind.COMPLAINT,
    )
    service_type = forms.ModelChoiceField(
        label=_("Service concerned (optional)"),
        queryset=ServiceType.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("— not about one service —"),
    )
    text = forms.CharField(
        label=_("Your complaint, suggestion or input"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=5000,
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("Email or phone number (optional)"),
        max_length=200,
        required=False,
        help_text=_("If you give an email address, the answer is also sent there."),
    )
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_(
            "Your name and contact are then not stored; follow your complaint with the "
            "tracking code."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        help_text=_files_help(
            gettext_noop("Up to %(n)d files: PDF, JPEG or PNG, at most 5 MB each.")
        ),
    )
    # Honeypot: hidden from people by the .hp CSS class; bots fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["service_type"].queryset = service_choices(unit)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        # A fresh timestamp on every rendering, also when the form comes back with errors.
        self.initial["started"] = antispam.form_token(unit.code)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Your submission could not be accepted."), code="honeypot"
            )
        problem = antispam.check_form_token(cleaned.get("started", ""), self.unit.code)
        if problem == "expired":
            raise forms.ValidationError(
                _("The form has expired. Please check your entries and send it again."),
                code="expired",
            )
        if problem == "too_fast":
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check your entries and send it again."),
                code="too_fast",
            )
        return cleaned

    def render_again(self):
        """After an error, the next rendering carries a new timestamp."""
        if self.is_bound:
            data = self.data.copy()
            data["started"] = antispam.form_token(self.unit.code)
            self.data = data
        return self


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class RecordComplaintForm(forms.Form):
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=ComplaintChannel.objects.none(), to_field_name="code"
    )
    received_at = BoundedDateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ComplaintKind.choices, initial=ComplaintKind.COMPLAINT
    )
    name = forms.CharField(label=_("Complainant's name"), max_length=200, required=False)
    contact = forms.CharField(label=_("Complainant's contact"), max_length=200, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    service_type = forms.ModelChoiceField(
        label=_("Service concerned"),
        queryset=ServiceType.objects.none(),
        required=False,
        to_field_name="code",
    )
    officer = OfficerChoiceField(
        label=_("Officer concerned (if known)"),
        queryset=ServiceType.objects.none(),
        required=False,
        to_field_name="username",
    )
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_files_help(
            gettext_noop(
                "A scanned letter, a screenshot of a post…: up to %(n)d files, PDF, JPEG or "
                "PNG, at most 5 MB each."
            )
        ),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = ComplaintChannel.objects.filter(
            unit=unit, active=True
        ).order_by("order", "code")
        self.fields["service_type"].queryset = service_choices(unit)
        self.fields["officer"].queryset = officers_of(unit)


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The complaint is"), choices=TriageOutcome.choices, widget=forms.RadioSelect
    )
    officer = OfficerChoiceField(
        label=_("Officer concerned"),
        queryset=ServiceType.objects.none(),
        required=False,
        to_field_name="username",
        help_text=_("Required when a case is opened."),
    )
    note = forms.CharField(
        label=_("Note (internal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_(
            "The reason for the case, or what should be improved. Never shown to the complainant."
        ),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers_of(unit)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the complainant"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Shown on the tracking page, and emailed when the contact is an email."),
    )
