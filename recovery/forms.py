from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX_LENGTH

SCORES = [
    (4, _("Yes, fully (sangat puas)")),
    (3, _("Yes (puas)")),
    (2, _("Not really (kurang puas)")),
    (1, _("No (tidak puas)")),
]


class FollowUpForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Did our handling restore your satisfaction?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
