"""The web face's one mapping of a domain error onto a form or a page (pulih.lib.forms)."""

from __future__ import annotations

from django import forms

from pulih.lib.errors import InvalidInput, StateConflict
from pulih.lib.forms import add_domain_errors, domain_error_messages


class NoteForm(forms.Form):
    note = forms.CharField(required=False)
    decision = forms.CharField(required=False)


def _bound() -> NoteForm:
    form = NoteForm({"note": "x", "decision": "y"})
    assert form.is_valid()
    return form


def test_field_messages_stand_beside_their_field_and_unknown_ones_at_the_top():
    form = _bound()
    exc = InvalidInput("Please correct.", fields={"note": ["Too long."], "answers": ["Bad."]})
    add_domain_errors(form, exc)
    assert form.errors["note"] == ["Too long."]
    assert form.non_field_errors() == ["Bad."]


def test_a_payload_name_the_form_spells_otherwise_is_renamed():
    form = _bound()
    exc = InvalidInput("Please correct.", fields={"approved": ["Choose."]})
    add_domain_errors(form, exc, field_for={"approved": "decision"})
    assert form.errors["decision"] == ["Choose."]


def test_an_error_naming_no_field_is_shown_at_the_top():
    form = _bound()
    add_domain_errors(form, StateConflict("Already answered."))
    assert form.non_field_errors() == ["Already answered."]


def test_a_page_without_the_fields_says_each_field_message_or_else_the_message():
    assert domain_error_messages(
        InvalidInput("Correct.", fields={"a": ["One."], "b": ["Two."]})
    ) == [
        "One.",
        "Two.",
    ]
    assert domain_error_messages(StateConflict("Already signed.")) == ["Already signed."]
