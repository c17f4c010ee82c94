from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

from .schema import errors


class TokenView(ObtainAuthToken):
    """POST username and password, get {"token": ...} for `Authorization: Token ...`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            **errors(400, 403, 429),
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
