"""API tokens (django-rest-knox): stored as a hash, expiring, revocable, tied to the account.

- Issued by `POST /api/v1/auth/token/`; the digest is stored, never the token itself.
- Each token lasts the unit's `api_token_days` (default 30; the shortest of the person's units).
- The person lists and revokes their own tokens (`/api/v1/auth/tokens/`); a unit admin revokes
  their unit members' tokens in the admin.
- A token stops working when its person changes password or is deactivated (the tokens are
  deleted) and while the account is locked out by django-axes (refused, not deleted: it works
  again when the lockout ends).
"""

from __future__ import annotations

import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Min
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from knox.models import AuthToken

from units.models import Unit

DEFAULT_DAYS = 30


def token_lifetime(user) -> datetime.timedelta:
    """The shortest `api_token_days` of the person's units (30 days without a unit)."""
    days = Unit.objects.filter(memberships__user=user).aggregate(days=Min("api_token_days"))
    return datetime.timedelta(days=days["days"] or DEFAULT_DAYS)


def issue_token(user) -> tuple[AuthToken, str]:
    """A new token for `user`: (the stored row, the token to hand over once). Their expired
    tokens go now (a token in use is checked on its own: `api.authentication`)."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user, expiry=token_lifetime(user))


def revoke_tokens(user) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def is_locked_out(user) -> bool:
    """True while django-axes holds a lockout for this username (from any address)."""
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 5)
    attempts = AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=limit
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()


# --- the account changes: tokens go ------------------------------------------------------


def _remember_account(sender, instance, **kwargs):
    if not instance.pk:
        return
    old = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    instance._tokens_void = bool(old) and (
        old["password"] != instance.password or (old["is_active"] and not instance.is_active)
    )


def _void_tokens(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_tokens_void", False):
        revoke_tokens(instance)
        instance._tokens_void = False


def connect_signals() -> None:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    pre_save.connect(_remember_account, sender=user_model, dispatch_uid="api.tokens.remember")
    post_save.connect(_void_tokens, sender=user_model, dispatch_uid="api.tokens.void")
