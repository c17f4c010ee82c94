"""The web forms of the case actions: they parse; cases.workflow decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pulih.lib.bounds import MAX_RUPIAH, BoundedDateTimeField
from units.access import members_with_role
from units.models import CompensationKind, Role, SanctionKind, Unit, User, Violation

from .models import CaseAction


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _text(label, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


ATTACHMENTS_LABEL = _("Attachments (PDF, JPEG or PNG, at most 5 MB each)")


def _attachments(label=ATTACHMENTS_LABEL):
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class ActionForm(forms.Form):
    """A form whose cleaned data is the payload of one workflow action."""

    submit_label = _("Save")

    def __init__(self, *args, unit: Unit, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def payload(self) -> dict:
        return dict(self.cleaned_data)


class ReferForm(ActionForm):
    submit_label = _("Refer to a hearing")
    note = _text(_("Note"), required=False)


class DismissForm(ActionForm):
    submit_label = _("Dismiss the case")
    reason = _text(_("Reason for dismissal"))


class SummonForm(ActionForm):
    submit_label = _("Summon")
    scheduled_at = BoundedDateTimeField(label=_("Date and time"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("Place"), max_length=200)


class HearingForm(ActionForm):
    submit_label = _("Record the hearing")
    attended = forms.TypedChoiceField(
        label=_("Did the officer attend?"),
        widget=forms.RadioSelect,
        choices=[
            ("yes", _("Yes: record the explanation and defence")),
            ("no", _("No: record the absence (then summon again)")),
        ],
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=True,
        initial="yes",
    )
    held_at = forms.DateTimeField(
        label=_("Held at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Not before the summons' date; empty means now."),
    )
    explanation = _text(_("The officer's explanation"), required=False, rows=4)
    defence = _text(_("The officer's defence"), required=False, rows=4)
    attachments = _attachments()


class DefenceForm(ActionForm):
    submit_label = _("Submit my defence")
    defence = _text(_("My written defence"), rows=6)
    attachments = _attachments()


class ProposeForm(ActionForm):
    submit_label = _("Propose")
    violations = forms.MultipleChoiceField(
        label=_("Violations found"), widget=forms.CheckboxSelectMultiple
    )
    sanction = forms.ChoiceField(label=_("Proposed sanction"))
    reasoning = _text(_("Reasoning"), rows=4)
    justification = _text(
        _("Justification of the sanction's level"),
        required=False,
        rows=3,
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["violations"].choices = [
            (v.code, f"{v.code.upper()} [{v.get_severity_display()}] {v.text}")
            for v in Violation.objects.filter(unit=unit, active=True)
        ]
        self.fields["sanction"].choices = [("", "—")] + [
            (s.code, f"{s.name} [{s.get_level_display()}]")
            for s in SanctionKind.objects.filter(unit=unit, active=True)
        ]
        self.fields["justification"].help_text = _(
            "Required when the sanction's level differs from the most severe violation's "
            "(PP 94/2021); the reasoning above does not count."
        )


class VerifyForm(ActionForm):
    submit_label = _("Save the verification")
    decision = forms.ChoiceField(
        label=_("Verification"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve the proposal")),
            ("return", _("Return it to the coordinator")),
        ],
    )
    note = _text(_("Notes"), required=False)

    def payload(self) -> dict:
        return {
            "approved": self.cleaned_data["decision"] == "approve",
            "note": self.cleaned_data["note"],
        }


class DecideForm(ActionForm):
    submit_label = _("Save the decision")
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("issue", _("Issue the sanction decree")),
            ("no_decree", _("Do not issue a decree (back to review)")),
        ],
    )
    reason = _text(_("Reason (when no decree is issued)"), required=False)
    confirm = forms.BooleanField(
        label=_("I have read the draft SK and confirm it is to be issued as it reads."),
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "issue" and not data.get("confirm"):
            self.add_error(
                "confirm", _("Read the draft SK and confirm it before issuing the decree.")
            )
        return data

    def payload(self) -> dict:
        return {
            "issue_decree": self.cleaned_data["decision"] == "issue",
            "reason": self.cleaned_data["reason"],
        }


class CompensateForm(ActionForm):
    submit_label = _("Determine the compensation")
    compensations = forms.MultipleChoiceField(
        label=_("Compensation for the customer"), widget=forms.CheckboxSelectMultiple
    )
    cost = forms.IntegerField(
        label=_("Cost (rupiah)"), min_value=0, max_value=MAX_RUPIAH, initial=0
    )
    note = _text(_("Note"), required=False)
    confirm_over_budget = forms.BooleanField(
        label=_("I confirm this compensation goes over the year's budget"), required=False
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["compensations"].choices = [
            (k.code, k.name) for k in CompensationKind.objects.filter(unit=unit, active=True)
        ]


class DeliverForm(ActionForm):
    submit_label = _("Record the delivery")
    delivered_at = BoundedDateTimeField(label=_("Delivered at"), widget=DateTimeLocalInput())
    method = forms.CharField(
        label=_("How"), max_length=200, help_text=_("E.g. in person at the service desk.")
    )
    customer_acknowledged = forms.BooleanField(
        label=_("The customer acknowledged receipt"), required=False
    )
    unacknowledged_reason = _text(
        _("Why there is no acknowledgement"),
        required=False,
        rows=2,
    )
    note = _text(_("Note"), required=False)
    evidence = _attachments(_("Evidence (PDF, JPEG or PNG, at most 5 MB each)"))

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["unacknowledged_reason"].help_text = _(
            "Required without the customer's acknowledgement, e.g. unreachable after three "
            "attempts."
        )


class ObjectForm(ActionForm):
    submit_label = _("Lodge the objection")
    text = _text(_("My objection to the decree"), rows=6)


class RuleObjectionForm(ActionForm):
    submit_label = _("Decide the objection")
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("upheld", _("Uphold the objection")), ("rejected", _("Reject the objection"))],
    )
    reason = _text(_("Reason"), rows=3)

    def payload(self) -> dict:
        return {
            "upheld": self.cleaned_data["decision"] == "upheld",
            "reason": self.cleaned_data["reason"],
        }


ACTION_FORMS: dict[str, type[ActionForm]] = {
    CaseAction.REFER: ReferForm,
    CaseAction.DISMISS: DismissForm,
    CaseAction.SUMMON: SummonForm,
    CaseAction.HEARING: HearingForm,
    CaseAction.DEFENCE: DefenceForm,
    CaseAction.PROPOSE: ProposeForm,
    CaseAction.VERIFY: VerifyForm,
    CaseAction.DECIDE: DecideForm,
    CaseAction.COMPENSATE: CompensateForm,
    CaseAction.DELIVER: DeliverForm,
    CaseAction.OBJECT: ObjectForm,
    CaseAction.RULE_OBJECTION: RuleObjectionForm,
}

# Form fields whose names differ from the payload's, for mapping domain errors back.
FIELD_FOR_PAYLOAD = {"approved": "decision", "issue_decree": "decision", "upheld": "decision"}


class OpenCaseForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    reason = _text(_("Why a case is opened"), rows=4)

    def __init__(self, *args, unit: Unit, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            members_with_role(unit, [Role.OFFICER]).exclude(pk=actor.pk).order_by("full_name")
        )
