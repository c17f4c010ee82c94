"""How the API knows who calls: `Authorization: Token …` (django-rest-knox, see `api.tokens`),
and how the OpenAPI schema states it. Apart from `api.tokens` so that starting Django (a
management command, the task worker) does not load DRF's schema machinery."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from .tokens import is_locked_out


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token …`, checked against the hash; refused for a locked-out account."""

    def validate_user(self, auth_token):
        user = auth_token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if is_locked_out(user):
            raise exceptions.AuthenticationFailed(
                _("The account is locked after too many failed logins.")
            )
        return (user, auth_token)

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) this token once past its expiry. knox would also read every
        other token of the person on each call to delete the expired ones: that is done
        when the person is issued a new token (`api.tokens.issue_token`) instead, and the
        list of their tokens leaves expired ones out."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }
