"""Token authentication for integrations: `POST /api/v1/auth/token/`.

Guarded twice: django-axes counts failures and locks out (it needs the Django request,
not DRF's wrapper, to flag the lockout for its middleware), and the `login` throttle
scope limits the rate of attempts.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from pulih.lib.ratelimit import ScopedRateThrottle

from .schema import errors


class LoginRateThrottle(ScopedRateThrottle):
    """The `login` scope on the shared limiter (rates read from settings at request time)."""


class TokenSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        request = self.context.get("request")
        # axes flags a lockout on the request it is given; its middleware reads the
        # Django HttpRequest, so hand that over rather than DRF's Request wrapper.
        django_request = getattr(request, "_request", request)
        user = authenticate(
            request=django_request, username=attrs["username"], password=attrs["password"]
        )
        if not user:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenView(ObtainAuthToken):
    """POST username and password, get {"token": ...} for `Authorization: Token ...`."""

    serializer_class = TokenSerializer
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            **errors(400, 429),
        },
        description="Too many failed attempts lock the account and address out (429).",
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
