"""User-facing messages shared by the web screens and the API (translated in this app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

THROTTLED = _(
    "Too many submissions from your address. Please wait %(seconds)d seconds and try again."
)
UNKNOWN_CODE = _("No complaint has this tracking code. Check it and retry.")
UNKNOWN_UNIT = _("Unknown unit.")
UNKNOWN_CHANNEL = _("Unknown channel.")
UNKNOWN_SERVICE = _("Unknown service type.")
UNKNOWN_USER = _("Unknown user.")
NO_SUCH_COMPLAINT = _("No such complaint.")
NO_UNIT = _("Your account does not belong to any unit.")
ROLE_FORBIDS = _("Your role in this unit does not allow this action.")
FORM_TOKEN_EXPIRED = _(
    "The form token is missing, forged or expired. Ask for a new one at "
    "/api/v1/complaints/form-token/."
)
FORM_TOKEN_TOO_FAST = _("Sent too soon after the form token was given. Wait and send again.")
FORM_TOKEN_USED = _("This form token has been used already. Ask for a new one.")
HONEYPOT = _("Your submission could not be accepted.")
